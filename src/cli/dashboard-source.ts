import { EVIDENCE_RULES, assess } from '../assess/index.js';
import { resolveScope } from '../assess/scope-resolution.js';
import { UsageError } from '../domain/errors.js';
import type { TenantSnapshot } from '../domain/tenant.js';
import { load } from '../load/index.js';
import { withTrend } from '../report/history.js';
import { userHistory, type UserRunEntry } from '../report/user-history.js';
import { diffVerdicts } from '../report/verdict-diff.js';
import type { DashboardData, DashboardGroup } from '../server/dashboard-data.js';
import { countUserEvents, listRuns, readUserVerdicts, type Store } from '../store/index.js';
import { HOW_TO_FILL } from './stored-snapshot.js';
import { fromSummary } from './commands/history.js';
import { runDate, runVerdicts } from './commands/stored-runs.js';

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
  return {
    assessment: assessAll(snapshot, now, dir),
    source: { kind: 'folder', where: dir },
    groups: groupsOf(snapshot),
    history: [],
    changes: null,
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
  return {
    assessment: assessAll(snapshot, at, store.file),
    source: { kind, where: store.file },
    groups: groupsOf(snapshot),
    history: withTrend(runs.map(fromSummary)),
    changes:
      previous === undefined || previous.summary === null || latest.summary === null
        ? null
        : diffVerdicts(runVerdicts(store, previous, 'serve'), runVerdicts(store, latest, 'serve')),
    userHistory: (userId) => {
      const versions = readUserVerdicts(store, userId);
      if (versions.length === 0) return null;
      const entries: UserRunEntry[] = assessed.map((run) => {
        const held = versions.find((v) => v.firstRun <= run.id && v.lastRun >= run.id);
        return {
          runId: run.id,
          at: runDate(run),
          source: run.source,
          ...(held !== undefined ? { assessment: held.assessment } : {}),
        };
      });
      if (!entries.some((e) => e.assessment !== undefined)) return null;
      return { ...userHistory(entries, at), storedEvents: countUserEvents(store, userId) };
    },
  };
}
