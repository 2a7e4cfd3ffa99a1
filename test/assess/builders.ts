/**
 * Small builders for TenantSnapshot pieces, in the shapes the reader produces, so the engine's tests do
 * not depend on the reader. Audit values are JSON-encoded strings exactly as Graph sends them.
 */
import type { DatasetName } from '../../src/domain/datasets.js';
import { DATASETS } from '../../src/domain/datasets.js';
import type {
  AuditEvent,
  AuthenticationDetail,
  AuthMethod,
  AuthenticationMethodsPolicy,
  DirectoryUser,
  DomainInfo,
  Group,
  MethodConfiguration,
  RegistrationDetail,
  SignIn,
  TenantSnapshot,
  UserMethods,
} from '../../src/domain/tenant.js';
import type { AssessOptions, Assessment, UserAssessment } from '../../src/domain/verdict.js';
import { assess } from '../../src/assess/index.js';
import {
  AUTHENTICATOR_APP_ID,
  MY_SIGNINS_APP_ID,
  PASSWORD_METHOD_ID,
  PHONE_SLOT_IDS,
  STRONG_AUTH_SERVICE_APP_NAME,
} from '../../src/domain/well-known.js';

export const NOW = new Date('2025-06-10T12:00:00Z');

/** `NOW` shifted by minutes (negative: earlier), as an ISO string. */
export function ago(minutes: number): string {
  return new Date(NOW.getTime() - minutes * 60_000).toISOString();
}

type Datasets = Omit<TenantSnapshot, 'tenant' | 'coverage'>;

/** A snapshot from the datasets given; the rest are "not collected". Coverage follows what is present. */
export function snapshot(parts: Partial<Datasets>): TenantSnapshot {
  const full: Datasets = {
    users: undefined,
    registration: undefined,
    methods: undefined,
    audits: undefined,
    signIns: undefined,
    groups: undefined,
    conditionalAccess: undefined,
    methodsPolicy: undefined,
    securityDefaults: undefined,
    domains: undefined,
    ...parts,
  };
  const rows: Partial<Record<DatasetName, number | undefined>> = {
    users: full.users?.length,
    registration: full.registration?.length,
    methods: full.methods?.size,
    audits: full.audits?.length,
    signIns: full.signIns?.length,
    groups: full.groups?.length,
    groupMembers: full.groups?.filter((g) => g.memberIds !== undefined).length,
    conditionalAccess: full.conditionalAccess?.length,
    methodsPolicy: full.methodsPolicy === undefined ? undefined : 1,
    securityDefaults: full.securityDefaults === undefined ? undefined : 1,
    domains: full.domains?.length,
  };
  const coverage = Object.fromEntries(
    DATASETS.map((d) => [d, { present: rows[d] !== undefined, rows: rows[d] ?? 0 }]),
  ) as TenantSnapshot['coverage'];
  return { tenant: { tenantId: 'tenant-1', displayName: 'Test tenant' }, coverage, ...full };
}

export function run(snap: TenantSnapshot, options: Partial<AssessOptions> = {}): Assessment {
  return assess(snap, { now: NOW, ...options });
}

/** The assessment of one user, by id or UPN; throws when absent so tests fail loudly. */
export function userOf(a: Assessment, key: string): UserAssessment {
  const k = key.toLowerCase();
  const u = a.users.find((x) => x.id.toLowerCase() === k || x.userPrincipalName.toLowerCase() === k);
  if (u === undefined) throw new Error(`no user ${key} in assessment`);
  return u;
}

export function codes(u: UserAssessment): string[] {
  return u.evidence.map((e) => e.code);
}

// ---------------------------------------------------------------- users and report

export function user(id: string, upn: string, over: Partial<DirectoryUser> = {}): DirectoryUser {
  return {
    id,
    userPrincipalName: upn,
    displayName: upn.split('@')[0]!,
    accountEnabled: true,
    userType: 'member',
    ...over,
  };
}

export function row(id: string, upn: string, over: Partial<RegistrationDetail> = {}): RegistrationDetail {
  return {
    id,
    userPrincipalName: upn,
    userDisplayName: upn.split('@')[0]!,
    userType: 'member',
    isAdmin: false,
    isMfaRegistered: false,
    isMfaCapable: false,
    methodsRegistered: [],
    isSystemPreferredAuthenticationMethodEnabled: true,
    systemPreferredAuthenticationMethods: [],
    lastUpdatedDateTime: ago(6 * 60),
    ...over,
  };
}

/** A report row for a user with a completed Authenticator (push + code, default push). */
export function authenticatorRow(
  id: string,
  upn: string,
  over: Partial<RegistrationDetail> = {},
): RegistrationDetail {
  return row(id, upn, {
    isMfaRegistered: true,
    isMfaCapable: true,
    methodsRegistered: ['microsoftAuthenticatorPush', 'softwareOneTimePasscode'],
    defaultMfaMethod: 'microsoftAuthenticatorPush',
    userPreferredMethodForSecondaryAuthentication: 'push',
    systemPreferredAuthenticationMethods: ['push'],
    ...over,
  });
}

// ---------------------------------------------------------------- methods

