import type { Evidence, UserAssessment } from '../domain/verdict.js';
import { tellingEvidence } from '../report/messages.js';
import type { DashboardData } from './dashboard-data.js';
import { overviewPayload, type OverviewPayload } from './payloads.js';

/**
 * What `report --html` embeds: the dashboard's data without its functions (no history database behind
 * it). Each user keeps the findings that explain the verdict and the most recent ones, up to
 * `maxEvidence`: the whole timeline of 100,000 users would not fit a file one mails (the full one is
 * `mfa-ready user UPN --history`). The page says how many were left out.
 */
export interface EmbeddedDashboard {
  format: 'mfa-ready-dashboard/1';
  assessment: DashboardData['assessment'];
  source: DashboardData['source'];
  /**
   * Groups with their members as indexes into `assessment.users`: 100,000 ids again would cost
   * megabytes that compression cannot take back (gzip only looks 32 KB behind).
   */
  groups: { id: string; displayName: string | null; members: number[] }[];
  history: DashboardData['history'];
  changes: DashboardData['changes'];
  rollouts: DashboardData['rollouts'];
  impacts: DashboardData['impacts'];
  /** Findings left out per user id (only users who lost some). */
  evidenceLeftOut: Record<string, number>;
  /** Users whose method ids were left out (ready or excluded: nothing to act on by id). */
  methodIdsLeftOut: number;
  /**
   * Which policies cover each user, once per distinct value: most users share the same few, and written
   * per user they were half the data of a 100,000-user report. `coveredByIndex[i]` is user i's entry
   * (-1: none); the users carry no `coveredBy` of their own in the file.
   */
  coveredByTable: NonNullable<UserAssessment['coveredBy']>[];
  coveredByIndex: number[];
  redacted: boolean;
}

/** Flags say who a user is (the table filters by them): always kept. */
const KEEP_CODES = new Set<Evidence['code']>([
  'service-account',
  'admin-role',
  'guest-user',
  'account-disabled',
]);

function trimEvidence(user: UserAssessment, max: number): { user: UserAssessment; leftOut: number } {
  if (user.evidence.length <= max) return { user, leftOut: 0 };
  const telling = tellingEvidence(user);
  const keep = new Set<Evidence>();
  if (telling !== undefined) keep.add(telling);
  for (const e of user.evidence) if (KEEP_CODES.has(e.code)) keep.add(e);
  // Then the most recent (the evidence is in time order, undated last).
  for (let i = user.evidence.length - 1; i >= 0 && keep.size < max; i--) keep.add(user.evidence[i]!);
  const evidence = user.evidence.filter((e) => keep.has(e));
  return { user: { ...user, evidence }, leftOut: user.evidence.length - evidence.length };
}

export interface EmbedOptions {
  /** The most findings kept per user: a ready user needs fewer to say why than one who needs action. */
  maxEvidence: { ready: number; other: number };
  /** The most changes since the previous snapshot listed (worst news first). */
  maxChanges: number;
}

/** Users nobody has to act on: what they hold matters, not its ids. */
const settled = (u: UserAssessment): boolean => u.verdict === 'ready' || u.verdict === 'excluded';

export function embedDashboard(data: DashboardData, opts: EmbedOptions): EmbeddedDashboard {
  const evidenceLeftOut: Record<string, number> = {};
  let methodIdsLeftOut = 0;
  const index = new Map(data.assessment.users.map((u, i) => [u.id.toLowerCase(), i]));
  const coveredByTable: NonNullable<UserAssessment['coveredBy']>[] = [];
  const coveredByKeys = new Map<string, number>();
  const coveredByIndex: number[] = [];
  const users = data.assessment.users.map((u) => {
    const t = trimEvidence(u, settled(u) ? opts.maxEvidence.ready : opts.maxEvidence.other);
    if (t.leftOut > 0) evidenceLeftOut[u.id] = t.leftOut;
    const { coveredBy, ...user } = t.user;
    if (coveredBy === undefined) coveredByIndex.push(-1);
    else {
      const key = JSON.stringify(coveredBy);
      let i = coveredByKeys.get(key);
      if (i === undefined) {
        i = coveredByTable.push(coveredBy) - 1;
        coveredByKeys.set(key, i);
      }
      coveredByIndex.push(i);
    }
    if (!settled(u) || user.methods.length === 0) return user;
    methodIdsLeftOut++;
    return { ...user, methods: user.methods.map((m) => ({ ...m, id: '' })) };
  });
  return {
    format: 'mfa-ready-dashboard/1',
    assessment: { ...data.assessment, users },
    source: data.source,
    groups: data.groups.map((g) => {
      const members: number[] = [];
      for (const id of g.memberIds) {
        const i = index.get(id.toLowerCase());
        if (i !== undefined) members.push(i);
      }
      return { id: g.id, displayName: g.displayName, members };
    }),
    history: data.history,
    changes:
      data.changes === null
        ? null
        : {
            ...data.changes,
            changes: data.changes.changes
              .slice(0, opts.maxChanges)
              .map((c) => ({ ...c, appeared: c.appeared.slice(0, 5), disappeared: [] })),
          },
    rollouts: data.rollouts,
    impacts: data.impacts,
    evidenceLeftOut,
    methodIdsLeftOut,
    coveredByTable,
    coveredByIndex,
    redacted: false,
  };
}

/** The dashboard's data again, from what was embedded: no history database, so no per-user history. */
export function fromEmbedded(e: EmbeddedDashboard): DashboardData {
  // The parsed users are this page's own objects: each gets its shared entry back in place.
  e.assessment.users.forEach((u, i) => {
    const entry = e.coveredByTable[e.coveredByIndex[i] ?? -1];
    if (entry !== undefined) u.coveredBy = entry;
  });
  return {
    assessment: e.assessment,
    source: e.source,
    groups: e.groups.map((g) => ({
      id: g.id,
      displayName: g.displayName,
      memberIds: g.members.flatMap((i) => {
        const u = e.assessment.users[i];
        return u === undefined ? [] : [u.id];
      }),
    })),
    history: e.history,
    changes: e.changes,
    rollouts: e.rollouts,
    impacts: e.impacts,
    userHistory: () => null,
  };
}

/**
 * What the report's first pages show (overview, trend, rollout board, impact), apart from the users: a
 * few kilobytes the page reads at once, so it is usable while the users (tens of megabytes at 100,000
 * users) are inflated when the users pages first need them.
 */
export interface ReportSummary {
  format: 'mfa-ready-summary/1';
  overview: OverviewPayload;
  history: EmbeddedDashboard['history'];
  rollouts: EmbeddedDashboard['rollouts'];
  impacts: EmbeddedDashboard['impacts'];
  groups: { id: string; displayName: string | null; members: number }[];
  redacted: boolean;
}

export function reportSummary(e: EmbeddedDashboard): ReportSummary {
  const data: DashboardData = {
    assessment: e.assessment,
    source: e.source,
    groups: [],
    history: e.history,
    changes: e.changes,
    rollouts: e.rollouts,
    impacts: e.impacts,
    userHistory: () => null,
  };
  return {
    format: 'mfa-ready-summary/1',
    overview: overviewPayload(data),
    history: e.history,
    rollouts: e.rollouts,
    impacts: e.impacts,
    groups: e.groups.map((g) => ({ id: g.id, displayName: g.displayName, members: g.members.length })),
    redacted: e.redacted,
  };
}
