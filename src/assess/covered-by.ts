import type { ConditionalAccessPolicy, GuestsOrExternalUsers } from '../domain/tenant.js';
import type { CoveredBy, CoveringPolicy } from '../domain/verdict.js';
import type { GroupMembership } from './group-membership.js';
import { guestTypeOf, type GuestType, type RoleHolders } from './impact-coverage.js';
import { requirementOf } from './impact-strength.js';
import { lowerCase } from './lower-case.js';

/** What `coveredBy` needs of a user. */
export interface CoverageSubject {
  id: string;
  userPrincipalName: string;
  userType: string | undefined;
}

/** One side (include or exclude) of a policy's user conditions, read once for every user. */
interface Side {
  all: boolean;
  userIds: ReadonlySet<string>;
  /** The older `GuestsOrExternalUsers` value of includeUsers / excludeUsers: every kind. */
  anyGuest: boolean;
  guestTypes: ReadonlySet<string>;
  /** External tenants enumerated: a guest's home tenant decides, which is not in the evidence. */
  enumeratedTenants: boolean;
  /** Each group's members; undefined for a group whose members were not collected. */
  groups: readonly (ReadonlySet<string> | undefined)[];
  roles: readonly string[];
}

const NONE = 0;
const HIT = 1;
const UNKNOWN = 2;
type Answer = typeof NONE | typeof HIT | typeof UNKNOWN;

function side(
  users: readonly string[],
  groupIds: readonly string[],
  roles: readonly string[],
  guests: GuestsOrExternalUsers | undefined,
  groups: GroupMembership,
): Side {
  const lower = users.map(lowerCase);
  return {
    all: lower.includes('all'),
    userIds: new Set(lower),
    anyGuest: lower.includes('guestsorexternalusers'),
    guestTypes: new Set((guests?.guestOrExternalUserTypes ?? '').split(',').map((t) => lowerCase(t.trim()))),
    enumeratedTenants: lowerCase(guests?.externalTenantsMembershipKind ?? 'all') === 'enumerated',
    groups: groupIds.map((g) => groups.membersOf(g)),
    roles,
  };
}

/** The same answers as assess/impact-coverage.ts matchSide, without building the conditions: this runs per user and policy. */
function answer(s: Side, id: string, guestType: GuestType | undefined, roleHolders: RoleHolders): Answer {
  if (s.all || s.userIds.has(id)) return HIT;
  let unknown = false;
  if (guestType !== undefined) {
    if (s.anyGuest) return HIT;
    if (s.guestTypes.has(lowerCase(guestType))) {
      if (!s.enumeratedTenants || guestType === 'internalGuest') return HIT;
      unknown = true;
    }
  }
  for (const members of s.groups) {
    if (members === undefined) unknown = true;
    else if (members.has(id)) return HIT;
  }
  for (const r of s.roles) {
    const holders = roleHolders?.get(lowerCase(r));
    if (holders === undefined) unknown = true;
    else if (holders.has(id)) return HIT;
  }
  return unknown ? UNKNOWN : NONE;
}

/**
 * Which enabled or report-only MFA policies cover each user, worked out from the policies' user
 * conditions as `impact` reads them (assess/impact-coverage.ts). Disabled policies and those granting
 * no MFA (`block`, a compliant device alone) are left out. Undefined when the policies were not read:
 * then nobody's coverage is known, and the report says so rather than "covered by none".
 */
export function coveredByRule(
  policies: readonly ConditionalAccessPolicy[] | undefined,
  groups: GroupMembership,
  roleHolders: RoleHolders = undefined,
): ((u: CoverageSubject) => CoveredBy) | undefined {
  if (policies === undefined) return undefined;
  const mfa: { include: Side; exclude: Side; summary: CoveringPolicy }[] = [];
  let guestConditions = false;
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
    const u = p.users;
    const include = side(
      u.includeUsers,
      u.includeGroups,
      u.includeRoles,
      u.includeGuestsOrExternalUsers,
      groups,
    );
    const exclude = side(
      u.excludeUsers,
      u.excludeGroups,
      u.excludeRoles,
      u.excludeGuestsOrExternalUsers,
      groups,
    );
    guestConditions ||=
      include.anyGuest || exclude.anyGuest || include.guestTypes.size > 1 || exclude.guestTypes.size > 1;
    mfa.push({
      include,
      exclude,
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
    const id = lowerCase(u.id);
    // Only worked out when a policy names guests: it upper-cases every UPN.
    const guestType = guestConditions ? guestTypeOf(u.userType, u.userPrincipalName) : undefined;
    for (const { include, exclude, summary } of mfa) {
      const inc = answer(include, id, guestType, roleHolders);
      if (inc === NONE) continue;
      const exc = answer(exclude, id, guestType, roleHolders);
      if (exc === HIT) continue;
      if (inc === HIT && exc === NONE) out.policies.push(summary);
      else out.undecided.push(summary);
    }
    return out;
  };
}

function appliesTo(p: ConditionalAccessPolicy): CoveringPolicy['appliesTo'] {
  if (p.includeApplications.some((a) => lowerCase(a) === 'all')) return 'all-apps';
  return p.includeApplications.length > 0 ? 'some-apps' : 'user-actions';
}
