import { assessWithHorizons } from '../assess/assess.js';
import { eventsFiledByOwner, HISTORY_SCOPE } from '../assess/reuse.js';
import { runSummary } from '../assess/funnel.js';
import { resolveScope } from '../assess/scope-resolution.js';
import { staleCarriedLists } from '../plan/refresh-changes.js';
import type { TenantSnapshot } from '../domain/tenant.js';
import { UsageError } from '../domain/errors.js';
import {
  FILED_OWNERS,
  latestRun,
  withStoredHistory,
  writeRun,
  type RunSource,
  type Store,
  type PolicyFingerprints,
  type WrittenRun,
} from '../store/index.js';
import { EVIDENCE_RULES } from '../assess/index.js';
import type { DatasetName } from '../domain/datasets.js';
import { load } from '../load/index.js';
import { policyFingerprints } from './policy-fingerprints.js';
import { wholeNumberFlag } from './flag-values.js';
import { TOOL_VERSION } from './version.js';
import { engineFingerprint } from './engine-fingerprint.js';

/** An export folder read as the history keeps it, with what the next refresh compares against. */
export interface FolderRun {
  snapshot: TenantSnapshot;
  /** The folder's policy fingerprints (policy-fingerprints.ts). */
  policyFingerprints: PolicyFingerprints;
}

/** Reads an export folder to be stored as a run (`import`, `collect` into the history, the demos). */
export async function readFolderRun(
  dir: string,
  options: { skipBadRecords?: boolean; onProgress?: (dataset: DatasetName, rows: number) => void } = {},
): Promise<FolderRun> {
  const snapshot = await load({ kind: 'folder', dir }, 'store', {
    rules: EVIDENCE_RULES,
    ...(options.skipBadRecords === true ? { skipBadRecords: true } : {}),
    ...(options.onProgress !== undefined ? { onProgress: options.onProgress } : {}),
  });
  return { snapshot, policyFingerprints: await policyFingerprints(dir) };
}

export interface StoreRunOptions {
  source: RunSource;
  /** The clock: when the run started and, for an export that does not say, when it was collected. */
  now: () => Date;
  /** `--retain DAYS`. */
  retainDays?: number;
}

/** `--retain DAYS` (import, collect): parsed before any work, so a typo costs no collection. */
export function retainDaysFlag(value: string | undefined): number | undefined {
  return value === undefined ? undefined : wholeNumberFlag('--retain', value, 1, 36_500);
}

/** What a stored run added, for the line `import` and `collect` end with. */
export function writtenRunText(w: WrittenRun): string {
  return (
    `${w.users} users (${w.changedUsers} new or changed, ${w.changedVerdicts} verdicts changed), ` +
    `${w.newEvents} new events` +
    (w.expiredEvents > 0 ? `, ${w.expiredEvents} events older than --retain deleted` : '')
  );
}

const DAY_MS = 86_400_000;

/**
 * Stores a fresh snapshot as one run: joined with the history (older events, carried lists), assessed
 * as of its collection time over the whole tenant (every user, no scope: `history` and `diff` narrow
 * it later), and written with that assessment in one transaction.
 */
export function storeRun(store: Store, folder: FolderRun, options: StoreRunOptions): WrittenRun {
  const fresh = folder.snapshot;
  requireSameTenant(store, fresh);
  const startedAt = options.now().toISOString();
  const collectedAt = fresh.tenant.collectedAt ?? startedAt;
  const retainAfter =
    options.retainDays === undefined
      ? undefined
      : new Date(Date.parse(collectedAt) - options.retainDays * DAY_MS).toISOString();
  const joined = withStoredHistory(store, fresh, {
    // A refresh's folder (tenant.json `baselineRunId`) read methods lists only where something
    // changed: the others are the history's, carried. A folder of its own keeps its missing lists missing.
    carryMethods: fresh.tenant.baselineRunId !== undefined,
    // …unless the audit log shows a change to the user's security info since the list was read.
    staleLists: staleCarriedLists,
    ...(retainAfter !== undefined ? { retainAfter } : {}),
  });
  const scope = resolveScope(joined.snapshot, HISTORY_SCOPE);
  const { assessment, stableUntil } = assessWithHorizons(
    joined.snapshot,
    { now: new Date(collectedAt), scope: scope.values },
    scope,
  );
  // What reading the run again at a later clock needs (src/cli/stored-assessment.ts).
  const frame = {
    engine: engineFingerprint(),
    assessedAt: new Date(collectedAt).toISOString(),
    eventsFiledByOwner: eventsFiledByOwner(joined.snapshot, FILED_OWNERS),
    coverage: assessment.coverage,
  };
  return writeRun(store, joined.snapshot, {
    source: options.source,
    toolVersion: TOOL_VERSION,
    startedAt,
    finishedAt: () => options.now().toISOString(),
    assessment: { assessment, summary: runSummary(assessment), stableUntil, frame },
    events: joined.fresh,
    ...(retainAfter !== undefined ? { retainAfter } : {}),
    policyFingerprints: folder.policyFingerprints,
  });
}

/**
 * One database holds one tenant's history: a run of another tenant would make `diff` and `history`
 * compare two organisations. Refused before anything is written.
 */
function requireSameTenant(store: Store, fresh: TenantSnapshot): void {
  const before = latestRun(store)?.tenantId ?? null;
  const now = fresh.tenant.tenantId ?? null;
  if (before !== null && now !== null && before.toLowerCase() !== now.toLowerCase())
    throw new UsageError(
      `${store.file} holds the history of tenant ${before}, not ${now}; nothing was stored`,
      'Keep one history database per tenant: pass --db FILE (or set MFA_READY_DB) for this one.',
    );
}
