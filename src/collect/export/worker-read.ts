import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { isEvidenceAudit, isEvidenceSignIn, isMethodsSignal } from '../../assess/evidence-filter.js';

/**
 * Reads a big event file (sign-ins, audits) in a worker thread while the main thread reads the rest
 * of the export. Parsing is CPU-bound and JSON.parse cannot go faster, so a second core is the only
 * way to read a 100,000-user tenant's 1.5 GB of sign-ins in less time.
 *
 * The worker normalises and filters as the main thread would, and sends back only the kept items,
 * as JSON. That needs the filter to be one the worker can import: the evidence filters of the
 * assess step are recognised; any other function means no worker (the main thread reads the file).
 *
 * It changes nothing but speed: the items, their order and the row count are those of readList. On
 * any failure the worker reports `failed` and the caller reads the file itself, so errors are found
 * and worded by the usual path.
 */

export type WorkerDataset = 'signIns' | 'audits';
export type WorkerFilter = 'isEvidenceSignIn' | 'isMethodsSignal' | 'isEvidenceAudit' | undefined;

export interface WorkerReadData {
  file: string;
  dataset: WorkerDataset;
  filter: WorkerFilter;
  /** Sign-ins: slim each kept one (slimSignIn) before handing it over. */
  slim?: boolean;
}

export type WorkerReadMessage =
  { kind: 'batch'; json: string; rows: number } | { kind: 'done'; rows: number } | { kind: 'failed' };

/** Files smaller than this are not worth a worker (starting one costs some 100 ms). */
export const WORKER_MIN_BYTES = 64 << 20;

/** The name the worker knows `keep` by, 'none' for no filter, or undefined for one it cannot run. */
export function workerFilterOf(keep: ((item: never) => boolean) | undefined): WorkerFilter | 'none' | null {
  if (keep === undefined) return 'none';
  if (keep === (isEvidenceSignIn as unknown)) return 'isEvidenceSignIn';
  if (keep === (isMethodsSignal as unknown)) return 'isMethodsSignal';
  if (keep === (isEvidenceAudit as unknown)) return 'isEvidenceAudit';
  return null;
}

export class WorkerRead<T> {
  /** Settles with the kept items and the row count, or undefined if the worker failed. */
  readonly result: Promise<{ items: T[]; rows: number } | undefined>;
  private readonly worker: Worker;

  /**
   * Starts a worker for `file` if it is big enough, the machine has a core to spare and the filter
   * is one a worker can run; undefined otherwise.
   *
   * @param onItem called (on the main thread) with each kept item as it arrives.
   * @param slim sign-ins: hand each kept one over slimmed (slimSignIn).
   */
  static start<T>(
    file: string,
    dataset: WorkerDataset,
    keep: ((item: T) => boolean) | undefined,
    onItem: (item: T) => void,
    minBytes = WORKER_MIN_BYTES,
    slim = false,
  ): WorkerRead<T> | undefined {
    const filter = workerFilterOf(keep as ((item: never) => boolean) | undefined);
    if (filter === null || availableParallelism() < 2) return undefined;
    const size = statSync(file, { throwIfNoEntry: false })?.size;
    if (size === undefined || size < minBytes) return undefined;
    const data: WorkerReadData = { file, dataset, filter: filter === 'none' ? undefined : filter };
    if (slim && dataset === 'signIns') data.slim = true;
    return new WorkerRead<T>(data, onItem);
  }

  private constructor(data: WorkerReadData, onItem: (item: T) => void) {
    this.worker = import.meta.url.endsWith('.ts')
      ? workerFromSource(data)
      : new Worker(new URL('./read-worker.js', import.meta.url), { workerData: data });
    const items: T[] = [];
    this.result = new Promise((resolve) => {
      let settled = false;
      const finish = (value: { items: T[]; rows: number } | undefined) => {
        if (settled) return;
        settled = true;
        resolve(value);
        this.stop();
      };
      this.worker.on('message', (m: WorkerReadMessage) => {
        if (m.kind === 'batch') {
          for (const item of JSON.parse(m.json) as T[]) {
            onItem(item);
            items.push(item);
          }
        } else {
          finish(m.kind === 'done' ? { items, rows: m.rows } : undefined);
        }
      });
      this.worker.on('error', () => finish(undefined));
      this.worker.on('exit', () => finish(undefined));
    });
  }

  /** Ends the worker (when the read is over, or abandoned because another dataset failed). */
  stop(): void {
    void this.worker.terminate();
  }
}

/**
 * Run from the TypeScript sources (the tests), the worker is TypeScript too: it is started through
 * a small ES module that registers tsx's loader first (`execArgv: ['--import', 'tsx']` does not
 * reach a worker's own entry point on Node 20).
 */
function workerFromSource(data: WorkerReadData): Worker {
  const require = createRequire(import.meta.url);
  const tsxRoot = path.dirname(require.resolve('tsx/package.json'));
  const api = pathToFileURL(path.join(tsxRoot, 'dist/esm/api/index.mjs')).href;
  const entry = new URL('./read-worker.ts', import.meta.url).href;
  const code = `import { register } from ${JSON.stringify(api)}; register(); await import(${JSON.stringify(entry)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(code)}`), { workerData: data });
}
