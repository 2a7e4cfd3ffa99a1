import type { Clock, GraphStats } from '../graph/index.js';
import type { CollectPart } from './collect-parts.js';
import type { PartStatus } from '../../domain/collect-result.js';

/** Throttling so far, for the progress display . Whole run, all buckets. */
export interface ThrottleSnapshot {
  /** 429s received. */
  throttled: number;
  /** Time spent waiting for the limiter and Retry-After, on the injected clock. */
  throttleWaitMs: number;
}

export type CollectProgressEvent =
  | { type: 'start'; part: CollectPart; total?: number; resumedRows?: number }
  | {
      type: 'progress';
      part: CollectPart;
      pages: number;
      rows: number;
      /** Known for users (from `$count`) and methods (the users chosen). */
      total?: number;
      /** Remaining time at the pace so far, on the injected clock; only when `total` is known. */
      etaMs?: number;
      throttle?: ThrottleSnapshot;
    }
  | { type: 'done'; part: CollectPart; pages: number; rows: number; status: PartStatus };

/** A source that can say what it did (LiveGraphSource); the fakes in tests may too. */
export interface StatsProvider {
  stats?: () => GraphStats;
}

/** Tracks one part's pace and emits its progress events. */
export class PartProgress {
  private readonly startedAt: number;
  private readonly startRows: number;

  constructor(
    readonly part: CollectPart,
    private readonly clock: Clock,
    private readonly emit: (event: CollectProgressEvent) => void,
    private readonly source: StatsProvider,
    resumedRows: number,
    readonly total: number | undefined,
  ) {
    this.startedAt = clock.now();
    this.startRows = resumedRows;
    const start: CollectProgressEvent = { type: 'start', part };
    if (total !== undefined) start.total = total;
    if (resumedRows > 0) start.resumedRows = resumedRows;
    emit(start);
  }

  update(pages: number, rows: number): void {
    const event: CollectProgressEvent = { type: 'progress', part: this.part, pages, rows };
    if (this.total !== undefined) {
      event.total = this.total;
      const eta = etaMs(this.clock.now() - this.startedAt, rows - this.startRows, this.total - rows);
      if (eta !== undefined) event.etaMs = eta;
    }
    const stats = this.source.stats?.();
    if (stats !== undefined)
      event.throttle = { throttled: stats.throttled, throttleWaitMs: stats.throttleWaitMs };
    this.emit(event);
  }

  done(pages: number, rows: number, status: PartStatus): void {
    this.emit({ type: 'done', part: this.part, pages, rows, status });
  }
}

/** Time left at the pace so far: undefined before any row of this run, 0 when nothing is left. */
export function etaMs(elapsedMs: number, doneRows: number, remainingRows: number): number | undefined {
  if (remainingRows <= 0) return 0;
  if (doneRows <= 0 || elapsedMs < 0) return undefined;
  return Math.round((elapsedMs / doneRows) * remainingRows);
}
