import type {
  AppliedPolicy,
  AuditEvent,
  AuditTarget,
  AuthMethod,
  DirectoryUser,
  RegistrationDetail,
  SignIn,
  AuthenticationDetail,
  TapInfo,
} from '../domain/tenant.js';
import { SILENT_POLICY_RESULTS } from '../domain/tenant.js';
import { toIsoDate } from './iso-dates.js';
import { isPlainObject, withKnownKeys } from './key-shapes.js';
import { methodKindOfShape, methodKindOfType } from './method-kinds.js';

/**
 * Hand-written normalisers for the datasets that have one entity per user or more (sign-ins,
 * audits, methods, users, the registration report): the zod schemas in schemas.ts cost several
 * microseconds an entity, which at millions of sign-ins is most of the reading time.
 *
 * Each returns the same object as its zod counterpart, or undefined when the entity is anything but
 * plain Graph JSON with every field of the expected type: PowerShell's shape, a date in another form,
 * a wrong type. The caller then runs the zod normaliser, which converts the unusual forms and words
 * the errors, so this file decides nothing on its own. test/collect/fast-normalisers.test.ts checks
 * the two against each other.
 */

/** Returned by the field readers below for a value the zod schema would not accept as is. */
const BAD: unique symbol = Symbol('bad');
type Bad = typeof BAD;

/** `optionalString`: a string, or null or missing (undefined). */
function optString(v: unknown): string | undefined | Bad {
  if (typeof v === 'string') return v;
  return v === null || v === undefined ? undefined : BAD;
}

/** `enumString`: as optString, with `""` as undefined. */
function enumString(v: unknown): string | undefined | Bad {
  if (typeof v === 'string') return v === '' ? undefined : v;
  return v === null || v === undefined ? undefined : BAD;
}

/** `optionalBoolean`. */
function optBoolean(v: unknown): boolean | undefined | Bad {
  if (typeof v === 'boolean') return v;
  return v === null || v === undefined ? undefined : BAD;
}

/** `optionalNumber` (zod's number is finite). */
function optNumber(v: unknown): number | undefined | Bad {
  if (typeof v === 'number') return Number.isFinite(v) ? v : BAD;
  return v === null || v === undefined ? undefined : BAD;
}

/** `optionalDate`, for strings only (PowerShell's date objects take the long way). */
function optDate(v: unknown): string | undefined | Bad {
  if (v === null || v === undefined || v === '') return undefined;
  if (typeof v !== 'string') return BAD;
  return toIsoDate(v) ?? BAD;
}

/** `requiredString`: a non-empty string. */
function reqString(v: unknown): string | Bad {
  return typeof v === 'string' && v.length > 0 ? v : BAD;
}

/** `requiredDate`, for strings only. */
function reqDate(v: unknown): string | Bad {
  return typeof v === 'string' ? (toIsoDate(v) ?? BAD) : BAD;
}

/** A list of strings, or BAD; null or missing is `absent`. */
function stringList<A>(v: unknown, absent: A): string[] | A | Bad {
  if (v === null || v === undefined) return absent;
  if (!Array.isArray(v)) return BAD;
  for (const s of v) if (typeof s !== 'string') return BAD;
  return v as string[];
}

/**
 * `jsonText`: a JSON-encoded value kept as a string. The zod schema rejects the key when it is
 * missing (its transform makes it required), so that is BAD here too.
 */
