import { parentPort, workerData } from 'node:worker_threads';
import type { AuditEvent, SignIn } from '../../domain/tenant.js';
import { isEvidenceAudit, isEvidenceSignIn, isMethodsSignal } from '../../assess/evidence-filter.js';
import { slimSignIn } from '../../assess/sign-in-facts.js';
import { fastEntityBatches } from './fast-entities.js';
import { normaliseAudit, normaliseSignIn } from './schemas.js';
import type { WorkerReadData, WorkerReadMessage } from './worker-read.js';

/**
 * Worker thread of WorkerRead: reads, normalises and filters one event file, and posts the kept
 * items back as JSON, a batch per read chunk. On any error it posts `failed` and stops: the main
 * thread then reads the file itself, which words the error exactly as it always has.
 */

const { file, dataset, filter, slim } = workerData as WorkerReadData;
const port = parentPort;
if (port === null) throw new Error('read-worker.js runs as a worker thread');
const post = (message: WorkerReadMessage) => port.postMessage(message);

// Sign-ins are slimmed as they are normalised (as readExportFolder does): the filter then reads the facts.
const normalise: (raw: unknown, at: { file: string; index: number; line: number }) => SignIn | AuditEvent =
  dataset === 'audits'
    ? normaliseAudit
    : slim === true
      ? (raw, at) => slimSignIn(normaliseSignIn(raw, at))
      : normaliseSignIn;
const keep =
  filter === 'isEvidenceSignIn'
    ? (item: SignIn | AuditEvent) => isEvidenceSignIn(item as SignIn)
    : filter === 'isMethodsSignal'
      ? (item: SignIn | AuditEvent) => isMethodsSignal(item as SignIn)
      : filter === 'isEvidenceAudit'
        ? (item: SignIn | AuditEvent) => isEvidenceAudit(item as AuditEvent)
        : undefined;

try {
  let rows = 0;
  // The fast reader only: on anything it cannot read, failing at once lets the main thread go on.
  for await (const { entities, lines, firstIndex } of fastEntityBatches(file)) {
    const kept: unknown[] = [];
    for (let i = 0; i < entities.length; i++) {
      const item = normalise(entities[i], { file, index: firstIndex + i, line: lines[i] as number });
      rows++;
      if (keep === undefined || keep(item)) kept.push(item);
    }
    post({ kind: 'batch', json: JSON.stringify(kept), rows });
  }
  post({ kind: 'done', rows });
} catch {
  post({ kind: 'failed' });
}
