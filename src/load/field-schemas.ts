import { z } from 'zod';
import { toIsoDate } from './iso-dates.js';

export { toIsoDate } from './iso-dates.js';

/**
 * Zod building blocks for the fields of raw Graph entities. They are lenient where Graph and its
 * exporters vary (null for "not set", `""` for "no value" in enums, PowerShell's `\/Date(ms)\/`) and
 * strict where a wrong type would silently change a verdict (a boolean that is the string "yes").
 */

/** A required, non-empty string (ids). */
export const requiredString = z.string().min(1, 'must not be empty');

/** An optional string; `null` (Graph's "not set") becomes undefined. */
export const optionalString = z
  .string()
  .nullish()
  .transform((v) => v ?? undefined);

/**
 * An enum-like string. Graph has no closed enums here we can rely on (unknown values appear as the
 * service evolves), so any string is kept; `""`, which the docs show for "none", becomes undefined.
 */
export const enumString = z
  .string()
  .nullish()
  .transform((v) => (v === null || v === undefined || v === '' ? undefined : v));

export const optionalBoolean = z
  .boolean()
  .nullish()
  .transform((v) => v ?? undefined);

export const optionalNumber = z
  .number()
  .nullish()
  .transform((v) => v ?? undefined);

/** A list of strings; missing or null is an empty list. */
export const stringList = z
  .array(z.string())
  .nullish()
  .transform((v) => v ?? []);

/** A list of objects of one shape; missing or null is an empty list. */
export function listOf<T extends z.ZodType>(item: T) {
  return z
    .array(item)
    .nullish()
    .transform((v) => v ?? []);
}

const DATE_MESSAGE = 'must be an ISO 8601 date-time (or PowerShell\'s "\\/Date(ms)\\/")';

/**
 * An optional date-time, returned as an ISO 8601 string in UTC with millisecond precision, so that
 * dates from every source compare and sort alike. Accepts:
 * - ISO 8601 as Graph writes it (`2018-01-09T21:20:02.7215374Z`; a time without a zone is taken as
 *   UTC, which is what Graph means, rather than as the local time JavaScript would assume);
 * - Windows PowerShell 5.1's `"\/Date(1700000000000)\/"` (milliseconds since 1970, UTC), with or
 *   without its `+hhmm` suffix, which does not change the instant;
 * - the same wrapped in an object `{"value": "\/Date(...)\/", "DisplayHint": 2, ...}`, which 5.1
 *   writes for a DateTime that carries extra PowerShell properties.
 */
export const optionalDate = z
  .unknown()
  .transform((v, ctx): string | undefined => {
    if (v === null || v === undefined || v === '') return undefined;
    const iso = toIsoDate(v);
    if (iso !== undefined) return iso;
    ctx.issues.push({ code: 'custom', message: DATE_MESSAGE, input: v });
    return z.NEVER;
  })
  // Without this zod treats a missing key as an error, since the transform's output is not optional.
  .optional();

/** A required date-time; same forms as {@link optionalDate}. */
export const requiredDate = z.unknown().transform((v, ctx): string => {
  const iso = toIsoDate(v);
  if (iso !== undefined) return iso;
  ctx.issues.push({ code: 'custom', message: DATE_MESSAGE, input: v });
  return z.NEVER;
});
