import type { DatasetName } from '../domain/datasets.js';
import type { MethodKind } from '../domain/tenant.js';
import type { Confidence, Evidence, ExclusionReason, MethodState, Verdict } from '../domain/verdict.js';

// Every table here is `satisfies Record<Union, …>`: a new verdict, state, kind or dataset without words
// is a compile error, not a blank cell in front of an admin.

const VERDICT_LABELS = {
  excluded: 'excluded',
  ready: 'ready',
  looping: 'looping now',
  unverified: 'unverified',
  'policy-blocked': 'blocked by policy',
  'loop-risk': 'loop risk',
  'not-registered': 'not registered',
  unknown: 'unknown',
} as const satisfies Record<Verdict, string>;

/** Short label for a verdict, for tables and headings. */
export function verdictLabel(v: Verdict): string {
  return VERDICT_LABELS[v];
}

const VERDICT_MEANINGS = {
  excluded: 'kept out of the counts (disabled, guest, or excluded on purpose)',
  ready: 'has an MFA method that is registered, completed and allowed by policy',
  looping:
    'cannot do MFA and is stuck in a registration loop right now (MFA registration ↔ sign-in, no error shown)',
  unverified: 'an MFA method is listed but its registration was never completed; it cannot satisfy MFA',
  'policy-blocked': 'has strong methods, but the authentication methods policy allows none of them',
  'loop-risk':
    'cannot do MFA and has already signed into the Authenticator app: will loop when MFA is enforced',
  'not-registered': 'no MFA method (password, email and Temporary Access Pass do not count)',
  unknown:
    'nothing was read about their methods (no report row, methods list, registration event or MFA sign-in): counted as not ready until read',
} as const satisfies Record<Verdict, string>;

/** One sentence saying what a verdict means for the user at enforcement time. */
export function verdictMeaning(v: Verdict): string {
  return VERDICT_MEANINGS[v];
}

const CONFIDENCE_LABELS = {
  proven: 'proven: a successful MFA sign-in',
  registered: 'registered: a completed registration in the audit log',
  reported: 'reported only: registration report / methods list, not confirmed by audit or sign-in',
} as const satisfies Record<NonNullable<Confidence>, string>;

/** How strongly a `ready` verdict is supported; `null` (other verdicts) reads as "n/a". */
export function confidenceLabel(c: Confidence): string {
  return c === null ? 'n/a' : CONFIDENCE_LABELS[c];
}

const METHOD_STATE_LABELS = {
  usable: 'usable for MFA',
  unverified: 'NOT usable: registration never completed',
  'policy-blocked': 'NOT usable: not allowed by the authentication methods policy',
  'not-mfa': 'not an MFA method',
  unknown: 'unknown (not enough data)',
} as const satisfies Record<MethodState, string>;

export function methodStateLabel(s: MethodState): string {
  return METHOD_STATE_LABELS[s];
}

const METHOD_KIND_LABELS = {
  password: 'Password',
  phone: 'Phone (SMS/voice)',
  microsoftAuthenticator: 'Microsoft Authenticator',
  passwordlessMicrosoftAuthenticator: 'Authenticator (passwordless phone sign-in)',
  fido2: 'FIDO2 security key / passkey',
  windowsHelloForBusiness: 'Windows Hello for Business',
  softwareOath: 'Software OATH token',
  hardwareOath: 'Hardware OATH token',
  email: 'Email (SSPR only)',
  temporaryAccessPass: 'Temporary Access Pass',
  platformCredential: 'Platform credential (macOS Platform SSO)',
  qrCodePin: 'QR code + PIN',
  external: 'External authentication method',
  unknown: 'Unknown method type',
} as const satisfies Record<MethodKind, string>;

/** Every `MethodKind`, derived from the label table so the list cannot fall behind the union. */
export const METHOD_KINDS = Object.keys(METHOD_KIND_LABELS) as [MethodKind, ...MethodKind[]];

