import { assessStoredRun, type StoredAssessmentInfo } from './stored-assessment.js';
import type { Assessment } from '../domain/verdict.js';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { load } from '../load/index.js';
import { EVIDENCE_RULES } from '../assess/index.js';
import { UsageError } from '../domain/errors.js';
import type { DatasetName } from '../domain/datasets.js';
import type { TenantSnapshot } from '../domain/tenant.js';
import { latestRun, openStore, resolveStorePath, type Store } from '../store/index.js';
import { readFolderRun, storeRun } from './store-run.js';

/** The history database a command reads: --db, else MFA_READY_DB, else the user data directory's. */
export function storeFile(dbFlag: string | undefined, env: NodeJS.ProcessEnv): string {
  return resolveStorePath({ platform: process.platform, env, homedir: homedir(), flag: dbFlag });
}

export const HOW_TO_FILL =
  'Collect a tenant into it (mfa-ready collect --tenant ID), import an export folder (mfa-ready import DIR), ' +
  'or assess a folder directly with --from DIR; --demo tries the built-in demo tenant.';

/**
 * Opens an existing history database for reading. A missing file is refused, not created: a
 * mistyped --db must not read as an empty history.
 */
export function openExistingStore(dbFlag: string | undefined, env: NodeJS.ProcessEnv): Store {
  const file = storeFile(dbFlag, env);
  if (!existsSync(file))
    throw new UsageError(
      `no history database at ${file}`,
      dbFlag === undefined ? HOW_TO_FILL : `Check --db. ${HOW_TO_FILL}`,
    );
  return openStore(file);
}

export interface StoredSnapshot {
  snapshot: TenantSnapshot;
  /** The database it was read from. */
  file: string;
}

/** The latest complete run of the history, as the snapshot `assess` reads. */
export async function readLatestSnapshot(
  dbFlag: string | undefined,
  env: NodeJS.ProcessEnv,
): Promise<StoredSnapshot> {
  const store = openExistingStore(dbFlag, env);
  try {
    const run = latestRun(store);
    if (run === undefined)
      throw new UsageError(`the history database ${store.file} holds no complete run`, HOW_TO_FILL);
    const snapshot = await load({ kind: 'store', store, run }, 'assess', { rules: EVIDENCE_RULES });
    return { snapshot, file: store.file };
  } finally {
    store.close();
  }
}

/**
 * The latest complete run's Assessment at `now`, over the whole tenant: what `audit --db` reads when no
 * option narrows the population (src/cli/stored-assessment.ts).
 */
export async function assessLatestStoredRun(
  dbFlag: string | undefined,
  env: NodeJS.ProcessEnv,
  now: Date,
): Promise<{ assessment: Assessment; info: StoredAssessmentInfo; file: string }> {
  const store = openExistingStore(dbFlag, env);
  try {
    const run = latestRun(store);
    if (run === undefined)
      throw new UsageError(`the history database ${store.file} holds no complete run`, HOW_TO_FILL);
    return { ...(await assessStoredRun(store, run, now)), file: store.file };
  } finally {
    store.close();
  }
}

/**
 * `audit --demo`: stores the demo collection as a run (in a throwaway database unless --db is given),
 * then reads that run back: the demo shows the path a stored tenant takes.
 */
export async function storeDemoRun(
  dir: string,
  dbFlag: string | undefined,
  collectedAt: string,
  onProgress?: (dataset: DatasetName, rows: number) => void,
): Promise<TenantSnapshot> {
  const scratch = dbFlag === undefined ? await mkdtemp(path.join(tmpdir(), 'mfa-ready-demo-db-')) : undefined;
  const store = openStore(dbFlag ?? path.join(scratch as string, 'demo.db'));
  try {
    const folder = await readFolderRun(dir, onProgress !== undefined ? { onProgress } : {});
    storeRun(store, folder, { source: 'collect', now: () => new Date(collectedAt) });
    return await load({ kind: 'store', store, run: latestRun(store)! }, 'assess', { rules: EVIDENCE_RULES });
  } finally {
    store.close();
    if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
  }
}
