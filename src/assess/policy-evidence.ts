import type { AuthenticationMethodsPolicy } from '../domain/tenant.js';
import type { Evidence } from '../domain/verdict.js';
import { evidence } from './evidence.js';
import type { GroupMembership } from './group-membership.js';
import type { MethodFinding } from './method-states.js';

/** The policy's Graph entity id: the ref of findings about the policy as a whole. */
const POLICY_REF = 'authenticationMethodsPolicy';

function groupName(groups: GroupMembership, id: string): string | undefined {
  return groups.displayName(id);
}

/**
 * Findings about the authentication methods policy for one user, appended to `out`: each refusal
 * (disabled, not targeted, excluded) per method, each assumption about uncollected group membership,
 * and, when the report fallback decided, that the policy could not be read as final.
 */
export function policyEvidence(
  findings: readonly MethodFinding[],
  policy: AuthenticationMethodsPolicy | undefined,
  groups: GroupMembership,
  out: Evidence[] = [],
): Evidence[] {
  // Several methods can rest on the same uncollected group (a phone's Sms and Voice, two phones).
  let unknownSeen: Set<string> | undefined;
  for (const f of findings) {
    // Most methods of most users are allowed outright: nothing to say about them.
    if (f.blocks.length === 0 && f.unknownMembership.length === 0) continue;
    const method = { methodId: f.entry.id, methodType: f.entry.kind };
    for (const b of f.blocks) {
      const at = null;
      if (b.code === 'policy-method-disabled') {
        out.push(
          evidence(b.code, 'methodsPolicy', b.configurationId, at, {
            configurationId: b.configurationId,
            ...method,
          }),
        );
      } else if (b.code === 'policy-user-not-targeted') {
        const names = b.includeTargets
          .map((id) => groupName(groups, id))
          .filter((n): n is string => n !== undefined);
        out.push(
          evidence(b.code, 'methodsPolicy', b.configurationId, at, {
            configurationId: b.configurationId,
            includeTargets: b.includeTargets,
            includeGroupNames: names.length > 0 ? names : undefined,
            ...method,
          }),
        );
      } else {
        out.push(
          evidence(b.code, 'methodsPolicy', b.configurationId, at, {
            configurationId: b.configurationId,
            groupId: b.targetId,
            groupName: groupName(groups, b.targetId),
            ...method,
          }),
        );
      }
    }
    for (const u of f.unknownMembership) {
      const key = `${u.configurationId}\u0000${u.groupId}\u0000${u.targetKind}`;
      unknownSeen ??= new Set<string>();
      if (unknownSeen.has(key)) continue;
      unknownSeen.add(key);
      out.push(
        evidence('policy-membership-unknown', 'groupMembers', u.groupId, null, {
          configurationId: u.configurationId,
          groupId: u.groupId,
          groupName: groupName(groups, u.groupId),
          targetKind: u.targetKind,
        }),
      );
    }
  }
  if (policy !== undefined && findings.some((f) => f.blockedByReport)) {
    out.push(
      evidence('policy-not-migrated', 'methodsPolicy', POLICY_REF, null, {
        policyMigrationState: policy.policyMigrationState ?? null,
      }),
    );
  }
  return out;
}
