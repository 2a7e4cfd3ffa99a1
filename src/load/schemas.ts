import { z } from 'zod';
import type {
  AppliedPolicy,
  AuditEvent,
  AuditTarget,
  AuthenticationMethodsPolicy,
  AuthMethod,
  Cloud,
  ConditionalAccessPolicy,
  DirectoryUser,
  DomainInfo,
  Group,
  GuestsOrExternalUsers,
  MethodConfiguration,
  MethodTarget,
  RegistrationDetail,
  RoleAssignment,
  SecurityDefaults,
  SignIn,
  TapInfo,
  TenantInfo,
} from '../domain/tenant.js';
import { SILENT_POLICY_RESULTS } from '../domain/tenant.js';
import {
  enumString,
  listOf,
  optionalBoolean,
  optionalDate,
  optionalNumber,
  optionalString,
  requiredDate,
  requiredString,
  stringList,
} from './field-schemas.js';
import { fastAudit, fastMethod, fastRegistration, fastSignIn, fastUser } from './fast-normalisers.js';
import { fromPowerShellShape, isPlainObject, withKnownKeys } from './key-shapes.js';
import { methodKindOfShape, methodKindOfType } from './method-kinds.js';
import { compact, parseEntity } from './parse-entity.js';
import type { EntityAt } from './parse-entity.js';

/**
 * Zod schemas for the raw Graph entity of each dataset, and the normalisers that turn a validated
 * entity into its domain type.
 *
 * The schemas are loose (unknown properties pass, optional ones may be missing or null) because Graph
 * adds properties and the v1.0 and beta shapes differ; they fail only on a wrong type in a field the
 * rules read. The normalisers build each domain object field by field, never by spreading the
 * parsed entity, so nothing else gets through: a Temporary Access Pass (`temporaryAccessPass`), a
 * phone number or an e-mail address is never copied, whatever the input holds.
 *
 * Each normaliser takes the raw entity (Graph JSON or PowerShell `ConvertTo-Json` output) and where it
 * came from, and throws an InputError naming the file, entity, line and field when it is wrong.
 */

/** Optional list that stays undefined when absent, for fields that exist only in some API versions. */
const optionalStringList = z
  .array(z.string())
  .nullish()
  .transform((v) => v ?? undefined);

/** A value Graph sends as a JSON-encoded string; one already decoded by an exporter is re-encoded. */
const jsonText = z.unknown().transform((v) => {
  if (v === undefined || v === null) return null;
  return typeof v === 'string' ? v : JSON.stringify(v);
});

// ---------------------------------------------------------------------------------------------- tenant

const CLOUDS: readonly Cloud[] = ['global', 'usgov', 'usgovdod', 'china'];

const cloud = z
  .unknown()
  .transform((v, ctx): Cloud | undefined => {
    if (v === undefined || v === null || v === '') return undefined;
    const found = CLOUDS.find((c) => typeof v === 'string' && c === v.toLowerCase());
    if (found !== undefined) return found;
    ctx.issues.push({ code: 'custom', message: `must be one of ${CLOUDS.join(', ')}`, input: v });
    return z.NEVER;
  })
  .optional();

/** `tenant.json`: written by the collector or by hand; every field is optional. */
export const rawTenantSchema = z.looseObject({
  tenantId: optionalString,
  displayName: optionalString,
  collectedAt: optionalDate,
  cloud,
  /** Written by `mfa-ready collect`: when each evidence window starts (EvidenceWindows). */
  windows: z
    .looseObject({ signIns: optionalDate, appSignIns: optionalDate, audits: optionalDate })
    .nullable()
    .optional(),
  usersDeltaLink: optionalString,
  baselineRunId: z.number().int().nullable().optional(),
  registrationReadAt: optionalDate,
});

export function normaliseTenant(raw: unknown, at: EntityAt): TenantInfo {
  const t = parseEntity(rawTenantSchema, fromPowerShellShape(raw), at);
  const windows =
    t.windows == null
      ? undefined
      : compact({ signIns: t.windows.signIns, appSignIns: t.windows.appSignIns, audits: t.windows.audits });
  return compact({
    tenantId: t.tenantId,
    displayName: t.displayName,
    collectedAt: t.collectedAt,
    cloud: t.cloud,
    windows: windows === undefined || Object.keys(windows).length === 0 ? undefined : windows,
    usersDeltaLink: t.usersDeltaLink,
    baselineRunId: t.baselineRunId ?? undefined,
    registrationReadAt: t.registrationReadAt,
  });
}

