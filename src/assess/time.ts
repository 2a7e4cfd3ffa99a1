/** Time arithmetic on Graph timestamps, in epoch milliseconds so comparisons stay cheap on big tenants. */

import { daysInMonth } from '../domain/calendar.js';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/**
 * Sign-in and audit logs are kept 30 days on P1/P2 (ED reference-reports-data-retention.md). An MFA
 * sign-in older than that (kept by our own database) still shows a completed registration, but it no
 * longer proves the user can do MFA today.
 */
export const SIGN_IN_RETENTION_DAYS = 30;

/** Epoch milliseconds of an ISO 8601 timestamp; undefined when absent or unparseable. */
export function toMs(iso: string | null | undefined): number | undefined {
  if (iso === undefined || iso === null || iso === '') return undefined;
  const fast = canonicalUtcMs(iso);
  if (fast !== undefined) return fast;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}

/*
 * The fast path below runs over a million times per assessment of a large tenant, so it checks with
 * few branches: `d | (9 - d)` is negative exactly when d is outside 0–9, `x >> 31` is then -1 (else
 * 0), and or-ing -1 into a number gives -1. The results are checked together, once.
 */

/** Two decimal digits at `i` as a number, or -1 when either character is not a digit. */
function digits2(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return (a * 10 + b) | ((a | (9 - a) | b | (9 - b)) >> 31);
}

/** Three decimal digits at `i` as a number, or -1 when any character is not a digit. */
function digits3(s: string, i: number): number {
  const ab = digits2(s, i);
  const c = s.charCodeAt(i + 2) - 48;
  return (ab * 10 + c) | ((ab | c | (9 - c)) >> 31);
}

const DASH = 45;
const COLON = 58;
const DOT = 46;
const T = 84;
const Z = 90;

/** Whether `s` has the punctuation of `YYYY-MM-DDTHH:MM:SSZ` or `YYYY-MM-DDTHH:MM:SS.sssZ`. */
function hasCanonicalShape(s: string): boolean {
  const length = s.length;
  if (length !== 20 && length !== 24) return false;
  const mismatch =
    (s.charCodeAt(4) ^ DASH) |
    (s.charCodeAt(7) ^ DASH) |
    (s.charCodeAt(10) ^ T) |
    (s.charCodeAt(13) ^ COLON) |
    (s.charCodeAt(16) ^ COLON) |
    (s.charCodeAt(length - 1) ^ Z);
  return mismatch === 0 && (length === 20 || s.charCodeAt(19) === DOT);
}

/**
 * `YYYY-MM-DDTHH:MM:SS.sssZ` (the form the export reader writes every time in, as toISOString does)
 * and `YYYY-MM-DDTHH:MM:SSZ` (Graph's whole seconds), read without Date.parse: a large tenant's
 * assessment reads over a million of them. Undefined for any other form, and for an impossible date or
 * a year below 100 (which Date.UTC would move to the 1900s): Date.parse then reads it.
 */
function canonicalUtcMs(s: string): number | undefined {
  if (!hasCanonicalShape(s)) return undefined;
  const century = digits2(s, 0);
  const yy = digits2(s, 2);
  const month = digits2(s, 5);
  const day = digits2(s, 8);
  const hour = digits2(s, 11);
  const minute = digits2(s, 14);
  const second = digits2(s, 17);
  const millis = s.length === 24 ? digits3(s, 20) : 0;
  if ((century | yy | month | day | hour | minute | second | millis) < 0) return undefined;
  if (century < 1 || month < 1 || month > 12 || day < 1) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const year = century * 100 + yy;
  // Date.parse refuses 31 February; Date.UTC would roll it over into March.
  if (day > daysInMonth(year, month)) return undefined;
  return (
    daysFromCivil(year, month, day) * DAY_MS + hour * HOUR_MS + minute * MINUTE_MS + second * 1000 + millis
  );
}

/**
 * Days from 1970-01-01 to a proleptic Gregorian date from year 1 on (H. Hinnant's days_from_civil):
 * what Date.UTC works out, in integer arithmetic (`| 0` truncates: every quotient is positive), which
 * is cheaper than the call.
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = (y / 400) | 0;
  const yearOfEra = y - era * 400;
  const dayOfYear = (((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) | 0) + day - 1;
  const dayOfEra = yearOfEra * 365 + ((yearOfEra / 4) | 0) - ((yearOfEra / 100) | 0) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** The ISO form of epoch milliseconds (UTC, as Graph writes it). */
export function toIso(ms: number): string {
  return new Date(ms).toISOString();
}
