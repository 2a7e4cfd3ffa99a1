import { BUCKETS, TRANSIENT_KINDS } from '../../domain/graph-run.js';
import type { Bucket, GraphStats, TransientKind } from '../../domain/graph-run.js';

export type { GraphStats } from '../../domain/graph-run.js';

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
