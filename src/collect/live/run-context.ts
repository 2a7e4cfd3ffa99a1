import path from 'node:path';
import type { Clock, GraphSource } from '../graph/index.js';
import { CertificateUntrusted, CredentialRejected, GraphFailure } from '../graph/index.js';
import type { CheckpointWriter } from './checkpoint.js';
import type { CollectPart } from './collect-parts.js';
import { PART_SPECS } from './collect-parts.js';
import { NdjsonAppender } from './export-files.js';
import type { CollectProgressEvent, StatsProvider } from './progress.js';
import { PartProgress } from './progress.js';

/** A GraphSource that may also report its counters (LiveGraphSource does). */
export type CollectSource = GraphSource & StatsProvider;

/** Thrown in the other lanes when one lane hit a failure that ends the run. */
export class RunStopped extends Error {
  constructor() {
    super('the collection stopped because another part failed');
    this.name = 'RunStopped';
  }
}

/**
 * What the parts of one run share: the source, the folder, the checkpoint, the open NDJSON files
 * (the two sign-in queries append to one file), and the stop signal between lanes.
 */
export class RunContext {
  private readonly appenders = new Map<string, Promise<NdjsonAppender>>();
  private fatal: unknown;

  constructor(
    readonly source: CollectSource,
    readonly outDir: string,
    readonly checkpoint: CheckpointWriter,
    readonly clock: Clock,
    private readonly onProgress: ((event: CollectProgressEvent) => void) | undefined,
  ) {}

  path(name: string): string {
    return path.join(this.outDir, name);
  }

  /** Starts a part's progress reporting (emits its `start` event). */
  progress(part: CollectPart, resumedRows: number, total?: number): PartProgress {
    return new PartProgress(part, this.clock, (e) => this.onProgress?.(e), this.source, resumedRows, total);
  }

  /** The part's NDJSON file, opened once per run at its checkpointed length. */
  appender(part: CollectPart): Promise<NdjsonAppender> {
    const file = PART_SPECS[part].file;
    let open = this.appenders.get(file);
    if (open === undefined) {
      open = NdjsonAppender.open(this.path(file), this.checkpoint.state.files[file] ?? 0);
      this.appenders.set(file, open);
    }
    return open;
  }

  async closeFiles(): Promise<void> {
    const all = await Promise.allSettled(this.appenders.values());
    for (const a of all) if (a.status === 'fulfilled') await a.value.close();
    this.appenders.clear();
  }

  /**
   * Records a failure that ends the run (the credential was rejected, or something that is not a Graph
   * error at all, such as a full disk): the other lanes stop at their next page.
   */
  stop(err: unknown): void {
    this.fatal ??= err;
  }

  /** Throws in a lane once another lane has stopped the run. */
  checkStopped(): void {
    if (this.fatal !== undefined) throw new RunStopped();
  }

  get stoppedBy(): unknown {
    return this.fatal;
  }
}

/**
 * Errors that end the whole run rather than one part: a rejected credential or a refused server
 * certificate (nothing else will work either), and anything that is not a Graph failure (a full disk, a bug, a lane already stopped).
 */
export function endsRun(err: unknown): boolean {
  return (
    !(err instanceof GraphFailure) || err instanceof CredentialRejected || err instanceof CertificateUntrusted
  );
}
