import { DATASETS } from '../../src/domain/datasets.js';
import type { Coverage, DatasetName } from '../../src/domain/datasets.js';
import type {
  ActionCode,
  ActionFieldsByCode,
  ActionOf,
  Assessment,
  EvidenceCode,
  EvidenceFieldsByCode,
  EvidenceOf,
  UserAssessment,
  Verdict,
} from '../../src/domain/verdict.js';
import { SCHEMA_VERSION, VERDICTS } from '../../src/domain/verdict.js';
import { PASSWORD_METHOD_ID } from '../../src/domain/well-known.js';

/** Small hand-built assessments for renderer tests: defaults for everything, override what matters. */

const SIGN_IN = { appId: '00000002-0000-0ff1-ce00-000000000000', errorCode: 0 };

/**
 * For every evidence code, the fields the rules always give it (required ones only), as realistic
 * values. Typed by the contract, so a new code without an entry here does not compile either.
 */
export const BARE_FIELDS: EvidenceFieldsByCode = {
  'account-disabled': { accountEnabled: false },
  'guest-user': { userType: 'guest' },
  'excluded-by-user-option': { userPrincipalName: 'breakglass@contoso.edu', value: 'breakglass@contoso.edu' },
  'excluded-by-group-option': { groupId: '7b1d2c3e-0000-4000-8000-0000000000aa' },
  'service-account': {
    kind: 'entra-connect-sync',
    matched: 'userPrincipalName',
    value: 'Sync_DC01_1a2b3c4d5e6f@contoso.onmicrosoft.com',
    excluded: false,
  },
  'federated-user': { domain: 'contoso.edu' },
  'report-mfa-capable': { methodsRegistered: ['microsoftAuthenticatorPush'] },
  'report-mfa-registered-not-capable': { methodsRegistered: ['mobilePhone'] },
  'report-not-registered': { methodsRegistered: [] },
  'report-missing-user': { reason: 'unknown' },
  'report-stale': {
    lastUpdatedDateTime: '2025-05-01T02:00:00Z',
    newerAt: '2025-05-01T08:00:00Z',
    newerEvidence: 'Delete user security info',
    newerEventId: 'audit-1',
    newerEvents: 1,
  },
  'report-no-default-method': {
    methodIds: ['f1e2d3c4-0000-4000-8000-000000000001'],
    methodTypes: ['microsoftAuthenticator'],
    defaultMfaMethod: null,
    noDefault: true,
  },
  'method-listed': {
    methodId: 'f1e2d3c4-0000-4000-8000-000000000001',
    methodType: 'microsoftAuthenticator',
    state: 'usable',
  },
  'methods-list-missing': { inventory: 'registration' },
  'tap-usable': { methodId: 'tap-1' },
  'authenticator-device-added': { methodId: 'f1e2d3c4-0000-4000-8000-000000000001' },
  'strong-auth-methods-set': {
    methodTypes: ['PhoneAppNotification', 'PhoneAppOTP'],
    previousMethodTypes: [],
  },
  'security-info-registration-started': {},
  'security-info-registered': { byAdmin: false },
  'security-info-registration-cancelled': {},
  'security-info-deleted': { byAdmin: false },
  'security-info-registration-failed': { activity: 'User registered security info', byAdmin: false },
  'security-info-default-changed': { byAdmin: false },
  'security-info-unknown-reason': { activity: 'User registered security info' },
  'mfa-sign-in': { ...SIGN_IN, count: 1, withinRetention: true },
  'mfa-satisfied-by-claim': {
    ...SIGN_IN,
    count: 1,
    withinRetention: true,
    detail: 'MFA requirement satisfied by claim provided by external provider',
    federation: 'issuer',
  },
  'authenticator-app-sign-in': { ...SIGN_IN, appId: '4813382a-8fa7-425e-ab75-3b753aab3abb', count: 1 },
  'registration-interrupt': { ...SIGN_IN, errorCode: 50072 },
  'security-info-app-sign-in': { ...SIGN_IN, appId: '19db86c3-b2b9-44cc-b339-36da233a3be2' },
  'registration-loop': {
    count: 3,
    firstAt: '2025-05-01T09:00:00Z',
    lastAt: '2025-05-01T09:10:00Z',
    signInIds: ['s1', 's2', 's3'],
    interrupts: 2,
    securityInfoSignIns: 1,
  },
  'policy-not-migrated': { policyMigrationState: 'migrationInProgress' },
  'policy-method-disabled': {
    configurationId: 'Fido2',
    methodId: 'fido-1',
    methodType: 'fido2',
  },
  'policy-user-not-targeted': {
    configurationId: 'MicrosoftAuthenticator',
    includeTargets: ['7b1d2c3e-0000-4000-8000-0000000000bb'],
    methodId: 'f1e2d3c4-0000-4000-8000-000000000001',
    methodType: 'microsoftAuthenticator',
  },
  'policy-user-excluded': {
    configurationId: 'Sms',
    groupId: '7b1d2c3e-0000-4000-8000-0000000000cc',
    methodId: '3179e48a-750b-4051-897c-87b9720928f7',
    methodType: 'phone',
  },
  'policy-membership-unknown': {
    configurationId: 'MicrosoftAuthenticator',
    groupId: '7b1d2c3e-0000-4000-8000-0000000000bb',
    targetKind: 'include',
  },
  'weak-phone-only': { methodIds: ['3179e48a-750b-4051-897c-87b9720928f7'] },
  'admin-role': {},
  'mfa-requirement-skipped': { ...SIGN_IN, count: 1, detail: 'MFA requirement skipped due to IP address' },
  'mfa-satisfied-earlier': {
    ...SIGN_IN,
    count: 1,
    withinRetention: true,
    detail: 'MFA requirement satisfied by claim in the token',
  },
};

