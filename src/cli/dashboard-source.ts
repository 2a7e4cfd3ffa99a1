import { EVIDENCE_RULES, assess } from '../assess/index.js';
import { resolveScope } from '../assess/scope-resolution.js';
import { UsageError } from '../domain/errors.js';
import type { TenantSnapshot } from '../domain/tenant.js';
import { load } from '../load/index.js';
import { withTrend } from '../report/history.js';
import { userHistory } from '../report/user-history.js';
import { diffVerdicts } from '../report/verdict-diff.js';
import type { DashboardData, DashboardGroup } from '../server/dashboard-data.js';
import { GroupMembership } from '../assess/group-membership.js';
import { impactOf, type ImpactTargetSpec } from '../assess/impact.js';
import { roleHoldersOf } from '../assess/impact-roles.js';
import type { RolloutPlan } from '../domain/rollout.js';
import type { Assessment } from '../domain/verdict.js';
import { rolloutStatus } from '../plan/rollout-status.js';
import {
  impactPayload,
  rolloutBoardPayload,
  type ImpactPayload,
  type RolloutBoardPayload,
} from '../server/board-payloads.js';
import { countUserEvents, listPlans, listRuns, type Store } from '../store/index.js';
import { evidenceOf, planInputs, type Evidence } from './commands/rollout.js';
import { existsSync } from 'node:fs';
import { isoTimeFlag } from './flag-values.js';
import { HOW_TO_FILL, openExistingStore } from './stored-snapshot.js';
import { fromSummary } from './commands/history.js';
import { runDate, runVerdicts, userRunEntries } from './commands/stored-runs.js';

/**
 * Who each MFA policy of the snapshot (and security defaults) would hit, on the unscoped assessment the
 * dashboard shows; policies that ask for no MFA (block, terms of use…) are left out.
 */
function impactsOf(snapshot: TenantSnapshot, assessment: Assessment): ImpactPayload[] {
  const targets: ImpactTargetSpec[] = [
    ...(snapshot.conditionalAccess ?? []).map((policy): ImpactTargetSpec => ({ kind: 'policy', policy })),
    { kind: 'security-defaults' },
  ];
  // As `impact` does: the holders of the directory roles the policies name, when they were collected.
  const roleHolders = roleHoldersOf(snapshot, new GroupMembership(snapshot.groups));
  return targets.flatMap((target) => {
    const impact = impactOf({ snapshot, assessment, target, roleHolders });
    return impact.requirement.kind === 'none' ? [] : [impactPayload(impact)];
  });
}

/**
 * Every rollout planned in the history, as `rollout status` shows it at `now`, judged on the latest
 * run the dashboard has already read (not read again per plan).
 */
async function rolloutsOf(store: Store, now: Date, latest: Evidence): Promise<RolloutBoardPayload[]> {
  const boards: RolloutBoardPayload[] = [];
  for (const p of listPlans<RolloutPlan>(store, 'rollout')) {
    const { stored, input } = await planInputs(store, p.name, now, latest);
    boards.push(rolloutBoardPayload(stored, rolloutStatus(input)));
  }
  return boards;
}

/** The groups whose members were read: the users table filters by them. */
function groupsOf(snapshot: TenantSnapshot): DashboardGroup[] {
  return (snapshot.groups ?? [])
    .filter((g) => g.memberIds !== undefined)
    .map((g) => ({ id: g.id, displayName: g.displayName ?? null, memberIds: g.memberIds ?? [] }));
}

/**
 * Assesses a snapshot as `audit` does with no scope options, refusing one with nobody in it (a report
 * that looks clean because it checked nobody).
 */
function assessAll(snapshot: TenantSnapshot, now: Date, where: string) {
  const scope = resolveScope(snapshot, { scopeGroups: [], excludeGroups: [], excludeUsers: [] });
  const assessment = assess(snapshot, { now, scope: scope.values }, scope);
  if (assessment.users.length === 0)
    throw new UsageError(`${where} holds no users: there is nothing to show`, HOW_TO_FILL);
  return assessment;
}

/** An export folder (`serve --from DIR`): one snapshot, no history. */
export async function folderDashboard(dir: string, now: Date): Promise<DashboardData> {
  const snapshot = await load({ kind: 'folder', dir }, 'assess', { rules: EVIDENCE_RULES });
  const assessment = assessAll(snapshot, now, dir);
  return {
    assessment,
    source: { kind: 'folder', where: dir },
    groups: groupsOf(snapshot),
    history: [],
    changes: null,
    rollouts: [],
    impacts: impactsOf(snapshot, assessment),
    userHistory: () => null,
  };
}

/**
 * The history database: its latest run assessed at `now` (as `audit` with no `--from` does), its runs
 * as the trend, the last two runs' difference, and each user's verdicts over the runs on demand.
 * The store stays open while the dashboard runs; the caller closes it.
 */
export async function storeDashboard(
  store: Store,
  /** The clock the latest run is judged at; 'collected': its collection time (the demo's, which never ages). */
  now: Date | 'collected',
  kind: 'store' | 'demo',
): Promise<DashboardData> {
  const runs = listRuns(store);
  const latest = runs.at(-1);
  if (latest === undefined)
    throw new UsageError(`the history database ${store.file} holds no complete run`, HOW_TO_FILL);
  const snapshot = await load({ kind: 'store', store, run: latest }, 'assess', { rules: EVIDENCE_RULES });
  const at = now === 'collected' ? new Date(runDate(latest)) : now;
  const previous = runs.at(-2);
  const assessed = runs.filter((r) => r.summary !== null);
  const assessment = assessAll(snapshot, at, store.file);
  return {
    assessment,
    rollouts: await rolloutsOf(store, at, evidenceOf(latest, snapshot, at)),
    impacts: impactsOf(snapshot, assessment),
    source: { kind, where: store.file },
    groups: groupsOf(snapshot),
    history: withTrend(runs.map(fromSummary)),
    changes:
      previous === undefined || previous.summary === null || latest.summary === null
        ? null
        : diffVerdicts(runVerdicts(store, previous, 'serve'), runVerdicts(store, latest, 'serve')),
    userHistory: (userId) => {
      const entries = userRunEntries(store, assessed, userId);
      if (!entries.some((e) => e.assessment !== undefined)) return null;
      return { ...userHistory(entries, at), storedEvents: countUserEvents(store, userId) };
    },
  };
}

/** The dashboard's data from the flags `serve` and `report` share, and what to close when done with it. */
export interface OpenedDashboardData {
  data: DashboardData;
  close(): void;
}

/**
 * `--from DIR` (one snapshot), else the history database (`--db`, MFA_READY_DB, the default one). `demo`:
 * the history `--demo` filled, judged at its collection time. The store stays open for the user pages.
 */
export async function openDashboardData(
  flags: { db?: string; from?: string; now?: string },
  env: NodeJS.ProcessEnv,
  demo: boolean,
): Promise<OpenedDashboardData> {
  const now = flags.now === undefined ? undefined : isoTimeFlag('--now', flags.now);
  if (flags.from !== undefined) {
    if (!existsSync(flags.from))
      throw new UsageError(`--from ${flags.from}: no such folder`, 'Give the export folder collect wrote.');
    return { data: await folderDashboard(flags.from, now ?? new Date()), close: () => {} };
  }
  const store = openExistingStore(flags.db, env);
  try {
    const data = await storeDashboard(
      store,
      now ?? (demo ? 'collected' : new Date()),
      demo ? 'demo' : 'store',
    );
    return { data, close: () => store.close() };
  } catch (err) {
    store.close();
    throw err;
  }
}
