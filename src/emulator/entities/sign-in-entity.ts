/**
 * Sign-ins as Graph serves them. The generator renders a lean subset of the beta signIn (the fields
 * the verdict rules read, src/demo/graph-types.ts); Graph sends every property, so the emulator fills
 * in the rest of the beta example's keys (test/fixtures/graph-docs/auditLogs_signIns.beta.example1.json)
 * with values derived from the row, and v1.0 keeps only v1.0's properties (https://learn.microsoft.com/graph/api/resources/signin?view=graph-rest-beta: no
 * authenticationDetails, authenticationRequirement or signInEventTypes there).
 */
import { APPS } from '../../demo/catalog.js';
import type { ConditionalAccessPolicy, SignIn } from '../../demo/graph-types.js';
import { hashKey } from '../../demo/random.js';
import type { GraphVersion } from '../graph/graph-request.js';

const RESOURCE_IDS: Record<string, string> = {
  'Office 365 Exchange Online': '00000002-0000-0ff1-ce00-000000000000',
  'Office 365 SharePoint Online': '00000003-0000-0ff1-ce00-000000000000',
  'Microsoft Graph': '00000003-0000-0000-c000-000000000000',
  'Windows Azure Active Directory': '00000002-0000-0000-c000-000000000000',
  'Windows Azure Service Management API': '797f4846-ba00-4fd7-ba43-dac1f8f63013',
  'Microsoft Teams Services': 'cc15fd57-2c6c-4117-a88c-83b1d56b4bbe',
  OfficeHome: '4765445b-32c6-49b0-83e6-1d93765276ca',
};

const RESOURCE_BY_APP = new Map<string, string>(
  Object.values(APPS).map((a) => [a.appId, a.resourceDisplayName]),
);

/** v1.0 signIn properties (https://learn.microsoft.com/graph/api/resources/signin?view=graph-rest-beta, learn signIn resource v1.0, 2025-11-28). */
export const SIGN_IN_V1_PROPERTIES = [
  'id',
  'createdDateTime',
  'userDisplayName',
  'userPrincipalName',
  'userId',
  'appId',
  'appDisplayName',
  'ipAddress',
  'clientAppUsed',
  'correlationId',
  'conditionalAccessStatus',
  'isInteractive',
  'riskDetail',
  'riskLevelAggregated',
  'riskLevelDuringSignIn',
  'riskState',
  'riskEventTypes_v2',
  'resourceDisplayName',
  'resourceId',
  'status',
  'deviceDetail',
  'location',
  'appliedConditionalAccessPolicies',
] as const;

/** authenticationDetails method names → the deprecated authenticationMethodsUsed values (https://learn.microsoft.com/graph/api/resources/signin?view=graph-rest-beta). */
const METHODS_USED: Record<string, string> = {
  Password: 'Password',
  'Mobile app notification': 'Authenticator App',
  'Text message': 'SMS',
  'OATH verification code': 'App Verification code',
  'FIDO2 security key': 'FIDO',
};

export interface SignInShapeContext {
  tenantId: string;
  /** 'member' | 'guest' for a user id (signIn.userType). */
  userTypeOf(userId: string): 'member' | 'guest';
  /** Whether the caller may read Conditional Access data (else appliedConditionalAccessPolicies is omitted). */
  canReadConditionalAccess: boolean;
  /**
   * The tenant's policies and who is in which group, to fill appliedConditionalAccessPolicies; without
   * them the list is empty, as before.
   */
  policies?: AppliedPoliciesContext;
}

export interface AppliedPoliciesContext {
  conditionalAccess: readonly ConditionalAccessPolicy[];
  /** Whether the user is a (transitive) member of the group. */
  isMember(userId: string, groupId: string): boolean;
  /**
   * The request asked `Prefer: include-unknown-enum-members`: without it the reportOnly* results are
   * evolvable enum members and Graph answers `unknownFutureValue` in their place
   * (https://learn.microsoft.com/graph/api/resources/appliedconditionalaccesspolicy).
   */
  includeUnknownEnumMembers: boolean;
}

/** Whether a Prefer header value asks for evolvable enum members (comma-separated preferences). */
export function prefersUnknownEnumMembers(prefer: string | undefined): boolean {
  return (prefer ?? '').split(',').some((p) => p.trim().toLowerCase() === 'include-unknown-enum-members');
}