/** For every action code, the fields the rules always give it. */
export const BARE_ACTION_FIELDS: ActionFieldsByCode = {
  none: {},
  'none-excluded': {},
  'complete-authenticator-registration': { methodIds: [] },
  'break-registration-loop': { tapUsable: false },
  'register-before-enforcement': {},
  'register-with-tap': {},
  'allow-method-in-policy': {},
  'register-strong-method': {},
  'add-stronger-method': {},
  'collect-user-methods': {},
};

let next = 0;

export function user(overrides: Partial<UserAssessment> = {}): UserAssessment {
  next++;
  const n = String(next).padStart(4, '0');
  return {
    id: `00000000-0000-0000-0000-00000000${n}`,
    userPrincipalName: `user${n}@contoso.edu`,
    displayName: `User ${n}`,
    verdict: 'ready',
    confidence: 'proven',
    weak: false,
    isAdmin: false,
    methods: [{ id: PASSWORD_METHOD_ID, type: 'password', state: 'not-mfa' }],
    evidence: [],
    action: action('none'),
    ...overrides,
  };
}

/** A finding of `code`: its bare fields unless `overrides.fields` gives the whole record. */
export function evidence<C extends EvidenceCode>(
  code: C,
  overrides: Partial<Omit<EvidenceOf<C>, 'code' | 'fields'>> & {
    /** Laid over the code's BARE_FIELDS, so a test names only the fields it is about. */
    fields?: Partial<EvidenceFieldsByCode[C]>;
  } = {},
): EvidenceOf<C> {
  const { fields, ...rest } = overrides;
  return {
    code,
    source: 'audits',
    ref: `ref-${code}`,
    at: null,
    ...rest,
    fields: { ...BARE_FIELDS[code], ...fields },
  } as EvidenceOf<C>;
}
export function action<C extends ActionCode>(code: C, fields?: ActionFieldsByCode[C]): ActionOf<C> {
  return { code, fields: fields ?? BARE_ACTION_FIELDS[code] } as ActionOf<C>;
}

export function coverage(missing: DatasetName[] = []): Coverage {
  return Object.fromEntries(
    DATASETS.map((d) => [d, missing.includes(d) ? { present: false, rows: 0 } : { present: true, rows: 10 }]),
  ) as Coverage;
}

export function summaryOf(users: UserAssessment[]): Record<Verdict, number> {
  const s = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  for (const u of users) s[u.verdict]++;
  return s;
}