// ----------------------------------------------------------------------------------------------- users

/** GET /users. */
export const rawUserSchema = z.looseObject({
  id: requiredString,
  userPrincipalName: requiredString,
  displayName: optionalString,
  accountEnabled: optionalBoolean,
  userType: enumString,
  onPremisesSyncEnabled: optionalBoolean,
  createdDateTime: optionalDate,
});

export function normaliseUser(raw: unknown, at: EntityAt): DirectoryUser {
  return fastUser(raw) ?? normaliseUserSlowly(raw, at);
}

/** The zod path: PowerShell shapes, unusual date forms, and the precise error for a wrong entity. */
export function normaliseUserSlowly(raw: unknown, at: EntityAt): DirectoryUser {
  const u = parseEntity(rawUserSchema, fromPowerShellShape(raw), at);
  return compact({
    id: u.id,
    userPrincipalName: u.userPrincipalName,
    displayName: u.displayName,
    accountEnabled: u.accountEnabled,
    // /users says `Member` / `Guest`; the registration report says `member` / `guest`.
    userType: u.userType?.toLowerCase(),
    onPremisesSyncEnabled: u.onPremisesSyncEnabled,
    createdDateTime: u.createdDateTime,
  });
}

// -------------------------------------------------------------------------------------- registration

/** GET /reports/authenticationMethods/userRegistrationDetails, v1.0 or beta (beta adds `defaultMfaMethod`). */
export const rawRegistrationSchema = z.looseObject({
  id: requiredString,
  userPrincipalName: optionalString,
  userDisplayName: optionalString,
  userType: enumString,
  isAdmin: optionalBoolean,
  isMfaRegistered: optionalBoolean,
  isMfaCapable: optionalBoolean,
  isPasswordlessCapable: optionalBoolean,
  isSsprRegistered: optionalBoolean,
  isSsprCapable: optionalBoolean,
  // Open-ended strings (msgraph-metadata #654): unknown values are kept for the rules to ignore.
  methodsRegistered: stringList,
  defaultMfaMethod: enumString,
  userPreferredMethodForSecondaryAuthentication: enumString,
  isSystemPreferredAuthenticationMethodEnabled: optionalBoolean,
  systemPreferredAuthenticationMethods: optionalStringList,
  lastUpdatedDateTime: optionalDate,
});

export function normaliseRegistration(raw: unknown, at: EntityAt): RegistrationDetail {
  return fastRegistration(raw) ?? normaliseRegistrationSlowly(raw, at);
}

/** The zod path (see normaliseUserSlowly). */
export function normaliseRegistrationSlowly(raw: unknown, at: EntityAt): RegistrationDetail {
  const r = parseEntity(rawRegistrationSchema, fromPowerShellShape(raw), at);
  return compact({
    id: r.id,
    userPrincipalName: r.userPrincipalName,
    userDisplayName: r.userDisplayName,
    userType: r.userType?.toLowerCase(),
    isAdmin: r.isAdmin,
    isMfaRegistered: r.isMfaRegistered,
    isMfaCapable: r.isMfaCapable,
    isPasswordlessCapable: r.isPasswordlessCapable,
    isSsprRegistered: r.isSsprRegistered,
    isSsprCapable: r.isSsprCapable,
    methodsRegistered: r.methodsRegistered,
    defaultMfaMethod: r.defaultMfaMethod,
    userPreferredMethodForSecondaryAuthentication: r.userPreferredMethodForSecondaryAuthentication,
    isSystemPreferredAuthenticationMethodEnabled: r.isSystemPreferredAuthenticationMethodEnabled,
    systemPreferredAuthenticationMethods: r.systemPreferredAuthenticationMethods,
    lastUpdatedDateTime: r.lastUpdatedDateTime,
  });
}

// ------------------------------------------------------------------------------------------- methods

/**
 * GET /users/{id}/authentication/methods (v1.0 or beta), or a per-type collection. Doc errors that
 * are accepted (https://learn.microsoft.com/graph/api/resources/authenticationmethod): `odata.type` without `@`, fido2's `creationDateTime`, beta's
 * `authenticationPhoneType`. Secret-bearing properties (`temporaryAccessPass`, `phoneNumber`,
 * `emailAddress`) are deliberately not in the schema and never read.
 */
