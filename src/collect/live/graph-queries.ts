/**
 * The exact Graph requests the collector sends, as pure functions so that tests (and the emulator's
 * author) can see every path and `$filter` string. Relative to the version root; the version is
 * given alongside.
 *
 * `$filter` values go into the path as plain text: the Graph client library splits the query on `&`
 * and `=` and does not encode, and fetch percent-encodes spaces and quotes. None of the values below
 * contain `&`, `#` or `+`, which would need encoding.
 */
import { DIRECTORY_USER_FIELDS } from '../../domain/tenant.js';
import type { GraphVersion } from '../graph/index.js';
import {
  AUDIT_ACTIVITIES,
  AUTHENTICATOR_APP_ID,
  MY_SIGNINS_APP_ID,
  REGISTRATION_INTERRUPT_CODES,
} from '../../domain/well-known.js';

export interface GraphQuery {
  path: string;
  version: GraphVersion;
  headers?: Readonly<Record<string, string>>;
}

/** A server-side filtered collection: one combined query, or the same data as several simpler ones. */
export interface FilteredQuery {
  /** The query sent first: every condition joined with `or`. */
  combined: GraphQuery;
  /**
   * Sent instead, one after the other, if Graph refuses the combined filter with a 400 before any
   * row was written (the `or` support of these endpoints is not documented: https://learn.microsoft.com/graph/api/directoryaudit-list, https://learn.microsoft.com/graph/api/resources/signin?view=graph-rest-beta).
   * Their union equals the combined query; they may overlap, so rows are de-duplicated by id once the
   * collector has fallen back. Empty: nothing simpler exists.
   */
  fallback: GraphQuery[];
  /**
   * Sent after `combined` when the part reads a second, longer window (the sign-ins of the apps the
   * loop rules read, over the whole retention). Their rows repeat those of `combined` that `overlaps`
   * selects, and only those: the collector drops such a row when its id was already written.
   */
  more?: { queries: GraphQuery[]; overlaps: (row: unknown) => boolean };
}

