/**
 * Date-times in the forms export files hold them, made ISO 8601 UTC. Kept apart from the zod schemas
 * (field-schemas.ts) so that the read workers, which need only this, do not load zod.
 */

import { daysInMonth } from '../domain/calendar.js';

const PS_DATE = /^\/Date\((-?\d+)(?:[+-]\d{4})?\)\/$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** Converts the date forms above to ISO 8601 UTC, or undefined if `v` is none of them. */
export function toIsoDate(v: unknown): string | undefined {
  if (typeof v === 'object' && v !== null && 'value' in v) return toIsoDate(v.value);
  if (typeof v !== 'string') return undefined;
  const canonical = canonicalUtc(v);
  if (canonical !== undefined) return canonical;
  const ps = PS_DATE.exec(v);
  if (ps?.[1] !== undefined) return isoOrUndefined(Number(ps[1]));
  const iso = ISO_DATE.exec(v);
  if (iso === null) return undefined;
  const hasTime = v.length > 10;
  const hasZone = iso[1] !== undefined;
  return isoOrUndefined(Date.parse(hasTime && !hasZone ? `${v.replace(' ', 'T')}Z` : v));
}

function isoOrUndefined(ms: number): string | undefined {
  if (!Number.isFinite(ms)) return undefined;
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/**
 * The common case of {@link toIsoDate} without Date: `YYYY-MM-DDTHH:MM:SS[.fraction]Z`, the form
 * Graph writes, with every field in range (so that Date would neither reject nor roll it over), is
 * already its own ISO form once the fraction is cut to milliseconds (Date truncates too). Anything
 * else is undefined here and goes the long way. Date.parse and toISOString cost about 2 µs a date,
 * and a 100,000-user tenant's sign-ins have millions.
 */
function canonicalUtc(v: string): string | undefined {
  // The report gives every row the same refresh time: its rows share one string, worked out once.
  if (v === last.from) return last.to;
  const to = canonicalUtcOf(v);
  if (to !== undefined) last = { from: v, to };
  return to;
}

let last: { from: string; to: string } = { from: '', to: '' };

function canonicalUtcOf(v: string): string | undefined {
  const n = v.length;
  if (n < 20 || v.charCodeAt(n - 1) !== 0x5a /* Z */) return undefined;
  if (v.charCodeAt(4) !== 0x2d || v.charCodeAt(7) !== 0x2d || v.charCodeAt(10) !== 0x54) return undefined; // - - T
  if (v.charCodeAt(13) !== 0x3a || v.charCodeAt(16) !== 0x3a) return undefined; // : :
  const year = digitsAt(v, 0, 4);
  const month = digitsAt(v, 5, 2);
  const day = digitsAt(v, 8, 2);
  const hour = digitsAt(v, 11, 2);
  const minute = digitsAt(v, 14, 2);
  const second = digitsAt(v, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return undefined;
  if (n === 20) return joined(v.slice(0, 19), '.000Z');
  if (v.charCodeAt(19) !== 0x2e /* . */ || n === 21 || digitsAt(v, 20, n - 21) < 0) return undefined;
  // Already the ISO form: the same string, not a copy.
  if (n === 24) return v;
  if (n > 24) return joined(v.slice(0, 23), 'Z');
  return joined(v.slice(0, n - 1), `${'00'.slice(0, 24 - n)}Z`);
}

/**
 * `a + b` as one flat string. V8 keeps a string made with `+` as a pair of its pieces (the first a
 * view of the whole input) until something reads its characters: three objects, the input kept alive,
 * for every date a snapshot holds (100,000 users' creation times). `join` copies into one.
 */
function joined(a: string, b: string): string {
  return [a, b].join('');
}

/** The number written with `count` decimal digits at `start`, or -1 if one is not a digit. */
function digitsAt(v: string, start: number, count: number): number {
  let n = 0;
  for (let i = start; i < start + count; i++) {
    const d = v.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return -1;
    // Only the value of short runs is used; a long fraction is only checked for digits.
    n = count <= 4 ? n * 10 + d : 0;
  }
  return n;
}