export const rawMethodSchema = z.looseObject({
  id: requiredString,
  '@odata.type': optionalString,
  'odata.type': optionalString,
  odataType: optionalString,
  displayName: optionalString,
  createdDateTime: optionalDate,
  creationDateTime: optionalDate,
  phoneType: enumString,
  authenticationPhoneType: enumString,
  smsSignInState: enumString,
  deviceTag: enumString,
  phoneAppVersion: optionalString,
  clientAppName: enumString,
  isUsable: optionalBoolean,
  isUsableOnce: optionalBoolean,
  startDateTime: optionalDate,
  lifetimeInMinutes: optionalNumber,
  methodUsabilityReason: enumString,
});

export function normaliseMethod(raw: unknown, at: EntityAt): AuthMethod {
  return fastMethod(raw) ?? normaliseMethodSlowly(raw, at);
}

/** The zod path (see normaliseUserSlowly). */
export function normaliseMethodSlowly(raw: unknown, at: EntityAt): AuthMethod {
  const shaped = fromPowerShellShape(raw);
  const m = parseEntity(rawMethodSchema, shaped, at);
  const odataType = m['@odata.type'] ?? m['odata.type'] ?? m.odataType;
  const kind =
    odataType !== undefined
      ? methodKindOfType(odataType)
      : methodKindOfShape(m.id, shaped as Record<string, unknown>);
  const tap: TapInfo | undefined =
    kind === 'temporaryAccessPass'
      ? compact({
          isUsable: m.isUsable,
          isUsableOnce: m.isUsableOnce,
          startDateTime: m.startDateTime,
          lifetimeInMinutes: m.lifetimeInMinutes,
          methodUsabilityReason: m.methodUsabilityReason,
        })
      : undefined;
  return compact({
    id: m.id,
    kind,
    // Kept as given so an unknown type can still be shown; '' when the source had none.
    odataType: odataType ?? '',
    displayName: m.displayName,
    createdDateTime: m.createdDateTime ?? m.creationDateTime,
    phoneType: m.phoneType ?? m.authenticationPhoneType,
    smsSignInState: m.smsSignInState,
    deviceTag: m.deviceTag,
    phoneAppVersion: m.phoneAppVersion,
    clientAppName: m.clientAppName,
    tap,
  });
}

// -------------------------------------------------------------------------------------------- audits

const TARGET_KEYS = ['id', 'displayName', 'type', 'userPrincipalName', 'groupType', 'modifiedProperties'];
const MODIFIED_PROPERTY_KEYS = ['displayName', 'oldValue', 'newValue'];

const rawModifiedPropertySchema = z.looseObject({
  displayName: optionalString,
  oldValue: jsonText,
  newValue: jsonText,
});

const rawAuditTargetSchema = z.looseObject({
  id: optionalString,
  displayName: optionalString,
  userPrincipalName: optionalString,
  type: optionalString,
  modifiedProperties: listOf(rawModifiedPropertySchema),
});

/** GET /auditLogs/directoryAudits. */
export const rawAuditSchema = z.looseObject({
  id: requiredString,
  activityDateTime: requiredDate,
  activityDisplayName: z.string(),
  category: optionalString,
  loggedByService: optionalString,
  operationType: optionalString,
  result: enumString,
  resultReason: optionalString,
  initiatedBy: z
    .looseObject({
      user: z
        .looseObject({ id: optionalString, userPrincipalName: optionalString, displayName: optionalString })
        .nullish(),
      app: z
        .looseObject({
          appId: optionalString,
          displayName: optionalString,
          servicePrincipalName: optionalString,
        })
        .nullish(),
    })
    .nullish(),
  targetResources: listOf(rawAuditTargetSchema),
  additionalDetails: listOf(z.looseObject({ key: optionalString, value: jsonText })),
});

/** Spells target-resource keys as Graph does: v1.0 example 1 has `Type` where example 2 has `type`. */
function withAuditTargetKeys(raw: unknown): unknown {
  if (!isPlainObject(raw) || !Array.isArray(raw['targetResources'])) return raw;
  const targetResources = raw['targetResources'].map((t: unknown) => {
    const target = withKnownKeys(t, TARGET_KEYS);
    if (!isPlainObject(target) || !Array.isArray(target['modifiedProperties'])) return target;
    const modifiedProperties = target['modifiedProperties'].map((p: unknown) =>
      withKnownKeys(p, MODIFIED_PROPERTY_KEYS),
    );
    return { ...target, modifiedProperties };
  });
  return { ...raw, targetResources };
}