/** An OData string literal: single quotes, a quote inside doubled. */
export function odataString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** An OData DateTimeOffset literal in Graph's style: UTC, whole seconds, unquoted (`2026-11-13T09:00:00Z`). */
export function odataDateTime(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The fields of GET /users the verdict engine reads (users.json). */
export const USER_FIELDS = DIRECTORY_USER_FIELDS;

/**
 * The fields of a sign-in the verdict engine reads (src/domain/tenant.ts SignIn). A beta sign-in has
 * some 50 properties, several of them nested (device, location, every Conditional Access policy
 * evaluated): `$select` keeps the export to the fields that matter, under half the bytes. Microsoft
 * advises `$select` for the reports bucket (https://learn.microsoft.com/graph/throttling-limits); that the sign-ins list honours it is
 * UNCONFIRMED (its page names `$top`, `$skiptoken` and `$filter`), so the fallback queries, sent if
 * Graph refuses the first one, go without it.
 */
export const SIGN_IN_FIELDS = [
  'id',
  'createdDateTime',
  'userId',
  'userPrincipalName',
  'appId',
  'appDisplayName',
  'status',
  'isInteractive',
  'signInEventTypes',
  'authenticationRequirement',
  'authenticationDetails',
  'authenticationMethodsUsed',
  'tokenIssuerType',
  'conditionalAccessStatus',
  // The policies evaluated and each one's result: `impact` counts report-only outcomes from them.
  'appliedConditionalAccessPolicies',
] as const;

/**
 * The reportOnly* results of appliedConditionalAccessPolicies are evolvable enum members: without
 * this header Graph sends `unknownFutureValue` in their place
 * (https://learn.microsoft.com/graph/api/resources/appliedconditionalaccesspolicy).
 */
export const SIGN_IN_HEADERS: Readonly<Record<string, string>> = { Prefer: 'include-unknown-enum-members' };

function signInQuery(filter: string, select: boolean): GraphQuery {
  return {
    path: `/auditLogs/signIns?$filter=${filter}${select ? `&$select=${SIGN_IN_FIELDS.join(',')}` : ''}`,
    version: 'beta',
    headers: SIGN_IN_HEADERS,
  };
}

/** Sign-in queries: the combined one with `$select`, the fallback ones without (see SIGN_IN_FIELDS). */
function signInQueries(from: string, conditions: readonly string[]): FilteredQuery {
  return {
    combined: signInQuery(`${from} and (${conditions.join(' or ')})`, true),
    fallback: conditions.map((c) => signInQuery(`${from} and ${c}`, false)),
  };
}

/** Whether a sign-in as Graph returns it is to one of `appIds` (ids compared without case). */
function toAppIn(appIds: readonly string[]): (row: unknown) => boolean {
  const ids = new Set(appIds.map((id) => id.toLowerCase()));
  return (row) => {
    const appId = (row as { appId?: unknown } | null)?.appId;
    return typeof appId === 'string' && ids.has(appId.toLowerCase());
  };
}

/** Cheap call that proves the credential and names the tenant (tenant.json `displayName`). */
export const ORGANIZATION: GraphQuery = { path: '/organization?$select=id,displayName', version: 'v1.0' };

/**
 * `@odata.count` of users, for the ETA. `$count` on directory objects needs `ConsistencyLevel:
 * eventual`; `$top=1` keeps the answer (and its RU cost, https://learn.microsoft.com/graph/throttling-limits) minimal.
 */
export const USERS_COUNT: GraphQuery = {
  path: '/users?$select=id&$top=1&$count=true',
  version: 'v1.0',
  headers: { ConsistencyLevel: 'eventual' },
};

/** `$top=999` is the documented maximum page size of /users; `$select` also lowers the RU cost (https://learn.microsoft.com/graph/throttling-limits). */
export const USERS: GraphQuery = {
  path: `/users?$select=${USER_FIELDS.join(',')}&$top=999`,
  version: 'v1.0',
};

/**
 * A deltaLink for the users "from now", without their data: directory resources support
 * `$deltaToken=latest` for the "sync from now" case (https://learn.microsoft.com/graph/delta-query-overview).
 * Asked just before the full read of a first collection, so that a change made during that read is
 * reported again by the next round rather than missed. The same `$select` as USERS: a delta round
 * tracks and returns the selected properties only (https://learn.microsoft.com/graph/api/user-delta).
 */
export const USERS_DELTA_LATEST: GraphQuery = {
  path: `/users/delta?$select=${USER_FIELDS.join(',')}&$deltatoken=latest`,
  version: 'v1.0',
};

/**
 * Beta, for `defaultMfaMethod` (https://learn.microsoft.com/graph/api/resources/userregistrationdetails), which the "Authenticator without a default method"
 * rule reads. No `$top` or `$select`: neither is confirmed for this report, so pages follow nextLink.
 */
export const REGISTRATION: GraphQuery = {
  path: '/reports/authenticationMethods/userRegistrationDetails',
  version: 'beta',
};

/**
 * One user's report row (https://learn.microsoft.com/graph/api/userregistrationdetails-get), beta like
 * REGISTRATION: a refresh reads again only the rows that may have moved, 20 to a `$batch`. 404 for a
 * user without a row (disabled, or newer than the report).
 */
export function registrationRow(userId: string): GraphQuery {
  return {
    path: `/reports/authenticationMethods/userRegistrationDetails/${encodeURIComponent(userId)}`,
    version: 'beta',
  };
}

export const GROUPS: GraphQuery = {
  path: '/groups?$select=id,displayName,onPremisesSyncEnabled&$top=999',
  version: 'v1.0',
};

/** Transitive members: the verdict engine wants nested groups flattened (groupMembers). */
export function groupMembers(groupId: string): GraphQuery {
  return {
    path: `/groups/${encodeURIComponent(groupId)}/transitiveMembers?$select=id&$top=999`,
    version: 'v1.0',
  };
}

export const CONDITIONAL_ACCESS: GraphQuery = {
  path: '/identity/conditionalAccess/policies',
  version: 'v1.0',
};
export const METHODS_POLICY: GraphQuery = { path: '/policies/authenticationMethodsPolicy', version: 'v1.0' };
export const SECURITY_DEFAULTS: GraphQuery = {
  path: '/policies/identitySecurityDefaultsEnforcementPolicy',
  version: 'v1.0',
};
export const DOMAINS: GraphQuery = { path: '/domains', version: 'v1.0' };

/**
 * Who holds which directory role, for Conditional Access role conditions: active assignments
 * (https://learn.microsoft.com/graph/api/rbacapplication-list-roleassignments, least privileged
 * RoleManagement.Read.Directory). `$expand=principal`, as the page's first example does, says whether
 * a principal is a user or a group (whose members hold the role): its `@odata.type`.
 */
export const ROLE_ASSIGNMENTS: GraphQuery = {
  path: '/roleManagement/directory/roleAssignments?$expand=principal',
  version: 'v1.0',
};

/**
 * A federated domain's internalDomainFederation (one object in a collection): its
 * `federatedIdpMfaBehavior` says whether Entra accepts MFA done at the IdP. v1.0, Domain.Read.All
 * (https://learn.microsoft.com/graph/api/domain-list-federationconfiguration); a directory-bucket
 * request (https://learn.microsoft.com/graph/throttling-limits). The method takes no OData options.
 */
export function domainFederation(domainId: string): GraphQuery {
  return { path: `/domains/${encodeURIComponent(domainId)}/federationConfiguration`, version: 'v1.0' };
}

/**
 * What domains.json keeps of an internalDomainFederation: what the rules read and what names it.
 * The signing certificates, endpoints and the rest are left out.
 */
export const DOMAIN_FEDERATION_FIELDS = [
  'id',
  'displayName',
  'issuerUri',
  'federatedIdpMfaBehavior',
] as const;

/**
 * Beta: v1.0 omits method types it does not support (https://learn.microsoft.com/graph/api/authentication-list-methods), e.g. hardware OATH tokens,
 * and a user with only those would look unregistered.
 */
export function userMethods(userId: string): GraphQuery {
  return { path: `/users/${encodeURIComponent(userId)}/authentication/methods`, version: 'beta' };
}

/**
 * Users' last sign-in. Its own bucket of 10 requests a minute; Microsoft advises `$top=500` for it
 * (https://learn.microsoft.com/graph/throttling-limits).
 */
export const SIGN_IN_ACTIVITY: GraphQuery = {
  path: '/users?$select=id,userPrincipalName,signInActivity&$top=500',
  version: 'v1.0',
};

/**
 * The activities the rules read (src/domain/well-known.ts AUDIT_ACTIVITIES, `Update user` among
 * them), plus the older spelling "User cancelled security info registration" that the rules also
 * accept (https://learn.microsoft.com/entra/identity/authentication/howto-registration-mfa-sspr-combined-troubleshoot): an `eq` filter is exact, so each spelling is asked for.
 */
export const AUDIT_ACTIVITY_NAMES: readonly string[] = [
  ...new Set<string>([...Object.values(AUDIT_ACTIVITIES), 'User cancelled security info registration']),
];

/**
 * Directory audits since `since`, filtered server-side to the activities that matter
 * (`activityDisplayName` eq and `activityDateTime` ge are documented filters, https://learn.microsoft.com/graph/api/directoryaudit-list):
 * a tenant's audit log is mostly unrelated noise (group changes, app consents, sync).
 */
export function directoryAudits(since: Date): FilteredQuery {
  const from = `activityDateTime ge ${odataDateTime(since)}`;
  const names = AUDIT_ACTIVITY_NAMES.map((n) => `activityDisplayName eq ${odataString(n)}`);
  const query = (filter: string): GraphQuery => ({
    path: `/auditLogs/directoryAudits?$filter=${filter}`,
    version: 'v1.0',
  });
  return {
    combined: query(`${from} and (${names.join(' or ')})`),
    fallback: names.map((n) => query(`${from} and ${n}`)),
  };
}

/** Apps whose interactive sign-ins matter at any authentication level. */
export const INTERACTIVE_APP_IDS: readonly string[] = [MY_SIGNINS_APP_ID, AUTHENTICATOR_APP_ID];

/**
 * Interactive sign-ins since `since` that a rule can read, filtered server-side (Microsoft's advice for
 * the reports bucket is to narrow with `$filter`, https://learn.microsoft.com/graph/throttling-limits). A tenant that does not enforce MFA
 * yet signs in mostly with a password; those single-factor sign-ins say nothing about MFA and are
 * most of the volume (two a day per user). What the rules read (src/assess/sign-in-facts.ts):
 * - MFA done, by any method or by a claim, and MFA asked for but not done: all carry
 *   `authenticationRequirement` multiFactorAuthentication, "the highest level needed across all
 *   sign-in steps" (https://learn.microsoft.com/graph/api/resources/signin?view=graph-rest-beta);
 * - registration interrupts (50072/50079): asked for in their own right, in case a tenant logs one
 *   as single-factor;
 * - sign-ins to My Signins (the security-info page) and to the Authenticator app, whatever their level,
 *   since `appsSince` (the whole retention when the collector asks: see `more`).
 *
 * From beta: only beta has `authenticationRequirement`, `authenticationDetails` and `signInEventTypes`
 * (https://learn.microsoft.com/graph/api/resources/signin?view=graph-rest-beta), and beta returns interactive sign-ins only unless asked otherwise (https://learn.microsoft.com/graph/api/signin-list).
 */
export function interactiveSignIns(since: Date, appsSince: Date = since): FilteredQuery {
  const from = `createdDateTime ge ${odataDateTime(since)}`;
  const apps = INTERACTIVE_APP_IDS.map((id) => `appId eq ${odataString(id)}`);
  const query = signInQueries(from, [
    `authenticationRequirement eq ${odataString('multiFactorAuthentication')}`,
    ...REGISTRATION_INTERRUPT_CODES.map((code) => `status/errorCode eq ${code}`),
    ...apps,
  ]);
  if (appsSince.getTime() >= since.getTime()) return query;
  // The apps' sign-ins reach further back than the rest (an Authenticator app signed in weeks ago is
  // still a loop risk): the combined query keeps its window, a second one reads the apps' longer one,
  // and the simple fallback queries ask for the apps over the longer window straight away.
  const appsFrom = `createdDateTime ge ${odataDateTime(appsSince)}`;
  return {
    combined: query.combined,
    fallback: [
      ...query.fallback.slice(0, -apps.length),
      ...apps.map((c) => signInQuery(`${appsFrom} and ${c}`, false)),
    ],
    more: {
      queries: [signInQuery(`${appsFrom} and (${apps.join(' or ')})`, true)],
      overlaps: toAppIn(INTERACTIVE_APP_IDS),
    },
  };
}

/** The apps whose non-interactive sign-ins the rules read: Authenticator (loop-risk) and My Signins (loops). */
export const NON_INTERACTIVE_APP_IDS: readonly string[] = [AUTHENTICATOR_APP_ID, MY_SIGNINS_APP_ID];

/**
 * Non-interactive sign-ins since `since` (the collector asks for the whole retention), only to the
 * apps the rules use. Non-interactive sign-ins
 * are token refreshes by every client on every device, an order of magnitude more than interactive
 * ones; the Authenticator app's sign-ins (the proof-up loop's precondition (test/fixtures/incidents/incident-2)) are among them.
 */
export function nonInteractiveSignIns(since: Date): FilteredQuery {
  return signInQueries(
    `createdDateTime ge ${odataDateTime(since)} and signInEventTypes/any(t: t eq 'nonInteractiveUser')`,
    NON_INTERACTIVE_APP_IDS.map((id) => `appId eq ${odataString(id)}`),
  );
}
