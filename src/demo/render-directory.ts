/**
 * Renders a member's directory-side entities: its /users entry, its registration-report row and its
 * authentication methods list. The report is computed as of the report's last refresh (`reportAt`),
 * the methods list as of collection (`now`): the gap between the two is real (the report lags by
 * hours), and several personas exist to exercise it.
 */
import { EMAIL_METHOD_ID, PASSWORD_METHOD_ID, PHONE_SLOT_IDS } from '../domain/well-known.js';
import type { GraphAuthenticationMethod, GraphUser, UserRegistrationDetails } from './graph-types.js';
import type { AuthenticatorFact, Clock, Member, MethodFact } from './model.js';
import { isoSeconds, isoTicks } from './time.js';

export function renderUser(m: Member): GraphUser {
  return {
    id: m.id,
    userPrincipalName: m.upn,
    displayName: m.displayName,
    accountEnabled: m.enabled,
    userType: m.userType,
    onPremisesSyncEnabled: m.synced ? true : null,
    createdDateTime: isoSeconds(m.createdAt),
  };
}

function activeAt(fact: MethodFact, at: number): boolean {
  return (
    fact.addedAt <= at && (!('removedAt' in fact) || fact.removedAt === undefined || fact.removedAt > at)
  );
}

function tapUsableAt(fact: MethodFact, at: number): boolean {
  return fact.kind === 'tap' && fact.startAt <= at && at < fact.startAt + fact.lifetimeMinutes * 60_000;
}

/** A completed Authenticator registration: listed *and* usable. An unverified one is listed only. */
function verifiedAt(fact: AuthenticatorFact, at: number): boolean {
  return fact.verifiedAt !== null && fact.verifiedAt <= at;
}

/**
 * One row of the beta registration report, or null when the report has no row for the user: disabled
 * accounts are never in it, and users created after its last refresh are not in it yet.
 *
 * Policy (directory-objects.ts): Authenticator, SMS/Voice allowed for all; FIDO2 only for the FIDO2
 * group; Software OATH disabled, so an OATH-only user is `isMfaRegistered` but not `isMfaCapable`.
 */
export function renderRegistration(m: Member, clock: Clock): UserRegistrationDetails | null {
  const at = clock.reportAt;
  if (!m.enabled || m.createdAt > at) return null;
  const active = m.methods.filter((f) => activeAt(f, at));
  const inFidoGroup = m.groups.includes('fido2Users');

  const registered: string[] = [];
  const add = (name: string) => {
    if (!registered.includes(name)) registered.push(name);
  };
  let strong = false;
  let capable = false;
  let passwordless = false;
  let push = false;
  let phone = false;
  let oath = false;
  for (const f of active) {
    switch (f.kind) {
      case 'authenticator':
        if (!verifiedAt(f, at)) break;
        add('microsoftAuthenticatorPush');
        add('softwareOneTimePasscode');
        if (f.passwordless) {
          add('microsoftAuthenticatorPasswordless');
          passwordless = true;
        }
        strong = capable = push = true;
        break;
      case 'phone':
        add(
          f.slot === 'mobile'
            ? 'mobilePhone'
            : f.slot === 'alternateMobile'
              ? 'alternateMobilePhone'
              : 'officePhone',
        );
        strong = capable = true;
        if (f.slot === 'mobile') phone = true;
        break;
      case 'fido2':
        add(m.fido2ReportName);
        strong = true;
        if (inFidoGroup) capable = passwordless = true;
        break;
      case 'whfb':
        add('windowsHelloForBusiness');
        strong = capable = passwordless = true;
        break;
      case 'softwareOath':
        add('softwareOneTimePasscode');
        strong = oath = true;
        break;
      case 'email':
        add('email');
        break;
      case 'tap':
        if (tapUsableAt(f, at)) add('temporaryAccessPass');
        break;
    }
  }

  const preferred = m.preferred;
  const usablePreferred =
    (preferred === 'push' && push) ||
    ((preferred === 'sms' || preferred === 'voiceMobile') && phone) ||
    (preferred === 'oath' && (oath || push));
  const userPreferred =
    usablePreferred && preferred !== null ? preferred : push ? 'push' : phone ? 'sms' : '';
  const defaultMfaMethod =
    userPreferred === 'push'
      ? 'microsoftAuthenticatorPush'
      : userPreferred === 'sms' || userPreferred === 'voiceMobile'
        ? 'mobilePhone'
        : userPreferred === 'oath'
          ? 'softwareOneTimePasscode'
          : '';
  const ssprRegistered = active.some(
    (f) => f.kind === 'email' || f.kind === 'phone' || (f.kind === 'authenticator' && verifiedAt(f, at)),
  );
  const ssprEnabled = m.userType === 'Member';

  return {
    id: m.id,
    userPrincipalName: m.upn,
    userDisplayName: m.displayName,
    isAdmin: m.isAdmin,
    isSsprRegistered: ssprRegistered,
    isSsprEnabled: ssprEnabled,
    isSsprCapable: ssprRegistered && ssprEnabled,
    isMfaRegistered: strong,
    isMfaCapable: capable,
    isPasswordlessCapable: passwordless,
    lastUpdatedDateTime: isoTicks(at, 1833),
    methodsRegistered: registered,
    defaultMfaMethod,
    isSystemPreferredAuthenticationMethodEnabled: true,
    systemPreferredAuthenticationMethods: push ? ['push'] : phone ? ['sms'] : [],
    userPreferredMethodForSecondaryAuthentication: userPreferred,
    userType: m.userType === 'Guest' ? 'guest' : 'member',
  };
}

