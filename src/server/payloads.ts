import { runSummary } from '../assess/funnel.js';
import type { Funnel } from '../domain/history.js';
import type { TenantInfo } from '../domain/tenant.js';
import type { AssessedPopulation, Confidence, Evidence, UserAssessment, Verdict } from '../domain/verdict.js';
import {
  actionText,
  confidenceLabel,
  evidenceText,
  reasonText,
  verdictLabel,
  verdictMeaning,
} from '../report/messages.js';
import { sourceLabel } from '../report/labels.js';
import { ageText, type UserHistory } from '../report/user-history.js';
import type { ChangeKind } from '../report/verdict-diff.js';
import type { DashboardData } from './dashboard-data.js';

/*
 * What the API answers and the HTML report embeds: one contract for the server and the pages
 * (src/web imports these types), with the words rendered here by report/, never guessed by the page.
 */

export interface OverviewPayload {
  generatedAt: string;
  tenant: TenantInfo;
  source: DashboardData['source'];
  population: AssessedPopulation;
  funnel: Funnel;
  readyShare: number | null;
  verdicts: { verdict: Verdict; label: string; meaning: string; users: number }[];
  changes: {
    transitions: { from: Verdict | 'new'; to: Verdict | 'gone'; users: number }[];
    unchanged: number;
    users: {
      kind: ChangeKind;
      id: string;
      userPrincipalName: string;
      displayName: string;
      before: { verdict: Verdict; confidence: Confidence } | null;
      after: { verdict: Verdict; confidence: Confidence } | null;
      why: string[];
    }[];
    total: number;
  } | null;
}

/** One finding on a user's timeline, with its words, where it comes from and how old it is. */
export interface TimelineItem {
  at: string | null;
  /** "3 days ago", "45 days ago": older than Entra's 30-day logs shows because the history kept it. */
  age: string;
  ageDays: number | null;
  source: string;
  /** The event, row or method it rests on (an audit or sign-in id, a user id for a report row). */
  ref: string;
  code: string;
  text: string;
}

export interface UserDetailPayload {
  user: UserAssessment;
  words: {
    verdict: string;
    confidence: string;
    reason: string;
    action: string;
  };
  /** Every finding: of every stored snapshot's assessment when the history has them, else of this one. */
  timeline: TimelineItem[];
  /** The user's verdict in each stored snapshot; empty without a history. */
  runs: UserHistory['runs'];
  storedEvents: NonNullable<UserHistory['storedEvents']> | null;
  /** In an HTML report: findings of this user left out to keep the file small (the full list: `user --history`). */
  leftOut?: number;
}

/** The overview page's figures: the funnel, counts per verdict with their meaning, what changed. */
export function overviewPayload(data: DashboardData): OverviewPayload {
  const a = data.assessment;
  const summary = runSummary(a);
  return {
    generatedAt: a.generatedAt,
    tenant: a.tenant,
    source: data.source,
    population: a.population,
    funnel: summary.funnel,
    readyShare: summary.readyShare,
    verdicts: Object.entries(a.summary).map(([verdict, users]) => ({
      verdict: verdict as Verdict,
      label: verdictLabel(verdict as Verdict),
      meaning: verdictMeaning(verdict as Verdict),
      users,
    })),
    changes:
      data.changes === null
        ? null
        : {
            transitions: data.changes.transitions,
            unchanged: data.changes.unchanged,
            // New lockout risks first (the diff is ordered worst news first).
            users: data.changes.changes.slice(0, 200).map((u) => ({
              kind: u.kind,
              id: u.id,
              userPrincipalName: u.userPrincipalName,
              displayName: u.displayName,
              before: u.before,
              after: u.after,
              why: u.appeared.map(evidenceText),
            })),
            total: data.changes.changes.length,
          },
  };
}

const DAY_MS = 86_400_000;

function timelineItem(e: Evidence, now: string): TimelineItem {
  const at = e.at === null ? NaN : Date.parse(e.at);
  return {
    at: e.at,
    age: ageText(e.at, now),
    ageDays: Number.isNaN(at) ? null : Math.floor((Date.parse(now) - at) / DAY_MS),
    source: sourceLabel(e.source),
    ref: e.ref,
    code: e.code,
    text: evidenceText(e),
  };
}

/** One user: the assessment, the words the CLI would print for it, and its timeline across the history. */
export function userDetailPayload(user: UserAssessment, data: DashboardData): UserDetailPayload {
  const now = data.assessment.generatedAt;
  const history = data.userHistory(user.id);
  const evidence = history === null ? user.evidence : history.evidence.map((i) => i.evidence);
  return {
    user,
    words: {
      verdict: verdictLabel(user.verdict),
      confidence: confidenceLabel(user.confidence),
      reason: reasonText(user, now),
      action: actionText(user.action, user),
    },
    timeline: evidence.map((e) => timelineItem(e, now)),
    runs: history?.runs ?? [],
    storedEvents: history?.storedEvents ?? null,
  };
}
