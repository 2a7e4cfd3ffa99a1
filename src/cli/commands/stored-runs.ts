import { UsageError } from '../../domain/errors.js';
import type { RunInfo } from '../../domain/history.js';
import type { UserAssessment } from '../../domain/verdict.js';
import type { DiffSide } from '../../report/diff-render.js';
import { formatTime } from '../../report/format.js';
import type { UserRunEntry } from '../../report/user-history.js';
import { listRuns, readRunVerdicts, readUserVerdicts, type Store } from '../../store/index.js';
import { HOW_TO_FILL, openExistingStore } from '../stored-snapshot.js';
import { isoTimeFlag } from '../flag-values.js';

/*
 * What the commands that read the history back (history, diff, user, audit --changed) share: opening
 * a database that must exist, its complete runs, naming a run by id or date, and a run's verdicts.
 */

/** When a run's evidence was collected; else when it was stored (an export that did not say). */
export const runDate = (run: RunInfo): string => run.collectedAt ?? run.startedAt;

export const runSide = (run: RunInfo): DiffSide => ({
  runId: run.id,
  at: runDate(run),
  source: run.source,
});

/** Opens the database (refusing a missing file) and runs `read` on it with its complete runs. */
export function withHistory<T>(
  dbFlag: string | undefined,
  env: NodeJS.ProcessEnv,
  read: (store: Store, runs: RunInfo[]) => T,
): T {
  const store = openExistingStore(dbFlag, env);
  try {
    const runs = listRuns(store);
    if (runs.length === 0)
      throw new UsageError(`the history database ${store.file} holds no complete run`, HOW_TO_FILL);
    return read(store, runs);
  } finally {
    store.close();
  }
}

const DATE_ONLY = /^\s*\d{4}-\d{2}-\d{2}\s*$/;
const DAY_MS = 86_400_000;

/**
 * A run named on the command line: a whole number is a run id; anything else a date or time, which
 * names the last run on or before it (a date alone: on or before the end of that day, UTC).
 */
export function resolveRun(runs: readonly RunInfo[], value: string, what: string): RunInfo {
  const listed = () =>
    `Stored runs: ${runs.map((r) => `${r.id} (${formatTime(runDate(r)).replace(/:\d\d UTC$/, ' UTC')})`).join(', ')}.`;
  if (/^\s*\d+\s*$/.test(value)) {
    const id = Number(value);
    const run = runs.find((r) => r.id === id);
    if (run === undefined) throw new UsageError(`${what} ${value}: no complete run has this id`, listed());
    return run;
  }
  const at = isoTimeFlag(what, value).getTime() + (DATE_ONLY.test(value) ? DAY_MS - 1 : 0);
  let found: RunInfo | undefined;
  for (const r of runs) if (Date.parse(runDate(r)) <= at) found = r;
  if (found === undefined)
    throw new UsageError(`${what} ${value}: no run was collected on or before this time`, listed());
  return found;
}

/**
 * A run's stored verdicts; a run stored without an assessment (first schema) has none, which must
 * not read as "nobody": refused.
 */
export function runVerdicts(store: Store, run: RunInfo, what: string): Map<string, UserAssessment> {
  if (run.summary === null)
    throw new UsageError(
      `${what}: run ${run.id} was stored without an assessment (an older mfa-ready), so it has no verdicts to compare`,
      'Compare runs stored by this version: mfa-ready history lists them.',
    );
  return readRunVerdicts(store, run.id);
}

/** One user's stored assessment in each run (`user --history`, the dashboard's user page). */
export function userRunEntries(store: Store, runs: readonly RunInfo[], userId: string): UserRunEntry[] {
  const versions = readUserVerdicts(store, userId);
  return runs.map((run) => {
    const held = versions.find((v) => v.firstRun <= run.id && v.lastRun >= run.id);
    return {
      runId: run.id,
      at: runDate(run),
      source: run.source,
      ...(held !== undefined ? { assessment: held.assessment } : {}),
      ...(run.summary === null ? { notAssessed: true } : {}),
    };
  });
}
