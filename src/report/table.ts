import { unknownMfaResultDetailsText } from './mfa-result-words.js';
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
import { datasetLabels, populationGroupLabel } from './labels.js';
import { coverageLines } from './coverage-words.js';
import { coveredBySummaryLines } from './covered-by-words.js';
import { readiness, serviceAccounts, usersNeedingAction } from './summary.js';
import { skippedDatasets, skippedRecordsText } from './skipped-records.js';

export interface TableOptions {
  /** Emit ANSI colour. The caller decides (TTY, NO_COLOR); with false no escape sequence is written. */
  color: boolean;
  /** Width in columns, every line fits it; 100 when unknown (the CLI passes the terminal's or COLUMNS). */
  width?: number;
  /** List at most this many users who need action (the counts always cover everyone). */
  limit?: number;
  /** Only the header and the verdict summary: no list of users (`--summary`). */
  summaryOnly?: boolean;
}

const DEFAULT_WIDTH = 100;
/** The summary's meaning column stops growing here: a longer line is harder to read, not easier. */
const MAX_SUMMARY_WIDTH = 120;
/** Below this the four-column table gets too narrow to read, so users are listed as blocks instead. */
const MIN_TABLE_WIDTH = 100;

/** cli-table3 must not colour anything itself: its colour library looks at the TTY, not at our flag. */
const PLAIN_STYLE = { head: [], border: [] };

function header(a: Assessment, c: Colors, width: number): string[] {
  const name = a.tenant.displayName ?? a.tenant.tenantId ?? 'unknown tenant';
  const id =
    a.tenant.displayName !== undefined && a.tenant.tenantId !== undefined ? ` (${a.tenant.tenantId})` : '';
  const title = `mfa-ready audit · ${safeText(name)}${safeText(id)}`;
  const lines = wrap(title, width).map((l) => c.bold(l));
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
  lines.push(
    ...(joined.length <= width ? [joined] : when.flatMap((w) => wrap(w, width))).map((l) => c.dim(l)),
  );
  const reach = evidenceReach({
    collectedAt: a.tenant.collectedAt,
    windows: a.tenant.windows,
    signIns: a.coverage.signIns,
    audits: a.coverage.audits,
  });
  if (reach !== undefined) lines.push(...wrap(reach, width).map((l) => c.dim(l)));
  lines.push(...populationLines(a, c, width));
  return lines;
}

/** Up to this many scope groups or excluded users are named in the header; the JSON lists them all. */
const NAMED_IN_HEADER = 5;

function namedList(names: string[]): string {
  const shown = names.slice(0, NAMED_IN_HEADER);
  const more = names.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
}

/**
 * Who the figures below count, and a warning when the evidence is much older than the clock: a report
 * must say what it was computed on, or an empty or shifted population passes for an all-clear.
 */
function populationLines(a: Assessment, c: Colors, width: number): string[] {
  const p = a.population;
  const group = populationGroupLabel;
  let text = `population: ${plural(p.users, 'user')}, `;
  text +=
    p.scopeGroups.length === 0
      ? 'everyone in the export'
      : `members of ${namedList(p.scopeGroups.map(group))}`;
  const excluding: string[] = [];
  if (p.excludeGroups.length > 0) excluding.push(`members of ${namedList(p.excludeGroups.map(group))}`);
  if (p.excludeUsers.length > 0) {
    const upns = p.excludeUsers.map((u) => u.userPrincipalName);
    excluding.push(`${upns.length === 1 ? 'the user' : 'the users'} ${namedList(upns)}`);
  }
  if (excluding.length > 0) text += `; excluding ${excluding.join(' and ')}`;
  const lines = wrap(safeText(text), width).map((l) => c.dim(l));
  if (p.staleData && p.dataAgeDays !== null) {
    const warning =
      `data collected ${plural(p.dataAgeDays, 'day')} before the clock: loops and recency are judged at ` +
      `${formatTime(p.now)}, so a loop seen in the data is no longer "now" and nothing since the ` +
      `collection is known. Collect again, or pass --now ${p.collectedAt ?? ''} to judge at the collection time.`;
    lines.push(...wrap(safeText(warning), width).map((l) => c.yellow(l)));
  }
  return lines;
}

/** Datasets the collection stopped before reading in full (`audit --allow-incomplete`). */
function incompleteWarnings(a: Assessment, c: Colors, width: number): string[] {
  const incomplete = DATASETS.filter((d) => a.coverage[d].incomplete === true);
  if (incomplete.length === 0) return [];
  const text =
    `Incomplete collection: it stopped before reading in full ${datasetLabels(incomplete)}. ` +
    'Verdicts rest on part of the evidence; finish it with mfa-ready collect (it continues the interrupted collection; ' +
    'for an export folder: --resume into the same folder).';
  return wrap(text, width).map((l) => c.yellow(c.bold(l)));
}