export function normaliseAudit(raw: unknown, at: EntityAt): AuditEvent {
  return fastAudit(raw) ?? normaliseAuditSlowly(raw, at);
}

/** The zod path: PowerShell shapes, unusual date forms, and the precise error for a wrong entity. */
export function normaliseAuditSlowly(raw: unknown, at: EntityAt): AuditEvent {
  const a = parseEntity(rawAuditSchema, withAuditTargetKeys(fromPowerShellShape(raw)), at);
  const user = a.initiatedBy?.user;
  const app = a.initiatedBy?.app;
  const initiatedBy: AuditEvent['initiatedBy'] = {};
  if (user) {
    initiatedBy.user = compact({
      id: user.id,
      userPrincipalName: user.userPrincipalName,
      displayName: user.displayName,
    });
  }
  if (app) {
    initiatedBy.app = compact({
      appId: app.appId,
      displayName: app.displayName,
      servicePrincipalName: app.servicePrincipalName,
    });
  }
  return compact({
    id: a.id,
    activityDateTime: a.activityDateTime,
    activityDisplayName: a.activityDisplayName,
    category: a.category,
    loggedByService: a.loggedByService,
    operationType: a.operationType,
    result: a.result,
    resultReason: a.resultReason,
    initiatedBy,
    targetResources: a.targetResources.map((t): AuditTarget =>
      compact({
        id: t.id,
        displayName: t.displayName,
        userPrincipalName: t.userPrincipalName,
        type: t.type,
        modifiedProperties: t.modifiedProperties.map((p) => ({
          displayName: p.displayName ?? '',
          oldValue: p.oldValue,
          newValue: p.newValue,
        })),
      }),
    ),
    additionalDetails: a.additionalDetails.map((d) => ({ key: d.key ?? '', value: d.value })),
  });
}

// ------------------------------------------------------------------------------------------- signIns

const rawAuthenticationDetailSchema = z.looseObject({
  authenticationStepDateTime: optionalDate,
  authenticationMethod: optionalString,
  authenticationMethodDetail: optionalString,
  succeeded: optionalBoolean,
  authenticationStepResultDetail: optionalString,
  authenticationStepRequirement: optionalString,
});

/**
 * GET /auditLogs/signIns, v1.0 or beta (`authenticationDetails` and the requirement only in beta; the
 * MFA result detail is in `status.additionalDetails` in both, and `authenticationAppDeviceDetails`
 * names the app of the Microsoft Entra authentication step:
 * https://learn.microsoft.com/graph/api/resources/authenticationappdevicedetails?view=graph-rest-beta).
 */
export const rawSignInSchema = z.looseObject({
  id: requiredString,
  createdDateTime: requiredDate,
  userId: optionalString,
  userPrincipalName: optionalString,
  appId: optionalString,
  appDisplayName: optionalString,
  // When `status` is there, its errorCode must be a number: guessing it would make up a success.
  status: z
    .looseObject({ errorCode: z.number(), failureReason: optionalString, additionalDetails: optionalString })
    .nullish(),
  isInteractive: optionalBoolean,
  signInEventTypes: optionalStringList,
  authenticationRequirement: enumString,
  authenticationDetails: z
    .array(rawAuthenticationDetailSchema)
    .nullish()
    .transform((v) => v ?? undefined),
  authenticationMethodsUsed: optionalStringList,
  tokenIssuerType: enumString,
  conditionalAccessStatus: enumString,
  authenticationAppDeviceDetails: z.looseObject({ clientApp: optionalString }).nullish(),
  appliedConditionalAccessPolicies: z
    .array(z.looseObject({ id: requiredString, result: enumString }))
    .nullish()
    .transform((v) => v ?? undefined),
});

/** The entries that say something (SILENT_POLICY_RESULTS dropped), each `{ id, result }`; undefined when none. */
export function keptAppliedPolicies(
  list: readonly { id: string; result?: string | undefined }[] | undefined,
): AppliedPolicy[] | undefined {
  if (list === undefined) return undefined;
  let out: AppliedPolicy[] | undefined;
  for (const p of list) {
    if (p.result === undefined || SILENT_POLICY_RESULTS.has(p.result.toLowerCase())) continue;
    (out ??= []).push({ id: p.id, result: p.result });
  }
  return out;
}