export function methodKindLabel(k: MethodKind): string {
  return METHOD_KIND_LABELS[k];
}

/** A method type as found in evidence fields: a `MethodKind`, a report string or a MethodType number. */
export function methodTypeLabel(t: string): string {
  if (Object.hasOwn(METHOD_KIND_LABELS, t)) return METHOD_KIND_LABELS[t as MethodKind];
  if (Object.hasOwn(REPORT_METHOD_LABELS, t)) return REPORT_METHOD_LABELS[t]!;
  return t;
}

const EXCLUSION_LABELS = {
  disabled: 'account disabled',
  guest: 'guest user',
  'excluded-user': 'excluded by --exclude-user',
  'excluded-group': 'member of an --exclude-group group',
  'service-account': 'service account (--exclude-service-accounts)',
} as const satisfies Record<ExclusionReason, string>;

export function exclusionLabel(r: ExclusionReason): string {
  return EXCLUSION_LABELS[r];
}

const SOURCE_LABELS = {
  tenant: 'tenant',
  users: 'users',
  registration: 'reg. report',
  methods: 'methods',
  audits: 'audit log',
  signIns: 'sign-ins',
  groups: 'groups',
  groupMembers: 'groups',
  conditionalAccess: 'CA policies',
  methodsPolicy: 'auth policy',
  securityDefaults: 'sec. defaults',
  domains: 'domains',
  roleAssignments: 'roles',
  options: 'options',
} as const satisfies Record<Evidence['source'], string>;

/** Where a finding came from, in a few characters (timeline column). */
export function sourceLabel(s: Evidence['source']): string {
  return SOURCE_LABELS[s];
}

interface DatasetWords {
  /** What the dataset is, as an admin calls it. */
  label: string;
  /** Its name in a few words, as the portal names it, for progress lines ("Reading sign-in log… 448"). */
  name: string;
  /** What its absence costs the verdicts. */
  cost: string;
}

const DATASET_WORDS = {
  tenant: {
    label: 'tenant info',
    name: 'tenant details',
    cost: 'tenant name and collection time are unknown',
  },
  users: {
    label: 'users',
    name: 'users',
    cost: 'disabled accounts and guests are known only from the registration report; users absent from it are not assessed',
  },
  registration: {
    label: 'registration report (userRegistrationDetails)',
    name: 'registration report',
    cost: 'admin flags and report-only evidence are missing; "no default MFA method" cannot be checked',
  },
  methods: {
    label: 'per-user authentication methods',
    name: 'authentication methods',
    cost: 'method states rest on the registration report alone, which lags behind changes',
  },
  audits: {
    label: 'directory audits',
    name: 'directory audit log',
    cost: 'half-finished Authenticator registrations are only guessed; no ready verdict rests on a completed registration',
  },
  signIns: {
    label: 'sign-ins',
    name: 'sign-in log',
    cost: 'registration loops and loop risk cannot be detected; no ready verdict can be "proven"',
  },
  groups: {
    label: 'groups',
    name: 'groups',
    cost: 'group names and policy group targets cannot be resolved',
  },
  groupMembers: {
    label: 'group members',
    name: 'group members',
    cost: 'policy include/exclude groups and --scope-group/--exclude-group cannot be resolved',
  },
  conditionalAccess: {
    label: 'Conditional Access policies',
    name: 'Conditional Access policies',
    cost: 'which users an MFA policy already covers is unknown',
  },
  methodsPolicy: {
    label: 'authentication methods policy',
    name: 'authentication methods policy',
    cost: '"blocked by policy" cannot be detected; registered methods are assumed allowed',
  },
  securityDefaults: {
    label: 'security defaults setting',
    name: 'security defaults',
    cost: 'whether security defaults already enforce MFA is unknown',
  },
  domains: {
    label: 'domains',
    name: 'domains',
    cost: 'federated users (MFA at AD FS or another IdP) cannot be recognised',
  },
  roleAssignments: {
    label: 'directory role assignments',
    name: 'directory role assignments',
    cost: 'who a Conditional Access role condition (includeRoles, excludeRoles) covers is unknown',
  },
} as const satisfies Record<DatasetName, DatasetWords>;