export function password(): AuthMethod {
  return {
    id: PASSWORD_METHOD_ID,
    kind: 'password',
    odataType: '#microsoft.graph.passwordAuthenticationMethod',
  };
}

export function authenticator(id: string, over: Partial<AuthMethod> = {}): AuthMethod {
  return {
    id,
    kind: 'microsoftAuthenticator',
    odataType: '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod',
    displayName: 'iPhone 14 Pro Max',
    deviceTag: 'SoftwareTokenActivated',
    phoneAppVersion: '6.7.12',
    ...over,
  };
}

export function phone(slot: keyof typeof PHONE_SLOT_IDS = 'mobile'): AuthMethod {
  return {
    id: PHONE_SLOT_IDS[slot],
    kind: 'phone',
    odataType: '#microsoft.graph.phoneAuthenticationMethod',
    phoneType: slot,
    smsSignInState: 'notEnabled',
  };
}

export function fido2(id = 'fido-1'): AuthMethod {
  return {
    id,
    kind: 'fido2',
    odataType: '#microsoft.graph.fido2AuthenticationMethod',
    displayName: 'YubiKey 5',
  };
}

export function email(): AuthMethod {
  return {
    id: '3ddfcfc8-9383-446f-83cc-3ab9be4be18f',
    kind: 'email',
    odataType: '#microsoft.graph.emailAuthenticationMethod',
  };
}

export function tap(over: Partial<NonNullable<AuthMethod['tap']>> = {}): AuthMethod {
  return {
    id: 'tap-1',
    kind: 'temporaryAccessPass',
    odataType: '#microsoft.graph.temporaryAccessPassAuthenticationMethod',
    tap: {
      isUsable: true,
      isUsableOnce: true,
      startDateTime: ago(30),
      lifetimeInMinutes: 480,
      methodUsabilityReason: 'EnabledByPolicy',
      ...over,
    },
  };
}

/** The per-user methods map, keyed by user id as the reader does for `authenticationMethods/<id>.json`. */
export function methodsMap(entries: Record<string, AuthMethod[]>): Map<string, UserMethods> {
  const map = new Map<string, UserMethods>();
  for (const [key, methods] of Object.entries(entries)) {
    map.set(key, { key, source: `authenticationMethods/${key}.json`, methods });
  }
  return map;
}

// ---------------------------------------------------------------- audits

export interface Target {
  id: string;
  upn: string;
}

interface DeviceJson {
  Id: string;
  DeviceName?: string;
  PhoneAppVersion?: string;
  LastAuthenticatedTimestamp?: string;
}

/** A device as it appears in StrongAuthenticationPhoneAppDetail (fields as in test/fixtures/incidents/incident-1). */
export function deviceJson(id: string, over: Partial<DeviceJson> = {}): Record<string, unknown> {
  return {
    DeviceName: 'iPhone 14 Pro Max',
    DeviceToken: 'apns2-0f3c',
    DeviceTag: 'SoftwareTokenActivated',
    PhoneAppVersion: '6.7.12',
    OathTokenTimeDrift: 0,
    DeviceId: '00000000-0000-0000-0000-000000000000',
    Id: id,
    TimeInterval: null,
    AuthenticationType: 3,
    NotificationType: 2,
    LastAuthenticatedTimestamp: '2025-06-01T08:00:00Z',
    AuthenticatorFlavor: null,
    HashFunction: null,
    TenantDeviceId: null,
    SecuredPartitionId: 0,
    SecuredKeyId: 0,
    ...over,
  };
}

function userTarget(
  t: Target,
  modifiedProperties: AuditEvent['targetResources'][number]['modifiedProperties'],
) {
  return [
    {
      id: t.id,
      displayName: t.upn.split('@')[0]!,
      userPrincipalName: t.upn,
      type: 'User',
      modifiedProperties,
    },
  ];
}

/** `Update user` by the StrongAuthenticationService changing StrongAuthenticationPhoneAppDetail. */
export function phoneAppDetailUpdate(
  id: string,
  at: string,
  t: Target,
  before: Record<string, unknown>[],
  after: Record<string, unknown>[],
): AuditEvent {
  return {
    id,
    activityDateTime: at,
    activityDisplayName: 'Update user',
    category: 'UserManagement',
    loggedByService: 'Core Directory',
    operationType: 'Update',
    result: 'success',
    initiatedBy: { app: { displayName: STRONG_AUTH_SERVICE_APP_NAME } },
    targetResources: userTarget(t, [
      {
        displayName: 'StrongAuthenticationPhoneAppDetail',
        oldValue: JSON.stringify(before),
        newValue: JSON.stringify(after),
      },
      {
        displayName: 'Included Updated Properties',
        oldValue: null,
        newValue: '"StrongAuthenticationPhoneAppDetail"',
      },
    ]),
    additionalDetails: [],
  };
}

