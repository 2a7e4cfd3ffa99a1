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
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}

/** The ISO form of epoch milliseconds (UTC, as Graph writes it). */
export function toIso(ms: number): string {
  return new Date(ms).toISOString();
}
