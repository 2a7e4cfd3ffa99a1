/** What a Graph route is: where it lives, what it costs, who may call it, and how it answers. */
import type { Bucket } from '../../collect/graph/buckets.js';
import type { CloudName } from '../../collect/graph/clouds.js';
import type { SyntheticTenant } from '../../demo/generate-tenant.js';
import type { DirectoryIndex } from '../entities/directory-index.js';
import type { UserDeltaStates } from '../entities/user-delta-states.js';
import type { GraphRequest, GraphResponse, GraphVersion } from '../graph/graph-request.js';
import type { PageSize, Pager } from '../paging/pager.js';

/** Collections whose page sizes the emulator states (and tests may shrink). */
export const PAGED_COLLECTIONS = [
  'users',
  'usersWithSignInActivity',
  'registration',
  'directoryAudits',
  'signIns',
  'groups',
  'groupMembers',
  'policies',
  'roleAssignments',
] as const;
export type PagedCollection = (typeof PAGED_COLLECTIONS)[number];

/**
 * Page sizes, with their sources. "UNCONFIRMED" ones are not documented ("Items
 * explicitly NOT confirmed"): the collector must follow @odata.nextLink and not assume them.
 */
export const DEFAULT_PAGE_SIZES: Readonly<Record<PagedCollection, PageSize>> = {
  // MGDC user-list.md: default 100, maximum 999 (docs PR #21132); a larger $top is a 400.
  users: { default: 100, max: 999, overMax: 'reject' },
  // MGDC beta user-list.md (docs-contrib PR #9591): with signInActivity selected the maximum is 500.
  usersWithSignInActivity: { default: 100, max: 500, overMax: 'reject' },
  // UNCONFIRMED (https://learn.microsoft.com/graph/api/resources/userregistrationdetails); community code sends $top=999 or 1000.
  registration: { default: 1000, max: 1000, overMax: 'cap' },
  // UNCONFIRMED (https://learn.microsoft.com/graph/api/directoryaudit-list); community posts report 1,000 per audit page.
  directoryAudits: { default: 1000, max: 1000, overMax: 'cap' },
  // https://learn.microsoft.com/graph/api/signin-list (MGDC signin-list.md @00e146a9): default and maximum 1,000.
  signIns: { default: 1000, max: 1000, overMax: 'cap' },
  // MGDC group-list.md: default 100, maximum 999, as for users.
  groups: { default: 100, max: 999, overMax: 'reject' },
  // Directory-object collections share the 100/999 convention (UNCONFIRMED for transitiveMembers).
  groupMembers: { default: 100, max: 999, overMax: 'reject' },
  // Conditional Access policies: a tenant has few; UNCONFIRMED, served like directory lists.
  policies: { default: 100, max: 999, overMax: 'cap' },
  // Role assignments: UNCONFIRMED (https://learn.microsoft.com/graph/api/rbacapplication-list-roleassignments
  // states no page size), served like directory lists.
  roleAssignments: { default: 100, max: 999, overMax: 'cap' },
};

export type PageSizes = Readonly<Record<PagedCollection, PageSize>>;

export type PermissionRule = readonly (readonly string[])[];

export interface RouteAccess {
  bucket: Bucket;
  /** Resource units in the directory bucket; 1 (one request) in the others. */
  cost: number;
  /** Any one of these permission sets (each needed whole) grants access. */
  permissions: PermissionRule;
  /** Needs Microsoft Entra ID P1 or P2 in the tenant. */
  premium: boolean;
  /**
   * A write: besides its cost in `bucket` it counts against the directory's write limit (https://learn.microsoft.com/graph/throttling-limits,
   * identity and access: "POST/PATCH/PUT/DELETE cost 1 RU plus 1 write").
   */
  write?: boolean;
}

/** internalDomainFederation `federatedIdpMfaBehavior` (https://learn.microsoft.com/graph/api/resources/internaldomainfederation). */
export type FederatedIdpMfaBehavior =
  'acceptIfMfaDoneByFederatedIdp' | 'enforceMfaByFederatedIdp' | 'rejectMfaByFederatedIdp';