export function datasetWords(d: DatasetName): DatasetWords {
  return DATASET_WORDS[d];
}

/** Datasets as an admin calls them, in one comma list ("sign-ins, per-user authentication methods"). */
export function datasetLabels(ds: readonly DatasetName[]): string {
  return ds.map((d) => DATASET_WORDS[d].label).join(', ');
}

/** A scope or exclusion group as the report names it: its display name and id, or the id alone. */
export function populationGroupLabel(g: { id: string; displayName: string | null }): string {
  return g.displayName === null ? g.id : `${g.displayName} (${g.id})`;
}

/**
 * The registration report's `methodsRegistered` values, as the Entra admin center's "User registration
 * details" report names them. An unknown value is shown as Graph spells it, never dropped.
 * https://learn.microsoft.com/en-us/graph/api/resources/userregistrationdetails
 */
const REPORT_METHOD_LABELS: Readonly<Record<string, string>> = {
  mobilePhone: 'Mobile phone (SMS/voice)',
  alternateMobilePhone: 'Alternate mobile phone',
  officePhone: 'Office phone',
  microsoftAuthenticatorPush: 'Microsoft Authenticator (notification)',
  microsoftAuthenticatorPasswordless: 'Microsoft Authenticator (passwordless phone sign-in)',
  softwareOneTimePasscode: 'Software OATH token (verification code)',
  hardwareOneTimePasscode: 'Hardware OATH token',
  fido2SecurityKey: 'FIDO2 security key',
  passKeyDeviceBound: 'Passkey (device-bound)',
  passKeyDeviceBoundAuthenticator: 'Passkey in Microsoft Authenticator',
  passKeyDeviceBoundWindowsHello: 'Passkey in Windows Hello',
  windowsHelloForBusiness: 'Windows Hello for Business',
  temporaryAccessPass: 'Temporary Access Pass',
  email: 'Email (SSPR only)',
  securityQuestion: 'Security questions (SSPR only)',
  appPassword: 'App password',
  macOsSecureEnclaveKey: 'Platform credential (macOS Platform SSO)',
  externalAuthMethod: 'External authentication method',
};

/**
 * The authentication methods policy's method configurations (their `id`), as the Entra admin center
 * lists them under Protection › Authentication methods › Policies: the words an admin looks for on
 * screen. The JSON keeps the ids. An id not listed here is shown as Graph spells it.
 * https://learn.microsoft.com/en-us/entra/identity/authentication/concept-authentication-methods-manage
 * https://learn.microsoft.com/en-us/graph/api/resources/authenticationmethodspolicies-overview
 */
const POLICY_METHOD_LABELS: Readonly<Record<string, string>> = {
  microsoftauthenticator: 'Microsoft Authenticator',
  sms: 'SMS',
  voice: 'Voice call',
  fido2: 'Passkey (FIDO2)',
  softwareoath: 'Third-party software OATH tokens',
  hardwareoath: 'Hardware OATH tokens',
  email: 'Email OTP',
  temporaryaccesspass: 'Temporary Access Pass',
  x509certificate: 'Certificate-based authentication',
  qrcodepin: 'QR code',
};

/** `MicrosoftAuthenticator` → `Microsoft Authenticator`: a policy method configuration as the portal names it. */
export function policyMethodLabel(configurationId: string): string {
  return POLICY_METHOD_LABELS[configurationId.toLowerCase()] ?? configurationId;
}

/** Where the authentication methods policy is edited in the Entra admin center. */
export const METHODS_POLICY_BLADE = 'Entra admin center › Protection › Authentication methods › Policies';

/** A dataset in a few words, as the portal names it, for progress lines ("Reading sign-in log… 448"). */
export function datasetName(d: DatasetName): string {
  return DATASET_WORDS[d].name;
}
