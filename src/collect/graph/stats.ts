import { BUCKETS } from './buckets.js';
import type { Bucket } from './buckets.js';
import { TRANSIENT_KINDS } from './retry-policy.js';
import type { TransientKind } from './retry-policy.js';

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

export function emptyStats(): GraphStats {
  return {
    requestsByBucket: perBucket(),
    httpRoundTrips: 0,
    batches: 0,
    throttled: 0,
    throttledByBucket: perBucket(),
    throttleWaitMs: 0,
    backoffWaitMs: 0,
    retries: 0,
    retriesByReason: Object.fromEntries(TRANSIENT_KINDS.map((k) => [k, 0])) as Record<TransientKind, number>,
  };
}

export function copyStats(s: GraphStats): GraphStats {
  return {
    ...s,
    requestsByBucket: { ...s.requestsByBucket },
    throttledByBucket: { ...s.throttledByBucket },
    retriesByReason: { ...s.retriesByReason },
  };
}

/** Sum of requests over all buckets. */
export function totalRequests(s: GraphStats): number {
  return BUCKETS.reduce((n, b) => n + s.requestsByBucket[b], 0);
}

function perBucket(): Record<Bucket, number> {
  return Object.fromEntries(BUCKETS.map((b) => [b, 0])) as Record<Bucket, number>;
}
