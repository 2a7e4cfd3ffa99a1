import { stringify } from 'csv-stringify/sync';
import type { Funnel } from '../domain/history.js';
import type { PopulationGroup, Verdict } from '../domain/verdict.js';
import { makeColors } from './colors.js';
import { csvCell } from './csv.js';
import { formatPercent, formatTime, wrap } from './format.js';
import { populationGroupLabel } from './labels.js';
import { safeText } from './sanitize.js';
import { displayWidth, padDisplay } from './text-width.js';

/** One run's figures: what `history` lists per run. */
export interface HistoryFigures {
  counts: Record<Verdict, number>;
  /** Ready over enabled members (not excluded); null when there is nobody. */
  readyShare: number | null;
  funnel: Funnel;
}

/**
 * Why a run has no figures:
 * - `not-assessed`: stored without an assessment (a database of the first schema);
 * - `group-not-in-run`: the --scope-group is not among that run's groups (created later, or deleted);
 * - `group-members-missing`: the group is there, its members were not collected with that run;
 * - `groups-not-collected`: that run has no groups at all;
 * - `group-ambiguous`: in that run several groups have the display name given.
 * Never counted as zero users: a run that cannot say is said to be unable to.
 */
export type HistoryGap =
  'not-assessed' | 'group-not-in-run' | 'group-members-missing' | 'groups-not-collected' | 'group-ambiguous';

export interface HistoryRow {
  runId: number;
  /** When the run's evidence was collected, else when it was stored (ISO 8601). */
  at: string;
  source: string;
  figures: HistoryFigures | null;
  gap?: HistoryGap;
  /** Ready users more (+) or fewer (−) than the previous run with figures; null for the first. */
  readyChange: number | null;
}

export interface HistoryView {
  /** The database file the runs come from. */
  file: string;
  /** `--scope-group`: only the group's members (as stored with each run) are counted; null: everyone. */
  scopeGroup: PopulationGroup | null;
  rows: HistoryRow[];
}

/** Fills in each row's `readyChange` against the previous row that has figures. */
export function withTrend(rows: readonly Omit<HistoryRow, 'readyChange'>[]): HistoryRow[] {
  let previous: number | null = null;
  return rows.map((r) => {
    if (r.figures === null) return { ...r, readyChange: null };
    const change: number | null = previous === null ? null : r.figures.counts.ready - previous;
    previous = r.figures.counts.ready;
    return { ...r, readyChange: change };
  });
}

const GAP_WORDS = {
  'not-assessed': 'not assessed (stored without an assessment)',
  'group-not-in-run': 'the group is not in this run',
  'group-members-missing': "the group's members were not collected with this run",
  'groups-not-collected': 'no groups were collected with this run',
  'group-ambiguous': 'several groups have this name in this run',
} as const satisfies Record<HistoryGap, string>;

export function historyGapText(gap: HistoryGap): string {
  return GAP_WORDS[gap];
}

/** The verdict columns in the order an admin reads a rollout: ready first, then worst first. */
const VERDICT_COLUMNS: readonly [Verdict, string][] = [
  ['looping', 'loop'],
  ['loop-risk', 'risk'],
  ['unverified', 'unver'],
  ['policy-blocked', 'block'],
  ['not-registered', 'notreg'],
  ['unknown', 'unkn'],
  ['excluded', 'excl'],
];

const shortTime = (iso: string) => formatTime(iso).replace(/:\d\d UTC$/, '');
const signed = (n: number | null) => (n === null ? '' : n > 0 ? `+${n}` : n === 0 ? '0' : `−${-n}`);
const share = (f: HistoryFigures) => formatPercent(f.counts.ready, f.funnel.enabledMembers);
const funnelText = (f: Funnel) => `${f.enabledMembers} › ${f.anyStrongMethod} › ${f.usable} › ${f.proven}`;

export interface HistoryTableOptions {
  color: boolean;
  /** Wrap the legend to this many columns; 100 when unknown. */
  width?: number;
}

