import Table from 'cli-table3';
import { DATASET_FILES, DATASETS } from '../domain/datasets.js';
import type { Assessment, UserAssessment } from '../domain/verdict.js';
import { VERDICT_SEVERITY } from '../domain/verdict.js';
import { makeColors, verdictPaint } from './colors.js';
import type { Colors } from './colors.js';
import { evidenceReach } from './evidence-reach.js';
import { renderGrid } from './grid.js';
import { displayWidth } from './text-width.js';
import { formatAge, formatPercent, formatTime, plural, wrap } from './format.js';
import { actionBrief, datasetWords, reasonText, verdictLabel, verdictMeaning } from './messages.js';
import { safeText } from './sanitize.js';
import { missingDatasets, readiness, usersNeedingAction } from './summary.js';

export interface TableOptions {
  /** Emit ANSI colour. The caller decides (TTY, NO_COLOR); with false no escape sequence is written. */
  color: boolean;
  /** Terminal width in columns; 120 when unknown (piped output). */
  width?: number;
  /** List at most this many users who need action (the counts always cover everyone). */
  limit?: number;
}

const DEFAULT_WIDTH = 120;
/** Below this the four-column table gets too narrow to read, so users are listed as blocks instead. */
const MIN_TABLE_WIDTH = 80;

/** cli-table3 must not colour anything itself: its colour library looks at the TTY, not at our flag. */
const PLAIN_STYLE = { head: [], border: [] };

function header(a: Assessment, c: Colors, width: number): string[] {
  const name = a.tenant.displayName ?? a.tenant.tenantId ?? 'unknown tenant';
  const id =
    a.tenant.displayName !== undefined && a.tenant.tenantId !== undefined ? ` (${a.tenant.tenantId})` : '';
  const lines = [c.bold(`mfa-ready audit · ${safeText(name)}${safeText(id)}`)];
  const when = [`generated ${formatTime(a.generatedAt)}`];
  if (a.tenant.collectedAt !== undefined) when.push(`data collected ${formatTime(a.tenant.collectedAt)}`);
  if (a.coverage.registration.present) {
    const refreshed = a.coverage.reportRefreshedAt;
    const age = formatAge(refreshed, a.generatedAt);
    when.push(
      refreshed === undefined
        ? 'registration report refresh time unknown'
        : `registration report refreshed ${formatTime(refreshed)}${age === undefined ? '' : ` (${age} before)`}`,
    );
  }
  const joined = when.join(' · ');
  lines.push(...(joined.length <= width ? [joined] : when).map((l) => c.dim(l)));
  const reach = evidenceReach({
    collectedAt: a.tenant.collectedAt,
    windows: a.tenant.windows,
    signIns: a.coverage.signIns,
    audits: a.coverage.audits,
  });
  if (reach !== undefined) lines.push(...wrap(reach, width).map((l) => c.dim(l)));
  return lines;
}

/** Datasets the collection stopped before reading in full (`audit --allow-incomplete`). */
function incompleteWarnings(a: Assessment, c: Colors, width: number): string[] {
  const incomplete = DATASETS.filter((d) => a.coverage[d].incomplete === true);
  if (incomplete.length === 0) return [];
  const text =
    `Incomplete collection: it stopped before reading in full ${incomplete.map((d) => datasetWords(d).label).join(', ')}. ` +
    'Verdicts rest on part of the evidence; finish it with mfa-ready collect --resume into the same folder.';
  return wrap(text, width).map((l) => c.yellow(c.bold(l)));
}

function coverageWarnings(a: Assessment, c: Colors, width: number): string[] {
  const missing = missingDatasets(a);
  if (missing.length === 0) return [];
  const lines = [c.yellow('Missing data, so verdicts rest on less:')];
  for (const d of missing) {
    const words = datasetWords(d);
    const text = `${words.label} (${DATASET_FILES[d]}): ${words.cost}`;
    wrap(text, width - 4).forEach((line, i) => lines.push(`${i === 0 ? '  - ' : '    '}${line}`));
  }
  return lines;
}

function summarySection(a: Assessment, c: Colors, width: number): string[] {
  // The meaning column only when it has room to be read; the counts matter more.
  const meaningWidth = Math.min(width, DEFAULT_WIDTH) - 32;
  const withMeaning = meaningWidth >= 30;
  const counts = new Table({
    head: (withMeaning ? ['Verdict', 'Users', 'Meaning'] : ['Verdict', 'Users']).map((h) => c.bold(h)),
    style: { ...PLAIN_STYLE, compact: true },
    colAligns: ['left', 'right', 'left'],
    colWidths: withMeaning ? [20, 8, meaningWidth] : [20, 8],
    wordWrap: true,
  });
  for (const v of VERDICT_SEVERITY) {
    const row = [verdictPaint(c, v)(verdictLabel(v)), String(a.summary[v])];
    counts.push(withMeaning ? [...row, verdictMeaning(v)] : row);
  }

  const r = readiness(a);
  const lines = [c.bold('Summary'), counts.toString()];
  const pct = formatPercent(r.ready, r.inScope);
  lines.push(
    `${c.bold(`${pct} ready`)}: ${r.ready} of ${r.inScope} enabled members in scope` +
      (r.excluded > 0 ? ` (${plural(r.excluded, 'excluded user')} not counted)` : ''),
  );
  if (r.ready > 0) {
    const { proven, registered, reported } = r.byConfidence;
    let detail = `of the ready: ${proven} proven by an MFA sign-in, ${registered} by a completed registration, ${reported} reported only`;
    if (r.weak > 0) detail += `; ${r.weak} rely only on phone (SMS/voice)`;
    lines.push(...wrap(detail, width - 2).map((l) => c.dim(`  ${l}`)));
  }
  if (r.adminsNotReady.length > 0) {
    const shown = r.adminsNotReady
      .slice(0, 5)
      .map((u) => `${safeText(u.userPrincipalName)} (${verdictLabel(u.verdict)})`);
    const more =
      r.adminsNotReady.length > shown.length ? `, and ${r.adminsNotReady.length - shown.length} more` : '';
    const text = `Admins not ready: ${r.adminsNotReady.length}: ${shown.join(', ')}${more}`;
    lines.push(...wrap(text, width).map((l) => c.red(c.bold(l))));
  }
  return lines;
}

