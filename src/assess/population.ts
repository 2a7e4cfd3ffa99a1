import type { DirectoryUser, RegistrationDetail, TenantSnapshot } from '../domain/tenant.js';
import type { AssessScope, Evidence, ExclusionReason } from '../domain/verdict.js';
import { evidence } from './evidence.js';
import type { GroupMembership } from './group-membership.js';
import { lowerCase } from './lower-case.js';
import { serviceAccountOf } from './service-accounts.js';

/** One user to assess: who they are, from users.json and/or the registration report. */
export interface Member {
  id: string;
  userPrincipalName: string;
  displayName: string;
  user?: DirectoryUser;
  row?: RegistrationDetail;
  /** The first reason that applies, in the order disabled, guest, excluded-user, excluded-group, service-account. */
  exclusion?: ExclusionReason;
  /** Every reason that applies, as findings; and the service-account flag, excluded or not. */
  exclusionEvidence: Evidence[];
}

/** Guests by userType (users.json first, else the report); `#EXT#` in the UPN when neither says. */
function guestSource(
  user: DirectoryUser | undefined,
  row: RegistrationDetail | undefined,
): 'users' | 'registration' | undefined {
  const type = user?.userType ?? row?.userType;
  if (type !== undefined) {
    if (lowerCase(type) !== 'guest') return undefined;
    return user?.userType !== undefined ? 'users' : 'registration';
  }
  const upn = user?.userPrincipalName ?? row?.userPrincipalName ?? '';
  if (upn.toUpperCase().includes('#EXT#')) return user !== undefined ? 'users' : 'registration';
  return undefined;
}

function exclusionsOf(
  member: Member,
  scope: AssessScope,
  groups: GroupMembership,
  excludeUsers: Set<string>,
): void {
  const found: [ExclusionReason, Evidence][] = [];
  const { user, row } = member;
  if (user?.accountEnabled === false) {
    found.push([
      'disabled',
      evidence('account-disabled', 'users', member.id, null, { accountEnabled: false }),
    ]);
  }
  const guest = guestSource(user, row);
  if (guest !== undefined) {
    found.push([
      'guest',
      evidence('guest-user', guest, member.id, null, { userType: user?.userType ?? row?.userType ?? null }),
    ]);
  }
  const byUser = excludedUserKey(member, excludeUsers);
  if (byUser !== undefined) {
    found.push([
      'excluded-user',
      evidence('excluded-by-user-option', 'options', member.id, null, {
        userPrincipalName: member.userPrincipalName,
        value: byUser,
      }),
    ]);
  }
  for (const option of scope.excludeGroups) {
    for (const groupId of groups.resolve(option)) {
      if (groups.isMember(member.id, groupId) !== true) continue;
      found.push([
        'excluded-group',
        evidence('excluded-by-group-option', 'options', groupId, null, {
          groupId,
          groupName: groups.displayName(groupId),
        }),
      ]);
    }
  }
  const excludeService = scope.excludeServiceAccounts === true;
  const service = serviceAccountEvidence(member, excludeService);
  if (service !== undefined && excludeService) found.push(['service-account', service]);
  const first = found[0];
  if (first !== undefined) {
    member.exclusion = first[0];
    member.exclusionEvidence = found.map(([, e]) => e);
  }
  // Never excluded silently: without the option the account keeps its verdict and carries the flag.
  if (service !== undefined && !excludeService) member.exclusionEvidence.push(service);
}

/** The finding that the member looks like a directory-sync account, when it does. */
function serviceAccountEvidence(member: Member, excluded: boolean): Evidence | undefined {
  const displayName = member.user?.displayName ?? member.row?.userDisplayName;
  const match = serviceAccountOf(member.userPrincipalName, displayName);
  if (match === undefined) return undefined;
  return evidence('service-account', member.user !== undefined ? 'users' : 'registration', member.id, null, {
    kind: match.kind,
    matched: match.matched,
    value: match.matched === 'displayName' ? (displayName ?? null) : member.userPrincipalName,
    excluded,
  });
}

/** The id or UPN by which the option excludes the member, as written on the member. */
function excludedUserKey(member: Member, excludeUsers: ReadonlySet<string>): string | undefined {
  // Usually no user is excluded: no need to lower-case every member's id and UPN.
  if (excludeUsers.size === 0) return undefined;
  return [member.id, member.userPrincipalName].find((k) => excludeUsers.has(k.toLowerCase()));
}

/**
 * The users to assess: users.json ∪ registration report (disabled users are never in the report, new
 * users appear in it late, so neither list alone is everyone), limited to the transitive members of the
 * scope groups when any are given.
 */
export function buildPopulation(
  snapshot: Pick<TenantSnapshot, 'users' | 'registration'>,
  scope: AssessScope,
  groups: GroupMembership,
): Member[] {
  const byId = new Map<string, Member>();
  // Indexed loops: they run once, over every user, before the optimiser has made for-of cheap.
  const users = snapshot.users ?? [];
  for (let i = 0; i < users.length; i++) {
    const user = users[i]!;
    const key = lowerCase(user.id);
    if (byId.has(key)) continue;
    byId.set(key, {
      id: user.id,
      userPrincipalName: user.userPrincipalName,
      displayName: user.displayName ?? user.userPrincipalName,
      user,
      exclusionEvidence: [],
    });
  }
  const rows = snapshot.registration ?? [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const key = lowerCase(row.id);
    const known = byId.get(key);
    if (known !== undefined) {
      known.row ??= row;
      continue;
    }
    const upn = row.userPrincipalName ?? row.id;
    byId.set(key, {
      id: row.id,
      userPrincipalName: upn,
      displayName: row.userDisplayName ?? upn,
      row,
      exclusionEvidence: [],
    });
  }

  const scopeGroupIds = scope.scopeGroups.flatMap((g) => groups.resolve(g));
  const excludeUsers = new Set(scope.excludeUsers.map((u) => u.toLowerCase()));
  const members: Member[] = [];
  byId.forEach((member) => {
    if (scopeGroupIds.length > 0 && !scopeGroupIds.some((g) => groups.isMember(member.id, g) === true))
      return;
    exclusionsOf(member, scope, groups, excludeUsers);
    members.push(member);
  });
  return members;
}
