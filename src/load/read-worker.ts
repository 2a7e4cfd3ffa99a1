import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { AuditEvent, SignIn } from '../domain/tenant.js';
import { RULES_EXPORT } from './evidence-rules.js';
import type { EvidenceRules } from './evidence-rules.js';
import { fastEntityBatches } from './fast-entities.js';
import { fastAudit, fastSignIn } from './fast-normalisers.js';
import type { EntityAt } from './parse-entity.js';
import { SlimSignInEncoder } from './slim-sign-in-codec.js';
import { eventTime, widenSpan } from './time-span.js';
import type { TimeSpan } from './time-span.js';
import { ValueEncoder } from './value-codec.js';
import type { WorkerReadData, WorkerReadMessage } from './worker-read.js';
import { SkipLog } from './skipped-records.js';

/**
 * Worker thread of WorkerRead: reads, normalises and filters one event file (or one part of it),
 * and posts the kept items back encoded (postKept), a batch per read chunk. On any error it
 * posts `failed` and stops: the main thread then reads the file itself, which words the error
 * exactly as it always has.
 */

const { file, dataset, filter, rulesUrl, slim, range, skipBad } = workerData as WorkerReadData;
const port = parentPort;
if (port === null) throw new Error('read-worker.js runs as a worker thread');
const post = (message: WorkerReadMessage, transfer?: ArrayBuffer[]) => port.postMessage(message, transfer);

type Normalise = (raw: unknown, at: EntityAt) => SignIn | AuditEvent | undefined;

/**
 * The hand-written normaliser, or (once it meets an entity it cannot read) the schemas' one. The
 * schemas are imported only then: zod is the biggest module a worker would load, and an export of
 * plain Graph JSON never needs it.
 */
let normaliseEntity: Normalise = dataset === 'audits' ? fastAudit : fastSignIn;
async function normaliserForAll(): Promise<Normalise> {
  const schemas = await import('./schemas.js');
  return dataset === 'audits' ? schemas.normaliseAudit : schemas.normaliseSignIn;
}

// The evidence rules readExportFolder was given: the same object, imported from the module that made it.
const rules =
  rulesUrl === undefined
    ? undefined
    : ((await import(rulesUrl)) as Record<string, EvidenceRules | undefined>)[RULES_EXPORT];
if (rules === undefined && (filter !== undefined || slim === true))
  throw new Error(`no evidence rules from ${rulesUrl ?? 'nowhere'}`);
// Events are slimmed as they are normalised (as readExportFolder does): the filter then reads the facts.
const slimmer = slim === true ? rules?.slimmer() : undefined;
const finish = (item: SignIn | AuditEvent): SignIn | AuditEvent =>
  slimmer === undefined
    ? item
    : dataset === 'signIns'
      ? slimmer.signIn(item as SignIn)
      : slimmer.audit(item as AuditEvent);
// The filter readExportFolder was given, found by the name it crossed under (FILTER_NAMES).
const keep =
  filter === undefined || rules === undefined
    ? undefined
    : (rules[filter] as (item: SignIn | AuditEvent) => boolean);
/**
 * Posts a read chunk's kept items. Slim sign-ins, the bulk of what a large tenant hands over, go as
 * columns (slim-sign-in-codec.ts); anything else in the generic encoding (value-codec.ts), where every
 * event's id and time is its own, and so are most audit property values: pooling them would only
 * grow the encoder's table.
 */
function batchPoster(): (items: unknown[], rows: number) => void {
  if (dataset === 'signIns' && slim === true) {
    const columns = new SlimSignInEncoder();
    return (items, rows) => {
      const batch = columns.encode(items as SignIn[]);
      post({ kind: 'signIns', batch, rows }, [
        batch.rows.buffer as ArrayBuffer,
        batch.errorCodes.buffer as ArrayBuffer,
      ]);
    };
  }
  const encoder = new ValueEncoder({
    unpooled: new Set(['id', 'createdDateTime', 'activityDateTime', 'correlationId', 'oldValue', 'newValue']),
  });
  return (items, rows) => {
    const batch = encoder.encode(items);
    post({ kind: 'batch', batch, rows }, [
      batch.tags.buffer as ArrayBuffer,
      batch.nums.buffer as ArrayBuffer,
    ]);
  };
}
const postKept = batchPoster();

/** Newlines before byte `end` of the file: a part's lines count from its own start. */
function linesBefore(end: number): number {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(1 << 20);
    let lines = 0;
    for (let position = 0; position < end;) {
      const n = readSync(fd, buffer, 0, Math.min(buffer.length, end - position), position);
      if (n === 0) break;
      for (let i = buffer.indexOf(0x0a); i !== -1 && i < n; i = buffer.indexOf(0x0a, i + 1)) lines++;
      position += n;
    }
    return lines;
  } finally {
    closeSync(fd);
  }
}

// `--skip-bad-records`: refused entities are counted and left out, as readList does on the main thread.
const skipLog = skipBad === true ? new SkipLog(file) : undefined;
let lineOffset: number | undefined;
function skipped(err: unknown): boolean {
  if (skipLog === undefined) return false;
  lineOffset ??= range === undefined || range.start === 0 ? 0 : linesBefore(range.start);
  return skipLog.skip(err, lineOffset);
}

try {
  let rows = 0;
  let seen = 0;
  const span: TimeSpan = {};
  // The fast reader only: on anything it cannot read, failing at once lets the main thread go on.
  for await (const { entities, lines, firstIndex } of fastEntityBatches(file, range)) {
    const kept: unknown[] = [];
    for (let i = 0; i < entities.length; i++) {
      seen++;
      const at = { file, index: firstIndex + i, line: lines[i] as number };
      let normalised = normaliseEntity(entities[i], at);
      if (normalised === undefined) {
        // The schemas' normaliser reads the unusual forms (and from then on, the rest of the file);
        // an entity it refuses too is a broken record.
        const all = await normaliserForAll();
        try {
          normalised = all(entities[i], at);
        } catch (err) {
          if (skipped(err)) continue;
          throw err;
        }
        normaliseEntity = all;
      }
      const item = finish(normalised as SignIn | AuditEvent);
      widenSpan(span, eventTime(item));
      rows++;
      if (keep === undefined || keep(item)) kept.push(item);
    }
    postKept(kept, rows);
  }
  const skippedRecords = skipLog?.result();
  post({
    kind: 'done',
    rows,
    entities: seen,
    span,
    ...(skippedRecords !== undefined ? { skipped: skippedRecords } : {}),
  });
} catch {
  post({ kind: 'failed' });
}
