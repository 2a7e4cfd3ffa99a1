/** What the emulator served, for tests, the demo and the benchmark (`RunningEmulator.stats()`). */
import type { Bucket } from '../collect/graph/buckets.js';
import { BUCKETS } from '../collect/graph/buckets.js';
import type { FaultKind } from './faults/fault-plan.js';
import { FAULT_KINDS } from './faults/fault-plan.js';

export interface EmulatorStats {
  /** HTTP requests to Graph (a `$batch` POST is one), token endpoint excluded. */
  httpRequests: number;
  /** Graph requests as Graph meters them: each inner `$batch` request counts, the POST itself does not. */
  graphRequests: number;
  /** `$batch` POSTs answered 200. */
  batches: number;
  /** Graph requests by route, e.g. `GET /beta/auditLogs/signIns`. */
  byRoute: Record<string, number>;
  /** Graph requests by throttling bucket (inner batch requests in their own bucket). */
  byBucket: Record<Bucket, number>;
  /** 429s sent, inner ones included. */
  throttled: number;
  throttledByBucket: Record<Bucket, number>;
  /** Injected faults by kind (inner batch faults included). */
  faults: Record<FaultKind, number>;
  /** Token endpoint: tokens issued and requests refused. */
  tokensIssued: number;
  tokenRequestsRejected: number;
  /** Requests refused with 401 for a missing or invalid access token. */
  unauthorized: number;
}

const zeroBuckets = (): Record<Bucket, number> =>
  Object.fromEntries(BUCKETS.map((b) => [b, 0])) as Record<Bucket, number>;

export function emptyStats(): EmulatorStats {
  return {
    httpRequests: 0,
    graphRequests: 0,
    batches: 0,
    byRoute: {},
    byBucket: zeroBuckets(),
    throttled: 0,
    throttledByBucket: zeroBuckets(),
    faults: Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>,
    tokensIssued: 0,
    tokenRequestsRejected: 0,
    unauthorized: 0,
  };
}

export function copyStats(s: EmulatorStats): EmulatorStats {
  return {
    ...s,
    byRoute: { ...s.byRoute },
    byBucket: { ...s.byBucket },
    throttledByBucket: { ...s.throttledByBucket },
    faults: { ...s.faults },
  };
}
