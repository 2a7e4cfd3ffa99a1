import { assess } from '../assess/index.js';
import { runSummary } from '../assess/funnel.js';
import { resolveScope } from '../assess/scope-resolution.js';
import type { TenantSnapshot } from '../domain/tenant.js';
import { UsageError } from '../domain/errors.js';
import {
  latestRun,
  withStoredHistory,
  writeRun,
  type RunSource,
  type Store,
  type PolicyFingerprints,
  type WrittenRun,
} from '../store/index.js';
import { TOOL_VERSION } from './version.js';

export interface StoreRunOptions {
  source: RunSource;
  /** An incremental collection: lists not read again are carried from the latest run. */
  carryMethods: boolean;
  /** The clock: when the run started and, for an export that does not say, when it was collected. */
  now: () => Date;
  /** `--retain DAYS`. */
  retainDays?: number;
  /** The folder's policy fingerprints (policy-fingerprints.ts), for the next refresh. */
  policyFingerprints?: PolicyFingerprints;
}

const DAY_MS = 86_400_000;

/**
 * Stores a fresh snapshot as one run: joined with the history (older events, carried lists), assessed
 * as of its collection time over the whole tenant (every user, no scope: `history` and `diff` narrow
 * it later), and written with that assessment in one transaction.
 */
export function storeRun(store: Store, fresh: TenantSnapshot, options: StoreRunOptions): WrittenRun {
  requireSameTenant(store, fresh);
  const startedAt = options.now().toISOString();
  const collectedAt = fresh.tenant.collectedAt ?? startedAt;
  const retainAfter =
    options.retainDays === undefined
      ? undefined
      : new Date(Date.parse(collectedAt) - options.retainDays * DAY_MS).toISOString();
  const joined = withStoredHistory(store, fresh, {
    carryMethods: options.carryMethods,
    ...(retainAfter !== undefined ? { retainAfter } : {}),
    ...(options.policyFingerprints !== undefined ? { policyFingerprints: options.policyFingerprints } : {}),
  });
  const scope = resolveScope(joined.snapshot, {
    scopeGroups: [],
    excludeGroups: [],
    excludeUsers: [],
    excludeServiceAccounts: false,
  });
  const assessment = assess(joined.snapshot, { now: new Date(collectedAt), scope: scope.values }, scope);
  return writeRun(store, joined.snapshot, {
    source: options.source,
    toolVersion: TOOL_VERSION,
    startedAt,
    finishedAt: () => options.now().toISOString(),
    assessment: { assessment, summary: runSummary(assessment) },
    events: joined.fresh,
    ...(retainAfter !== undefined ? { retainAfter } : {}),
    ...(options.policyFingerprints !== undefined ? { policyFingerprints: options.policyFingerprints } : {}),
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