/** Whether the policy's user conditions cover the user (roles are never held in the emulated tenant). */
function coversUser(
  p: ConditionalAccessPolicy,
  s: SignIn,
  guest: boolean,
  ctx: AppliedPoliciesContext,
): boolean {
  const u = p.conditions.users;
  const id = s.userId.toLowerCase();
  const named = (list: readonly string[]) => list.some((v) => v.toLowerCase() === id);
  const anyGroup = (list: readonly string[]) => list.some((g) => ctx.isMember(s.userId, g));
  const guests = (list: readonly string[]) =>
    guest && list.some((v) => v.toLowerCase() === 'guestsorexternalusers');
  const included =
    u.includeUsers.some((v) => v.toLowerCase() === 'all') ||
    named(u.includeUsers) ||
    guests(u.includeUsers) ||
    anyGroup(u.includeGroups);
  if (!included) return false;
  return !(named(u.excludeUsers) || guests(u.excludeUsers) || anyGroup(u.excludeGroups));
}

function coversApp(p: ConditionalAccessPolicy, s: SignIn): boolean {
  const apps = p.conditions.applications.includeApplications;
  return apps.some((a) => a.toLowerCase() === 'all' || a.toLowerCase() === s.appId.toLowerCase());
}

/** MFA was done in the sign-in: a successful step other than the password, or MFA required and the sign-in succeeded. */
function mfaDone(s: SignIn): boolean {
  if (s.authenticationDetails.some((d) => d.succeeded && d.authenticationMethod !== 'Password')) return true;
  return s.authenticationRequirement === 'multiFactorAuthentication' && s.status.errorCode === 0;
}

/**
 * Each policy's result for one sign-in, as Graph reports it
 * (https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-report-only):
 * a disabled policy `notEnabled`; one that does not cover the user or the app `notApplied`
 * (`reportOnlyNotApplied` in report-only); an enabled one `success` when its grant was met, else
 * `failure`; a report-only one `reportOnlySuccess` when MFA was done anyway, `reportOnlyInterrupted`
 * when the user would have been asked for MFA, `reportOnlyFailure` when a block would have stopped it.
 */
export function appliedPolicies(
  s: SignIn,
  guest: boolean,
  ctx: AppliedPoliciesContext,
): Record<string, unknown>[] {
  return ctx.conditionalAccess.map((p) => {
    const reportOnly = p.state === 'enabledForReportingButNotEnforced';
    const applies = p.state !== 'disabled' && coversUser(p, s, guest, ctx) && coversApp(p, s);
    const controls = p.grantControls.builtInControls;
    let result: string;
    if (p.state === 'disabled') result = 'notEnabled';
    else if (!applies) result = reportOnly ? 'reportOnlyNotApplied' : 'notApplied';
    else if (controls.includes('block')) result = reportOnly ? 'reportOnlyFailure' : 'failure';
    else if (controls.includes('mfa') && !mfaDone(s))
      result = reportOnly ? 'reportOnlyInterrupted' : 'failure';
    else result = reportOnly ? 'reportOnlySuccess' : 'success';
    if (result.startsWith('reportOnly') && !ctx.includeUnknownEnumMembers) result = 'unknownFutureValue';
    return {
      id: p.id,
      displayName: p.displayName,
      enforcedGrantControls: applies ? controls : [],
      enforcedSessionControls: [],
      result,
    };
  });
}

const BROWSER_AGENT =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.2849.68';