/** Pre-wrapped cell text, so long tokens (Graph paths, UPNs) wrap instead of being cut off with "…". */
function cellLines(text: string, width: number): string {
  return wrap(text, width - 2).join('\n');
}

function userCell(u: UserAssessment, c: Colors, width: number): string {
  const lines = [cellLines(safeText(u.userPrincipalName), width)];
  if (u.isAdmin) lines.push(c.red('admin'));
  if (u.displayName !== '') lines.push(c.dim(cellLines(safeText(u.displayName), width)));
  return lines.join('\n');
}

function usersTable(users: UserAssessment[], c: Colors, width: number): string {
  // Fixed verdict column, UPN column sized to the longest UPN within bounds, the rest split 45/55
  // between reason and action. Five border characters per row.
  const verdictWidth = 19;
  const longest = users.reduce((m, u) => Math.max(m, displayWidth(safeText(u.userPrincipalName)) + 2), 0);
  // UPNs are what admins copy into the next command: keep them whole while the other columns keep 50.
  const userWidth = Math.min(
    Math.max(longest, 16),
    Math.max(36, Math.min(52, width - 5 - verdictWidth - 50)),
  );
  const rest = width - 5 - verdictWidth - userWidth;
  const reasonWidth = Math.floor(rest * 0.45);
  const actionWidth = rest - reasonWidth;
  const rows = users.map((u) => [
    verdictPaint(c, u.verdict)(verdictLabel(u.verdict)),
    userCell(u, c, userWidth),
    cellLines(safeText(reasonText(u)), reasonWidth),
    cellLines(safeText(actionBrief(u.action, u)), actionWidth),
  ]);
  return renderGrid(rows, {
    head: ['Verdict', 'User', 'Why', 'Next action'].map((h) => c.bold(h)),
    widths: [verdictWidth, userWidth, reasonWidth, actionWidth],
  });
}

/** Narrow terminals: one block per user, wrapped to the width. */
function usersBlocks(users: UserAssessment[], c: Colors, width: number): string {
  const out: string[] = [];
  for (const u of users) {
    const admin = u.isAdmin ? ` ${c.red('admin')}` : '';
    out.push(
      `${verdictPaint(c, u.verdict)(verdictLabel(u.verdict).toUpperCase())}  ${safeText(u.userPrincipalName)}${admin}`,
    );
    wrap(safeText(reasonText(u)), width - 8).forEach((l, i) =>
      out.push(`  ${i === 0 ? 'why: ' : '     '} ${l}`),
    );
    wrap(safeText(actionBrief(u.action, u)), width - 8).forEach((l, i) =>
      out.push(`  ${i === 0 ? 'do:  ' : '     '} ${l}`),
    );
    out.push('');
  }
  return out.join('\n').trimEnd();
}

function actionList(a: Assessment, c: Colors, width: number, limit: number | undefined): string[] {
  const all = usersNeedingAction(a);
  if (all.length === 0) return [c.green('No user needs action before enforcement.')];
  const shown = limit === undefined ? all : all.slice(0, Math.max(0, limit));
  const lines = [c.bold(`Users who need action: ${all.length}, worst first`)];
  if (shown.length > 0) {
    lines.push(width >= MIN_TABLE_WIDTH ? usersTable(shown, c, width) : usersBlocks(shown, c, width));
  }
  if (shown.length < all.length) {
    lines.push(c.dim(`… and ${all.length - shown.length} more: --format csv or json lists everyone.`));
  }
  lines.push(
    c.dim('Full steps (portal path, Graph call) and the evidence timeline: mfa-ready audit --user UPN'),
  );
  return lines;
}

/**
 * `mfa-ready audit` for people: header and coverage, the summary with % ready among enabled members in
 * scope, then the users who need action, worst first. Ready and excluded users are only counted.
 */
export function renderTable(a: Assessment, opts: TableOptions): string {
  const c = makeColors(opts.color);
  const width = Math.max(40, opts.width ?? DEFAULT_WIDTH);
  const sections = [
    header(a, c, width),
    incompleteWarnings(a, c, width),
    coverageWarnings(a, c, width),
    summarySection(a, c, width),
    actionList(a, c, width, opts.limit),
  ].filter((s) => s.length > 0);
  return `${sections.map((s) => s.join('\n')).join('\n\n')}\n`;
}
