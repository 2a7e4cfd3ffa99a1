/**
 * What talking to Microsoft Graph did, as data: the names the collector's results and counters use,
 * shared by the collector that fills them in and the report that words them.
 */

/**
 * The throttling buckets of https://learn.microsoft.com/graph/throttling-limits that the collector's endpoints fall into. Each one has
 * its own client-side limit (src/collect/graph/limiter.ts), so that Graph's 429s are the exception.
 */
export const BUCKETS = ['reports', 'signInActivity', 'directory', 'conditionalAccess'] as const;
export type Bucket = (typeof BUCKETS)[number];

/** The national clouds of https://learn.microsoft.com/graph/deployments. GCC (moderate) uses the global endpoints. */
export const CLOUD_NAMES = ['global', 'usgov', 'usgovdod', 'china'] as const;
export type CloudName = (typeof CLOUD_NAMES)[number];

/**
 * Faults worth another try: 429 (https://learn.microsoft.com/graph/throttling), 503 and 504, network
 * errors, and a body that could not be read or parsed. The client library's RetryHandler covers
 * neither network errors nor the inner requests of a `$batch`, so the Graph module retries itself.
 */
export type TransientKind = 'throttled' | 'unavailable' | 'network' | 'truncated';
export const TRANSIENT_KINDS: readonly TransientKind[] = ['throttled', 'unavailable', 'network', 'truncated'];

export type GraphVersion = 'v1.0' | 'beta';

/** What a 403 on an endpoint asks the admin to grant (application permission; delegated needs a role too). */
export interface RequiredAccess {
  /** Graph permissions, all needed: `['AuditLog.Read.All', 'Directory.Read.All']`. */
  permissions: string[];
  /** Entra roles that a signed-in (delegated) user also needs, when the docs name them. */
  delegatedRoles: string[];
}

/** What the Graph module did, for the progress display and the benchmark. */
export interface GraphStats {
  /** Requests Graph meters, by bucket: every inner request of a `$batch` counts, retries included. */
  requestsByBucket: Record<Bucket, number>;
  /** HTTP exchanges with Graph (a `$batch` of 20 is one). */
  httpRoundTrips: number;
  /** `$batch` POSTs sent. */
  batches: number;
  /** 429s received, outer and inner. */
  throttled: number;
  throttledByBucket: Record<Bucket, number>;
  /** Time (on the injected clock) requests waited for the limiter, Retry-After pauses included. */
  throttleWaitMs: number;
  /** Time waited before retrying a 503/504/network/truncated failure. */
  backoffWaitMs: number;
  /** Requests sent again (each inner request of a batch counts). */
  retries: number;
  retriesByReason: Record<TransientKind, number>;
}
