import type { Evidence, EvidenceCode, EvidenceFieldsByCode, EvidenceOf } from '../domain/verdict.js';
import { EVIDENCE_CODES } from '../domain/verdict.js';
import { toMs } from './time.js';

export type Empty = Record<never, never>;

/** Keys of T that may be absent. */
type OptionalKeys<T> = { [K in keyof T]-?: Empty extends Pick<T, K> ? K : never }[keyof T];

/**
 * A code's fields as a producer may write them: an optional field may also be given as `undefined`
 * (a value the record did not have), which `evidence()` drops.
 */
export type FieldsInput<T> = { [K in keyof T]: T[K] | (K extends OptionalKeys<T> ? undefined : never) };

/** The fields argument of `evidence()`: may be left out only by a code whose fields are all optional. */
type FieldsArgument<C extends EvidenceCode> = Empty extends EvidenceFieldsByCode[C]
  ? [fields?: FieldsInput<EvidenceFieldsByCode[C]>]
  : [fields: FieldsInput<EvidenceFieldsByCode[C]>];

/** Shared by every finding without fields: never mutated (frozen). */
export const NO_FIELDS = Object.freeze({});

/**
 * One finding, its fields checked against the code's entry in domain/evidence.ts at compile time (a
 * misspelt or missing field does not compile; nothing is checked at run time). Undefined field values
 * are dropped (exactOptionalPropertyTypes: absent, not undefined). `fields` must be a fresh object:
 * when it holds no undefined value it becomes the finding's own, as is, rather than being copied (a
 * large tenant's assessment holds some 350,000 findings).
 */
export function evidence<C extends EvidenceCode>(
  code: C,
  source: Evidence['source'],
  ref: string,
  at: string | null | undefined,
  ...[fields]: FieldsArgument<NoInfer<C>>
): EvidenceOf<C> {
  const kept = fields === undefined ? NO_FIELDS : definedFields(fields);
  return { code, source, ref, at: at ?? null, fields: kept } as EvidenceOf<C>;
}

/** `fields` without its undefined values (itself when it has none). */
function definedFields(fields: Record<string, unknown>): object {
  let count = 0;
  let complete = true;
  for (const key in fields) {
    if (fields[key] === undefined) complete = false;
    else count++;
  }
  if (count === 0) return NO_FIELDS;
  if (complete) return fields;
  const kept: Record<string, unknown> = {};
  for (const key in fields) {
    const value = fields[key];
    if (value !== undefined) kept[key] = value;
  }
  return kept;
}

const CODE_ORDER = new Map<EvidenceCode, number>(EVIDENCE_CODES.map((c, i) => [c, i]));

/** Code-unit order. Strings are totally ordered, so not less and not equal is greater: one comparison saved. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a === b ? 0 : 1;
}

function timeKey(e: Evidence): number {
  return e.at === null ? Number.NEGATIVE_INFINITY : (toMs(e.at) ?? 0);
}

function codeKey(e: Evidence): number {
  return CODE_ORDER.get(e.code) ?? 0;
}

/** Lists up to this long are insertion-sorted: a user has a handful of findings, rarely more. */
const INSERTION_SORT_MAX = 24;

/**
 * Sorts a user's findings: timeless ones (who the user is, what the report says) first, then the
 * timeline oldest first; ties by code order and ref, so the order never depends on input order.
 */
export function sortEvidence(list: readonly Evidence[]): Evidence[] {
  return sortEvidenceInPlace(list.slice());
}

/**
 * sortEvidence on a list the caller owns. Times and code ranks are worked out once per finding, not
 * once per comparison, into parallel arrays rather than an object per finding: this runs for every
 * user. Both sorts are stable and use the same order, so which one runs never shows.
 */
export function sortEvidenceInPlace(list: Evidence[]): Evidence[] {
  const n = list.length;
  if (n < 2) return list;
  const times: number[] = [];
  const codes: number[] = [];
  for (const e of list) {
    times.push(timeKey(e));
    codes.push(codeKey(e));
  }
  if (n > INSERTION_SORT_MAX) return sortKeyed(list, times, codes);
  for (let i = 1; i < n; i++) {
    const e = list[i]!;
    const t = times[i]!;
    const c = codes[i]!;
    let j = i - 1;
    while (j >= 0 && compareKeys(times[j]!, codes[j]!, list[j]!.ref, t, c, e.ref) > 0) {
      list[j + 1] = list[j]!;
      times[j + 1] = times[j]!;
      codes[j + 1] = codes[j]!;
      j--;
    }
    list[j + 1] = e;
    times[j + 1] = t;
    codes[j + 1] = c;
  }
  return list;
}

function compareKeys(t1: number, c1: number, r1: string, t2: number, c2: number, r2: string): number {
  return (t1 === t2 ? 0 : t1 < t2 ? -1 : 1) || c1 - c2 || compareText(r1, r2);
}

function sortKeyed(list: Evidence[], times: readonly number[], codes: readonly number[]): Evidence[] {
  const keyed = list.map((e, i) => ({ e, t: times[i]!, c: codes[i]! }));
  keyed.sort((x, y) => compareKeys(x.t, x.c, x.e.ref, y.t, y.c, y.e.ref));
  for (let i = 0; i < keyed.length; i++) list[i] = keyed[i]!.e;
  return list;
}