function jsonText(o: Record<string, unknown>, key: string): string | null | Bad {
  if (!(key in o)) return BAD;
  const v = o[key];
  if (v === undefined || v === null) return null;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/**
 * A plain object with Graph's camelCase keys: what fromPowerShellShape returns unchanged. An object
 * with a key that starts with a capital is PowerShell output and takes the long way.
 */
function graphObject(v: unknown): Record<string, unknown> | undefined {
  if (!isPlainObject(v)) return undefined;
  for (const key in v) {
    const c = key.charCodeAt(0);
    if (c >= 65 && c <= 90) return undefined;
  }
  return v;
}

/** A nested object field: undefined when null or missing, BAD when not an object. */
function optObject(v: unknown): Record<string, unknown> | undefined | Bad {
  if (v === null || v === undefined) return undefined;
  return isPlainObject(v) ? v : BAD;
}

// ------------------------------------------------------------------------------------------- signIns

export function fastSignIn(raw: unknown): SignIn | undefined {
  const s = graphObject(raw);
  if (s === undefined) return undefined;
  const id = reqString(s['id']);
  const createdDateTime = reqDate(s['createdDateTime']);
  const userId = optString(s['userId']);
  const userPrincipalName = optString(s['userPrincipalName']);
  const appId = optString(s['appId']);
  const appDisplayName = optString(s['appDisplayName']);
  const status = optObject(s['status']);
  const isInteractive = optBoolean(s['isInteractive']);
  const signInEventTypes = stringList(s['signInEventTypes'], undefined);
  const authenticationRequirement = enumString(s['authenticationRequirement']);
  const authenticationMethodsUsed = stringList(s['authenticationMethodsUsed'], undefined);
  const tokenIssuerType = enumString(s['tokenIssuerType']);
  const conditionalAccessStatus = enumString(s['conditionalAccessStatus']);
  const appDevice = optObject(s['authenticationAppDeviceDetails']);
  const clientApp =
    appDevice === undefined || appDevice === BAD ? appDevice : optString(appDevice['clientApp']);
  if (
    clientApp === BAD ||
    id === BAD ||
    createdDateTime === BAD ||
    userId === BAD ||
    userPrincipalName === BAD ||
    appId === BAD ||
    appDisplayName === BAD ||
    status === BAD ||
    isInteractive === BAD ||
    signInEventTypes === BAD ||
    authenticationRequirement === BAD ||
    authenticationMethodsUsed === BAD ||
    tokenIssuerType === BAD ||
    conditionalAccessStatus === BAD
  ) {
    return undefined;
  }
  let errorCode = 0;
  let failureReason: string | undefined;
  let additionalDetails: string | undefined;
  if (status !== undefined) {
    const code = status['errorCode'];
    const reason = optString(status['failureReason']);
    const detail = optString(status['additionalDetails']);
    if (typeof code !== 'number' || !Number.isFinite(code) || reason === BAD || detail === BAD) {
      return undefined;
    }
    errorCode = code;
    failureReason = reason;
    additionalDetails = detail;
  }
  const details = authenticationDetails(s['authenticationDetails']);
  if (details === BAD) return undefined;
  const applied = appliedPolicies(s['appliedConditionalAccessPolicies']);
  if (applied === BAD) return undefined;

  // Built in the order of normaliseSignIn's object literal, leaving out what is undefined.
  const out = { id, createdDateTime } as SignIn;
  if (userId !== undefined) out.userId = userId;
  if (userPrincipalName !== undefined) out.userPrincipalName = userPrincipalName;
  if (appId !== undefined) out.appId = appId;
  if (appDisplayName !== undefined) out.appDisplayName = appDisplayName;
  out.errorCode = errorCode;
  if (failureReason !== undefined) out.failureReason = failureReason;
  if (additionalDetails !== undefined) out.additionalDetails = additionalDetails;
  if (isInteractive !== undefined) out.isInteractive = isInteractive;
  if (signInEventTypes !== undefined) out.signInEventTypes = signInEventTypes;
  if (authenticationRequirement !== undefined) out.authenticationRequirement = authenticationRequirement;
  if (details !== undefined) out.authenticationDetails = details;
  if (authenticationMethodsUsed !== undefined) out.authenticationMethodsUsed = authenticationMethodsUsed;
  if (tokenIssuerType !== undefined) out.tokenIssuerType = tokenIssuerType;
  if (conditionalAccessStatus !== undefined) out.conditionalAccessStatus = conditionalAccessStatus;
  if (clientApp !== undefined) out.authenticationAppDeviceDetails = { clientApp };
  if (applied !== undefined) out.appliedConditionalAccessPolicies = applied;
  return out;
}

/** appliedConditionalAccessPolicies as normaliseSignInSlowly keeps it (schemas.ts keptAppliedPolicies). */
function appliedPolicies(v: unknown): AppliedPolicy[] | undefined | Bad {
  if (v === null || v === undefined) return undefined;
  if (!Array.isArray(v)) return BAD;
  let out: AppliedPolicy[] | undefined;
  for (const item of v) {
    if (!isPlainObject(item)) return BAD;
    const id = item['id'];
    const result = enumString(item['result']);
    if (typeof id !== 'string' || id === '' || result === BAD) return BAD;
    if (result === undefined || SILENT_POLICY_RESULTS.has(result.toLowerCase())) continue;
    (out ??= []).push({ id, result });
  }
  return out;
}

function authenticationDetails(v: unknown): AuthenticationDetail[] | undefined | Bad {
  if (v === null || v === undefined) return undefined;
  if (!Array.isArray(v)) return BAD;
  const out: AuthenticationDetail[] = [];
  for (const item of v) {
    if (!isPlainObject(item)) return BAD;
    const stepDateTime = optDate(item['authenticationStepDateTime']);
    const method = optString(item['authenticationMethod']);
    const methodDetail = optString(item['authenticationMethodDetail']);
    const succeeded = optBoolean(item['succeeded']);
    const resultDetail = optString(item['authenticationStepResultDetail']);
    const requirement = optString(item['authenticationStepRequirement']);
    if (
      stepDateTime === BAD ||
      method === BAD ||
      methodDetail === BAD ||
      succeeded === BAD ||
      resultDetail === BAD ||
      requirement === BAD
    ) {
      return BAD;
    }
    const d: AuthenticationDetail = {};
    if (stepDateTime !== undefined) d.authenticationStepDateTime = stepDateTime;
    if (method !== undefined) d.authenticationMethod = method;
    if (methodDetail !== undefined) d.authenticationMethodDetail = methodDetail;
    if (succeeded !== undefined) d.succeeded = succeeded;
    if (resultDetail !== undefined) d.authenticationStepResultDetail = resultDetail;
    if (requirement !== undefined) d.authenticationStepRequirement = requirement;
    out.push(d);
  }
  return out;
}

// -------------------------------------------------------------------------------------------- audits

const TARGET_KEYS = ['id', 'displayName', 'type', 'userPrincipalName', 'groupType', 'modifiedProperties'];
const MODIFIED_PROPERTY_KEYS = ['displayName', 'oldValue', 'newValue'];

export function fastAudit(raw: unknown): AuditEvent | undefined {
  const a = graphObject(raw);
  if (a === undefined) return undefined;
  const id = reqString(a['id']);
  const activityDateTime = reqDate(a['activityDateTime']);
  const activityDisplayName = a['activityDisplayName'];
  const category = optString(a['category']);
  const loggedByService = optString(a['loggedByService']);
  const operationType = optString(a['operationType']);
  const result = enumString(a['result']);
  const resultReason = optString(a['resultReason']);
  if (
    id === BAD ||
    activityDateTime === BAD ||
    typeof activityDisplayName !== 'string' ||
    category === BAD ||
    loggedByService === BAD ||
    operationType === BAD ||
    result === BAD ||
    resultReason === BAD
  ) {
    return undefined;
  }
  const initiatedBy = auditInitiator(a['initiatedBy']);
  const targetResources = auditTargets(a['targetResources']);
  const additionalDetails = auditDetails(a['additionalDetails']);
  if (initiatedBy === BAD || targetResources === BAD || additionalDetails === BAD) return undefined;

  const out = { id, activityDateTime, activityDisplayName } as AuditEvent;
  if (category !== undefined) out.category = category;
  if (loggedByService !== undefined) out.loggedByService = loggedByService;
  if (operationType !== undefined) out.operationType = operationType;
  if (result !== undefined) out.result = result;
  if (resultReason !== undefined) out.resultReason = resultReason;
  out.initiatedBy = initiatedBy;
  out.targetResources = targetResources;
  out.additionalDetails = additionalDetails;
  return out;
}

function auditInitiator(v: unknown): AuditEvent['initiatedBy'] | Bad {
  const by = optObject(v);
  if (by === BAD) return BAD;
  const initiatedBy: AuditEvent['initiatedBy'] = {};
  if (by === undefined) return initiatedBy;
  const user = optObject(by['user']);
  const app = optObject(by['app']);
  if (user === BAD || app === BAD) return BAD;
  if (user !== undefined) {
    const id = optString(user['id']);
    const userPrincipalName = optString(user['userPrincipalName']);
    const displayName = optString(user['displayName']);
    if (id === BAD || userPrincipalName === BAD || displayName === BAD) return BAD;
    const u: NonNullable<AuditEvent['initiatedBy']['user']> = {};
    if (id !== undefined) u.id = id;
    if (userPrincipalName !== undefined) u.userPrincipalName = userPrincipalName;
    if (displayName !== undefined) u.displayName = displayName;
    initiatedBy.user = u;
  }
  if (app !== undefined) {
    const appId = optString(app['appId']);
    const displayName = optString(app['displayName']);
    const servicePrincipalName = optString(app['servicePrincipalName']);
    if (appId === BAD || displayName === BAD || servicePrincipalName === BAD) return BAD;
    const p: NonNullable<AuditEvent['initiatedBy']['app']> = {};
    if (appId !== undefined) p.appId = appId;
    if (displayName !== undefined) p.displayName = displayName;
    if (servicePrincipalName !== undefined) p.servicePrincipalName = servicePrincipalName;
    initiatedBy.app = p;
  }
  return initiatedBy;
}

function auditTargets(v: unknown): AuditTarget[] | Bad {
  if (v === null || v === undefined) return [];
  if (!Array.isArray(v)) return BAD;
  const out: AuditTarget[] = [];
  for (const item of v) {
    // As withAuditTargetKeys: `Type` is read as `type`.
    const t = withKnownKeys(item, TARGET_KEYS);
    if (!isPlainObject(t)) return BAD;
    const id = optString(t['id']);
    const displayName = optString(t['displayName']);
    const userPrincipalName = optString(t['userPrincipalName']);
    const type = optString(t['type']);
    const modifiedProperties = auditModifiedProperties(t['modifiedProperties']);
    if (
      id === BAD ||
      displayName === BAD ||
      userPrincipalName === BAD ||
      type === BAD ||
      modifiedProperties === BAD
    ) {
      return BAD;
    }
    const target = {} as AuditTarget;
    if (id !== undefined) target.id = id;
    if (displayName !== undefined) target.displayName = displayName;
    if (userPrincipalName !== undefined) target.userPrincipalName = userPrincipalName;
    if (type !== undefined) target.type = type;
    target.modifiedProperties = modifiedProperties;
    out.push(target);
  }
  return out;
}

function auditModifiedProperties(v: unknown): AuditTarget['modifiedProperties'] | Bad {
  if (v === null || v === undefined) return [];
  if (!Array.isArray(v)) return BAD;
  const out: AuditTarget['modifiedProperties'] = [];
  for (const item of v) {
    const p = withKnownKeys(item, MODIFIED_PROPERTY_KEYS);
    if (!isPlainObject(p)) return BAD;
    const displayName = optString(p['displayName']);
    const oldValue = jsonText(p, 'oldValue');
    const newValue = jsonText(p, 'newValue');
    if (displayName === BAD || oldValue === BAD || newValue === BAD) return BAD;
    out.push({ displayName: displayName ?? '', oldValue, newValue });
  }
  return out;
}

function auditDetails(v: unknown): AuditEvent['additionalDetails'] | Bad {
  if (v === null || v === undefined) return [];
  if (!Array.isArray(v)) return BAD;
  const out: AuditEvent['additionalDetails'] = [];
  for (const item of v) {
    if (!isPlainObject(item)) return BAD;
    const key = optString(item['key']);
    const value = jsonText(item, 'value');
    if (key === BAD || value === BAD) return BAD;
    out.push({ key: key ?? '', value });
  }
  return out;
}

// ------------------------------------------------------------------------------------------- methods

export function fastMethod(raw: unknown): AuthMethod | undefined {
  const m = graphObject(raw);
  if (m === undefined) return undefined;
  const id = reqString(m['id']);
  const atType = optString(m['@odata.type']);
  const dotType = optString(m['odata.type']);
  const plainType = optString(m['odataType']);
  const displayName = optString(m['displayName']);
  const createdDateTime = optDate(m['createdDateTime']);
  const creationDateTime = optDate(m['creationDateTime']);
  const phoneType = enumString(m['phoneType']);
  const authenticationPhoneType = enumString(m['authenticationPhoneType']);
  const smsSignInState = enumString(m['smsSignInState']);
  const deviceTag = enumString(m['deviceTag']);
  const phoneAppVersion = optString(m['phoneAppVersion']);
  const clientAppName = enumString(m['clientAppName']);
  const isUsable = optBoolean(m['isUsable']);
  const isUsableOnce = optBoolean(m['isUsableOnce']);
  const startDateTime = optDate(m['startDateTime']);
  const lifetimeInMinutes = optNumber(m['lifetimeInMinutes']);
  const methodUsabilityReason = enumString(m['methodUsabilityReason']);
  if (
    id === BAD ||
    atType === BAD ||
    dotType === BAD ||
    plainType === BAD ||
    displayName === BAD ||
    createdDateTime === BAD ||
    creationDateTime === BAD ||
    phoneType === BAD ||
    authenticationPhoneType === BAD ||
    smsSignInState === BAD ||
    deviceTag === BAD ||
    phoneAppVersion === BAD ||
    clientAppName === BAD ||
    isUsable === BAD ||
    isUsableOnce === BAD ||
    startDateTime === BAD ||
    lifetimeInMinutes === BAD ||
    methodUsabilityReason === BAD
  ) {
    return undefined;
  }
  const odataType = atType ?? dotType ?? plainType;
  const kind = odataType !== undefined ? methodKindOfType(odataType) : methodKindOfShape(id, m);
  const out = { id, kind, odataType: odataType ?? '' } as AuthMethod;
  const created = createdDateTime ?? creationDateTime;
  const phone = phoneType ?? authenticationPhoneType;
  if (displayName !== undefined) out.displayName = displayName;
  if (created !== undefined) out.createdDateTime = created;
  if (phone !== undefined) out.phoneType = phone;
  if (smsSignInState !== undefined) out.smsSignInState = smsSignInState;
  if (deviceTag !== undefined) out.deviceTag = deviceTag;
  if (phoneAppVersion !== undefined) out.phoneAppVersion = phoneAppVersion;
  if (clientAppName !== undefined) out.clientAppName = clientAppName;
  if (kind === 'temporaryAccessPass') {
    const tap: TapInfo = {};
    if (isUsable !== undefined) tap.isUsable = isUsable;
    if (isUsableOnce !== undefined) tap.isUsableOnce = isUsableOnce;
    if (startDateTime !== undefined) tap.startDateTime = startDateTime;
    if (lifetimeInMinutes !== undefined) tap.lifetimeInMinutes = lifetimeInMinutes;
    if (methodUsabilityReason !== undefined) tap.methodUsabilityReason = methodUsabilityReason;
    out.tap = tap;
  }
  return out;
}

// --------------------------------------------------------------------------------------------- users

export function fastUser(raw: unknown): DirectoryUser | undefined {
  const u = graphObject(raw);
  if (u === undefined) return undefined;
  const id = reqString(u['id']);
  const userPrincipalName = reqString(u['userPrincipalName']);
  const displayName = optString(u['displayName']);
  const accountEnabled = optBoolean(u['accountEnabled']);
  const userType = enumString(u['userType']);
  const onPremisesSyncEnabled = optBoolean(u['onPremisesSyncEnabled']);
  const createdDateTime = optDate(u['createdDateTime']);
  if (
    id === BAD ||
    userPrincipalName === BAD ||
    displayName === BAD ||
    accountEnabled === BAD ||
    userType === BAD ||
    onPremisesSyncEnabled === BAD ||
    createdDateTime === BAD
  ) {
    return undefined;
  }
  const out: DirectoryUser = { id, userPrincipalName };
  if (displayName !== undefined) out.displayName = displayName;
  if (accountEnabled !== undefined) out.accountEnabled = accountEnabled;
  if (userType !== undefined) out.userType = userType.toLowerCase();
  if (onPremisesSyncEnabled !== undefined) out.onPremisesSyncEnabled = onPremisesSyncEnabled;
  if (createdDateTime !== undefined) out.createdDateTime = createdDateTime;
  return out;
}

// -------------------------------------------------------------------------------------- registration

export function fastRegistration(raw: unknown): RegistrationDetail | undefined {
  const r = graphObject(raw);
  if (r === undefined) return undefined;
  const id = reqString(r['id']);
  const userPrincipalName = optString(r['userPrincipalName']);
  const userDisplayName = optString(r['userDisplayName']);
  const userType = enumString(r['userType']);
  const isAdmin = optBoolean(r['isAdmin']);
  const isMfaRegistered = optBoolean(r['isMfaRegistered']);
  const isMfaCapable = optBoolean(r['isMfaCapable']);
  const isPasswordlessCapable = optBoolean(r['isPasswordlessCapable']);
  const isSsprRegistered = optBoolean(r['isSsprRegistered']);
  const isSsprCapable = optBoolean(r['isSsprCapable']);
  const methodsRegistered = stringList(r['methodsRegistered'], [] as string[]);
  const defaultMfaMethod = enumString(r['defaultMfaMethod']);
  const preferred = enumString(r['userPreferredMethodForSecondaryAuthentication']);
  const systemPreferredEnabled = optBoolean(r['isSystemPreferredAuthenticationMethodEnabled']);
  const systemPreferred = stringList(r['systemPreferredAuthenticationMethods'], undefined);
  const lastUpdatedDateTime = optDate(r['lastUpdatedDateTime']);
  if (
    id === BAD ||
    userPrincipalName === BAD ||
    userDisplayName === BAD ||
    userType === BAD ||
    isAdmin === BAD ||
    isMfaRegistered === BAD ||
    isMfaCapable === BAD ||
    isPasswordlessCapable === BAD ||
    isSsprRegistered === BAD ||
    isSsprCapable === BAD ||
    methodsRegistered === BAD ||
    defaultMfaMethod === BAD ||
    preferred === BAD ||
    systemPreferredEnabled === BAD ||
    systemPreferred === BAD ||
    lastUpdatedDateTime === BAD
  ) {
    return undefined;
  }
  const out = { id } as RegistrationDetail;
  if (userPrincipalName !== undefined) out.userPrincipalName = userPrincipalName;
  if (userDisplayName !== undefined) out.userDisplayName = userDisplayName;
  if (userType !== undefined) out.userType = userType.toLowerCase();
  if (isAdmin !== undefined) out.isAdmin = isAdmin;
  if (isMfaRegistered !== undefined) out.isMfaRegistered = isMfaRegistered;
  if (isMfaCapable !== undefined) out.isMfaCapable = isMfaCapable;
  if (isPasswordlessCapable !== undefined) out.isPasswordlessCapable = isPasswordlessCapable;
  if (isSsprRegistered !== undefined) out.isSsprRegistered = isSsprRegistered;
  if (isSsprCapable !== undefined) out.isSsprCapable = isSsprCapable;
  out.methodsRegistered = methodsRegistered;
  if (defaultMfaMethod !== undefined) out.defaultMfaMethod = defaultMfaMethod;
  if (preferred !== undefined) out.userPreferredMethodForSecondaryAuthentication = preferred;
  if (systemPreferredEnabled !== undefined) {
    out.isSystemPreferredAuthenticationMethodEnabled = systemPreferredEnabled;
  }
  if (systemPreferred !== undefined) out.systemPreferredAuthenticationMethods = systemPreferred;
  if (lastUpdatedDateTime !== undefined) out.lastUpdatedDateTime = lastUpdatedDateTime;
  return out;
}