/** `mfa-ready history` as a table: one line per run, oldest first, and the trend in words at the end. */
export function renderHistoryTable(view: HistoryView, opts: HistoryTableOptions): string {
  const c = makeColors(opts.color);
  const scope =
    view.scopeGroup === null
      ? 'everyone'
      : `members of ${safeText(populationGroupLabel(view.scopeGroup))} as stored with each run`;
  const head = [
    'run',
    'date (UTC)',
    'source',
    'ready',
    '% ready',
    'change',
    ...VERDICT_COLUMNS.map(([, h]) => h),
    'funnel',
  ];
  const rows = view.rows.map((r) => {
    const lead = [String(r.runId), shortTime(r.at), safeText(r.source)];
    if (r.figures === null) return [...lead, historyGapText(r.gap ?? 'not-assessed')];
    const f = r.figures;
    return [
      ...lead,
      String(f.counts.ready),
      share(f),
      signed(r.readyChange),
      ...VERDICT_COLUMNS.map(([v]) => String(f.counts[v])),
      funnelText(f.funnel),
    ];
  });
  // Column widths from the rows that fill every column; a gap's words run on past them.
  const full = [head, ...rows.filter((r) => r.length === head.length)];
  const widths = head.map((_, i) => Math.max(...full.map((r) => displayWidth(r[i] ?? ''))));
  const numeric = (i: number) => i >= 3 && i < head.length - 1;
  const line = (cells: string[]) =>
    cells
      .map((cell, i) =>
        i === cells.length - 1
          ? cell
          : numeric(i)
            ? ' '.repeat(Math.max(0, widths[i]! - displayWidth(cell))) + cell
            : padDisplay(cell, widths[i]!),
      )
      .join('  ');
  const lines = [
    c.bold(
      `History of ${safeText(view.file)}: ${view.rows.length} run${view.rows.length === 1 ? '' : 's'}; counted: ${scope}`,
    ),
    '',
    c.bold(line(head)),
    ...rows.map(line),
    '',
    ...wrap(
      'loop = looping now, risk = loop risk, unver = unverified, block = blocked by policy, notreg = not registered, ' +
        'unkn = unknown, excl = excluded. % ready: ready over enabled members (excluded left out). ' +
        'change: ready users since the previous run. funnel: enabled members › any strong method › usable › proven.',
      Math.max(60, opts.width ?? 100),
    ).map((l) => c.dim(l)),
  ];
  const trend = trendSentence(view.rows);
  if (trend !== undefined) lines.push('', trend);
  return `${lines.join('\n')}\n`;
}

/** "+12 ready since the previous run (run 2, 2024-05-11 12:00); 41.0% ready now." */
function trendSentence(rows: readonly HistoryRow[]): string | undefined {
  const withFigures = rows.filter((r) => r.figures !== null);
  const last = withFigures.at(-1);
  if (last === undefined) return undefined;
  const previous = withFigures.at(-2);
  const now = `${share(last.figures!)} ready in run ${last.runId}`;
  if (previous === undefined || last.readyChange === null) return `${now}.`;
  const n = last.readyChange;
  const moved = n === 0 ? 'no change in ready users' : `${signed(n)} ready`;
  return `${moved} since the previous run (run ${previous.runId}, ${shortTime(previous.at)}); ${now}.`;
}

/** The JSON form: every run with its figures, or the gap that stands for them. */
export function renderHistoryJson(view: HistoryView): string {
  return `${JSON.stringify(
    {
      scopeGroup: view.scopeGroup,
      runs: view.rows.map((r) => ({
        runId: r.runId,
        at: r.at,
        source: r.source,
        assessed: r.figures !== null,
        ...(r.gap !== undefined ? { gap: r.gap } : {}),
        counts: r.figures?.counts ?? null,
        readyShare: r.figures?.readyShare ?? null,
        readyChange: r.readyChange,
        funnel: r.figures?.funnel ?? null,
      })),
    },
    null,
    2,
  )}\n`;
}

const VERDICT_ORDER: readonly Verdict[] = ['ready', ...VERDICT_COLUMNS.map(([v]) => v)];

export const HISTORY_CSV_COLUMNS = [
  'runId',
  'at',
  'source',
  'gap',
  ...VERDICT_ORDER,
  'readyShare',
  'readyChange',
  'enabledMembers',
  'anyStrongMethod',
  'usable',
  'proven',
] as const;

/** One row per run; a run without figures has empty counts and its gap named. */
export function renderHistoryCsv(view: HistoryView, opts: { bom?: boolean } = {}): string {
  const rows = view.rows.map((r) => {
    const f = r.figures;
    return [
      String(r.runId),
      r.at,
      csvCell(r.source),
      f === null ? (r.gap ?? 'not-assessed') : '',
      ...VERDICT_ORDER.map((v) => (f === null ? '' : String(f.counts[v]))),
      f?.readyShare === null || f === null ? '' : String(Math.round(f.readyShare * 10000) / 10000),
      r.readyChange === null ? '' : String(r.readyChange),
      ...(f === null
        ? ['', '', '', '']
        : [f.funnel.enabledMembers, f.funnel.anyStrongMethod, f.funnel.usable, f.funnel.proven].map(String)),
    ];
  });
  // Only numbers, times and codes of mfa-ready's own, no tenant text: a change of "-3" must stay a
  // number, which the formula guard would turn into text ('-3).
  return stringify([[...HISTORY_CSV_COLUMNS], ...rows], { bom: opts.bom ?? false });
}
