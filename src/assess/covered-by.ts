import type { ConditionalAccessPolicy } from '../domain/tenant.js';
import type { CoveredBy, CoveringPolicy } from '../domain/verdict.js';
import type { GroupMembership } from './group-membership.js';
import { guestTypeOf, policyCoverage, type RoleHolders } from './impact-coverage.js';
import { requirementOf } from './impact-strength.js';
import { lowerCase } from './lower-case.js';

/** What `coveredBy` needs of a user. */
export interface CoverageSubject {
  id: string;
  userPrincipalName: string;
  userType: string | undefined;
}

/**
 * Which enabled or report-only MFA policies cover each user, worked out from the policies' user
 * conditions (assess/impact-coverage.ts). Disabled policies and those granting no MFA (`block`, a
 * compliant device alone) are left out. Undefined when the policies were not read: then nobody's
 * coverage is known, and the report says so rather than "covered by none".
 */
export function coveredByRule(
  policies: readonly ConditionalAccessPolicy[] | undefined,
  groups: GroupMembership,
  roleHolders: RoleHolders = undefined,
): ((u: CoverageSubject) => CoveredBy) | undefined {
  if (policies === undefined) return undefined;
  const mfa: { policy: ConditionalAccessPolicy; summary: CoveringPolicy }[] = [];
  for (const p of policies) {
    const state = lowerCase(p.state ?? '');
    const kind =
      state === 'enabled'
        ? 'enabled'
        : state === 'enabledforreportingbutnotenforced'
          ? 'report-only'
          : undefined;
    if (kind === undefined) continue;
    const r = requirementOf(p);
    if (r.kind === 'none') continue;
    mfa.push({
      policy: p,
      summary: {
        id: p.id,
        displayName: p.displayName ?? null,
        state: kind,
        strength: r.kind === 'strength' ? (r.displayName ?? r.id) : null,
        appliesTo: appliesTo(p),
      },
    });
  }
  return (u) => {
    const out: CoveredBy = { policies: [], undecided: [] };
    const guestType = guestTypeOf(u.userType, u.userPrincipalName);
    const subject = {
      id: u.id,
      userPrincipalName: u.userPrincipalName,
      ...(guestType !== undefined ? { guestType } : {}),
    };
    for (const { policy, summary } of mfa) {
      const c = policyCoverage(policy, subject, groups, roleHolders);
      if (c.status === 'covered') out.policies.push(summary);
      else if (c.status === 'unknown') out.undecided.push(summary);
    }
    return out;
  };
}

function appliesTo(p: ConditionalAccessPolicy): CoveringPolicy['appliesTo'] {
  if (p.includeApplications.some((a) => lowerCase(a) === 'all')) return 'all-apps';
  return p.includeApplications.length > 0 ? 'some-apps' : 'user-actions';
}
