import type {
  AuditEvent,
  AuthMethod,
  DirectoryUser,
  RegistrationDetail,
  SignIn,
  UserMethods,
} from '../domain/tenant.js';

/**
 * One copy of each repeated string among the items a snapshot keeps. JSON.parse makes a new string
 * for every value it reads, so the 400,000 sign-ins a 100,000-user tenant keeps would each carry
 * their own copy of the same user ids, app names and step descriptions: two thirds of their memory.
 * The functions below replace such fields, in place, by the pooled copy; values that are unique
 * (ids of events, times, audit property values) are left alone so the pool stays small.
 *
 * Only the identity of equal strings changes, never a value.
 */
export class StringPool {
  private readonly strings = new Map<string, string>();

  /** The pooled copy of `s` (itself, the first time). */
  share(s: string): string;
  share(s: string | undefined): string | undefined;
  share(s: string | undefined): string | undefined {
    // JSON.parse already shares strings of up to 10 characters (V8 internalizes them).
    if (s === undefined || s.length <= 10) return s;
    const found = this.strings.get(s);
    if (found !== undefined) return found;
    this.strings.set(s, s);
    return s;
  }

  shareAll(list: string[]): void {
    for (let i = 0; i < list.length; i++) list[i] = this.share(list[i] as string);
  }
}

/*
 * A user's id, UPN and name appear once in users.json and once in the report: pooling them would save
 * little memory (a copy per user) for a look-up in a table of every user, which costs more than it
 * saves time on a large tenant. Only the values that repeat across users are pooled here.
 */

export function shareUser(u: DirectoryUser, pool: StringPool): void {
  if (u.userType !== undefined) u.userType = pool.share(u.userType);
}

export function shareRegistration(r: RegistrationDetail, pool: StringPool): void {
  if (r.userType !== undefined) r.userType = pool.share(r.userType);
  pool.shareAll(r.methodsRegistered);
  if (r.defaultMfaMethod !== undefined) r.defaultMfaMethod = pool.share(r.defaultMfaMethod);
  const preferred = r.userPreferredMethodForSecondaryAuthentication;
  if (preferred !== undefined) r.userPreferredMethodForSecondaryAuthentication = pool.share(preferred);
  if (r.systemPreferredAuthenticationMethods !== undefined)
    pool.shareAll(r.systemPreferredAuthenticationMethods);
}

export function shareMethods(m: UserMethods, pool: StringPool): void {
  for (const method of m.methods) shareMethod(method, pool);
}

function shareMethod(m: AuthMethod, pool: StringPool): void {
  m.id = pool.share(m.id);
  m.odataType = pool.share(m.odataType);
  if (m.displayName !== undefined) m.displayName = pool.share(m.displayName);
  if (m.phoneType !== undefined) m.phoneType = pool.share(m.phoneType);
  if (m.smsSignInState !== undefined) m.smsSignInState = pool.share(m.smsSignInState);
  if (m.deviceTag !== undefined) m.deviceTag = pool.share(m.deviceTag);
  if (m.phoneAppVersion !== undefined) m.phoneAppVersion = pool.share(m.phoneAppVersion);
  if (m.clientAppName !== undefined) m.clientAppName = pool.share(m.clientAppName);
}

export function shareSignIn(s: SignIn, pool: StringPool): void {
  if (s.userId !== undefined) s.userId = pool.share(s.userId);
  if (s.userPrincipalName !== undefined) s.userPrincipalName = pool.share(s.userPrincipalName);
  if (s.appId !== undefined) s.appId = pool.share(s.appId);
  if (s.appDisplayName !== undefined) s.appDisplayName = pool.share(s.appDisplayName);
  if (s.failureReason !== undefined) s.failureReason = pool.share(s.failureReason);
  if (s.additionalDetails !== undefined) s.additionalDetails = pool.share(s.additionalDetails);
  if (s.signInEventTypes !== undefined) pool.shareAll(s.signInEventTypes);
  if (s.authenticationRequirement !== undefined) {
    s.authenticationRequirement = pool.share(s.authenticationRequirement);
  }
  if (s.authenticationMethodsUsed !== undefined) pool.shareAll(s.authenticationMethodsUsed);
  if (s.tokenIssuerType !== undefined) s.tokenIssuerType = pool.share(s.tokenIssuerType);
  if (s.conditionalAccessStatus !== undefined)
    s.conditionalAccessStatus = pool.share(s.conditionalAccessStatus);
  // Facts (slim sign-ins) are shared whole, and frozen, by SignInFactsPool.
  for (const d of s.authenticationDetails ?? []) {
    // A step's time is most often the sign-in's own: share that string, without pooling times.
    if (d.authenticationStepDateTime === s.createdDateTime) d.authenticationStepDateTime = s.createdDateTime;
    if (d.authenticationMethod !== undefined) d.authenticationMethod = pool.share(d.authenticationMethod);
    if (d.authenticationMethodDetail !== undefined) {
      d.authenticationMethodDetail = pool.share(d.authenticationMethodDetail);
    }
    if (d.authenticationStepResultDetail !== undefined) {
      d.authenticationStepResultDetail = pool.share(d.authenticationStepResultDetail);
    }
    if (d.authenticationStepRequirement !== undefined) {
      d.authenticationStepRequirement = pool.share(d.authenticationStepRequirement);
    }
  }
}

export function shareAudit(a: AuditEvent, pool: StringPool): void {
  a.activityDisplayName = pool.share(a.activityDisplayName);
  if (a.category !== undefined) a.category = pool.share(a.category);
  if (a.loggedByService !== undefined) a.loggedByService = pool.share(a.loggedByService);
  if (a.operationType !== undefined) a.operationType = pool.share(a.operationType);
  if (a.result !== undefined) a.result = pool.share(a.result);
  if (a.resultReason !== undefined) a.resultReason = pool.share(a.resultReason);
  const { user, app } = a.initiatedBy;
  if (user !== undefined) {
    if (user.id !== undefined) user.id = pool.share(user.id);
    if (user.userPrincipalName !== undefined) user.userPrincipalName = pool.share(user.userPrincipalName);
    if (user.displayName !== undefined) user.displayName = pool.share(user.displayName);
  }
  if (app !== undefined) {
    if (app.appId !== undefined) app.appId = pool.share(app.appId);
    if (app.displayName !== undefined) app.displayName = pool.share(app.displayName);
    if (app.servicePrincipalName !== undefined)
      app.servicePrincipalName = pool.share(app.servicePrincipalName);
  }
  for (const t of a.targetResources) {
    if (t.id !== undefined) t.id = pool.share(t.id);
    if (t.displayName !== undefined) t.displayName = pool.share(t.displayName);
    if (t.userPrincipalName !== undefined) t.userPrincipalName = pool.share(t.userPrincipalName);
    if (t.type !== undefined) t.type = pool.share(t.type);
    for (const p of t.modifiedProperties) p.displayName = pool.share(p.displayName);
  }
  for (const d of a.additionalDetails) d.key = pool.share(d.key);
}
