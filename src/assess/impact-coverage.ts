import type { ConditionalAccessPolicy, GuestsOrExternalUsers } from '../domain/tenant.js';
import type { GroupMembership } from './group-membership.js';
import { lowerCase } from './lower-case.js';

/**
 * Who a Conditional Access policy's `conditions.users` covers, user by user
 * (https://learn.microsoft.com/graph/api/resources/conditionalaccessusers): included by any include
 * condition, "unless explicitly excluded" by any exclude condition. Pure.
 */

/** One condition that names the user, on the include or the exclude side. */
export type UserCondition =
  | { kind: 'all-users' }
  | { kind: 'user'; userId: string }
  | { kind: 'group'; groupId: string; groupName: string | null }
  | { kind: 'role'; roleTemplateId: string }
  | { kind: 'guests-or-external'; guestType: GuestType }
  /** `--group G`: the target group itself. */
  | { kind: 'target-group'; groupId: string; groupName: string | null }
  /** Security defaults cover every user. */
  | { kind: 'security-defaults' };

/** A condition whose answer for this user was not collected. */
export type UnknownCondition =
  | { kind: 'group-members-not-collected'; groupId: string; groupName: string | null }
  | { kind: 'role-holders-not-collected'; roleTemplateId: string }
  /** The condition lists external tenants; a guest's home tenant is not in the evidence. */
  | { kind: 'external-tenant-unknown' };

export type Coverage =
  | { status: 'covered'; includedBy: UserCondition[] }
  | { status: 'excluded'; includedBy: UserCondition[]; excludedBy: UserCondition[] }
  /** Whether it covers the user depends on evidence not collected. */
  | {
      status: 'unknown';
      includedBy: UserCondition[];
      unknown: UnknownCondition[];
      side: 'include' | 'exclude';
    }
  | { status: 'not-covered' };

/**
 * The kinds of guest or external user a directory user can be, as Entra tells them apart
 * (https://learn.microsoft.com/entra/external-id/authentication-conditional-access#assigning-conditional-access-policies-to-external-user-types):
 * a B2B collaboration guest has `userType` Guest and an `#EXT#` UPN; a B2B collaboration member has
 * `userType` Member and an `#EXT#` UPN; an internal guest is a Guest without an external identity.
 * Direct-connect users and service providers have no user object in the tenant.
 */
export type GuestType = 'internalGuest' | 'b2bCollaborationGuest' | 'b2bCollaborationMember';

/** B2B users' UPNs hold `#EXT#` (https://learn.microsoft.com/entra/external-id/user-properties). */
const EXTERNAL_UPN = /#ext#/i;

export function guestTypeOf(userType: string | undefined, userPrincipalName: string): GuestType | undefined {
  const external = EXTERNAL_UPN.test(userPrincipalName);
  const guest = userType !== undefined && lowerCase(userType) === 'guest';
  if (guest) return external ? 'b2bCollaborationGuest' : 'internalGuest';
  if (external) return 'b2bCollaborationMember';
  return undefined;
}

/** The user facts coverage needs. */
export interface CoveredUser {
  id: string;
  userPrincipalName: string;
  guestType?: GuestType;
}

/**
 * Holders of each directory role (lower-case user ids), by lower-case role template id: `get`
 * undefined for a role whose holders are not known (assess/impact-roles.ts); the whole thing
 * undefined when no role assignment was read.
 */
export type RoleHolders = { get(roleTemplateId: string): ReadonlySet<string> | undefined } | undefined;

type Answer = { hit: UserCondition[]; unknown: UnknownCondition[] };

/** The literal `includeUsers` values (https://learn.microsoft.com/graph/api/resources/conditionalaccessusers). */
const ALL = 'all';
const NONE = 'none';
const GUESTS_OR_EXTERNAL = 'guestsorexternalusers';

function matchSide(
  user: CoveredUser,
  users: readonly string[],
  groupIds: readonly string[],
  roles: readonly string[],
  guests: GuestsOrExternalUsers | undefined,
  groups: GroupMembership,
  roleHolders: RoleHolders,
): Answer {
  const hit: UserCondition[] = [];
  const unknown: UnknownCondition[] = [];
  const id = lowerCase(user.id);
  for (const u of users) {
    const v = lowerCase(u);
    if (v === ALL) hit.push({ kind: 'all-users' });
    else if (v === NONE) continue;
    else if (v === GUESTS_OR_EXTERNAL) {
      // The older single value: every kind of guest or external user.
      if (user.guestType !== undefined) hit.push({ kind: 'guests-or-external', guestType: user.guestType });
    } else if (v === id) hit.push({ kind: 'user', userId: u });
  }
  for (const g of groupIds) {
    const member = groups.isMember(user.id, g);
    const groupName = groups.displayName(g) ?? null;
    if (member === true) hit.push({ kind: 'group', groupId: g, groupName });
    else if (member === undefined)
      unknown.push({ kind: 'group-members-not-collected', groupId: g, groupName });
  }
  for (const r of roles) {
    const holders = roleHolders?.get(lowerCase(r));
    if (holders === undefined) unknown.push({ kind: 'role-holders-not-collected', roleTemplateId: r });
    else if (holders.has(id)) hit.push({ kind: 'role', roleTemplateId: r });
  }
  if (guests !== undefined && user.guestType !== undefined) {
    const types = (guests.guestOrExternalUserTypes ?? '').split(',').map((t) => lowerCase(t.trim()));
    if (types.includes(lowerCase(user.guestType))) {
      // Internal guests have no home tenant to filter on; external ones do, and it is not collected.
      const enumerated = lowerCase(guests.externalTenantsMembershipKind ?? 'all') === 'enumerated';
      if (enumerated && user.guestType !== 'internalGuest') unknown.push({ kind: 'external-tenant-unknown' });
      else hit.push({ kind: 'guests-or-external', guestType: user.guestType });
    }
  }
  return { hit, unknown };
}

/** Whether the policy covers the user, and by which conditions. Exclusions win over inclusions. */
export function policyCoverage(
  policy: ConditionalAccessPolicy,
  user: CoveredUser,
  groups: GroupMembership,
  roleHolders: RoleHolders,
): Coverage {
  const c = policy.users;
  const include = matchSide(
    user,
    c.includeUsers,
    c.includeGroups,
    c.includeRoles,
    c.includeGuestsOrExternalUsers,
    groups,
    roleHolders,
  );
  if (include.hit.length === 0 && include.unknown.length === 0) return { status: 'not-covered' };
  const exclude = matchSide(
    user,
    c.excludeUsers,
    c.excludeGroups,
    c.excludeRoles,
    c.excludeGuestsOrExternalUsers,
    groups,
    roleHolders,
  );
  if (exclude.hit.length > 0) return { status: 'excluded', includedBy: include.hit, excludedBy: exclude.hit };
  if (include.hit.length === 0) {
    return { status: 'unknown', includedBy: [], unknown: include.unknown, side: 'include' };
  }
  if (exclude.unknown.length > 0) {
    return { status: 'unknown', includedBy: include.hit, unknown: exclude.unknown, side: 'exclude' };
  }
  return { status: 'covered', includedBy: include.hit };
}