export interface RouteContext {
  tenant: SyntheticTenant;
  tenantId: string;
  directory: DirectoryIndex;
  pager: Pager;
  /** `https://127.0.0.1:PORT`: the Graph root, used in @odata.context and nextLinks. */
  baseUrl: string;
  licence: 'p1' | 'free';
  /** What the federated domains' federationConfiguration states (EmulatorOptions). */
  federatedIdpMfaBehavior: FederatedIdpMfaBehavior;
  /** The tenant's "now" (collectedAt), ms. Moves forward with RunningEmulator.advanceDay(). */
  collectedAt: number;
  /**
   * Day 0 of the tenant's rollout (GenerateTenantOptions.rolloutStart), ms: what is dated relative to
   * it (when groups or the organisation were created) stays put when the emulator's day moves.
   */
  rolloutStart: number;
  /** The emulated clock's time, ms (token lifetimes). */
  now: () => number;
  /** The users delta query's tokens. */
  deltas: UserDeltaStates;
  pageSizes: PageSizes;
}

export interface Route {
  /** Path template for stats and errors: `/users/{id}/authentication/methods`. */
  name: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  versions: readonly GraphVersion[];
  /** Clouds where Graph does not offer this API (https://learn.microsoft.com/graph/deployments). */
  unavailableIn?: readonly CloudName[];
  /** Indexes of the path parameters when the lower-cased segments match; undefined otherwise. */
  match(lower: readonly string[]): number[] | undefined;
  access(req: GraphRequest): RouteAccess;
  /**
   * `params` are the matched segments, decoded, in their original case. Collections answer
   * asynchronously: their pages are read in turns (paging/turns.ts).
   */
  handle(
    req: GraphRequest,
    params: readonly string[],
    ctx: RouteContext,
  ): GraphResponse | Promise<GraphResponse>;
}

/** A matcher for `users/{id}/authentication/methods`: literal segments case-insensitive, `{x}` any one segment. */
export function template(path: string): (lower: readonly string[]) => number[] | undefined {
  const parts = path.split('/').filter((p) => p !== '');
  return (lower) => {
    if (lower.length !== parts.length) return undefined;
    const params: number[] = [];
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] as string;
      const seg = lower[i] as string;
      if (part.startsWith('{')) {
        if (seg === '' || seg.startsWith('$')) return undefined;
        params.push(i);
      } else if (part.toLowerCase() !== seg) {
        return undefined;
      }
    }
    return params;
  };
}

/**
 * Resource units of a directory GET (https://learn.microsoft.com/graph/throttling-limits): the base cost, then `$select` −1,
 * `$expand` +1, `$top` < 20 −1, never below 1.
 */
export function directoryCost(base: number, search: URLSearchParams): number {
  let cost = base;
  const has = (name: string) => [...search.keys()].some((k) => k.toLowerCase() === name);
  const value = (name: string) => [...search.entries()].find(([k]) => k.toLowerCase() === name)?.[1];
  if (has('$select')) cost -= 1;
  if (has('$expand')) cost += 1;
  const top = Number(value('$top'));
  if (has('$top') && Number.isFinite(top) && top < 20) cost -= 1;
  return Math.max(1, cost);
}

export const directory =
  (base: number, permissions: PermissionRule) =>
  (req: GraphRequest): RouteAccess => ({
    bucket: 'directory',
    cost: directoryCost(base, req.search),
    permissions,
    premium: false,
  });

/** A directory write (group membership…): 1 resource unit and 1 write (https://learn.microsoft.com/graph/throttling-limits). */
export const directoryWrite = (permissions: PermissionRule) => (): RouteAccess => ({
  bucket: 'directory',
  cost: 1,
  permissions,
  premium: false,
  write: true,
});

export const report = (permissions: PermissionRule, premium: boolean) => (): RouteAccess => ({
  bucket: 'reports',
  cost: 1,
  permissions,
  premium,
});

export function ok(body: unknown, headers: Record<string, string> = {}): GraphResponse {
  return { status: 200, headers, body };
}

export function contextUrl(ctx: RouteContext, req: GraphRequest, fragment: string): string {
  return `${ctx.baseUrl}/${req.version}/$metadata#${fragment}`;
}

