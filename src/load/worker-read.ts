import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { FILTER_NAMES } from './evidence-rules.js';
import type { EvidenceRules, FilterName } from './evidence-rules.js';
import { isUtf8File, lineStartAtOrAfter } from './fast-entities.js';
import type { ByteRange } from './fast-entities.js';
import { SNIFF_BYTES } from './text-encoding.js';
import { SlimSignInDecoder } from './slim-sign-in-codec.js';
import type { EncodedSignIns } from './slim-sign-in-codec.js';
import { joinSpans } from './time-span.js';
import type { TimeSpan } from './time-span.js';
import { ValueDecoder } from './value-codec.js';
import type { EncodedBatch } from './value-codec.js';
import type { SkippedRecords } from '../domain/datasets.js';
import { mergeSkipped } from './skipped-records.js';

/**
 * Reads a big event file (sign-ins, audits) in worker threads while the main thread reads the rest
 * of the export. Parsing is CPU-bound and JSON.parse cannot go faster, so more cores are the only
 * way to read a 100,000-user tenant's sign-ins in less time. A big UTF-8 file is cut at line starts
 * into parts read side by side (one value per line, as NDJSON; any other layout fails the read).
 *
 * The worker normalises and filters as the main thread would, and sends back only the kept items,
 * encoded with their strings pooled (value-codec.ts; slim sign-ins as columns, slim-sign-in-codec.ts).
 * That needs the filter to be one the worker can import: the evidence rules' filters (EvidenceRules,
 * imported by the worker from their module) are recognised; any other function means no worker (the
 * main thread reads the file).
 *
 * It changes nothing but speed: the items, their order and the row count are those of readList. On
 * any failure the worker reports `failed` and the caller reads the file itself, so errors are found
 * and worded by the usual path.
 */

export type WorkerDataset = 'signIns' | 'audits';
export type WorkerFilter = FilterName | undefined;

export interface WorkerReadData {
  file: string;
  dataset: WorkerDataset;
  filter: WorkerFilter;
  /** The module of the evidence rules (EvidenceRules.moduleUrl), when a filter or `slim` needs them. */
  rulesUrl?: string;
  /** Slim each event (EvidenceRules.slimmer) before filtering and handing it over. */
  slim?: boolean;
  /** The part of the file this worker reads, when several read it side by side. */
  range?: ByteRange;
  /** `--skip-bad-records`: leave out (and count) entities the normaliser refuses, as readList does. */
  skipBad?: boolean;
}

export type WorkerReadMessage =
  | { kind: 'batch'; batch: EncodedBatch; rows: number }
  | { kind: 'signIns'; batch: EncodedSignIns; rows: number }
  /**
   * `entities`: every entity of the part, skipped ones included (to make the next part's entity
   * indexes file-wide); `skipped`: with lines already file-wide, entity indexes part-wide.
   */
  | { kind: 'done'; rows: number; entities: number; skipped?: SkippedRecords; span: TimeSpan }
  | { kind: 'failed' };

/** Files smaller than this are not worth a worker (starting one costs some 100 ms). */
export const WORKER_MIN_BYTES = 64 << 20;
/**
 * A file is cut into parts of about this size, one worker each, up to half the cores (the sign-ins
 * and the audits are read at once, beside the main thread): on 8 cores a 100,000-user tenant's
 * sign-ins (some 400 MB) take three workers. On 2 cores each file has one: a second per file made
 * 4 workers and the main thread share 2 cores, for 15 % more CPU time and no less wall time
 * (npm run bench:assess-export, 5 runs each).
 */
const PART_BYTES = 160 << 20;

/** Parts per file unless the caller says: half the cores, since two big files are read at once. */
export function defaultPartsPerFile(cores: number): number {
  return Math.max(1, Math.floor(cores / 2));
}

/** The name the worker knows `keep` by (one of the rules' filters), 'none' for no filter, or null for one it cannot run. */
export function workerFilterOf(
  keep: ((item: never) => boolean) | undefined,
  rules: EvidenceRules | undefined,
): WorkerFilter | 'none' | null {
  if (keep === undefined) return 'none';
  if (rules === undefined) return null;
  return FILTER_NAMES.find((name) => rules[name] === (keep as unknown)) ?? null;
}

export interface WorkerReadOptions {
  /** Files smaller than this are read on the main thread (WORKER_MIN_BYTES unless given). */
  minBytes?: number | undefined;
  /** Hand each kept event over slimmed (by `rules`, which must then be given). */
  slim?: boolean | undefined;
  /** The evidence rules: the filters a worker can run, and how it slims. */
  rules?: EvidenceRules | undefined;
  /** Bytes per part (PART_BYTES unless given); tests lower it to cut small files. */
  partBytes?: number | undefined;
  /** Parts (workers) per file at most; defaultPartsPerFile unless given. */
  maxParts?: number | undefined;
  /** `--skip-bad-records` (see WorkerReadData.skipBad). */
  skipBad?: boolean | undefined;
}

export class WorkerRead<T> {
  /** Settles with the kept items, the row count, the skipped records and the span of all rows' times, or undefined if a worker failed. */
  readonly result: Promise<
    { items: T[]; rows: number; skipped?: SkippedRecords; span: TimeSpan } | undefined
  >;
  private readonly parts: WorkerPart[];