function coverageWarnings(a: Assessment, c: Colors, width: number): string[] {
  const gaps = coverageLines(a.coverage);
  if (gaps.length === 0) return [];
  const empty = gaps.some((g) => g.state === 'empty');
  const lines = [c.yellow(`Missing${empty ? ' or empty' : ''} data, so verdicts rest on less:`)];
  for (const g of gaps) {
    const what =
      g.state === 'empty' ? `${DATASET_FILES[g.dataset]} read, but empty` : DATASET_FILES[g.dataset];
    const text = `${datasetWords(g.dataset).label} (${what}): ${g.cost}`;
    wrap(text, width - 4).forEach((line, i) => lines.push(`${i === 0 ? '  - ' : '    '}${line}`));
  }
  return lines;
}

const SYNC_TOOL_NAMES: Record<string, string> = {
  'entra-connect-sync': 'Entra Connect sync',
  'entra-cloud-sync': 'Entra Cloud Sync',
};

/** Service accounts listed apart: flagged (and how to leave them out), or said to be left out. */
function serviceAccountLines(a: Assessment, c: Colors, width: number): string[] {
  const found = serviceAccounts(a);
  const count = found.users.length;
  if (count === 0) return [];
  const shown = found.users.slice(0, 5).map((u) => safeText(u.userPrincipalName));
  const names = `${shown.join(', ')}${count > shown.length ? `, and ${count - shown.length} more` : ''}`;
  const tools = found.kinds.map((k) => SYNC_TOOL_NAMES[k] ?? k).join(', ');
  const what = `${count === 1 ? '1 account looks like a service account' : `${count} accounts look like service accounts`} (${tools})`;
  const text =
    found.excluded > 0
      ? `${what}, left out by --exclude-service-accounts: ${names}`
      : `${what}: ${names}; add --exclude-service-accounts to leave ${count === 1 ? 'it' : 'them'} out`;
  return wrap(text, width - 2).map((l) => c.yellow(`  ${l}`));
}

/** Records `--skip-bad-records` left out: evidence that was there but not read. */
function skippedWarnings(a: Assessment, c: Colors, width: number): string[] {
  const skipped = skippedDatasets(a.coverage);
  if (skipped.length === 0) return [];
  const lines = [c.yellow('Records left out (--skip-bad-records), so verdicts rest on less:')];
  for (const { skipped: s } of skipped) {
    wrap(skippedRecordsText(s), width - 4).forEach((line, i) =>
      lines.push(`${i === 0 ? '  - ' : '    '}${line}`),
    );
  }
  return lines;
}

/** The MFA result details not known, so not counted as proof: the table can grow from this line. */
function unknownMfaResultDetailsLines(a: Assessment, c: Colors, width: number): string[] {
  const text = unknownMfaResultDetailsText(a.coverage.unknownMfaResultDetails);
  return text === undefined ? [] : wrap(text, width).map((l) => c.yellow(l));
}