export function normaliseSignIn(raw: unknown, at: EntityAt): SignIn {
  return fastSignIn(raw) ?? normaliseSignInSlowly(raw, at);
}

/** The zod path: PowerShell shapes, unusual date forms, and the precise error for a wrong entity. */
export function normaliseSignInSlowly(raw: unknown, at: EntityAt): SignIn {
  const s = parseEntity(rawSignInSchema, fromPowerShellShape(raw), at);
  return compact({
    id: s.id,
    createdDateTime: s.createdDateTime,
    userId: s.userId,
    userPrincipalName: s.userPrincipalName,
    appId: s.appId,
    appDisplayName: s.appDisplayName,
    // Graph always sends `status`; an export without it was trimmed (a `$select` that left it out, or
    // a log row converted by hand). The domain needs a number, and 0 is what Graph reports for the
    // great majority of sign-ins, so a missing status reads as success rather than failing the whole
    // file. A present status with a missing or non-numeric errorCode is an error (schema above).
    errorCode: s.status?.errorCode ?? 0,
    failureReason: s.status?.failureReason,
    additionalDetails: s.status?.additionalDetails,
    isInteractive: s.isInteractive,
    signInEventTypes: s.signInEventTypes,
    authenticationRequirement: s.authenticationRequirement,
    authenticationDetails: s.authenticationDetails?.map((d) =>
      compact({
        authenticationStepDateTime: d.authenticationStepDateTime,
        authenticationMethod: d.authenticationMethod,
        authenticationMethodDetail: d.authenticationMethodDetail,
        succeeded: d.succeeded,
        authenticationStepResultDetail: d.authenticationStepResultDetail,
        authenticationStepRequirement: d.authenticationStepRequirement,
      }),
    ),
    authenticationMethodsUsed: s.authenticationMethodsUsed,
    tokenIssuerType: s.tokenIssuerType,
    conditionalAccessStatus: s.conditionalAccessStatus,
    authenticationAppDeviceDetails:
      s.authenticationAppDeviceDetails?.clientApp === undefined
        ? undefined
        : { clientApp: s.authenticationAppDeviceDetails.clientApp },
    appliedConditionalAccessPolicies: keptAppliedPolicies(s.appliedConditionalAccessPolicies),
  });
}

// -------------------------------------------------------------------------------------------- groups

/** GET /groups. */
export const rawGroupSchema = z.looseObject({
  id: requiredString,
  displayName: optionalString,
  onPremisesSyncEnabled: optionalBoolean,
});

export function normaliseGroup(raw: unknown, at: EntityAt): Group {
  const g = parseEntity(rawGroupSchema, fromPowerShellShape(raw), at);
  return compact({ id: g.id, displayName: g.displayName, onPremisesSyncEnabled: g.onPremisesSyncEnabled });
}

/** GET /groups/{id}/transitiveMembers: directory objects of any type (users, groups, devices, …). */
export const rawGroupMemberSchema = z.looseObject({
  id: requiredString,
  '@odata.type': optionalString,
});

export interface GroupMember {
  id: string;
  odataType?: string;
}

export function normaliseGroupMember(raw: unknown, at: EntityAt): GroupMember {
  const m = parseEntity(rawGroupMemberSchema, fromPowerShellShape(raw), at);
  return compact({ id: m.id, odataType: m['@odata.type'] });
}

// ---------------------------------------------------------------------------------- conditionalAccess

/** conditionalAccessGuestsOrExternalUsers (https://learn.microsoft.com/graph/api/resources/conditionalaccessguestsorexternalusers). */
const rawGuestsOrExternalUsersSchema = z.looseObject({
  guestOrExternalUserTypes: enumString,
  externalTenants: z.looseObject({ membershipKind: enumString, members: stringList }).nullish(),
});

/** GET /identity/conditionalAccess/policies. */
export const rawConditionalAccessPolicySchema = z.looseObject({
  id: requiredString,
  displayName: optionalString,
  state: enumString,
  conditions: z
    .looseObject({
      users: z
        .looseObject({
          includeUsers: stringList,
          excludeUsers: stringList,
          includeGroups: stringList,
          excludeGroups: stringList,
          includeRoles: stringList,
          excludeRoles: stringList,
          includeGuestsOrExternalUsers: rawGuestsOrExternalUsersSchema.nullish(),
          excludeGuestsOrExternalUsers: rawGuestsOrExternalUsersSchema.nullish(),
        })
        .nullish(),
      applications: z
        .looseObject({ includeApplications: stringList, includeUserActions: stringList })
        .nullish(),
    })
    .nullish(),
  grantControls: z
    .looseObject({
      builtInControls: stringList,
      // Newer responses only; older ones (and the v1.0 doc example) have no authenticationStrength.
      authenticationStrength: z
        .looseObject({
          id: optionalString,
          displayName: optionalString,
          allowedCombinations: z.array(z.string()).nullish(),
        })
        .nullish(),
      operator: enumString,
    })
    .nullish(),
});

