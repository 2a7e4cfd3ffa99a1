/**
 * The generator's internal model. Each synthetic user is a `Member`: a few *facts* (which methods
 * exist, since when, whether their registration was completed) and a *story* of scripted events
 * ("beats") that become directory audits and sign-ins. Renderers turn facts and beats into raw Graph
 * JSON; routine noise (everyday sign-ins, password changes, Authenticator version bumps) is drawn
 * on demand by event-streams.ts from the member's profile. Keeping facts and story together, built by
 * one persona builder, is what keeps the methods list, the registration report, the audit log and the
 * sign-in log consistent with each other.
 */
import type { StrongAuthMethodType } from '../domain/well-known.js';
import type { Fido2Model, PhoneModel, SignInApp } from './catalog.js';
import type { PersonaKind } from './personas.js';

/** Groups of the synthetic tenant, by role (ids are generated). */
export type GroupKey =
  | 'mfaRequired'
  | 'proofUpBypass'
  | 'allStudents'
  | 'staffSmartcard'
  | 'breakGlass'
  | 'fido2Users'
  | 'itAdmins'
  | 'deptFinance'
  | 'deptAdmissions'
  | 'deptLibrary'
  | 'deptEngineering'
  | 'deptFacilities'
  | 'deptResearch';

export interface AuthenticatorFact {
  kind: 'authenticator';
  /** The method id Graph lists; the same value is `Id` in StrongAuthenticationPhoneAppDetail. */
  id: string;
  device: PhoneModel;
  /** Push token the phone registered (APNs / FCM shaped, fake). */
  deviceToken: string;
  version: string;
  tag: 'SoftwareTokenActivated' | '';
  addedAt: number;
  /** When the registration was completed (test notification approved); null = never (test/fixtures/incidents/incident-1). */
  verifiedAt: number | null;
  removedAt?: number;
  /** Registered for passwordless phone sign-in: only then does Graph fill createdDateTime. */
  passwordless: boolean;
}

export interface PhoneFact {
  kind: 'phone';
  slot: 'mobile' | 'alternateMobile' | 'office';
  number: string;
  addedAt: number;
  removedAt?: number;
}

export interface Fido2Fact {
  kind: 'fido2';
  id: string;
  model: Fido2Model;
  certificate: string;
  addedAt: number;
}

export interface WhfbFact {
  kind: 'whfb';
  id: string;
  deviceName: string;
  addedAt: number;
}

export interface SoftwareOathFact {
  kind: 'softwareOath';
  id: string;
  addedAt: number;
}

export interface EmailFact {
  kind: 'email';
  address: string;
  addedAt: number;
}

export interface TapFact {
  kind: 'tap';
  id: string;
  addedAt: number;
  startAt: number;
  lifetimeMinutes: number;
  isUsableOnce: boolean;
}

export type MethodFact =
  AuthenticatorFact | PhoneFact | Fido2Fact | WhfbFact | SoftwareOathFact | EmailFact | TapFact;

/** The user's chosen default MFA method, in the report's `userPreferredMethodForSecondaryAuthentication` enum. */
export type PreferredMethod = 'push' | 'sms' | 'voiceMobile' | 'oath';

/**
 * How the member's everyday sign-ins look.
 * - `mfa`: challenged for MFA off the trusted network (CA "outside trusted locations") and passes.
 * - `single`: never challenged in the window (always on a trusted network); single-factor only.
 * - `claim-external`: federated; MFA is done at AD FS and arrives as a claim from the external provider.
 * - `guest` / `disabled`: B2B guests; disabled accounts whose devices still try (50057).
 */
export type SignInProfile = 'mfa' | 'single' | 'claim-external' | 'guest' | 'disabled';

/** `authenticationMethod` of the MFA step in sign-in `authenticationDetails`. */
export type MfaMethodName =
  | 'Mobile app notification'
  | 'Text message'
  | 'OATH verification code'
  | 'FIDO2 security key'
  | 'Windows Hello for Business';

/** One device as it appears inside StrongAuthenticationPhoneAppDetail. */
export interface DeviceSnapshot {
  fact: AuthenticatorFact;
  version: string;
  lastAuthenticatedAt: number;
}

export interface StrongAuthEntry {
  type: StrongAuthMethodType;
  isDefault: boolean;
}