/** `Update user` by the user setting StrongAuthenticationMethod (MethodType numbers or names). */
export function strongAuthMethodUpdate(
  id: string,
  at: string,
  t: Target,
  before: { MethodType: number | string; Default: boolean }[],
  after: { MethodType: number | string; Default: boolean }[],
): AuditEvent {
  return {
    id,
    activityDateTime: at,
    activityDisplayName: 'Update user',
    category: 'UserManagement',
    loggedByService: 'Core Directory',
    operationType: 'Update',
    result: 'success',
    initiatedBy: { user: { id: t.id, userPrincipalName: t.upn } },
    targetResources: userTarget(t, [
      {
        displayName: 'StrongAuthenticationMethod',
        oldValue: JSON.stringify(before),
        newValue: JSON.stringify(after),
      },
    ]),
    additionalDetails: [],
  };
}

/** An "Authentication Methods" security-info event (registered, started, deleted, …). */
export function securityInfo(
  id: string,
  at: string,
  t: Target,
  activity: string,
  resultReason: string,
  result = 'success',
  byAdmin?: Target,
): AuditEvent {
  const initiator = byAdmin ?? t;
  return {
    id,
    activityDateTime: at,
    activityDisplayName: activity,
    category: 'UserManagement',
    loggedByService: 'Authentication Methods',
    operationType: 'Add',
    result,
    resultReason,
    initiatedBy: { user: { id: initiator.id, userPrincipalName: initiator.upn } },
    targetResources: userTarget(t, []),
    additionalDetails: [],
  };
}

// ---------------------------------------------------------------- sign-ins

export function signIn(id: string, at: string, t: Target, over: Partial<SignIn> = {}): SignIn {
  return {
    id,
    createdDateTime: at,
    userId: t.id,
    userPrincipalName: t.upn,
    appId: '00000002-0000-0ff1-ce00-000000000000',
    appDisplayName: 'Office 365 Exchange Online',
    errorCode: 0,
    isInteractive: true,
    signInEventTypes: ['interactiveUser'],
    authenticationRequirement: 'singleFactorAuthentication',
    authenticationDetails: [],
    ...over,
  };
}

export function mfaStep(method = 'Mobile app notification', at?: string): AuthenticationDetail {
  const step: AuthenticationDetail = {
    authenticationMethod: method,
    succeeded: true,
    authenticationStepResultDetail: 'MFA successfully completed',
    authenticationStepRequirement: 'MFA',
  };
  if (at !== undefined) step.authenticationStepDateTime = at;
  return step;
}

export function mfaSignIn(id: string, at: string, t: Target, method = 'Mobile app notification'): SignIn {
  return signIn(id, at, t, {
    authenticationRequirement: 'multiFactorAuthentication',
    authenticationDetails: [mfaStep(method)],
  });
}

export function claimSignIn(id: string, at: string, t: Target, detail: string): SignIn {
  return signIn(id, at, t, {
    authenticationRequirement: 'multiFactorAuthentication',
    tokenIssuerType: 'ADFederationServices',
    authenticationDetails: [
      {
        authenticationMethod: 'Previously satisfied',
        succeeded: true,
        authenticationStepResultDetail: detail,
        authenticationStepRequirement: 'MFA',
      },
    ],
  });
}

export function authenticatorAppSignIn(id: string, at: string, t: Target): SignIn {
  return signIn(id, at, t, {
    appId: AUTHENTICATOR_APP_ID,
    appDisplayName: 'Microsoft Authenticator App',
    isInteractive: false,
    signInEventTypes: ['nonInteractiveUser'],
  });
}

export function mySignInsSignIn(id: string, at: string, t: Target, errorCode = 0): SignIn {
  return signIn(id, at, t, { appId: MY_SIGNINS_APP_ID, appDisplayName: 'My Signins', errorCode });
}

export function interrupt(id: string, at: string, t: Target, errorCode: 50072 | 50079 = 50079): SignIn {
  return signIn(id, at, t, {
    errorCode,
    failureReason:
      'Due to a configuration change made by your administrator, or because you moved to a new location, you must enroll in multifactor authentication.',
  });
}

// ---------------------------------------------------------------- groups, policy, domains

export function group(
  id: string,
  displayName: string,
  memberIds?: string[],
  over: Partial<Group> = {},
): Group {
  const g: Group = { id, displayName, onPremisesSyncEnabled: false, ...over };
  if (memberIds !== undefined) g.memberIds = memberIds;
  return g;
}

export function config(id: string, over: Partial<MethodConfiguration> = {}): MethodConfiguration {
  return {
    id,
    state: 'enabled',
    includeTargets: [{ id: 'all_users', targetType: 'group' }],
    excludeTargets: [],
    ...over,
  };
}

/** A migrated policy with every method enabled for all users unless overridden. */
export function policy(
  overrides: Record<string, Partial<MethodConfiguration>> = {},
  state = 'migrationComplete',
): AuthenticationMethodsPolicy {
  const ids = [
    'Fido2',
    'MicrosoftAuthenticator',
    'Sms',
    'Voice',
    'SoftwareOath',
    'HardwareOath',
    'Email',
    'TemporaryAccessPass',
  ];
  return { policyMigrationState: state, configurations: ids.map((id) => config(id, overrides[id] ?? {})) };
}

export function domain(id: string, authenticationType: 'Managed' | 'Federated'): DomainInfo {
  return { id, authenticationType, isVerified: true };
}
