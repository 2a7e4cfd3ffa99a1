/**
 * The end-of-run summary of `mfa-ready collect` (and of `audit --tenant` / `audit --demo`, which
 * collect first): per part rows and status, what each missed part costs and how to get it, and what
 * Graph was asked. Pure: a `CollectResult` in, text out.
 */
import type { CollectPart } from '../domain/collection.js';
import type { CollectResult, PartResult } from '../domain/collect-result.js';
import type { Bucket, GraphStats } from '../domain/graph-run.js';
import { makeColors } from './colors.js';
import type { Colors } from './colors.js';
import {
  counted,
  failureBrief,
  failureFix,
  formatCount,
  formatDuration,
  lossEffects,
  lossText,
  methodsReasonText,
  partLabel,
  skipText,
  statusBrief,
} from './collect-words.js';
import { evidenceReach } from './evidence-reach.js';
import { formatTime, wrap } from './format.js';
import { safeText } from './sanitize.js';

export interface CollectSummaryOptions {
  /**
   * `full`: every part, the per-user methods step and the Graph figures. `problems`: only what was
   * missed (for `--quiet`, and after `audit --tenant`, whose report follows on standard output).
   */
  detail: 'full' | 'problems';
  color: boolean;
  /** Terminal width; 100 when unknown. */
  width?: number;
  /** Said after the throttling wait, e.g. `emulated time`: the demo's clock runs faster than the wall. */
  clockNote?: string;
  /**
   * The collection goes into the history database: its folder is a staging one, gone once the run is
   * stored, so what is left to read is read by the next collection, not by resuming the folder.
   */
  intoHistory?: boolean;
}

export interface CollectGaps {
  /** Parts that were asked for but not collected (failed, not offered in the cloud, no input). */
  missed: PartResult[];
  /** Per-user or per-group requests that failed although their part went on. */
  failedEntities: number;
  /**
   * False when nothing the assessment can use was collected: every requested part failed, or the
   * user list and the registration report were both asked for and neither could be read.
   */
  usable: boolean;
}

/** What the run missed, and whether what it got can be assessed at all. Pure. */
export function collectGaps(result: CollectResult): CollectGaps {
  const requested = result.parts.filter(
    (p) => p.part !== 'tenant' && !(p.status.state === 'skipped' && p.status.reason.code === 'not-requested'),
  );
  const complete = (p: PartResult) => p.status.state === 'complete';
  const missed = requested.filter(
    (p) =>
      p.status.state === 'failed' ||
      (p.status.state === 'skipped' && p.status.reason.code !== 'nothing-to-fetch'),
  );
  const userSources = requested.filter((p) => p.part === 'users' || p.part === 'registration');
  const usable = requested.some(complete) && (userSources.length === 0 || userSources.some(complete));
  const failedEntities = (result.methods?.failed.length ?? 0) + (result.groups?.failed.length ?? 0);
  return { missed, failedEntities, usable };
}

const BUCKET_WORDS = {
  reports: 'reports',
  signInActivity: 'signInActivity',
  directory: 'directory',
  conditionalAccess: 'Conditional Access',
} as const satisfies Record<Bucket, string>;

const DEFAULT_WIDTH = 100;