function guestsOrExternalUsers(
  raw: z.output<typeof rawGuestsOrExternalUsersSchema> | null | undefined,
): GuestsOrExternalUsers | undefined {
  if (raw === null || raw === undefined) return undefined;
  const tenants = raw.externalTenants;
  return compact({
    guestOrExternalUserTypes: raw.guestOrExternalUserTypes,
    externalTenantsMembershipKind: tenants?.membershipKind,
    externalTenantIds:
      tenants?.members !== undefined && tenants.members.length > 0 ? tenants.members : undefined,
  });
}

function strengthOf(
  raw:
    | {
        id?: string | undefined;
        displayName?: string | undefined;
        allowedCombinations?: string[] | null | undefined;
      }
    | null
    | undefined,
): ConditionalAccessPolicy['authenticationStrength'] {
  if (raw?.id === undefined) return undefined;
  return compact({
    id: raw.id,
    displayName: raw.displayName,
    allowedCombinations: raw.allowedCombinations ?? undefined,
  });
}

export function normaliseConditionalAccessPolicy(raw: unknown, at: EntityAt): ConditionalAccessPolicy {
  const p = parseEntity(rawConditionalAccessPolicySchema, fromPowerShellShape(raw), at);
  const users = p.conditions?.users;
  const apps = p.conditions?.applications;
  return compact({
    id: p.id,
    displayName: p.displayName,
    state: p.state,
    users: {
      includeUsers: users?.includeUsers ?? [],
      excludeUsers: users?.excludeUsers ?? [],
      includeGroups: users?.includeGroups ?? [],
      excludeGroups: users?.excludeGroups ?? [],
      includeRoles: users?.includeRoles ?? [],
      excludeRoles: users?.excludeRoles ?? [],
      ...compact({
        includeGuestsOrExternalUsers: guestsOrExternalUsers(users?.includeGuestsOrExternalUsers),
        excludeGuestsOrExternalUsers: guestsOrExternalUsers(users?.excludeGuestsOrExternalUsers),
      }),
    },
    includeApplications: apps?.includeApplications ?? [],
    includeUserActions: apps?.includeUserActions ?? [],
    // A policy with session controls only has `grantControls: null`: it grants nothing.
    builtInControls: p.grantControls?.builtInControls ?? [],
    authenticationStrengthId: p.grantControls?.authenticationStrength?.id,
    grantOperator: p.grantControls?.operator,
    authenticationStrength: strengthOf(p.grantControls?.authenticationStrength),
  });
}

// ------------------------------------------------------------------------------------- methodsPolicy

const rawMethodTargetSchema = z.looseObject({ id: requiredString, targetType: enumString });

const rawMethodConfigurationSchema = z.looseObject({
  id: requiredString,
  '@odata.type': optionalString,
  'odata.type': optionalString,
  state: enumString,
  includeTargets: listOf(rawMethodTargetSchema),
  excludeTargets: listOf(rawMethodTargetSchema),
  defaultLifetimeInMinutes: optionalNumber,
  minimumLifetimeInMinutes: optionalNumber,
  maximumLifetimeInMinutes: optionalNumber,
  isUsableOnce: optionalBoolean,
});

/** GET /policies/authenticationMethodsPolicy (its configurations are expanded by default). */
export const rawAuthenticationMethodsPolicySchema = z.looseObject({
  policyMigrationState: enumString,
  authenticationMethodConfigurations: listOf(rawMethodConfigurationSchema),
});

