import type {
  AuthenticationMethodsPolicy,
  ConditionalAccessPolicy,
  Group,
  RoleAssignment,
} from '../../domain/tenant.js';

export type GroupWhy = 'conditional-access' | 'methods-policy' | 'scope' | 'role';

export interface GroupsThatMatter {
  groups: { id: string; why: GroupWhy[] }[];
  /** Scope values that are neither a known group id nor a display name. */
  unresolvedScope: string[];
}

export interface GroupSources {
  conditionalAccess?: readonly ConditionalAccessPolicy[] | undefined;
  methodsPolicy?: AuthenticationMethodsPolicy | undefined;
  /** `--scope-group`-style values: group ids or display names (admins type what they see). */
  scopeGroups?: readonly string[] | undefined;
  /** The tenant's groups, to resolve scope names; undefined when groups were not listed. */
  groups?: readonly Group[] | undefined;
  /** Directory role assignments (roleAssignments.json), when read. */
  roleAssignments?: readonly RoleAssignment[] | undefined;
}

/** The literal include target meaning everyone (https://learn.microsoft.com/graph/api/resources/authenticationmethodspolicy). */
const ALL_USERS = 'all_users';

/**
 * The groups whose transitive members the verdicts need: those named by Conditional Access policies
 * (include and exclude), by the authentication methods policy's targets (https://learn.microsoft.com/graph/api/resources/authenticationmethodspolicy: a target
 * is a group unless it is `all_users` or of type `user`), and the scope groups. Fetching every
 * group's members would cost 5 resource units each (https://learn.microsoft.com/graph/throttling-limits) for nothing the rules read.
 * Pure; ids are kept as first seen, compared without case.
 */
export function groupsThatMatter(sources: GroupSources): GroupsThatMatter {
  const found = new Map<string, { id: string; why: GroupWhy[] }>();
  const add = (id: string, why: GroupWhy): void => {
    const key = id.toLowerCase();
    const entry = found.get(key);
    if (entry === undefined) found.set(key, { id, why: [why] });
    else if (!entry.why.includes(why)) entry.why.push(why);
  };

  for (const p of sources.conditionalAccess ?? []) {
    for (const id of [...p.users.includeGroups, ...p.users.excludeGroups]) add(id, 'conditional-access');
  }
  for (const c of sources.methodsPolicy?.configurations ?? []) {
    for (const t of [...c.includeTargets, ...c.excludeTargets]) {
      if (t.id.toLowerCase() === ALL_USERS || t.targetType?.toLowerCase() === 'user') continue;
      add(t.id, 'methods-policy');
    }
  }

  // A role a policy names, held through a (role-assignable) group: its members hold the role
  // (https://learn.microsoft.com/entra/identity/role-based-access-control/groups-concept). Only
  // tenant-wide assignments count for Conditional Access (assess/impact-roles.ts).
  const roles = new Set<string>();
  for (const p of sources.conditionalAccess ?? []) {
    for (const r of [...p.users.includeRoles, ...p.users.excludeRoles]) roles.add(r.toLowerCase());
  }
  for (const a of sources.roleAssignments ?? []) {
    if (a.principalType !== 'group' || (a.directoryScopeId ?? '/') !== '/') continue;
    if (roles.has(a.roleDefinitionId.toLowerCase())) add(a.principalId, 'role');
  }

  const unresolvedScope: string[] = [];
  const byId = new Map((sources.groups ?? []).map((g) => [g.id.toLowerCase(), g]));
  for (const value of sources.scopeGroups ?? []) {
    if (byId.has(value.toLowerCase())) {
      add(byId.get(value.toLowerCase())!.id, 'scope');
      continue;
    }
    const named = (sources.groups ?? []).filter((g) => g.displayName?.toLowerCase() === value.toLowerCase());
    if (named.length > 0) for (const g of named) add(g.id, 'scope');
    else if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value))
      add(value, 'scope');
    else unresolvedScope.push(value);
  }
  return { groups: [...found.values()], unresolvedScope };
}
