import { UsageError } from '../domain/errors.js';

/**
 * Parsers for command-line values shared by the commands. Each names the flag in its UsageError
 * (exit 2), so a mistyped value says which flag it was.
 */

/**
 * An ISO 8601 date, or date and time: `2026-11-20`, `2026-11-20T09:00`, `…:00.000`, with a zone (`Z`,
 * `+01:00`, `+0100`, `+01`) or without. Without a zone it is UTC, as a date alone is: JavaScript
 * would read a date-time without a zone in the machine's zone, so the same command would judge at
 * another clock on another machine. A space may stand for the `T`. Anything else, "yesterday" and
 * other forms Date.parse happens to read included, is refused.
 */
const ISO_TIME =
  /^(\d{4}-\d{2}-\d{2})(?:[Tt ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(?:([Zz])|([+-]\d{2})(?::?(\d{2}))?)?)?$/;

export function isoTimeFlag(flag: string, value: string): Date {
  const m = ISO_TIME.exec(value.trim());
  let t = Number.NaN;
  if (m !== null) {
    const [, date, time, , offsetHours, offsetMinutes] = m;
    const zone = offsetHours === undefined ? 'Z' : `${offsetHours}:${offsetMinutes ?? '00'}`;
    t = Date.parse(time === undefined ? date! : `${date}T${time}${zone}`);
  }
  if (Number.isNaN(t)) {
    throw new UsageError(
      `${flag} ${value}: not an ISO 8601 time`,
      `For example ${flag} 2026-11-20T09:00:00Z.`,
    );
  }
  return new Date(t);
}

export function wholeNumberFlag(flag: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`${flag} ${value}: expected a whole number from ${min} to ${max}`);
  }
  return n;
}