export function normaliseAuthenticationMethodsPolicy(
  raw: unknown,
  at: EntityAt,
): AuthenticationMethodsPolicy {
  const p = parseEntity(rawAuthenticationMethodsPolicySchema, fromPowerShellShape(raw), at);
  const target = (t: { id: string; targetType?: string | undefined }): MethodTarget =>
    compact({ id: t.id, targetType: t.targetType });
  return compact({
    policyMigrationState: p.policyMigrationState,
    configurations: p.authenticationMethodConfigurations.map((c): MethodConfiguration =>
      compact({
        id: c.id,
        odataType: c['@odata.type'] ?? c['odata.type'],
        state: c.state,
        includeTargets: c.includeTargets.map(target),
        excludeTargets: c.excludeTargets.map(target),
        defaultLifetimeInMinutes: c.defaultLifetimeInMinutes,
        minimumLifetimeInMinutes: c.minimumLifetimeInMinutes,
        maximumLifetimeInMinutes: c.maximumLifetimeInMinutes,
        isUsableOnce: c.isUsableOnce,
      }),
    ),
  });
}

// ---------------------------------------------------------------------------------- securityDefaults

/** GET /policies/identitySecurityDefaultsEnforcementPolicy. */
export const rawSecurityDefaultsSchema = z.looseObject({ isEnabled: z.boolean() });

export function normaliseSecurityDefaults(raw: unknown, at: EntityAt): SecurityDefaults {
  const s = parseEntity(rawSecurityDefaultsSchema, fromPowerShellShape(raw), at);
  return { isEnabled: s.isEnabled };
}

// ------------------------------------------------------------------------------------------- domains

/** One internalDomainFederation: https://learn.microsoft.com/graph/api/resources/internaldomainfederation */
const rawDomainFederationSchema = z.looseObject({ federatedIdpMfaBehavior: enumString });

/**
 * GET /domains. A federated domain's `federatedIdpMfaBehavior` (GET /domains/{id}/federationConfiguration)
 * is accepted on the entry itself, or in `federationConfiguration` as `$expand` returns it (a list; a
 * single object is read too). Anything else there is ignored: it is optional evidence.
 */
export const rawDomainSchema = z.looseObject({
  id: requiredString,
  authenticationType: enumString,
  isVerified: optionalBoolean,
  isDefault: optionalBoolean,
  federatedIdpMfaBehavior: enumString,
  federationConfiguration: z
    .union([z.array(z.unknown()), z.unknown()])
    .nullish()
    .transform((v) => (v === null || v === undefined ? [] : Array.isArray(v) ? v : [v])),
});

/** The first federatedIdpMfaBehavior a domain's federation configurations state, if any. */
function federatedIdpMfaBehaviorOf(configurations: readonly unknown[]): string | undefined {
  for (const c of configurations) {
    const parsed = rawDomainFederationSchema.safeParse(c);
    if (parsed.success && parsed.data.federatedIdpMfaBehavior !== undefined) {
      return parsed.data.federatedIdpMfaBehavior;
    }
  }
  return undefined;
}

export function normaliseDomain(raw: unknown, at: EntityAt): DomainInfo {
  const d = parseEntity(rawDomainSchema, fromPowerShellShape(raw), at);
  return compact({
    id: d.id,
    authenticationType: d.authenticationType,
    isVerified: d.isVerified,
    isDefault: d.isDefault,
    federatedIdpMfaBehavior:
      d.federatedIdpMfaBehavior ?? federatedIdpMfaBehaviorOf(d.federationConfiguration),
  });
}

// ----------------------------------------------------------------------------------- roleAssignments

/**
 * GET /roleManagement/directory/roleAssignments?$expand=principal
 * (https://learn.microsoft.com/graph/api/resources/unifiedroleassignment). The expanded `principal`
 * says whether the role is held by a user, a group (its members hold it) or a service principal;
 * only its `@odata.type` is kept.
 */
export const rawRoleAssignmentSchema = z.looseObject({
  principalId: requiredString,
  roleDefinitionId: requiredString,
  directoryScopeId: optionalString,
  principal: z.looseObject({ '@odata.type': optionalString }).nullish(),
});

const GRAPH_TYPE_PREFIX = /^#?microsoft\.graph\./i;

export function normaliseRoleAssignment(raw: unknown, at: EntityAt): RoleAssignment {
  const a = parseEntity(rawRoleAssignmentSchema, fromPowerShellShape(raw), at);
  const type = a.principal?.['@odata.type'];
  return compact({
    principalId: a.principalId,
    roleDefinitionId: a.roleDefinitionId,
    directoryScopeId: a.directoryScopeId,
    principalType: type === undefined ? undefined : type.replace(GRAPH_TYPE_PREFIX, '').toLowerCase(),
  });
}
