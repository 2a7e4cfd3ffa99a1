import type { TenantSnapshot } from '../domain/tenant.js';
import type { GroupMembership } from './group-membership.js';
import type { RoleHolders } from './impact-coverage.js';
import { lowerCase } from './lower-case.js';

/**
 * One active directory role assignment, as GET /roleManagement/directory/roleAssignments lists it
 * (https://learn.microsoft.com/graph/api/rbacapplication-list-roleassignments; least privileged
 * permission RoleManagement.Read.Directory, Directory.Read.All also reads it). For a built-in role,
 * `roleDefinitionId` is the role template id that Conditional Access `includeRoles` names. PIM
 * *eligible* assignments are not listed here (they are roleEligibilitySchedules): an eligible admin
 * holds the role only once activated, which is also when Conditional Access counts it.
 */
export interface RoleAssignmentFact {
  principalId: string;
  roleDefinitionId: string;
  /** `/` for the whole tenant; an administrative unit's scope otherwise. */
  directoryScopeId?: string;
}

/**
 * Who holds each role, by role template id, for `impactOf` and `coveredByRule`. A role assigned to a
 * group (a role-assignable group) is held by the group's members; when those were not collected the
 * role's holders are not known in full, and the role is left out: its users are then `unknown`, as
 * when no assignment was read. Only tenant-wide assignments count: Conditional Access does not apply
 * role conditions to assignments scoped to an administrative unit
 * (https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-users-groups).
 * Undefined when the assignments were not read.
 */
export function roleHoldersFrom(
  assignments: readonly RoleAssignmentFact[] | undefined,
  groups: GroupMembership,
  isGroup: (principalId: string) => boolean,
): RoleHolders {
  if (assignments === undefined) return undefined;
  const holders = new Map<string, Set<string>>();
  const incomplete = new Set<string>();
  for (const a of assignments) {
    if ((a.directoryScopeId ?? '/') !== '/') continue;
    const role = lowerCase(a.roleDefinitionId);
    let set = holders.get(role);
    if (set === undefined) holders.set(role, (set = new Set()));
    if (!isGroup(a.principalId)) {
      set.add(lowerCase(a.principalId));
      continue;
    }
    const members = groups.membersOf(a.principalId);
    if (members === undefined) incomplete.add(role);
    else for (const m of members) set.add(m);
  }
  return {
    get: (roleTemplateId) => {
      const role = lowerCase(roleTemplateId);
      if (incomplete.has(role)) return undefined;
      // A role no tenant-wide assignment names is held by nobody: an answer, since they were read.
      return holders.get(role) ?? NOBODY;
    },
  };
}

const NOBODY: ReadonlySet<string> = new Set();

/**
 * roleHoldersFrom on a snapshot's roleAssignments.json. A principal is a group when the expanded
 * `principal` says so, or, for an assignment read without it, when it is not a user the snapshot
 * knows (a group or a service principal): its role is then unknown unless the group's members were
 * collected, never taken as held by nobody.
 */
export function roleHoldersOf(snapshot: TenantSnapshot, groups: GroupMembership): RoleHolders {
  const assignments = snapshot.roleAssignments;
  if (assignments === undefined) return undefined;
  const typeOf = new Map<string, string | undefined>();
  for (const a of assignments) typeOf.set(lowerCase(a.principalId), a.principalType);
  const users = new Set<string>();
  for (const u of snapshot.users ?? []) users.add(lowerCase(u.id));
  for (const r of snapshot.registration ?? []) users.add(lowerCase(r.id));
  return roleHoldersFrom(assignments, groups, (principalId) => {
    const id = lowerCase(principalId);
    const type = typeOf.get(id);
    if (type !== undefined) return type === 'group';
    return !users.has(id);
  });
}
