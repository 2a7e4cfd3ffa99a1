import type { Funnel, RunSummary } from '../domain/history.js';
import type { Assessment, UserAssessment } from '../domain/verdict.js';

/** A method the verdict engine counts towards MFA at all (usable or not): anything but `not-mfa`. */
const isStrong = (m: UserAssessment['methods'][number]) => m.state !== 'not-mfa';

/**
 * The funnel of one assessment. "Enabled members" are the users the enforcement will reach: in scope
 * and not excluded (disabled accounts, guests and excluded users are out of it). A user with no
 * methods read and no report row has no strong method as far as the evidence goes. A `ready` user
 * passes the method steps even without an Entra method: a federated user's MFA is done at their
 * identity provider (the claim in their sign-ins), so each step stays a subset of the one before.
 */
export function funnelOf(users: readonly UserAssessment[]): Funnel {
  const f: Funnel = { enabledMembers: 0, anyStrongMethod: 0, usable: 0, proven: 0 };
  for (const u of users) {
    if (u.verdict === 'excluded') continue;
    f.enabledMembers++;
    const ready = u.verdict === 'ready';
    if (!ready && !u.methods.some(isStrong)) continue;
    f.anyStrongMethod++;
    if (!ready && !u.methods.some((m) => m.state === 'usable')) continue;
    f.usable++;
    if (ready && u.confidence === 'proven') f.proven++;
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