const METHOD_ORDER: Record<MethodFact['kind'], number> = {
  phone: 1,
  authenticator: 2,
  fido2: 3,
  whfb: 4,
  softwareOath: 5,
  email: 6,
  tap: 7,
};

/** GET /beta/users/{id}/authentication/methods as of `now`: password first, then what the user has. */
export function renderMethods(m: Member, clock: Clock): GraphAuthenticationMethod[] {
  const at = clock.now;
  const list: GraphAuthenticationMethod[] = [
    {
      '@odata.type': '#microsoft.graph.passwordAuthenticationMethod',
      id: PASSWORD_METHOD_ID,
      password: null,
      createdDateTime: isoSeconds(m.createdAt),
    },
  ];
  const facts = m.methods
    .filter((f) => activeAt(f, at))
    .sort((a, b) => METHOD_ORDER[a.kind] - METHOD_ORDER[b.kind]);
  for (const f of facts) list.push(renderMethod(f, at));
  return list;
}

function renderMethod(f: MethodFact, at: number): GraphAuthenticationMethod {
  switch (f.kind) {
    case 'phone':
      return {
        '@odata.type': '#microsoft.graph.phoneAuthenticationMethod',
        id: PHONE_SLOT_IDS[f.slot],
        phoneNumber: f.number,
        phoneType: f.slot,
        smsSignInState: f.slot === 'mobile' ? 'notEnabled' : 'notSupported',
      };
    case 'authenticator':
      return {
        '@odata.type': '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod',
        id: f.id,
        displayName: f.device.name,
        deviceTag: f.tag,
        phoneAppVersion: f.version,
        createdDateTime: f.passwordless ? isoSeconds(f.addedAt) : null,
        clientAppName: 'microsoftAuthenticator',
      };
    case 'fido2':
      return {
        '@odata.type': '#microsoft.graph.fido2AuthenticationMethod',
        id: f.id,
        displayName: f.model.displayName,
        createdDateTime: isoSeconds(f.addedAt),
        aaGuid: f.model.aaGuid,
        model: f.model.model,
        attestationCertificates: [f.certificate],
        attestationLevel: 'attested',
      };
    case 'whfb':
      return {
        '@odata.type': '#microsoft.graph.windowsHelloForBusinessAuthenticationMethod',
        id: f.id,
        displayName: f.deviceName,
        createdDateTime: isoSeconds(f.addedAt),
        keyStrength: 'normal',
      };
    case 'softwareOath':
      return {
        '@odata.type': '#microsoft.graph.softwareOathAuthenticationMethod',
        id: f.id,
        secretKey: null,
      };
    case 'email':
      return {
        '@odata.type': '#microsoft.graph.emailAuthenticationMethod',
        id: EMAIL_METHOD_ID,
        emailAddress: f.address,
      };
    case 'tap': {
      const end = f.startAt + f.lifetimeMinutes * 60_000;
      const usable = f.startAt <= at && at < end;
      return {
        '@odata.type': '#microsoft.graph.temporaryAccessPassAuthenticationMethod',
        id: f.id,
        temporaryAccessPass: null,
        createdDateTime: isoSeconds(f.addedAt),
        startDateTime: isoSeconds(f.startAt),
        lifetimeInMinutes: f.lifetimeMinutes,
        isUsableOnce: f.isUsableOnce,
        isUsable: usable,
        methodUsabilityReason: usable ? 'EnabledByPolicy' : at < f.startAt ? 'NotYetValid' : 'Expired',
      };
    }
  }
}