export function assessment(users: UserAssessment[], overrides: Partial<Assessment> = {}): Assessment {
  return {
    schemaVersion: SCHEMA_VERSION,
    generatedAt: '2025-05-01T10:00:00Z',
    tenant: {
      tenantId: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
      displayName: 'Contoso University',
      collectedAt: '2025-05-01T09:55:00Z',
      cloud: 'global',
    },
    coverage: { ...coverage(), reportRefreshedAt: '2025-05-01T02:00:00Z' },
    summary: summaryOf(users),
    users,
    population: {
      users: users.length,
      scopeGroups: [],
      excludeGroups: [],
      excludeUsers: [],
      now: '2025-05-01T10:00:00.000Z',
      collectedAt: '2025-05-01T09:55:00Z',
      dataAgeDays: 0,
      staleData: false,
    },
    ...overrides,
  };
}

/** One user of every verdict, with the evidence the rules would give them. */
export function sampleUsers(): UserAssessment[] {
  const authId = 'f1e2d3c4-0000-4000-8000-000000000001';
  return [
    user({
      verdict: 'ready',
      confidence: 'proven',
      evidence: [
        evidence('mfa-sign-in', {
          source: 'signIns',
          at: '2025-04-30T08:00:00Z',
          fields: { ...BARE_FIELDS['mfa-sign-in'], appDisplayName: 'Office 365' },
        }),
      ],
    }),
    user({ verdict: 'ready', confidence: 'reported', weak: true, action: action('add-stronger-method') }),
    user({
      verdict: 'unverified',
      confidence: null,
      methods: [
        { id: PASSWORD_METHOD_ID, type: 'password', state: 'not-mfa' },
        { id: authId, type: 'microsoftAuthenticator', state: 'unverified' },
      ],
      evidence: [
        evidence('method-listed', {
          source: 'methods',
          ref: 'x',
          fields: {
            methodId: authId,
            methodType: 'microsoftAuthenticator',
            displayName: 'iPhone 14 Pro Max',
            state: 'unverified',
          },
        }),
        evidence('authenticator-device-added', {
          at: '2025-04-20T09:00:00Z',
          fields: { methodId: authId, deviceName: 'iPhone 14 Pro Max' },
        }),
      ],
      action: action('complete-authenticator-registration', { methodIds: [authId] }),
    }),
    user({
      verdict: 'looping',
      confidence: null,
      isAdmin: true,
      evidence: [
        evidence('registration-loop', {
          source: 'signIns',
          at: '2025-05-01T09:10:00Z',
          fields: { ...BARE_FIELDS['registration-loop'], count: 4, signInIds: ['s1', 's2', 's3', 's4'] },
        }),
      ],
      action: action('break-registration-loop'),
    }),
    user({
      verdict: 'loop-risk',
      confidence: null,
      evidence: [evidence('authenticator-app-sign-in', { source: 'signIns', at: '2025-04-01T00:00:00Z' })],
      action: action('register-before-enforcement'),
    }),
    user({
      verdict: 'policy-blocked',
      confidence: null,
      evidence: [
        evidence('policy-method-disabled', {
          source: 'methodsPolicy',
          fields: {
            configurationId: 'MicrosoftAuthenticator',
            methodId: authId,
            methodType: 'microsoftAuthenticator',
          },
        }),
      ],
      action: action('allow-method-in-policy', { configurationIds: ['MicrosoftAuthenticator'] }),
    }),
    user({
      verdict: 'not-registered',
      confidence: null,
      evidence: [evidence('report-not-registered', { source: 'registration' })],
      action: action('register-strong-method'),
    }),
    user({
      verdict: 'excluded',
      confidence: null,
      exclusion: 'disabled',
      evidence: [evidence('account-disabled', { source: 'users' })],
      action: action('none-excluded'),
    }),
    user({
      verdict: 'excluded',
      confidence: null,
      exclusion: 'guest',
      evidence: [evidence('guest-user', { source: 'users' })],
      action: action('none-excluded'),
    }),
  ];
}
