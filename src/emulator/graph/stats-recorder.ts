/** Counts what the emulator serves; `snapshot()` is what `RunningEmulator.stats()` returns. */
import type { Bucket } from '../../collect/graph/buckets.js';
import type { FaultKind } from '../faults/fault-plan.js';
import { copyStats, emptyStats } from '../stats.js';
import type { EmulatorStats } from '../stats.js';

export class StatsRecorder {
  private readonly s: EmulatorStats = emptyStats();

  httpRequest(): void {
    this.s.httpRequests++;
  }

  graphRequest(route: string, bucket: Bucket | undefined): void {
    this.s.graphRequests++;
    this.s.byRoute[route] = (this.s.byRoute[route] ?? 0) + 1;
    if (bucket !== undefined) this.s.byBucket[bucket]++;
  }

  throttled(bucket: Bucket): void {
    this.s.throttled++;
    this.s.throttledByBucket[bucket]++;
  }

  fault(kind: FaultKind): void {
    this.s.faults[kind]++;
  }

  batch(): void {
    this.s.batches++;
  }

  token(issued: boolean): void {
    if (issued) this.s.tokensIssued++;
    else this.s.tokenRequestsRejected++;
  }

  unauthorized(): void {
    this.s.unauthorized++;
  }

  snapshot(): EmulatorStats {
    return copyStats(this.s);
  }
}