/** Renders the summary; an empty string for `problems` when nothing was missed. */
export function renderCollectSummary(result: CollectResult, options: CollectSummaryOptions): string {
  const c = makeColors(options.color);
  const width = Math.max(40, options.width ?? DEFAULT_WIDTH);
  const gaps = collectGaps(result);
  const lines: string[] = [];
  if (options.detail === 'full') {
    lines.push(...heading(result, gaps, c, width), '', ...partTable(result), '');
    lines.push(...methodsLines(result, width, options.intoHistory === true), ...groupsLines(result, width));
    if (result.stats !== undefined) lines.push(...graphLines(result.stats, width, options.clockNote));
  }
  lines.push(...entityWarnings(result, c, width));
  if (gaps.missed.length > 0) lines.push(...missedSection(gaps.missed, c, width));
  while (lines[lines.length - 1] === '') lines.pop();
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

function heading(result: CollectResult, gaps: CollectGaps, c: Colors, width: number): string[] {
  const requested = result.parts.filter(
    (p) => p.part !== 'tenant' && !(p.status.state === 'skipped' && p.status.reason.code === 'not-requested'),
  ).length;
  const title = `Collected tenant ${safeText(result.tenantId)} (${result.cloud} cloud) into ${safeText(result.outDir)}`;
  const verdict =
    gaps.missed.length === 0
      ? `Collection complete: ${requested} of ${requested} requested parts.`
      : `Collection finished with gaps: ${gaps.missed.length} of ${requested} requested parts not collected (see below).`;
  const paint = gaps.missed.length === 0 ? c.green : c.yellow;
  const lines = [...wrap(title, width).map((l) => c.bold(l)), ...wrap(verdict, width).map((l) => paint(l))];
  const when = [`data as of ${formatTime(result.collectedAt)}`];
  const reach = collectedReach(result);
  if (reach !== undefined) when.push(reach);
  lines.push(...indent(wrap(when.join(' · '), width - 2), '  ').map((l) => c.dim(l)));
  if (result.replaced === true)
    lines.push(c.dim('  replaced: the new collection took the place of the old one, which was removed'));
  if (result.replaced === false) {
    lines.push(
      ...indent(
        wrap(
          'not replaced: nothing usable was collected, so the old collection was kept as it was',
          width - 2,
        ),
        '  ',
      ).map((l) => c.yellow(l)),
    );
  }
  if (result.resumed)
    lines.push(c.dim('  resumed: what the earlier run completed was kept, not fetched again'));
  return lines;
}

/** How far back the sign-ins and audits this run asked for reach (evidence-reach.ts). */
function collectedReach(result: CollectResult): string | undefined {
  const asked = (...parts: CollectPart[]) =>
    result.parts.some(
      (p) =>
        parts.includes(p.part) && !(p.status.state === 'skipped' && p.status.reason.code === 'not-requested'),
    )
      ? { present: true, rows: 0 }
      : undefined;
  return evidenceReach({
    collectedAt: result.collectedAt,
    windows: {
      signIns: result.windows.signInsSince,
      appSignIns: result.windows.appSignInsSince,
      audits: result.windows.auditsSince,
    },
    signIns: asked('signInsInteractive', 'signInsNonInteractive'),
    audits: asked('audits'),
  });
}

function partTable(result: CollectResult): string[] {
  const rows = result.parts.map((p) => {
    const notRequested = p.status.state === 'skipped' && p.status.reason.code === 'not-requested';
    const blank = notRequested || (p.rows === 0 && p.pages === 0 && p.status.state !== 'complete');
    const notes: string[] = [];
    if (p.fromCheckpoint === true) notes.push('from the earlier run');
    if (p.restarts !== undefined && p.restarts > 0) {
      notes.push(
        `restarted ${p.restarts}× after a refused link, ${formatCount(p.duplicatesSkipped ?? 0)} duplicates dropped`,
      );
    }
    const status = statusBrief(p.part, p.status) + (notes.length > 0 ? ` (${notes.join('; ')})` : '');
    return [
      partLabel(p.part),
      blank ? '–' : formatCount(p.rows),
      blank ? '–' : formatCount(p.pages),
      safeText(status),
    ];
  });
  const head = ['Part', 'Rows', 'Pages', 'Status'];
  const w = [0, 1, 2].map((i) => Math.max(head[i]!.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    `  ${r[0]!.padEnd(w[0]!)}  ${r[1]!.padStart(w[1]!)}  ${r[2]!.padStart(w[2]!)}  ${r[3]}`;
  return [line(head), ...rows.map(line)];
}

function methodsLines(result: CollectResult, width: number, intoHistory: boolean): string[] {
  const m = result.methods;
  if (m === undefined) return [];
  const reasons = Object.entries(m.reasons)
    .filter(([reason]) => reason !== 'phone-only')
    .sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0))
    .map(([reason, n]) => `${formatCount(n ?? 0)} ${methodsReasonText(reason as keyof typeof m.reasons)}`);
  const chosen =
    m.mode === 'open'
      ? `${formatCount(m.planned)} users the bulk data left open were chosen` +
        (reasons.length > 0 ? ` (${reasons.join(', ')})` : '')
      : `${formatCount(m.planned)} users whose list decides whether they are ready were chosen`;
  let text =
    `Per-user methods: ${chosen}; ${formatCount(m.fetched)} fetched now` +
    (m.alreadyWritten > 0 ? `, ${formatCount(m.alreadyWritten)} already in the folder` : '') +
    '.';
  if (m.deferred > 0) {
    const why =
      m.requested === 'auto'
        ? `reading them would take about ${formatDuration(m.deferredMinutes * 60_000)} at Graph's 5 requests per 10 s, over the ${m.budgetMinutes}-minute --methods-budget`
        : `--methods ${m.mode}`;
    text +=
      ` ${counted(m.deferred, 'more open user')} not read (${why}): ${restsOn(result)}, which cannot tell an` +
      ' Authenticator never verified before the audit log began from no method, nor name the method a policy' +
      (intoHistory
        ? ' refuses. To read them: collect again with --methods open (the history keeps what was read, and the next collection reads the lists it does not have).'
        : ' refuses. To read them: collect again with --resume --only methods --methods open into the same folder.');
  }
  const phoneOnly = m.needs.length - m.planned - m.deferred;
  if (m.mode === 'open' && phoneOnly > 0) {
    text += ` ${counted(phoneOnly, 'user')} with phone methods only not fetched: the report already names their phone methods.`;
  }
  return indent(wrap(text, width - 2), '  ');
}

/**
 * What the verdicts of users without a methods list rest on: only the sources this collection read
 * (a failed registration report or audit log is not cited), and what follows when none names a user.
 */
function restsOn(result: CollectResult): string {
  const complete = (...parts: PartResult['part'][]) =>
    result.parts.some((p) => parts.includes(p.part) && p.status.state === 'complete');
  const sources: string[] = [];
  if (complete('registration')) sources.push('the registration report');
  if (complete('audits')) sources.push('the audit log');
  if (complete('signInsInteractive', 'signInsNonInteractive')) sources.push('sign-ins');
  if (sources.length === 0) return 'nothing else was read about them, so their verdict is "unknown"';
  const list =
    sources.length === 1 ? sources[0]! : `${sources.slice(0, -1).join(', ')} and ${sources.at(-1)!}`;
  return `their verdicts rest on ${list} (a user none of these names is "unknown")`;
}

function groupsLines(result: CollectResult, width: number): string[] {
  const g = result.groups;
  if (g === undefined || g.groups.length === 0) return [];
  const count = (why: string) => g.groups.filter((x) => x.why.some((w) => w === why)).length;
  const why = [
    ['conditional-access', 'named by Conditional Access'],
    ['methods-policy', 'targeted by the methods policy'],
    ['scope', 'given as --scope-group'],
    ['role', 'holding a role Conditional Access names'],
  ]
    .map(([code, words]) => [count(code!), words] as const)
    .filter(([n]) => n > 0)
    .map(([n, words]) => `${n} ${words}`);
  const text = `Group members: ${formatCount(g.groups.length)} groups whose members matter (${why.join(', ')}).`;
  return indent(wrap(text, width - 2), '  ');
}

function graphLines(stats: GraphStats, width: number, clockNote: string | undefined): string[] {
  const buckets = (Object.keys(BUCKET_WORDS) as Bucket[])
    .filter((b) => stats.requestsByBucket[b] > 0)
    .map((b) => `${BUCKET_WORDS[b]} ${formatCount(stats.requestsByBucket[b])}`);
  const total = (Object.keys(BUCKET_WORDS) as Bucket[]).reduce((n, b) => n + stats.requestsByBucket[b], 0);
  const wait = formatDuration(stats.throttleWaitMs) + (clockNote !== undefined ? ` (${clockNote})` : '');
  const text =
    `Graph: ${formatCount(total)} requests` +
    (buckets.length > 0 ? ` (${buckets.join(' · ')})` : '') +
    ` in ${formatCount(stats.httpRoundTrips)} round trips (${formatCount(stats.batches)} $batch); ` +
    `${formatCount(stats.throttled)} answered 429; ${wait} waiting for throttling; ` +
    `${formatCount(stats.retries)} retries.`;
  return indent(wrap(text, width - 2), '  ');
}

function entityWarnings(result: CollectResult, c: Colors, width: number): string[] {
  const lines: string[] = [];
  const add = (text: string) => {
    const [first = '', ...rest] = wrap(text, width - 4);
    lines.push(`  ${c.yellow('!')} ${first}`, ...indent(rest, '    '));
  };
  const m = result.methods;
  if (m !== undefined && m.failed.length > 0) {
    add(
      `The methods of ${counted(m.failed.length, 'user')} could not be read (first: ${safeText(m.failed[0]!.failure.message)}); ${restsOn(result)}. Run again with --resume to fetch them.`,
    );
  }
  if (m !== undefined && m.notFound.length > 0) {
    add(`${counted(m.notFound.length, 'user')} deleted while the collection ran: not assessed.`);
  }
  const g = result.groups;
  if (g !== undefined && g.failed.length > 0) {
    add(
      `The members of ${counted(g.failed.length, 'group')} could not be read (first: ${safeText(g.failed[0]!.failure.message)}).`,
    );
  }
  for (const p of result.parts) {
    if (p.unread === undefined) continue;
    const f = p.unread.failure;
    const losses = (p.lost ?? []).map((loss) => {
      const effects = lossEffects(loss);
      return ` Lost: ${lossText(loss.code)}${effects !== '' ? ` (${effects})` : ''}.`;
    });
    add(
      `${partLabel(p.part)}: collected, but the federation configuration of ${counted(p.unread.items.length, 'federated domain')} (${p.unread.items.map(safeText).join(', ')}) could not be read: ${safeText(f.endpoint)} answered ${f.status > 0 ? f.status : 'nothing'}, ${failureBrief(f)}.${losses.join('')} ${failureFix(f).join(' ')}`.trimEnd(),
    );
  }
  for (const value of g?.unresolvedScope ?? []) {
    add(
      `--scope-group ${safeText(value)} matched no group id or display name: no members were collected for it.`,
    );
  }
  return lines.length > 0 ? ['', ...lines] : [];
}

function missedSection(missed: PartResult[], c: Colors, width: number): string[] {
  const lines = ['', c.bold(c.yellow('Not collected, and what the assessment loses without it:'))];
  // The same fix (one permission) often covers several parts: say each once, after the losses.
  const fixes = new Set<string>();
  for (const p of missed) {
    const status = p.status;
    const detail: string[] = [];
    let what = '';
    if (status.state === 'failed') {
      const f = status.failure;
      what = `${f.endpoint} answered ${f.status > 0 ? f.status : 'nothing'}: ${failureBrief(f)}`;
      for (const fix of failureFix(f)) fixes.add(fix);
      if (f.kind !== 'permission-missing' && f.kind !== 'licence-required') {
        detail.push(`Graph said: ${safeText(f.message)}`);
        if (f.requestId !== undefined) detail.push(`request-id ${safeText(f.requestId)}`);
      }
    } else if (status.state === 'skipped') {
      what =
        status.reason.code === 'unavailable-in-cloud'
          ? status.reason.message
          : skipText(p.part, status.reason);
    }
    lines.push(
      ...hanging(`${c.red('✗')} ${c.bold(partLabel(p.part))}: ${safeText(what)}`, '  ', '      ', width),
    );
    for (const loss of p.lost ?? []) {
      const effects = lossEffects(loss);
      detail.push(`Lost: ${lossText(loss.code)}${effects !== '' ? ` (${effects})` : ''}`);
    }
    for (const d of detail) lines.push(...hanging(d, '    ', '      ', width));
  }
  if (missed.some((p) => p.status.state === 'failed')) {
    fixes.add('Then run the same command again with --resume: only what is missing is fetched.');
    lines.push('', c.bold('To get them:'));
    for (const fix of fixes) lines.push(...hanging(`- ${fix}`, '  ', '    ', width));
  }
  return lines;
}

/** `text` wrapped to `width`: the first line after `first`, the others after `rest`. */
function hanging(text: string, first: string, rest: string, width: number): string[] {
  const [head = '', ...tail] = wrap(text, width - rest.length);
  return [`${first}${head}`, ...indent(tail, rest)];
}

function indent(lines: string[], prefix: string): string[] {
  return lines.map((l) => `${prefix}${l}`);
}
