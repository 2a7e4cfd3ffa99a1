import { funnelOf } from '../../assess/funnel.js';
import { resolveScope, splitListValues, type ScopeProblem } from '../../assess/scope-resolution.js';
import { UsageError } from '../../domain/errors.js';
import type { RunInfo } from '../../domain/history.js';
import type { Group, TenantSnapshot } from '../../domain/tenant.js';
import { VERDICTS, type PopulationGroup, type UserAssessment, type Verdict } from '../../domain/verdict.js';
import {
  renderHistoryCsv,
  renderHistoryJson,
  renderHistoryTable,
  withTrend,
  type HistoryGap,
  type HistoryRow,
  type HistoryView,
} from '../../report/history.js';
import { readRunDatasets, readRunVerdicts, type Store } from '../../store/index.js';
import { isoTimeFlag } from '../flag-values.js';
import { terminalWidth, wantsColor, writeFileAtomic, type Io } from '../output.js';
import { scopeError } from './audit.js';
import { runDate, withHistory } from './stored-runs.js';

export interface HistoryFlags {
  db?: string;
  since?: string;
  format: 'table' | 'json' | 'csv';
  out?: string;
  scopeGroup: string[];
  color: boolean;
}

/**
 * `mfa-ready history`: one line per complete run, oldest first. Everyone: from each run's stored
 * summary, no per-user read. `--scope-group G`: each run's stored verdicts of G's transitive members
 * as that run's groups dataset had them, so a group that grew shows it.
 */
export async function historyCommand(flags: HistoryFlags, io: Io): Promise<void> {
  const since = flags.since === undefined ? undefined : isoTimeFlag('--since', flags.since).getTime();
  const groupValues = splitListValues(flags.scopeGroup);
  if (flags.scopeGroup.length > 0 && groupValues.length !== 1)
    throw new UsageError(
      groupValues.length === 0
        ? "--scope-group '': an empty value names no group (an unset shell variable?)"
        : `--scope-group: history counts one group at a time (given: ${groupValues.join(', ')})`,
    );
  const view = withHistory(flags.db, io.env, (store, all) => {
    const runs = since === undefined ? all : all.filter((r) => Date.parse(runDate(r)) >= since);
    if (runs.length === 0)
      throw new UsageError(
        `no run was collected on or after --since ${flags.since}; the latest is from ${runDate(all.at(-1)!)}`,
        'Give an earlier --since, or leave it out to list every run.',
      );
    const group = groupValues[0];
    const scoped = group === undefined ? undefined : scopedRows(store, runs, group);
    return {
      file: store.file,
      scopeGroup: scoped?.scopeGroup ?? null,
      rows: withTrend(scoped?.rows ?? runs.map(fromSummary)),
    } satisfies HistoryView;
  });
  const toFile = flags.out !== undefined;
  const text =
    flags.format === 'json'
      ? renderHistoryJson(view)
      : flags.format === 'csv'
        ? renderHistoryCsv(view, { bom: toFile })
        : renderHistoryTable(view, {
            color: !toFile && wantsColor(io.stdout, io.env, flags.color),
            ...(toFile ? {} : widthOf(io)),
          });
  if (flags.out !== undefined) await writeFileAtomic(flags.out, text);
  else io.stdout.write(text);
}

type Row = Omit<HistoryRow, 'readyChange'>;

const lead = (run: RunInfo) => ({ runId: run.id, at: runDate(run), source: run.source });

export function fromSummary(run: RunInfo): Row {
  const s = run.summary;
  if (s === null) return { ...lead(run), figures: null, gap: 'not-assessed' };
  return { ...lead(run), figures: { counts: s.counts, readyShare: s.readyShare, funnel: s.funnel } };
}

const GAP_OF: Partial<Record<ScopeProblem['code'], HistoryGap>> = {
  'group-not-found': 'group-not-in-run',
  'group-members-missing': 'group-members-missing',
  'groups-not-collected': 'groups-not-collected',
  'group-ambiguous': 'group-ambiguous',
};

/**
 * Each run's figures for one group's members. The group is looked up in each run's own groups (a run
 * before it was created says so); a value that names a group in no run at all is refused with the
 * closest names of the latest run, as audit refuses it.
 */
function scopedRows(
  store: Store,
  runs: readonly RunInfo[],
  value: string,
): { rows: Row[]; scopeGroup: PopulationGroup | undefined } {
  const resolved = runs.map((run) => {
    const groups = readRunDatasets(store.db, run.id).get('groups') as Group[] | undefined;
    const snapshot: Pick<TenantSnapshot, 'users' | 'registration' | 'groups' | 'coverage'> = {
      users: undefined,
      registration: undefined,
      groups,
      coverage: run.coverage,
    };
    const scope = resolveScope(snapshot, {
      scopeGroups: [value],
      excludeGroups: [],
      excludeUsers: [],
    });
    const found = scope.scopeGroups[0];
    const group =
      found === undefined ? undefined : groups?.find((g) => g.id.toLowerCase() === found.id.toLowerCase());
    return { run, group, found, problem: scope.problems[0] };
  });
  const named = resolved.filter((r) => r.found !== undefined || r.problem?.code === 'group-members-missing');
  if (named.length === 0) {
    // The latest run's answer, worded as audit words it (closest names included).
    const last = resolved.at(-1)!;
    throw scopeError(last.problem === undefined ? [] : [last.problem], store.file, 'store');
  }
  const rows = resolved.map(({ run, group, problem }): Row => {
    if (run.summary === null) return { ...lead(run), figures: null, gap: 'not-assessed' };
    if (group?.memberIds === undefined)
      return {
        ...lead(run),
        figures: null,
        gap: GAP_OF[problem?.code ?? 'group-not-found'] ?? 'group-not-in-run',
      };
    const members = new Set(group.memberIds.map((m) => m.toLowerCase()));
    const users: UserAssessment[] = [];
    for (const [id, u] of readRunVerdicts(store, run.id)) if (members.has(id.toLowerCase())) users.push(u);
    const counts = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
    for (const u of users) counts[u.verdict]++;
    const funnel = funnelOf(users);
    return {
      ...lead(run),
      figures: {
        counts,
        readyShare: funnel.enabledMembers === 0 ? null : counts.ready / funnel.enabledMembers,
        funnel,
      },
    };
  });
  const latest = [...resolved].reverse().find((r) => r.found !== undefined);
  return { rows, scopeGroup: latest?.found };
}

function widthOf(io: Io): { width?: number } {
  const width = terminalWidth(io.stdout, io.env);
  return width === undefined ? {} : { width };
}
