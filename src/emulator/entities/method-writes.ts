/**
 * How method writes show in later reads: the methods list (a created Temporary Access Pass, value
 * null; deleted entries gone) and the registration report row (methodsRegistered, isMfaRegistered /
 * isMfaCapable, the preferred and default method recomputed). The report's enum names are the
 * ones of https://learn.microsoft.com/graph/api/resources/userregistrationdetails.
 */
import type {
  AuthenticationMethodsPolicy,
  GraphAuthenticationMethod,
  MethodConfiguration,
  UserRegistrationDetails,
} from '../../demo/graph-types.js';
import type { MethodChanges, StoredTap, TapPolicyOverride } from './directory-writes.js';

export const TAP_TYPE = '#microsoft.graph.temporaryAccessPassAuthenticationMethod';
export const AUTHENTICATOR_TYPE = '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod';
const PASSWORD_TYPE = '#microsoft.graph.passwordAuthenticationMethod';
const PHONE_TYPE = '#microsoft.graph.phoneAuthenticationMethod';
const OATH_TYPE = '#microsoft.graph.softwareOathAuthenticationMethod';

/** signInPreferences' userDefaultAuthenticationMethodType (https://learn.microsoft.com/graph/api/resources/signinpreferences?view=graph-rest-beta). */
export const PREFERRED_METHODS = [
  'push',
  'oath',
  'voiceMobile',
  'voiceAlternateMobile',
  'voiceOffice',
  'sms',
] as const;

/** Report names of methods strong enough for MFA (email and TAP are not; password is not a method here). */
const STRONG = new Set([
  'mobilePhone',
  'alternateMobilePhone',
  'officePhone',
  'microsoftAuthenticatorPush',
  'microsoftAuthenticatorPasswordless',
  'softwareOneTimePasscode',
  'hardwareOneTimePasscode',
  'fido2',
  'passKeyDeviceBound',
  'passKeyDeviceBoundAuthenticator',
  'passKeyDeviceBoundWindowsHello',
  'windowsHelloForBusiness',
  'macOsSecureEnclaveKey',
]);

/** The usability of a TAP at `now` (https://learn.microsoft.com/graph/api/resources/temporaryaccesspassauthenticationmethod). */
export function tapUsability(
  tap: StoredTap,
  now: number,
): { isUsable: boolean; methodUsabilityReason: 'EnabledByPolicy' | 'Expired' | 'NotYetValid' } {
  const start = Date.parse(tap.startDateTime);
  if (now < start) return { isUsable: false, methodUsabilityReason: 'NotYetValid' };
  if (now >= start + tap.lifetimeInMinutes * 60_000)
    return { isUsable: false, methodUsabilityReason: 'Expired' };
  return { isUsable: true, methodUsabilityReason: 'EnabledByPolicy' };
}

/** A TAP as GET shows it: never with its value. */
export function tapMethod(tap: StoredTap, now: number): GraphAuthenticationMethod {
  return {
    '@odata.type': TAP_TYPE,
    id: tap.id,
    temporaryAccessPass: null,
    createdDateTime: tap.createdDateTime,
    startDateTime: tap.startDateTime,
    lifetimeInMinutes: tap.lifetimeInMinutes,
    isUsableOnce: tap.isUsableOnce,
    ...tapUsability(tap, now),
  };
}

export function methodsWithWrites(
  base: readonly GraphAuthenticationMethod[],
  changes: MethodChanges,
  now: number,
): GraphAuthenticationMethod[] {
  const kept = base.filter(
    (m) =>
      !changes.removed.has(m.id.toLowerCase()) &&
      // A user has at most one TAP: a created one replaces the generated one.
      (changes.tap === undefined || m['@odata.type'] !== TAP_TYPE),
  );
  if (changes.tap !== undefined) kept.push(tapMethod(changes.tap, now));
  return kept;
}

/** Whether the user has what a preferred method needs. */
export function canUsePreferred(preferred: string, methods: readonly GraphAuthenticationMethod[]): boolean {
  const phone = (slot: string) =>
    methods.some((m) => m['@odata.type'] === PHONE_TYPE && (m as { phoneType?: string }).phoneType === slot);
  const has = (type: string) => methods.some((m) => m['@odata.type'] === type);
  switch (preferred) {
    case 'push':
      return has(AUTHENTICATOR_TYPE);
    case 'oath':
      return has(OATH_TYPE) || has(AUTHENTICATOR_TYPE);
    case 'sms':
    case 'voiceMobile':
      return phone('mobile');
    case 'voiceAlternateMobile':
      return phone('alternateMobile');
    case 'voiceOffice':
      return phone('office');
    default:
      return false;
  }
}

/** The user's preferred method for MFA now: as written, else as the report row says ('' for none). */
export function preferredOf(
  row: UserRegistrationDetails | undefined,
  changes: MethodChanges | undefined,
): string {
  if (changes?.preferred !== undefined) return changes.preferred ?? '';
  const p = row?.userPreferredMethodForSecondaryAuthentication ?? '';
  return p === 'none' ? '' : p;
}

/** The report's defaultMfaMethod for a preferred method. */
function defaultMfaMethod(preferred: string): string {
  switch (preferred) {
    case 'push':
      return 'microsoftAuthenticatorPush';
    case 'oath':
      return 'softwareOneTimePasscode';
    case 'sms':
    case 'voiceMobile':
      return 'mobilePhone';
    case 'voiceAlternateMobile':
      return 'alternateMobilePhone';
    case 'voiceOffice':
      return 'officePhone';
    default:
      return '';
  }
}

