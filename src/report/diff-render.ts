import { stringify } from 'csv-stringify/sync';
import type { Evidence, Verdict } from '../domain/verdict.js';
import { makeColors, verdictPaint } from './colors.js';
import { csvCell } from './csv.js';
import { formatTime, wrap } from './format.js';
import { evidenceText, methodKindLabel } from './messages.js';
import { safeText } from './sanitize.js';
import type { ChangeKind, MethodChange, UserChange, VerdictDiff } from './verdict-diff.js';
import { CHANGE_KINDS } from './verdict-diff.js';
import { timeline } from './user-detail.js';

/** One side of a comparison: a stored run, or the assessment `audit` just made. */
export interface DiffSide {
  /** The stored run, or null for a fresh assessment. */
  runId: number | null;
  /** When its evidence was collected (else when it was stored), or the audit's clock; null: no run. */
  at: string | null;
  /** `import`, `collect`, `audit` for a fresh assessment, or `none`: nothing to compare with. */
  source: string;
}

export interface DiffRenderOptions {
  color: boolean;
  width?: number;
  /** Evidence lines per user in the table (default 6); JSON and CSV always carry every one. */
  evidencePerUser?: number;
}

const HEADINGS = {
  'lost-ready': 'Ready → not ready',
  worse: 'Worse',
  new: 'New users',
  improved: 'Improved',
  scope: 'Into or out of the counts (excluded)',
  gone: 'Gone',
  detail: 'Same verdict, confidence or method states changed',
} as const satisfies Record<ChangeKind, string>;

/** `run 3 (2024-05-12 12:00 UTC, import)`, `this audit (2024-05-12 12:00 UTC)`. */
export function sideLabel(s: DiffSide): string {
  if (s.source === 'none' || s.at === null) return 'no earlier run';
  const when = formatTime(s.at).replace(/:00 UTC$/, ' UTC');
  return s.runId === null ? `this audit (${when})` : `run ${s.runId} (${when}, ${s.source})`;
}

const verdictWithConfidence = (v: UserChange['before']): string =>
  v === null ? '-' : v.confidence === null ? v.verdict : `${v.verdict} (${v.confidence})`;

function methodLine(m: MethodChange): string {
  const what = `${methodKindLabel(m.type)} ${safeText(m.id)}`;
  if (m.before === null) return `method added: ${what}, ${m.after}`;
  if (m.after === null) return `method removed: ${what} (was ${m.before})`;
  return `method ${what}: ${m.before} → ${m.after}`;
}

function evidenceLine(e: Evidence): string {
  const when = e.at === null ? 'undated' : formatTime(e.at).replace(/:\d\d UTC$/, '');
  return `${when}  ${safeText(evidenceText(e))}`;
}

/** `mfa-ready diff` and `audit --changed` as a table: the transitions counted, then each user, worst news first. */
export function renderDiffTable(
  diff: VerdictDiff,
  from: DiffSide,
  to: DiffSide,
  opts: DiffRenderOptions,
): string {
  const c = makeColors(opts.color);
  const width = Math.max(60, opts.width ?? 100);
  const perUser = opts.evidencePerUser ?? 6;
  const lines: string[] = [];
  lines.push(c.bold(`Changes from ${sideLabel(from)} to ${sideLabel(to)}`));
  const changed = diff.changes.length;
  lines.push(
    changed === 0
      ? `No user changed verdict, confidence or method states (${diff.unchanged} users compared).`
      : `${changed} user${changed === 1 ? '' : 's'} changed, ${diff.unchanged} unchanged.`,
  );
  if (diff.transitions.length > 0) {
    lines.push('', c.bold('Verdict transitions'));
    const texts = diff.transitions.map((t) => `${t.from} → ${t.to}`);
    const w = Math.max(...texts.map((t) => t.length));
    diff.transitions.forEach((t, i) => lines.push(`  ${texts[i]!.padEnd(w)}  ${t.users}`));
  }
  for (const kind of CHANGE_KINDS) {
    const group = diff.changes.filter((ch) => ch.kind === kind);
    if (group.length === 0) continue;
    lines.push('', c.bold(`${HEADINGS[kind]} (${group.length})`));
    for (const ch of group) {
      const name = safeText(ch.displayName);
      const who = `${safeText(ch.userPrincipalName)}${name === '' ? '' : ` (${name})`}`;
      const paint = (v: UserChange['before']) =>
        v === null ? '-' : verdictPaint(c, v.verdict as Verdict)(verdictWithConfidence(v));
      lines.push(`  ${who}: ${paint(ch.before)} → ${paint(ch.after)}`);
      const details = [
        ...ch.methods.map(methodLine),
        // A new user's whole record is "new": the table says so once rather than listing it all.
        ...(ch.kind === 'new' ? [] : timeline(ch.appeared).map((e) => `+ ${evidenceLine(e)}`)),
        ...timeline(ch.disappeared).map((e) => `− no longer: ${evidenceLine(e)}`),
      ];
      for (const d of details.slice(0, perUser))
        wrap(d, width - 6).forEach((l, i) => lines.push(`${i === 0 ? '    ' : '      '}${l}`));
      if (details.length > perUser)
        lines.push(c.dim(`    … ${details.length - perUser} more (--format json lists them all)`));
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The JSON scripts read: both sides, the transitions, every change with its evidence as data. */
export function toDiffJson(diff: VerdictDiff, from: DiffSide, to: DiffSide) {
  const byKind = Object.fromEntries(
    CHANGE_KINDS.map((k) => [k, diff.changes.filter((ch) => ch.kind === k).length]),
  ) as Record<ChangeKind, number>;
  return {
    from,
    to,
    summary: { changed: diff.changes.length, unchanged: diff.unchanged, byKind },
    transitions: diff.transitions,
    changes: diff.changes,
  };
}

export function renderDiffJson(diff: VerdictDiff, from: DiffSide, to: DiffSide): string {
  return `${JSON.stringify(toDiffJson(diff, from, to), null, 2)}\n`;
}

export const DIFF_CSV_COLUMNS = [
  'change',
  'userPrincipalName',
  'displayName',
  'id',
  'verdictBefore',
  'verdictAfter',
  'confidenceBefore',
  'confidenceAfter',
  'methodChanges',
  'evidenceAppeared',
  'evidenceDisappeared',
  'fromRun',
  'toRun',
] as const;

/** One row per changed user, worst news first; cells neutralised against formula injection as audit's. */
export function renderDiffCsv(
  diff: VerdictDiff,
  from: DiffSide,
  to: DiffSide,
  opts: { bom?: boolean } = {},
): string {
  const evidence = (list: readonly Evidence[]) => timeline(list).map(evidenceLine).join('; ');
  const rows = diff.changes.map((ch) =>
    [
      ch.kind,
      ch.userPrincipalName,
      ch.displayName,
      ch.id,
      ch.before?.verdict ?? '',
      ch.after?.verdict ?? '',
      ch.before?.confidence ?? '',
      ch.after?.confidence ?? '',
      ch.methods.map(methodLine).join('; '),
      ch.kind === 'new' ? '' : evidence(ch.appeared),
      evidence(ch.disappeared),
      from.runId === null ? 'audit' : String(from.runId),
      to.runId === null ? 'audit' : String(to.runId),
    ].map(csvCell),
  );
  return stringify([[...DIFF_CSV_COLUMNS], ...rows], { bom: opts.bom ?? false, escape_formulas: true });
}
