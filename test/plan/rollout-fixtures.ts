/** Small builders for the rollout planner's tests: assessed users, groups, journal records. */
import type { RolloutGroup, RolloutJournalRecord, RolloutPlan } from '../../src/domain/rollout.js';
import type { Confidence, Evidence, UserAssessment, Verdict } from '../../src/domain/verdict.js';
import { planRollout, type RolloutPlanOptions } from '../../src/plan/rollout-plan.js';

export const ENFORCE: RolloutGroup = {
  id: 'g-enforce',
  displayName: 'MFA_Required',
  onPremisesSyncEnabled: false,
};
export const BYPASS: RolloutGroup = {
  id: 'g-bypass',
  displayName: 'MFA_ProofUpBypass',
  onPremisesSyncEnabled: false,
};

export function user(
  n: number | string,
  verdict: Verdict = 'ready',
  confidence: Confidence = verdict === 'ready' ? 'registered' : null,
  evidence: Evidence[] = [],
): UserAssessment {
  const id = typeof n === 'number' ? `u${String(n).padStart(3, '0')}` : n;
  return {
    id,
    userPrincipalName: `${id}@contoso.edu`,
    displayName: id,
    verdict,
    confidence,
    weak: false,
    isAdmin: false,
    methods: [],
    evidence,
    action: { code: 'none', fields: {} } as UserAssessment['action'],
  };
}

export const OPTIONS: RolloutPlanOptions = {
  waveSize: 3,
  everyDays: 7,
  startDate: '2026-12-01',
  order: 'ready-first',
  readyThreshold: 0.5,
  maxBypassDays: 14,
};

export function makePlan(users: UserAssessment[], options: Partial<RolloutPlanOptions> = {}): RolloutPlan {
  return planRollout(
    {
      name: 'students',
      enforceGroup: ENFORCE,
      bypassGroup: BYPASS,
      scopeGroups: [],
      excludeGroups: [],
      excludeUsers: [],
      users,
      plannedFrom: { runId: 1, collectedAt: '2026-11-30T09:00:00Z' },
    },
    { ...OPTIONS, ...options },
  );
}

export function byId(users: UserAssessment[]): Map<string, UserAssessment> {
  return new Map(users.map((u) => [u.id, u]));
}

/** The journal records an applier would leave for these changes, all done at `at`. */
export function done(
  changes: readonly { key: string; op: string; group: RolloutGroup; userId: string }[],
  at: string,
  status: RolloutJournalRecord['status'] = 'done',
): RolloutJournalRecord[] {
  return changes.map((c) => ({
    key: c.key,
    operation: c.op,
    target: c.group.id,
    subject: c.userId,
    status,
    attemptedAt: at,
    doneAt: status === 'pending' || status === 'failed' ? null : at,
    detail: null,
  }));
}