/**
 * The report row after the writes. Authenticator entries deleted take their report names with them
 * when none is left; a created TAP is listed while usable; the preferred method falls back to the
 * mobile phone (else none) when what it needs is gone. isMfaCapable never rises through a write
 * (capability also depends on policy, which the row already judged): it only falls with
 * isMfaRegistered. An approximation of Graph's own recomputation, which lags hours in real tenants.
 */
export function registrationWithWrites(
  row: UserRegistrationDetails,
  changes: MethodChanges,
  methods: readonly GraphAuthenticationMethod[],
): UserRegistrationDetails {
  const hasAuthenticator = methods.some((m) => m['@odata.type'] === AUTHENTICATOR_TYPE);
  // The Authenticator app also counts as a software OATH token (its codes) unless an OATH app remains.
  const hasOath = hasAuthenticator || methods.some((m) => m['@odata.type'] === OATH_TYPE);
  let registered = row.methodsRegistered.filter(
    (n) =>
      (hasAuthenticator || !n.startsWith('microsoftAuthenticator')) &&
      (hasOath || n !== 'softwareOneTimePasscode'),
  );
  const tap = methods.find((m) => m['@odata.type'] === TAP_TYPE) as { isUsable?: boolean } | undefined;
  if (changes.tap !== undefined) {
    registered = registered.filter((n) => n !== 'temporaryAccessPass');
    if (tap?.isUsable === true) registered.push('temporaryAccessPass');
  }
  const isMfaRegistered = registered.some((n) => STRONG.has(n));
  let preferred = preferredOf(row, changes);
  if (preferred !== '' && !canUsePreferred(preferred, methods))
    preferred = canUsePreferred('sms', methods) ? 'sms' : '';
  const out: UserRegistrationDetails = {
    ...row,
    methodsRegistered: registered,
    isMfaRegistered,
    isMfaCapable: row.isMfaCapable && isMfaRegistered,
    isPasswordlessCapable:
      row.isPasswordlessCapable &&
      registered.some((n) => n !== 'mobilePhone' && n !== 'softwareOneTimePasscode' && STRONG.has(n)),
    userPreferredMethodForSecondaryAuthentication: preferred,
    defaultMfaMethod: defaultMfaMethod(preferred),
    systemPreferredAuthenticationMethods: row.systemPreferredAuthenticationMethods.filter(
      (m) => hasAuthenticator || m !== 'push',
    ),
  };
  if (changes.isSystemPreferredAuthenticationMethodEnabled !== undefined)
    out.isSystemPreferredAuthenticationMethodEnabled = changes.isSystemPreferredAuthenticationMethodEnabled;
  return out;
}

/** Methods other than the password (which every user has and Graph does not count as configured). */
export function configuredMethods(
  methods: readonly GraphAuthenticationMethod[],
): GraphAuthenticationMethod[] {
  return methods.filter((m) => m['@odata.type'] !== PASSWORD_TYPE);
}

/** The TAP settings that decide a create (https://learn.microsoft.com/graph/api/resources/temporaryaccesspassauthenticationmethodconfiguration). */
export interface TapSettings {
  state: 'enabled' | 'disabled';
  includeTargets: readonly { targetType: string; id: string }[];
  excludeTargets: readonly { targetType: string; id: string }[];
  defaultLifetimeInMinutes: number;
  minimumLifetimeInMinutes: number;
  maximumLifetimeInMinutes: number;
  isUsableOnce: boolean;
  defaultLength: number;
}

/** The tenant's TAP configuration with the emulator's override applied (policy GET and TAP create agree). */
export function tapConfiguration(
  policy: AuthenticationMethodsPolicy,
  override: TapPolicyOverride,
): MethodConfiguration {
  const found = policy.authenticationMethodConfigurations.find(
    (c) => c.id.toLowerCase() === 'temporaryaccesspass',
  );
  const base: MethodConfiguration = found ?? {
    '@odata.type': '#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration',
    id: 'TemporaryAccessPass',
    state: 'disabled',
    excludeTargets: [],
    includeTargets: [],
  };
  const out: MethodConfiguration = { ...base };
  if (override.state !== undefined) out.state = override.state;
  if (override.includeGroups !== undefined)
    out.includeTargets = override.includeGroups.map((id) => ({
      targetType: 'group',
      id,
      isRegistrationRequired: false,
    }));
  if (override.excludeGroups !== undefined)
    out.excludeTargets = override.excludeGroups.map((id) => ({ targetType: 'group', id }));
  for (const key of [
    'defaultLifetimeInMinutes',
    'minimumLifetimeInMinutes',
    'maximumLifetimeInMinutes',
    'isUsableOnce',
    'defaultLength',
  ] as const) {
    if (override[key] !== undefined) out[key] = override[key];
  }
  return out;
}

export function tapSettings(config: MethodConfiguration): TapSettings {
  const num = (key: string, fallback: number) =>
    typeof config[key] === 'number' ? (config[key] as number) : fallback;
  // Defaults of the resource page: 1 h by default, 1 h to 8 h allowed, 8 characters.
  return {
    state: config.state,
    includeTargets: config.includeTargets,
    excludeTargets: config.excludeTargets,
    defaultLifetimeInMinutes: num('defaultLifetimeInMinutes', 60),
    minimumLifetimeInMinutes: num('minimumLifetimeInMinutes', 60),
    maximumLifetimeInMinutes: num('maximumLifetimeInMinutes', 480),
    isUsableOnce: config['isUsableOnce'] === true,
    defaultLength: num('defaultLength', 8),
  };
}