/** Application permissions (the Graph reference pages' permission tables permission tables; higher-privileged alternatives included). */
export const PERMISSIONS = {
  users: [['User.Read.All'], ['User.ReadWrite.All'], ['Directory.Read.All'], ['Directory.ReadWrite.All']],
  signInActivity: [
    ['AuditLog.Read.All', 'User.Read.All'],
    ['AuditLog.Read.All', 'Directory.Read.All'],
  ],
  // https://learn.microsoft.com/graph/api/resources/userregistrationdetails: AuditLog.Read.All least privileged, UserAuthenticationMethod.Read.All higher.
  registration: [
    ['AuditLog.Read.All'],
    ['UserAuthenticationMethod.Read.All'],
    ['UserAuthenticationMethod.ReadWrite.All'],
  ],
  // https://learn.microsoft.com/graph/api/authentication-list-methods (acting on other users).
  methods: [['UserAuthenticationMethod.Read.All'], ['UserAuthenticationMethod.ReadWrite.All']],
  // https://learn.microsoft.com/graph/api/resources/strongauthenticationrequirements?view=graph-rest-beta: per-user MFA state of others.
  requirements: [['Policy.Read.All'], ['Policy.ReadWrite.AuthenticationMethod']],
  // https://learn.microsoft.com/graph/api/directoryaudit-list: both, no higher alternative. https://learn.microsoft.com/graph/api/signin-list: the older page needs both too; the safe reading.
  auditLogs: [['AuditLog.Read.All', 'Directory.Read.All']],
  groups: [
    ['GroupMember.Read.All'],
    ['Group.Read.All'],
    ['Group.ReadWrite.All'],
    ['Directory.Read.All'],
    ['Directory.ReadWrite.All'],
  ],
  // https://learn.microsoft.com/graph/api/resources/conditionalaccesspolicy.
  conditionalAccess: [
    ['Policy.Read.All'],
    ['Policy.Read.ConditionalAccess'],
    ['Policy.ReadWrite.ConditionalAccess'],
  ],
  // https://learn.microsoft.com/graph/api/resources/authenticationmethodspolicy.
  methodsPolicy: [['Policy.Read.All'], ['Policy.ReadWrite.AuthenticationMethod']],
  securityDefaults: [['Policy.Read.All'], ['Policy.ReadWrite.ConditionalAccess']],
  domains: [
    ['Domain.Read.All'],
    ['Domain.ReadWrite.All'],
    ['Directory.Read.All'],
    ['Directory.ReadWrite.All'],
  ],
  // https://learn.microsoft.com/graph/api/domain-list-federationconfiguration (v1.0): Domain.Read.All,
  // or the higher Domain.ReadWrite.All; Directory.Read.All is not among them.
  domainFederation: [['Domain.Read.All'], ['Domain.ReadWrite.All']],
  // https://learn.microsoft.com/graph/api/group-post-members and group-delete-members: GroupMember.ReadWrite.All
  // least privileged, Group.ReadWrite.All and Directory.ReadWrite.All higher.
  groupMembersWrite: [['GroupMember.ReadWrite.All'], ['Group.ReadWrite.All'], ['Directory.ReadWrite.All']],
  // https://learn.microsoft.com/graph/api/rbacapplication-list-roleassignments (directory provider).
  roleAssignments: [
    ['RoleManagement.Read.Directory'],
    ['RoleManagement.Read.All'],
    ['Directory.Read.All'],
    ['RoleManagement.ReadWrite.Directory'],
    ['Directory.ReadWrite.All'],
  ],
  organization: [
    ['Organization.Read.All'],
    ['Organization.ReadWrite.All'],
    ['Directory.Read.All'],
    ['Directory.ReadWrite.All'],
  ],
} as const satisfies Record<string, PermissionRule>;

/** Roles that let a caller see Conditional Access data inside sign-ins (https://learn.microsoft.com/graph/api/signin-list). */
export const CA_READERS = [
  'Policy.Read.All',
  'Policy.Read.ConditionalAccess',
  'Policy.ReadWrite.ConditionalAccess',
];
