import type { Funnel, RunSummary } from '../domain/history.js';
import type { Assessment, UserAssessment } from '../domain/verdict.js';

/** A method the verdict engine counts towards MFA at all (usable or not): anything but `not-mfa`. */
const isStrong = (m: UserAssessment['methods'][number]) => m.state !== 'not-mfa';

/**
 * The funnel of one assessment. "Enabled members" are the users the enforcement will reach: in scope
 * and not excluded (disabled accounts, guests and excluded users are out of it). A user with no
 * methods read and no report row has no strong method as far as the evidence goes.
 */
export function funnelOf(users: readonly UserAssessment[]): Funnel {
  const f: Funnel = { enabledMembers: 0, anyStrongMethod: 0, usable: 0, proven: 0 };
  for (const u of users) {
    if (u.verdict === 'excluded') continue;
    f.enabledMembers++;
    if (!u.methods.some(isStrong)) continue;
    f.anyStrongMethod++;
    if (!u.methods.some((m) => m.state === 'usable')) continue;
    f.usable++;
    if (u.verdict === 'ready' && u.confidence === 'proven') f.proven++;
  }
  return f;
}

/** What the history keeps of an assessment for `history`. */
export function runSummary(assessment: Assessment): RunSummary {
  const funnel = funnelOf(assessment.users);
  return {
    counts: { ...assessment.summary },
    readyShare: funnel.enabledMembers === 0 ? null : assessment.summary.ready / funnel.enabledMembers,
    funnel,
    population: assessment.population,
  };
}
