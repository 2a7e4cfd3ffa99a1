import { UsageError } from '../../domain/errors.js';
import type { RunInfo } from '../../domain/history.js';
import type { Assessment, UserAssessment, Verdict } from '../../domain/verdict.js';
import { renderDiffCsv, renderDiffJson, renderDiffTable, type DiffSide } from '../../report/diff-render.js';
import { diffVerdicts, verdictChangesOnly } from '../../report/verdict-diff.js';
import { listRuns, readRunVerdicts } from '../../store/index.js';
import type { Io } from '../output.js';
import { openExistingStore } from '../stored-snapshot.js';
import { runSide } from './stored-runs.js';

/*
 * `audit --changed` and `audit --fail-on-new`: the fresh assessment against the previous stored run.
 *
 * "The previous run" is the latest complete run in the history database that is not the one being
 * assessed: with no --from (audit reads the latest run) and with --demo --db (the demo run was just
 * stored), the run before the latest; with --from DIR or --tenant (nothing stored by this audit), the
 * latest run. With no such run (an empty history, the demo's throwaway database, a run stored without an
 * assessment), every user counts as new: --changed lists them all and says why, --fail-on-new fails on
 * every user with one of its verdicts. It never passes quietly for want of something to compare with.
 */

export interface PreviousRun {
  /** The run compared with; undefined when there is none (see why). */
  run?: RunInfo;
  verdicts: Map<string, UserAssessment>;
  /** Why there is nothing to compare with, for the note on standard error. */
  why?: string;
}

/**
 * The previous run's stored verdicts. `assessedIsLatest`: the assessment is of the latest stored run,
 * so the one before it is the previous. `dbFlag` undefined with `throwaway`: the demo's own database,
 * gone already: nothing to compare with.
 */
export function previousRun(
  dbFlag: string | undefined,
  env: NodeJS.ProcessEnv,
  assessedIsLatest: boolean,
  throwaway = false,
): PreviousRun {
  if (throwaway)
    return {
      verdicts: new Map(),
      why: 'the demo stored its run in a throwaway database (give --db FILE to keep a history)',
    };
  const store = openExistingStore(dbFlag, env);
  try {
    const runs = listRuns(store);
    const run = runs.at(assessedIsLatest ? -2 : -1);
    if (run === undefined)
      return {
        verdicts: new Map(),
        why: `${store.file} holds no ${assessedIsLatest ? 'run before the one assessed' : 'complete run'}`,
      };
    if (run.summary === null)
      return { run, verdicts: new Map(), why: `run ${run.id} was stored without an assessment` };
    return { run, verdicts: readRunVerdicts(store, run.id) };
  } finally {
    store.close();
  }
}

/** The history database to compare with must exist (a mistyped --db is not an empty history). */
export function requireHistoryToCompare(dbFlag: string | undefined, env: NodeJS.ProcessEnv): void {
  openExistingStore(dbFlag, env).close();
}

/** The note every comparison without a previous run prints: nothing passes for want of one. */
export function noPreviousNote(previous: PreviousRun, io: Io): void {
  if (previous.why !== undefined)
    io.stderr.write(
      `mfa-ready: note: no earlier assessment to compare with (${previous.why}): every user counts as new\n`,
    );
}

const NO_RUN: DiffSide = { runId: null, at: null, source: 'none' };

/** Users whose verdict changed since the previous run (new and gone ones too), in the chosen format. */
export function renderChanges(
  assessment: Assessment,
  /** The tenant's users (lower-case ids): "gone" only for users no longer in it at all. */
  present: ReadonlySet<string>,
  previous: PreviousRun,
  format: 'table' | 'json' | 'csv',
  render: { color: boolean; width?: number; bom: boolean },
): string {
  const fresh = new Map(assessment.users.map((u) => [u.id, u]));
  const diff = verdictChangesOnly(
    diffVerdicts(previous.verdicts, fresh, { gone: (id) => !present.has(id.toLowerCase()) }),
  );
  const from = previous.run === undefined ? NO_RUN : runSide(previous.run);
  const to: DiffSide = { runId: null, at: assessment.generatedAt, source: 'audit' };
  if (format === 'json') return renderDiffJson(diff, from, to);
  if (format === 'csv') return renderDiffCsv(diff, from, to, { bom: render.bom });
  return renderDiffTable(diff, from, to, {
    color: render.color,
    ...(render.width !== undefined ? { width: render.width } : {}),
  });
}

/**
 * `--fail-on-new`: users who have one of `verdicts` now and did not have it in the previous run,
 * counted per verdict (empty: nothing new).
 */
export function newVerdictCounts(
  assessment: Assessment,
  previous: PreviousRun,
  verdicts: readonly Verdict[],
): Record<string, number> {
  const hits: Record<string, number> = {};
  for (const u of assessment.users) {
    if (!verdicts.includes(u.verdict)) continue;
    if (previous.verdicts.get(u.id)?.verdict === u.verdict) continue;
    hits[u.verdict] = (hits[u.verdict] ?? 0) + 1;
  }
  return hits;
}

/** --changed is a list of its own: not with --user, --top or --summary. */
export function checkChangedFlags(flags: {
  changed?: boolean;
  user?: string;
  top?: string;
  summary?: boolean;
}): void {
  if (flags.changed !== true) return;
  const clash =
    flags.user !== undefined
      ? '--user'
      : flags.top !== undefined
        ? '--top'
        : flags.summary === true
          ? '--summary'
          : undefined;
  if (clash !== undefined)
    throw new UsageError(
      `use either --changed or ${clash}, not both`,
      '--changed lists the users whose verdict changed since the previous run; mfa-ready user UPN --history shows one user over time.',
    );
}
