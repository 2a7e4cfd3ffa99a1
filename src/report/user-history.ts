import type { Confidence, Evidence, UserAssessment, Verdict } from '../domain/verdict.js';
import { makeColors, verdictPaint } from './colors.js';
import { formatTime, parseTime, wrap } from './format.js';
import { evidenceText, sourceLabel } from './messages.js';
import { safeText } from './sanitize.js';
import { timeline } from './user-detail.js';
import { evidenceKey } from './verdict-diff.js';

/** One stored run as `user --history` lists it. */
export interface UserRunEntry {
  runId: number;
  /** When the run's evidence was collected, else when it was stored. */
  at: string;
  source: string;
  /** The user's stored assessment in that run; undefined: not in that run (or not assessed). */
  assessment?: UserAssessment;
  /** The run was stored without any assessment (first schema). */
  notAssessed?: boolean;
}

export interface UserTimelineItem {
  evidence: Evidence;
  /** The first and last run whose assessment cited it. */
  firstRunId: number;
  lastRunId: number;
  /** Whole days from the finding to `now`; null when undated. */
  ageDays: number | null;
}

export interface UserHistory {
  user: { id: string; userPrincipalName: string; displayName: string };
  /** The clock ages are counted to. */
  now: string;
  runs: {
    runId: number;
    at: string;
    source: string;
    verdict: Verdict | null;
    confidence: Confidence;
    status: 'assessed' | 'absent' | 'not-assessed';
  }[];
  /** Every finding of every run's assessment, once (by code, ref and time), oldest first, undated last. */
  evidence: UserTimelineItem[];
  /** The audit events and sign-ins the history holds about the user (cited or not). */
  storedEvents?: { audits: number; signIns: number; oldest: string | null };
}

const DAY_MS = 86_400_000;

/**
 * Entra keeps sign-ins and audit logs 30 days (7 without a P1/P2 licence):
 * https://learn.microsoft.com/entra/identity/monitoring-health/reference-reports-data-retention. A finding
 * older than that is known only because the history kept it.
 */
export const ENTRA_LOG_DAYS = 30;

/** One user's verdicts over the stored runs and the evidence of all of them, de-duplicated. */
export function userHistory(entries: readonly UserRunEntry[], now: Date): UserHistory {
  const latest = [...entries].reverse().find((e) => e.assessment !== undefined)?.assessment;
  if (latest === undefined) throw new Error('userHistory: the user is in no stored assessment');
  const items = new Map<string, UserTimelineItem>();
  for (const e of entries) {
    for (const ev of e.assessment?.evidence ?? []) {
      const key = evidenceKey(ev);
      const known = items.get(key);
      if (known !== undefined) {
        known.lastRunId = e.runId;
        continue;
      }
      const at = parseTime(ev.at);
      items.set(key, {
        evidence: ev,
        firstRunId: e.runId,
        lastRunId: e.runId,
        ageDays: at === undefined ? null : Math.floor((now.getTime() - at) / DAY_MS),
      });
    }
  }
  const byEvidence = new Map([...items.values()].map((i) => [i.evidence, i]));
  return {
    user: { id: latest.id, userPrincipalName: latest.userPrincipalName, displayName: latest.displayName },
    now: now.toISOString(),
    runs: entries.map((e) => ({
      runId: e.runId,
      at: e.at,
      source: e.source,
      verdict: e.assessment?.verdict ?? null,
      confidence: e.assessment?.confidence ?? null,
      status: e.assessment !== undefined ? 'assessed' : e.notAssessed === true ? 'not-assessed' : 'absent',
    })),
    evidence: timeline([...byEvidence.keys()]).map((ev) => byEvidence.get(ev)!),
  };
}

/** `45 days ago`, `3 hours ago`, `12 minutes ago`. */
export function ageText(at: string | null, now: string): string {
  const a = parseTime(at);
  const b = parseTime(now);
  if (a === undefined || b === undefined) return 'undated';
  const minutes = Math.floor((b - a) / 60_000);
  if (minutes < 0) return 'after now';
  if (minutes < 120) return `${minutes} minute${minutes === 1 ? '' : 's'} ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} hours ago`;
  return `${Math.floor(hours / 24)} days ago`;
}

const shortTime = (iso: string) => formatTime(iso).replace(/:\d\d UTC$/, '');

/** `mfa-ready user UPN --history` as text. */
export function renderUserHistory(h: UserHistory, opts: { color: boolean; width?: number }): string {
  const c = makeColors(opts.color);
  const width = Math.max(60, opts.width ?? 100);
  const name = safeText(h.user.displayName);
  const upn = safeText(h.user.userPrincipalName);
  const lines: string[] = [
    c.bold(name === '' ? upn : `${name} <${upn}>`),
    c.dim(`id ${safeText(h.user.id)}`),
    '',
  ];

  lines.push(c.bold('Verdicts over time'));
  for (const r of h.runs) {
    const lead = `  run ${String(r.runId).padEnd(4)} ${shortTime(r.at)}  `;
    if (r.verdict === null) {
      lines.push(
        c.dim(
          `${lead}${r.status === 'not-assessed' ? 'not assessed (stored without an assessment)' : 'not in this run'}`,
        ),
      );
      continue;
    }
    const verdict = verdictPaint(c, r.verdict)(r.verdict);
    lines.push(`${lead}${verdict}${r.confidence === null ? '' : ` (${r.confidence})`}`);
  }
  lines.push('');

  lines.push(c.bold(`Evidence timeline (UTC), from every stored run; ages at ${shortTime(h.now)} UTC`));
  if (h.evidence.length === 0) lines.push('  no evidence recorded');
  for (const item of h.evidence) {
    const e = item.evidence;
    const when = e.at === null ? 'undated' : shortTime(e.at);
    const age = e.at === null ? '' : ageText(e.at, h.now);
    const prefix = `  ${when.padEnd(17)}  ${age.padEnd(15)}${sourceLabel(e.source).padEnd(14)}`;
    const beyond =
      item.ageDays !== null &&
      item.ageDays > ENTRA_LOG_DAYS &&
      (e.source === 'signIns' || e.source === 'audits')
        ? ` (older than Entra's ${ENTRA_LOG_DAYS}-day logs: kept by the history)`
        : '';
    const runs =
      item.firstRunId === item.lastRunId
        ? `run ${item.firstRunId}`
        : `runs ${item.firstRunId}–${item.lastRunId}`;
    const text = `${safeText(evidenceText(e))}${beyond} [${runs}]`;
    wrap(text, Math.max(20, width - prefix.length)).forEach((l, i) =>
      lines.push(i === 0 ? `${c.dim(prefix)}${l}` : `${' '.repeat(prefix.length)}${l}`),
    );
  }
  return `${lines.join('\n')}\n`;
}

export function renderUserHistoryJson(h: UserHistory): string {
  return `${JSON.stringify(h, null, 2)}\n`;
}