  /**
   * Starts workers for `file` if it is big enough, the machine has a core to spare and the filter
   * is one a worker can run; undefined otherwise.
   */
  static start<T>(
    file: string,
    dataset: WorkerDataset,
    keep: ((item: T) => boolean) | undefined,
    options: WorkerReadOptions = {},
  ): WorkerRead<T> | undefined {
    const filter = workerFilterOf(keep as ((item: never) => boolean) | undefined, options.rules);
    const cores = availableParallelism();
    if (filter === null || cores < 2) return undefined;
    if (options.slim === true && options.rules === undefined) return undefined;
    const size = statSync(file, { throwIfNoEntry: false })?.size;
    if (size === undefined || size < (options.minBytes ?? WORKER_MIN_BYTES)) return undefined;
    const data: WorkerReadData = { file, dataset, filter: filter === 'none' ? undefined : filter };
    if (options.rules !== undefined) data.rulesUrl = options.rules.moduleUrl;
    if (options.slim === true) data.slim = true;
    if (options.skipBad === true) data.skipBad = true;
    const maxParts = Math.max(1, Math.min(cores, options.maxParts ?? defaultPartsPerFile(cores)));
    const ranges = partsOf(
      file,
      size,
      Math.min(maxParts, Math.ceil(size / (options.partBytes ?? PART_BYTES))),
    );
    return new WorkerRead<T>(
      file,
      ranges.map((range) => (range === undefined ? data : { ...data, range })),
    );
  }

  private constructor(file: string, parts: WorkerReadData[]) {
    this.parts = parts.map((data) => new WorkerPart(data));
    this.result = Promise.all(this.parts.map((p) => p.result)).then((results) => {
      this.stop();
      if (results.some((r) => r === undefined)) return undefined;
      const done = results as PartResult[];
      const items = done.length === 1 ? (done[0]?.items ?? []) : done.flatMap((r) => r.items);
      const rows = done.reduce((sum, r) => sum + r.rows, 0);
      const skipped = mergeSkipped(file, done);
      const span = done.reduce<TimeSpan>((joined, r) => joinSpans(joined, r.span), {});
      return { items: items as T[], rows, span, ...(skipped !== undefined ? { skipped } : {}) };
    });
    // One failed part dooms the read: the others need not finish.
    for (const p of this.parts) void p.result.then((r) => (r === undefined ? this.stop() : undefined));
  }

  /** Ends the workers (when the read is over, or abandoned because another dataset failed). */
  stop(): void {
    for (const p of this.parts) p.stop();
  }
}

/**
 * The byte ranges `count` workers read, cut at line starts; one undefined range (the whole file)
 * when there is one part, or when the file is not UTF-8 (only UTF-8 lines can be found by byte).
 */
function partsOf(file: string, size: number, count: number): (ByteRange | undefined)[] {
  if (count <= 1 || !isUtf8File(readHead(file))) return [undefined];
  const cuts = [0];
  for (let i = 1; i < count; i++) cuts.push(lineStartAtOrAfter(file, Math.floor((size * i) / count)));
  cuts.push(size);
  const ranges: ByteRange[] = [];
  for (let i = 0; i < count; i++) {
    const start = cuts[i] as number;
    const end = cuts[i + 1] as number;
    if (end > start) ranges.push({ start, end });
  }
  return ranges;
}

function readHead(file: string): Buffer {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(SNIFF_BYTES);
    return head.subarray(0, readSync(fd, head, 0, SNIFF_BYTES, 0));
  } finally {
    closeSync(fd);
  }
}

interface PartResult {
  items: unknown[];
  rows: number;
  entities: number;
  skipped?: SkippedRecords | undefined;
  span: TimeSpan;
}

/** One worker thread and the items it hands over, decoded as they arrive. */
class WorkerPart {
  readonly result: Promise<PartResult | undefined>;
  private readonly worker: Worker;

  constructor(data: WorkerReadData) {
    this.worker = import.meta.url.endsWith('.ts')
      ? workerFromSource(data)
      : new Worker(new URL('./read-worker.js', import.meta.url), { workerData: data });
    const decoder = new ValueDecoder();
    const signIns = new SlimSignInDecoder();
    const items: unknown[] = [];
    this.result = new Promise((resolve) => {
      let settled = false;
      const finish = (value: PartResult | undefined) => {
        if (settled) return;
        settled = true;
        resolve(value);
        this.stop();
      };
      this.worker.on('message', (m: WorkerReadMessage) => {
        if (m.kind === 'batch' || m.kind === 'signIns') {
          try {
            const decoded = m.kind === 'batch' ? decoder.decode(m.batch) : signIns.decode(m.batch);
            for (let i = 0; i < decoded.length; i++) items.push(decoded[i]);
          } catch {
            finish(undefined);
          }
        } else {
          finish(
            m.kind === 'done'
              ? { items, rows: m.rows, entities: m.entities, skipped: m.skipped, span: m.span }
              : undefined,
          );
        }
      });
      this.worker.on('error', () => finish(undefined));
      this.worker.on('exit', () => finish(undefined));
    });
  }

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
