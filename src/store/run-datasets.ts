import type Database from 'better-sqlite3';
import type { TenantSnapshot } from '../domain/tenant.js';
import type { Assessment } from '../domain/verdict.js';
import { hashOf } from './user-rows.js';

/**
 * The datasets kept whole per run, stored once by content (table `blobs`): a policy or a group that
 * did not change between runs is the same row, referenced again. Absent from a run: not collected.
 */
export const BLOB_DATASETS = [
  'tenant',
  'groups',
  'conditionalAccess',
  'methodsPolicy',
  'securityDefaults',
  'domains',
  'roleAssignments',
] as const satisfies readonly (keyof TenantSnapshot)[];
export type BlobDataset = (typeof BLOB_DATASETS)[number];

/** Run-level values that are not a dataset: the registration report's common refresh time. */
export const REPORT_REFRESHED_AT = 'reportRefreshedAt';

/**
 * policyFingerprint() (src/domain/baseline.ts) of the methods policy and security defaults documents
 * as Graph returned them: a refresh that finds either changed reads the registration report in full.
 */
export const POLICY_FINGERPRINTS = 'policyFingerprints';
export interface PolicyFingerprints {
  methodsPolicy?: string;
  securityDefaults?: string;
}

/**
 * What a run's stored assessment needs beside its users' rows to be read again at a later clock
 * (src/assess/reuse.ts): which engine made it and when, whether each event is filed under the user
 * the rules give it to, and the assessment's coverage.
 */
export const ASSESSMENT_FRAME = 'assessmentFrame';
export interface AssessmentFrame {
  /** engineFingerprint() of the code that assessed the run: other code assesses it again. */
  engine: string;
  /** The clock it was assessed at (ISO 8601 UTC): the run's collection time. */
  assessedAt: string;
  /** assess/reuse.ts eventsFiledByOwner. */
  eventsFiledByOwner: boolean;
  coverage: Assessment['coverage'];
}

export function writeRunDatasets(
  db: Database.Database,
  runId: number,
  values: ReadonlyMap<string, unknown>,
): void {
  const putBlob = db.prepare('INSERT OR IGNORE INTO blobs (hash, data) VALUES (?, ?)');
  const link = db.prepare('INSERT INTO run_datasets (run_id, dataset, hash) VALUES (?, ?, ?)');
  for (const [dataset, value] of values) {
    if (value === undefined) continue;
    const json = JSON.stringify(value);
    const hash = hashOf(json);
    putBlob.run(hash, json);
    link.run(runId, dataset, hash);
  }
}

export function readRunDatasets(db: Database.Database, runId: number): Map<string, unknown> {
  const rows = db
    .prepare(
      'SELECT d.dataset AS dataset, b.data AS data FROM run_datasets d JOIN blobs b ON b.hash = d.hash WHERE d.run_id = ?',
    )
    .all(runId) as { dataset: string; data: string }[];
  return new Map(rows.map((r) => [r.dataset, JSON.parse(r.data) as unknown]));
}
