/**
 * How far back each kind of evidence reaches, in one line for the report header and the collect
 * summary: "sign-ins: MFA evidence 7 days (since …), Authenticator app and My Signins 30 days
 * (since …); directory audits 30 days (since …)". The windows come from what the collector recorded
 * (tenant.json `windows`); a folder from elsewhere, which records none, gets the span of the times
 * actually read, never an assumed window. Pure.
 */
import type { DatasetCoverage } from '../domain/datasets.js';
import type { EvidenceWindows } from '../domain/tenant.js';
import { parseTime } from './format.js';

const DAY_MS = 86_400_000;

export interface ReachFacts {
  /** The end of every window. */
  collectedAt?: string | undefined;
  windows?: EvidenceWindows | undefined;
  /** Whether (and what) each dataset was read; undefined: not part of this collection. */
  signIns?: DatasetCoverage | undefined;
  audits?: DatasetCoverage | undefined;
}

/** `2026-11-13 09:00 UTC`. */
function shortTime(iso: string): string {
  const ms = parseTime(iso);
  return ms === undefined ? iso : `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** `7 days (since 2026-11-13 09:00 UTC)`, or just the start when the end is unknown. */
function windowText(since: string, end: string | undefined): string {
  const from = parseTime(since);
  const to = parseTime(end);
  if (from === undefined || to === undefined || to < from) return `since ${shortTime(since)}`;
  const days = Math.round((to - from) / DAY_MS);
  return `${days} day${days === 1 ? '' : 's'} (since ${shortTime(since)})`;
}

/** What the file held when no window was recorded. */
function spanText(what: string, c: DatasetCoverage): string {
  if (c.rows === 0) return `${what}: none in the file`;
  if (c.oldest === undefined || c.newest === undefined) return `${what}: no collection window recorded`;
  return `${what} in the file from ${shortTime(c.oldest)} to ${shortTime(c.newest)} (no collection window recorded)`;
}

function signInsText(f: ReachFacts, c: DatasetCoverage): string {
  const { signIns, appSignIns } = f.windows ?? {};
  if (signIns === undefined) return spanText('sign-ins', c);
  const mfa = windowText(signIns, f.collectedAt);
  if (appSignIns === undefined || appSignIns === signIns) {
    return `sign-ins: ${mfa}, the Authenticator app and My Signins included`;
  }
  return `sign-ins: MFA evidence ${mfa}, Authenticator app and My Signins ${windowText(appSignIns, f.collectedAt)}`;
}

/** The line, or undefined when neither sign-ins nor audits were read. */
export function evidenceReach(f: ReachFacts): string | undefined {
  const parts: string[] = [];
  if (f.signIns?.present === true) parts.push(signInsText(f, f.signIns));
  if (f.audits?.present === true) {
    const since = f.windows?.audits;
    parts.push(
      since === undefined
        ? spanText('directory audits', f.audits)
        : `directory audits ${windowText(since, f.collectedAt)}`,
    );
  }
  return parts.length === 0 ? undefined : parts.join('; ');
}
