import type { Evidence, UserAssessment } from '../domain/verdict.js';
import { methodName } from './action-messages.js';
import { makeColors, verdictPaint } from './colors.js';
import { formatTime, logEvidenceAge, parseTime, wrap } from './format.js';
import {
  actionText,
  confidenceLabel,
  evidenceText,
  exclusionLabel,
  methodKindLabel,
  methodStateLabel,
  sourceLabel,
  verdictLabel,
  verdictMeaning,
} from './messages.js';
import { safeText } from './sanitize.js';
import { coveredByText } from './covered-by-words.js';
import { displayWidth, padDisplay } from './text-width.js';

export interface UserDetailOptions {
  color: boolean;
  /** Wrap long lines to this many columns; 100 when unknown. */
  width?: number;
  /** The report's clock: sign-in and audit findings older than Entra's log retention say their age. */
  now?: string;
}

/**
 * Evidence in time order, undated findings (report flags, policy facts) last. The sort is stable, so
 * findings with the same time keep the engine's order, which is the order they happened in.
 */
export function timeline(evidence: readonly Evidence[]): Evidence[] {
  const key = (e: Evidence): number => parseTime(e.at) ?? Number.POSITIVE_INFINITY;
  return [...evidence].sort((a, b) => {
    const x = key(a);
    const y = key(b);
    return x === y ? 0 : x < y ? -1 : 1;
  });
}

/** `label` padded, then `text` wrapped with a hanging indent under the text column. */
function labelled(label: string, text: string, labelWidth: number, width: number): string[] {
  const lines = wrap(text, Math.max(20, width - labelWidth));
  return lines.map((l, i) => `${i === 0 ? label.padEnd(labelWidth) : ' '.repeat(labelWidth)}${l}`);
}

function flags(u: UserAssessment): string[] {
  const out: string[] = [];
  if (u.isAdmin) out.push('admin');
  if (u.weak) out.push('weak: only phone (SMS/voice) methods are usable');
  if (u.verdict === 'excluded' || u.exclusion !== undefined) {
    out.push(`excluded: ${u.exclusion === undefined ? 'reason not recorded' : exclusionLabel(u.exclusion)}`);
  }
  return out.length > 0 ? out : ['none'];
}

/**
 * `mfa-ready audit --user UPN`, for the helpdesk: who the user is, the verdict and how sure it is, each
 * method with its state, the evidence as a timeline, and what to do next.
 */
export function renderUserDetail(u: UserAssessment, opts: UserDetailOptions): string {
  const c = makeColors(opts.color);
  const width = Math.max(60, opts.width ?? 100);
  const paint = verdictPaint(c, u.verdict);
  const lines: string[] = [];

  const name = safeText(u.displayName);
  const title = name === '' ? safeText(u.userPrincipalName) : `${name} <${safeText(u.userPrincipalName)}>`;
  lines.push(...wrap(title, width).map((l) => c.bold(l)));
  lines.push(c.dim(`id ${safeText(u.id)}`), '');

  // Wrap the plain text first, then colour the verdict word: escapes must not count towards the width.
  const label = verdictLabel(u.verdict).toUpperCase();
  const verdictLines = labelled('Verdict', `${label}: ${verdictMeaning(u.verdict)}`, 12, width);
  lines.push(...verdictLines.map((l, i) => (i === 0 ? l.replace(label, paint(label)) : l)));
  lines.push(...labelled('Confidence', confidenceLabel(u.confidence), 12, width));
  flags(u).forEach((f, i) => lines.push(...labelled(i === 0 ? 'Flags' : '', f, 12, width)));
  lines.push(...labelled('Covered by', coveredByText(u.coveredBy), 12, width));
  lines.push('');

  lines.push(c.bold('Methods'));
  // "None listed" would read as "has none" for a user whose methods nobody read.
  if (u.methods.length === 0)
    lines.push(u.verdict === 'unknown' ? '  unknown: no list of their methods was read' : '  none listed');
  const described = u.methods.map((m) => {
    const device = methodName(u, m.id);
    return { m, what: `${methodKindLabel(m.type)}${device === undefined ? '' : ` "${device}"`}` };
  });
  // Columns line up by display width: device names can be CJK or carry emoji.
  const whatWidth = Math.min(48, Math.max(0, ...described.map((d) => displayWidth(d.what))) + 2);
  const stateWidth = Math.max(0, ...u.methods.map((m) => methodStateLabel(m.state).length)) + 2;
  // One row per method when every row fits the width, else each method as a small block (same for all).
  const oneRow = described.every(
    ({ m, what }) =>
      2 + Math.max(whatWidth, displayWidth(what)) + stateWidth + displayWidth(`id ${safeText(m.id)}`) <=
      width,
  );
  for (const { m, what } of described) {
    const state = padDisplay(methodStateLabel(m.state), stateWidth);
    const painted =
      m.state === 'usable' ? c.green(state) : m.state === 'not-mfa' ? c.dim(state) : c.yellow(state);
    const id = `id ${safeText(m.id)}`;
    if (oneRow) {
      lines.push(`  ${padDisplay(what, whatWidth)}${painted}${c.dim(id)}`);
    } else {
      // Too narrow for one row: the method, then its state and its id (kept whole, it is for copying) below.
      const stateText = methodStateLabel(m.state);
      const paint = m.state === 'usable' ? c.green : m.state === 'not-mfa' ? c.dim : c.yellow;
      lines.push(...wrap(what, width - 2).map((l) => `  ${l}`));
      lines.push(...wrap(stateText, width - 4).map((l) => `    ${paint(l)}`), `    ${c.dim(id)}`);
    }
  }
  lines.push('');

  lines.push(c.bold('Evidence timeline (UTC)'));
  if (u.evidence.length === 0) lines.push('  no evidence recorded');
  for (const e of timeline(u.evidence)) {
    const when = e.at === null ? 'undated' : formatTime(e.at).replace(/ UTC$/, '');
    const prefix = `  ${when.padEnd(21)}${sourceLabel(e.source).padEnd(14)}`;
    const age = logEvidenceAge(e, opts.now);
    const text = `${evidenceText(e)}${age === undefined ? '' : ` (${age})`} [ref ${safeText(e.ref)}]`;
    wrap(safeText(text), Math.max(20, width - prefix.length)).forEach((l, i) =>
      lines.push(i === 0 ? `${c.dim(prefix)}${l}` : `${' '.repeat(prefix.length)}${l}`),
    );
  }
  lines.push('');

  lines.push(c.bold('Next action'));
  for (const l of wrap(safeText(actionText(u.action, u)), width - 2)) lines.push(`  ${l}`);
  return `${lines.join('\n')}\n`;
}
