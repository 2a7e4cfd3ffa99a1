import type { Impact, ImpactBucket } from '../assess/impact.js';
import { IMPACT_BUCKETS } from '../assess/impact.js';
import type { RolloutPlan } from '../domain/rollout.js';
import type { Verdict } from '../domain/verdict.js';
import type { PlanState } from '../store/index.js';
import type { BypassStatus, RolloutStatus, WaveStatus } from '../plan/rollout-status.js';
import { bucketLabel, impactFindingText, impactNoteText } from '../report/impact.js';
import { blockerText, changeLine, holdText, noticeText } from '../report/rollout.js';

/*
 * The rollout board's and the impact page's data, for the API and the HTML report: the plan's own
 * figures, with the words `rollout status` and `impact` print (report/), lists capped so a
 * 100,000-user rollout stays a page (the full lists: the CLI commands named in `more`).
 */

const LIST_CAP = 500;

export interface RolloutBoardPayload {
  name: string;
  version: number;
  state: PlanState;
  enforceGroup: string;
  bypassGroup: string;
  waveSize: number;
  everyDays: number;
  readyThreshold: number;
  maxBypassDays: number;
  waves: WaveStatus[];
  bypass: BypassStatus[];
  bypassTotal: number;
  scripted: RolloutStatus['scripted'];
  next: {
    advancing: number | null;
    hold: string | null;
    blockers: string[];
    blockersTotal: number;
    notices: string[];
    changes: { line: string; op: string; reason: string; wave: number; upn: string }[];
    changesTotal: number;
  };
}

const groupName = (g: RolloutPlan['enforceGroup']): string =>
  `${g.displayName ?? g.id}${g.onPremisesSyncEnabled ? ' (synced from on-premises)' : ''}`;

export function rolloutBoardPayload(
  stored: { name: string; version: number; state: PlanState; data: RolloutPlan },
  status: RolloutStatus,
): RolloutBoardPayload {
  const plan = stored.data;
  const next = status.next;
  return {
    name: stored.name,
    version: stored.version,
    state: stored.state,
    enforceGroup: groupName(plan.enforceGroup),
    bypassGroup: groupName(plan.bypassGroup),
    waveSize: plan.waveSize,
    everyDays: plan.everyDays,
    readyThreshold: plan.readyThreshold,
    maxBypassDays: plan.maxBypassDays,
    waves: status.waves,
    bypass: status.bypass.slice(0, LIST_CAP),
    bypassTotal: status.bypass.length,
    scripted: status.scripted,
    next: {
      advancing: next.advancing,
      hold: next.hold === null ? null : holdText(plan, next.hold),
      blockers: next.blockers.slice(0, LIST_CAP).map((b) => blockerText(plan, b)),
      blockersTotal: next.blockers.length,
      notices: next.notices.slice(0, LIST_CAP).map((n) => noticeText(plan, n)),
      changes: next.changes.slice(0, LIST_CAP).map((c) => ({
        line: changeLine(c),
        op: c.op,
        reason: c.reason,
        wave: c.wave,
        upn: c.upn,
      })),
      changesTotal: next.changes.length,
    },
  };
}

export interface ImpactPayload {
  /** `policy:<id>`, or `security-defaults`. */
  key: string;
  title: string;
  state: string | null;
  requirement: string;
  counts: { bucket: ImpactBucket; label: string; users: number }[];
  notes: string[];
  reportOnly: NonNullable<Impact['reportOnly']> | null;
  /** The users of each bucket, worst first, each with why; capped per bucket. */
  users: {
    id: string;
    userPrincipalName: string;
    displayName: string;
    bucket: ImpactBucket;
    verdict: Verdict;
    why: string[];
  }[];
  /** Users of a bucket beyond the cap: `mfa-ready impact --policy …` lists them all. */
  leftOut: number;
}

const PER_BUCKET = 300;

function requirementText(i: Impact): string {
  const r = i.requirement;
  if (r.kind === 'mfa') return 'multifactor authentication';
  if (r.kind === 'strength') return `authentication strength "${r.displayName ?? r.id}"`;
  return 'no MFA';
}

export function impactPayload(i: Impact): ImpactPayload {
  const t = i.target;
  const key =
    t.kind === 'policy'
      ? `policy:${t.policyId}`
      : t.kind === 'group'
        ? `group:${t.groupId}`
        : 'security-defaults';
  const title =
    t.kind === 'policy'
      ? (t.displayName ?? t.policyId)
      : t.kind === 'group'
        ? `Group ${t.displayName ?? t.groupId}`
        : 'Security defaults';
  const state =
    t.kind === 'policy'
      ? t.state
      : t.kind === 'security-defaults'
        ? t.isEnabled
          ? 'enabled'
          : 'disabled'
        : null;
  const shown = new Map<ImpactBucket, number>();
  const users: ImpactPayload['users'] = [];
  for (const u of i.users) {
    const n = shown.get(u.bucket) ?? 0;
    shown.set(u.bucket, n + 1);
    if (n >= PER_BUCKET) continue;
    users.push({
      id: u.id,
      userPrincipalName: u.userPrincipalName,
      displayName: u.displayName,
      bucket: u.bucket,
      verdict: u.verdict,
      why: u.findings.map(impactFindingText),
    });
  }
  return {
    key,
    title,
    state,
    requirement: requirementText(i),
    counts: IMPACT_BUCKETS.map((b) => ({ bucket: b, label: bucketLabel(b), users: i.counts[b] })),
    notes: i.notes.map(impactNoteText),
    reportOnly: i.reportOnly ?? null,
    users,
    leftOut: i.users.length - users.length,
  };
}