/** Every beta property, in the order of the doc example. */
export function fullSignIn(s: SignIn, ctx: SignInShapeContext): Record<string, unknown> {
  const h = hashKey(s.id);
  const campus = s.ipAddress.startsWith('198.51.100.');
  const browser = s.clientAppUsed === 'Browser';
  const guest = ctx.userTypeOf(s.userId) === 'guest';
  const resourceDisplayName = RESOURCE_BY_APP.get(s.appId) ?? s.appDisplayName;
  const methodsUsed = s.authenticationDetails
    .filter((d) => d.succeeded)
    .map((d) => METHODS_USED[d.authenticationMethod])
    .filter((m): m is string => m !== undefined);
  const full: Record<string, unknown> = {
    id: s.id,
    createdDateTime: s.createdDateTime,
    userDisplayName: s.userDisplayName,
    userPrincipalName: s.userPrincipalName,
    userId: s.userId,
    appId: s.appId,
    appDisplayName: s.appDisplayName,
    ipAddress: s.ipAddress,
    clientAppUsed: s.clientAppUsed,
    userAgent: browser && s.isInteractive ? BROWSER_AGENT : '',
    correlationId: s.correlationId,
    conditionalAccessStatus: s.conditionalAccessStatus,
    originalRequestId: s.id,
    authenticationProtocol: 'none',
    incomingTokenType: s.isInteractive ? 'none' : 'refreshToken',
    isInteractive: s.isInteractive,
    homeTenantId: guest ? hashTenant(s.userId) : ctx.tenantId,
    homeTenantName: '',
    isTenantRestricted: false,
    tokenIssuerName:
      s.tokenIssuerType === 'ADFederationServices' ? 'http://sts.contoso.edu/adfs/services/trust' : '',
    tokenIssuerType: s.tokenIssuerType,
    processingTimeInMilliseconds: 40 + (h % 400),
    riskDetail: 'none',
    riskLevelAggregated: 'none',
    riskLevelDuringSignIn: 'none',
    riskState: 'none',
    riskEventTypes_v2: [],
    resourceDisplayName,
    resourceId: RESOURCE_IDS[resourceDisplayName] ?? s.appId,
    resourceTenantId: ctx.tenantId,
    authenticationMethodsUsed: methodsUsed,
    authenticationRequirement: s.authenticationRequirement,
    uniqueTokenIdentifier: Buffer.from(`${s.id}:${h}`).toString('base64url').slice(0, 22),
    signInIdentifier: s.isInteractive ? s.userPrincipalName : '',
    signInEventTypes: s.signInEventTypes,
    servicePrincipalId: '',
    userType: guest ? 'guest' : 'member',
    flaggedForReview: false,
    // Documentation-reserved AS numbers (RFC 5398), like the documentation IP ranges the generator uses.
    autonomousSystemNumber: 64496 + (h % 16),
    crossTenantAccessType: guest ? 'b2bCollaboration' : 'none',
    status: s.status,
    deviceDetail: {
      deviceId: '',
      displayName: '',
      operatingSystem: browser ? 'Windows10' : s.appDisplayName.includes('Mobile') ? 'Ios' : 'Windows10',
      browser: browser ? 'Edge 130.0.2849' : 'Rich Client 4.66.0',
      isCompliant: false,
      isManaged: false,
      trustType: '',
    },
    location: campus
      ? { city: 'Cambridge', state: 'Cambridgeshire', countryOrRegion: 'GB', geoCoordinates: {} }
      : { city: 'London', state: 'London', countryOrRegion: 'GB', geoCoordinates: {} },
    appliedConditionalAccessPolicies:
      ctx.policies === undefined ? [] : appliedPolicies(s, guest, ctx.policies),
    authenticationProcessingDetails: [],
    networkLocationDetails: campus ? [{ networkType: 'trustedNamedLocation', networkNames: ['Campus'] }] : [],
    authenticationDetails: s.authenticationDetails,
    authenticationRequirementPolicies: [],
    sessionLifetimePolicies: [],
  };
  // https://learn.microsoft.com/graph/api/signin-list: omitted unless the caller can read Conditional Access data.
  if (!ctx.canReadConditionalAccess) delete full['appliedConditionalAccessPolicies'];
  return full;
}

export function signInFor(
  s: SignIn,
  version: GraphVersion,
  ctx: SignInShapeContext,
): Record<string, unknown> {
  const full = fullSignIn(s, ctx);
  if (version === 'beta') return full;
  const v1: Record<string, unknown> = {};
  for (const key of SIGN_IN_V1_PROPERTIES) if (key in full) v1[key] = full[key];
  return v1;
}

function hashTenant(userId: string): string {
  const hex = (n: number) => n.toString(16).padStart(8, '0');
  const a = hex(hashKey('home-tenant', userId, 1));
  const b = hex(hashKey('home-tenant', userId, 2));
  const c = hex(hashKey('home-tenant', userId, 3));
  const d = hex(hashKey('home-tenant', userId, 4));
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-8${c.slice(1, 4)}-${c.slice(4)}${d}`;
}