export type SecurityInfoActivity =
  | 'User started security info registration'
  | 'User registered security info'
  | 'User registered all required security info'
  | 'User deleted security info'
  | 'User changed default security info';

interface BeatBase {
  at: number;
  /** Seed for everything rendered from this beat (ids, addresses, sub-second ticks). */
  seed: number;
}

export type AuditBeat = BeatBase &
  (
    | { type: 'phoneAppDetail'; before: DeviceSnapshot[]; after: DeviceSnapshot[] }
    | {
        type: 'strongAuthMethods';
        before: StrongAuthEntry[];
        after: StrongAuthEntry[];
        /** MethodType as numbers (6, 7) or names ("PhoneAppNotification"): both occur in real logs. */
        numeric: boolean;
      }
    | { type: 'strongAuthUserDetails'; beforePhone: string | null; afterPhone: string | null }
    | { type: 'securityInfo'; activity: SecurityInfoActivity; result: 'success' | 'failure'; reason: string }
    | { type: 'groupMember'; group: GroupKey; change: 'add' | 'remove'; by: 'sync' | 'admin' }
    | { type: 'password'; how: 'change' | 'selfServiceReset' | 'adminReset' }
    | { type: 'syncUpdate'; properties: string[] }
  );

export type SignInKind =
  | 'single'
  | 'mfa'
  | 'mfaClaimToken'
  | 'mfaClaimExternal'
  | 'interrupt50072'
  | 'interrupt50079'
  | 'mfaRequired50074'
  | 'mfaRequired50076'
  | 'mfaDenied500121'
  | 'badPassword50126'
  | 'disabled50057'
  | 'grantExpired50173';

export interface SignInBeat extends BeatBase {
  kind: SignInKind;
  app: SignInApp;
  interactive: boolean;
  /** The MFA method, for `mfa` and the MFA failures. */
  method?: MfaMethodName;
}

export interface Member {
  index: number;
  id: string;
  upn: string;
  displayName: string;
  persona: PersonaKind;
  /** One of the fixed, named cast (incidents, break-glass) rather than a generated persona. */
  named: boolean;
  userType: 'Member' | 'Guest';
  enabled: boolean;
  synced: boolean;
  federated: boolean;
  student: boolean;
  isAdmin: boolean;
  createdAt: number;
  groups: GroupKey[];
  methods: MethodFact[];
  preferred: PreferredMethod | null;
  signInProfile: SignInProfile;
  mfaMethod: MfaMethodName;
  /** Routine sign-ins show MFA only from this time on (before it the user had no way to do MFA). */
  mfaSince: number;
  /** Cannot do MFA and meets the CA policy off-site now and then: a lone registration interrupt, at most one a day. */
  nag: boolean;
  /** Signed into the Microsoft Authenticator app with this account (non-interactive sign-ins to its appId). */
  authenticatorAppSignedIn: boolean;
  /** Multiplier on the routine sign-in rates (people differ). */
  activity: number;
  /** The report spells FIDO2 both ways across doc versions; the generator uses both. */
  fido2ReportName: 'fido2SecurityKey' | 'fido2';
  /** Scripted events, newest first. */
  audits: AuditBeat[];
  signIns: SignInBeat[];
  /** The routine `nag` interrupts stop here (the user registered a method in the rollout: rollout.ts). */
  nagUntil?: number;
  /** What the rollout (rollout.ts) changed about the member since the tenant's first day; absent if nothing. */
  rollout?: RolloutState;
}

/** A member's change of state during the rollout (rollout.ts), and the verdict it leads to. */
export type RolloutChange =
  | 'registered-authenticator'
  | 'abandoned-registration'
  | 'finished-verification'
  | 'helpdesk-fixed-loop'
  | 'changed-phone'
  | 'deleted-phone'
  | 'joined';

export interface RolloutState {
  change: RolloutChange;
  /** When the change happened (its first event). */
  at: number;
  verdict: 'ready' | 'unverified' | 'not-registered';
  confidence: 'registered' | null;
  weak: boolean;
}

/** The time frame every builder and renderer works in. */
export interface Clock {
  /** collectedAt. */
  now: number;
  /** When the registration report was last refreshed (a few hours before now). */
  reportAt: number;
  /** Oldest audit event still retained (P1/P2: 30 days). */
  auditFrom: number;
  /** Oldest sign-in in the generated window. */
  signInFrom: number;
}
