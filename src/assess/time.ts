/** Time arithmetic on Graph timestamps, in epoch milliseconds so comparisons stay cheap on big tenants. */

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

/** Two decimal digits at `i`, or NaN. */
function digits2(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : NaN;
}

/**
 * `YYYY-MM-DDTHH:MM:SSZ`, the form the export reader writes every time in (whole seconds, UTC), read
 * without Date.parse: a large tenant's assessment reads a million of them. Undefined for any other form
 * (and for an impossible date), which Date.parse then reads.
 */
function canonicalUtcMs(s: string): number | undefined {
  if (s.length !== 20 || s[4] !== '-' || s[7] !== '-' || s[10] !== 'T' || s[13] !== ':' || s[16] !== ':')
    return undefined;
  if (s[19] !== 'Z') return undefined;
  const year = digits2(s, 0) * 100 + digits2(s, 2);
  const month = digits2(s, 5);
  const day = digits2(s, 8);
  const hour = digits2(s, 11);
  const minute = digits2(s, 14);
  const second = digits2(s, 17);
  if (Number.isNaN(year + month + day + hour + minute + second)) return undefined;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59)
    return undefined;
  // Date.parse refuses 31 February; Date.UTC would roll it over into March.
  if (day > daysInMonth(year, month)) return undefined;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** The ISO form of epoch milliseconds (UTC, as Graph writes it). */
export function toIso(ms: number): string {
  return new Date(ms).toISOString();
}
