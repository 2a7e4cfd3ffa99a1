import type { DirectoryUser, EvidenceWindows, RegistrationDetail } from './tenant.js';
import type { Verdict } from './verdict.js';

/**
 * How far before the stored collection a refresh starts reading audits and sign-ins. An event reaches
 * the logs some minutes after it happens (https://learn.microsoft.com/entra/identity/monitoring-health/reference-log-latency:
 * Microsoft's former reporting-latency table gave 2 minutes at the 95th percentile and 5 at the 99th
 * for both audit logs and sign-ins, and the page warns that a delay upstream delays the logs further):
 * an event of the minutes before the stored collection may not have been there yet when it read the
 * logs. Two hours is far beyond that, for the cost of reading the last two hours' filtered events
 * again; they are de-duplicated by id when the history stores them, which hands the collector the ids
 * it already has from there on (CollectBaseline.overlapEventIds).
 */
export const REFRESH_OVERLAP_MS = 2 * 3_600_000;

/**
 * What the history database knows from its latest complete run, handed to `collect` so that a refresh
 * asks Graph only for what is new. Built by store/ (readBaseline), read by collect/ and plan/.
 */
export interface CollectBaseline {
  /** The stored run this baseline is. */
  runId: number;
  /** When that run's collection was taken (tenant.json `collectedAt`). */
  collectedAt: string;
  /** How far back that run's evidence windows reached (tenant.json `windows`), when recorded. */
  windows?: EvidenceWindows;
  /** The newest stored directory audit / sign-in (any run), ISO 8601 UTC; absent when none is stored. */
  newestAudit?: string;
  newestSignIn?: string;
  /**
   * Ids of the stored directory audits and sign-ins from `collectedAt` less the refresh's overlap
   * (REFRESH_OVERLAP_MS) on: a refresh reads that overlap again, and
   * what it finds there with a known id is not news about the user. Absent: every event read counts.
   */
  overlapEventIds?: ReadonlySet<string>;
  /**
   * The `@odata.deltaLink` of that run's users read, when it was a delta query
   * (https://learn.microsoft.com/graph/api/user-delta): the next refresh asks only for what changed.
   */
  usersDeltaLink?: string;
  /**
   * When the registration report was last read in full (tenant.json `registrationReadAt` of the run
   * that read it, carried by the runs that read it per user); absent: read it in full.
   */
  registrationReadAt?: string;
  /**
   * policyFingerprint() of that run's authentication methods policy and security defaults: a refresh
   * that finds either changed reads the report in full. Absent: unknown, read in full.
   */
  methodsPolicy?: string;
  securityDefaults?: string;
  /** Every user of that run, by id as Graph spells it. */
  users: ReadonlyMap<string, BaselineUser>;
}

export interface BaselineUser {
  /** The directory entry then; null: known only from the report. */
  user: DirectoryUser | null;
  /** The user's report row then; null: no row. Compare with registrationKey(). */
  registration: RegistrationDetail | null;
  /** The verdict the run's assessment gave; null when the run stored no assessment for the user. */
  verdict: Verdict | null;
  /** When the stored methods list was read (ISO 8601 UTC); null: never read. */
  methodsReadAt: string | null;
}

/**
 * A report row as a comparable string, without `lastUpdatedDateTime` (when the report, not the user,
 * was refreshed: https://learn.microsoft.com/graph/api/resources/userregistrationdetails), so that a
 * refresh of an unchanged row does not look like a change. Keys sorted: field order is not a change.
 */
export function registrationKey(row: RegistrationDetail): string {
  const { lastUpdatedDateTime: _refreshed, ...rest } = row;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(rest).sort()) {
    const value = (rest as Record<string, unknown>)[key];
    if (value !== undefined) sorted[key] = Array.isArray(value) ? [...value].sort() : value;
  }
  return JSON.stringify(sorted);
}

/**
 * A policy document (methodsPolicy.json, securityDefaults.json, as Graph returned it) as a comparable
 * string: keys sorted, OData annotations (`@odata.context`, which names the host) left out.
 */
export function policyFingerprint(document: unknown): string {
  const sorted = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(sorted);
    if (value === null || typeof value !== 'object') return value;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      if (key.startsWith('@odata.')) continue;
      out[key] = sorted((value as Record<string, unknown>)[key]);
    }
    return out;
  };
  return JSON.stringify(sorted(document));
}