function summarySection(a: Assessment, c: Colors, width: number): string[] {
  // The meaning column only when it has room to be read; the counts matter more.
  const meaningWidth = Math.min(width, MAX_SUMMARY_WIDTH) - 32;
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
  const readyLine =
    `${pct} ready: ${r.ready} of ${r.inScope} enabled members in scope` +
    (r.excluded > 0 ? ` (${plural(r.excluded, 'excluded user')} not counted)` : '');
  // Wrapped as plain text, then the figure made bold: escapes must not count towards the width.
  lines.push(
    ...wrap(readyLine, width).map((l, i) =>
      i === 0 ? l.replace(`${pct} ready`, c.bold(`${pct} ready`)) : l,
    ),
  );
  if (r.ready > 0) {
    const { proven, registered, reported } = r.byConfidence;
    // Without the audit log, `registered` can only rest on an MFA sign-in older than the retention.
    const byRegistration = a.coverage.audits.present
      ? `${registered} by a completed registration or an older MFA sign-in`
      : `${registered} by an MFA sign-in older than 30 days`;
    let detail = `of the ready: ${proven} proven by an MFA sign-in, ${byRegistration}, ${reported} reported only`;
    if (r.weak > 0) detail += `; ${r.weak} rely only on phone (SMS/voice)`;
    lines.push(...wrap(detail, width - 2).map((l) => c.dim(`  ${l}`)));
  }
  if (r.unknown > 0) {
    const text =
      `${plural(r.unknown, 'user')} unknown: nothing was read about their methods, so they count as not ready. ` +
      'Read them (mfa-ready collect --methods open; for an export folder: --resume --only methods --methods open ' +
      'into the same folder) and audit again';
    lines.push(...wrap(text, width).map((l) => verdictPaint(c, 'unknown')(l)));
  }
  lines.push(...serviceAccountLines(a, c, width));
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

/** A verdict label wrapped to its column, each line coloured on its own (a colour must not run into the border). */
function verdictCell(u: UserAssessment, c: Colors, width: number): string {
  const paint = verdictPaint(c, u.verdict);
  return wrap(verdictLabel(u.verdict), width - 2)
    .map((l) => paint(l))
    .join('\n');
}

function usersTable(users: UserAssessment[], c: Colors, width: number, now: string): string {
  // Five border characters per row. The verdict column holds "blocked by policy" on one line from 120
  // columns, on two below ("not registered" too). The UPN column is sized to the longest UPN, up to about
  // a third of the rest (a longer UPN wraps after its `@` or a dot); what is left is split about 45/55
  // between reason and action, which carry the most words.
  const verdictWidth = width >= 120 ? 19 : 14;
  const avail = width - 5 - verdictWidth;
  const longest = users.reduce((m, u) => Math.max(m, displayWidth(safeText(u.userPrincipalName)) + 2), 0);
  const userWidth = Math.min(Math.max(longest, 16), Math.max(20, Math.min(52, Math.floor(avail * 0.36))));
  const rest = avail - userWidth;
  // The action gets room for https://aka.ms/mysecurityinfo on one line where it can: a link split in
  // two cannot be clicked.
  const actionWidth = Math.max(Math.ceil(rest * 0.55), Math.min(32, rest - 20));
  const reasonWidth = rest - actionWidth;
  const rows = users.map((u) => [
    verdictCell(u, c, verdictWidth),
    userCell(u, c, userWidth),
    cellLines(safeText(reasonText(u, now)), reasonWidth),
    cellLines(safeText(actionBrief(u.action, u)), actionWidth),
  ]);
  return renderGrid(rows, {
    head: ['Verdict', 'User', 'Why', 'Next action'].map((h) => c.bold(h)),
    widths: [verdictWidth, userWidth, reasonWidth, actionWidth],
  });
}

/** Narrow terminals: one block per user, wrapped to the width. */
function usersBlocks(users: UserAssessment[], c: Colors, width: number, now: string): string {
  const out: string[] = [];
  for (const u of users) {
    const admin = u.isAdmin ? ` ${c.red('admin')}` : '';
    // The heading wrapped as plain text (a long UPN breaks after its `@`), the verdict coloured after.
    const label = verdictLabel(u.verdict).toUpperCase();
    const heading = wrap(`${label}  ${safeText(u.userPrincipalName)}`, width - (u.isAdmin ? 6 : 0));
    heading.forEach((l, i) => out.push(i === 0 ? l.replace(label, verdictPaint(c, u.verdict)(label)) : l));
    if (admin !== '') out[out.length - 1] += admin;
    wrap(safeText(reasonText(u, now)), width - 8).forEach((l, i) =>
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
    lines.push(
      width >= MIN_TABLE_WIDTH
        ? usersTable(shown, c, width, a.generatedAt)
        : usersBlocks(shown, c, width, a.generatedAt),
    );
  }
  if (shown.length < all.length) {
    const more = all.length - shown.length;
    const text =
      `… and ${more} more ${more === 1 ? 'user needs' : 'users need'} action, not listed here: ` +
      'add --format csv --out users.csv to list everyone (one row per user, opens in Excel).';
    lines.push(...wrap(text, width).map((l) => c.dim(l)));
  }
  const steps = 'Full steps (portal path, Graph call) and the evidence timeline: mfa-ready audit --user UPN';
  lines.push(...wrap(steps, width).map((l) => c.dim(l)));
  return lines;
}

/** `--summary`: the count of users who need action and how to list them, in place of the list. */
function actionCount(a: Assessment, c: Colors, width: number): string[] {
  const all = usersNeedingAction(a);
  if (all.length === 0) return [c.green('No user needs action before enforcement.')];
  const text =
    `Users who need action: ${all.length}. Run without --summary to list them worst first ` +
    '(--top N for the N worst), or add --format csv --out users.csv for everyone.';
  return wrap(text, width).map((l, i) =>
    i === 0 ? l.replace(/^Users who need action: \d+\./, (m) => c.bold(m)) : l,
  );
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
    skippedWarnings(a, c, width),
    unknownMfaResultDetailsLines(a, c, width),
    summarySection(a, c, width),
    coveredBySummaryLines(a, c, width),
    opts.summaryOnly === true ? actionCount(a, c, width) : actionList(a, c, width, opts.limit),
  ].filter((s) => s.length > 0);
  return `${sections.map((s) => s.join('\n')).join('\n\n')}\n`;
}
