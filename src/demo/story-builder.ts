/**
 * Helpers persona builders use to give a member methods *and* the trail those methods leave: a
 * registration adds the method fact and, in the same call, the audit events and sign-ins Entra would
 * have written for it. That is how the methods list, the report, the audit log and the sign-in log
 * stay consistent with each other.
 *
 * The event sequences follow the half-finished registration of test/fixtures/incidents/incident-1 and https://learn.microsoft.com/entra/identity/authentication/howto-registration-mfa-sspr-combined-troubleshoot: an Authenticator
 * registration is an `Update user` by "Azure MFA StrongAuthenticationService" adding the device to
 * StrongAuthenticationPhoneAppDetail (QR code scanned), "User started security info registration",
 * an `Update user` by the user setting StrongAuthenticationMethod (test notification approved), and
 * "User registered security info" — all within a minute. An abandoned one stops after the first.
 */
import { APPS, AUTHENTICATOR_VERSIONS, FIDO2_MODELS, PHONE_MODELS } from './catalog.js';
import type { SignInApp } from './catalog.js';
import type {
  AuditBeat,
  AuthenticatorFact,
  Clock,
  DeviceSnapshot,
  GroupKey,
  Member,
  MfaMethodName,
  SignInBeat,
  SignInKind,
  StrongAuthEntry,
} from './model.js';
import type { Random } from './random.js';
import { DAY, HOUR, MINUTE, SECOND } from './time.js';

/** An audit beat before it gets its seed (Omit applied to each member of the union). */
type AuditInput = AuditBeat extends infer B ? (B extends AuditBeat ? Omit<B, 'seed'> : never) : never;

/** Reason strings of the "Authentication Methods" service for the Authenticator (test/fixtures/incidents/incident-1). */
export const AUTHENTICATOR_METHOD_NAME = 'Authenticator App with Notification and Code';
export const PHONE_METHOD_NAME = 'Mobile Phone SMS';

/** StrongAuthenticationMethod after an Authenticator registration (6 = notification default, 7 = code). */
export const APP_METHODS: readonly StrongAuthEntry[] = [
  { type: 'PhoneAppNotification', isDefault: true },
  { type: 'PhoneAppOTP', isDefault: false },
];
/** StrongAuthenticationMethod after a mobile phone registration (1 = SMS default, 0 = voice). */
export const PHONE_METHODS: readonly StrongAuthEntry[] = [
  { type: 'TwoWaySms', isDefault: true },
  { type: 'TwoWayVoiceMobile', isDefault: false },
];

export class StoryBuilder {
  constructor(
    readonly member: Member,
    readonly rng: Random,
    readonly clock: Clock,
  ) {}

  // ---- time ----------------------------------------------------------------------------------

  /** A moment in [from, to), moved into office hours (07–18 UTC) of its day when that stays in range. */
  officeTime(from: number, to: number): number {
    if (to <= from) return from;
    const t = this.rng.between(from, to);
    const dayStart = Math.floor(t / DAY) * DAY;
    const moved = dayStart + this.rng.between(7 * HOUR, 18 * HOUR);
    return moved >= from && moved < to ? Math.floor(moved) : Math.floor(t);
  }

  /** A time long before the audit window (the evidence has aged out), after the account existed. */
  longAgo(): number {
    const latest = this.clock.auditFrom - 5 * DAY;
    const earliest = Math.min(latest - DAY, this.member.createdAt + DAY);
    return this.officeTime(Math.max(this.member.createdAt + HOUR, earliest - 600 * DAY), latest);
  }

  // ---- beats ---------------------------------------------------------------------------------

  audit(beat: AuditInput): void {
    this.member.audits.push({ ...beat, seed: this.rng.u32() } as AuditBeat);
  }

  signIn(at: number, kind: SignInKind, app: SignInApp, interactive = true, method?: MfaMethodName): void {
    const beat: SignInBeat = { at: Math.floor(at), seed: this.rng.u32(), kind, app, interactive };
    if (method !== undefined) beat.method = method;
    this.member.signIns.push(beat);
  }

  joinGroup(group: GroupKey, at: number | null, by: 'sync' | 'admin' = 'sync'): void {
    if (!this.member.groups.includes(group)) this.member.groups.push(group);
    if (at !== null) this.audit({ type: 'groupMember', at, group, change: 'add', by });
  }

  leaveGroup(group: GroupKey, at: number, by: 'sync' | 'admin' = 'sync'): void {
    this.member.groups = this.member.groups.filter((g) => g !== group);
    this.audit({ type: 'groupMember', at, group, change: 'remove', by });
  }

  // ---- methods -------------------------------------------------------------------------------

  newAuthenticator(
    addedAt: number,
    verifiedAt: number | null,
    device = this.rng.pick(PHONE_MODELS),
    version: string = this.rng.pick(AUTHENTICATOR_VERSIONS),
  ): AuthenticatorFact {
    const fact: AuthenticatorFact = {
      kind: 'authenticator',
      id: this.rng.uuid(),
      device,
      deviceToken:
        device.platform === 'ios'
          ? `apns2-${this.rng.hex(64)}`
          : `fcm-${this.rng.base64url(22)}:${this.rng.base64url(80)}`,
      version,
      tag: 'SoftwareTokenActivated',
      addedAt: Math.floor(addedAt),
      verifiedAt: verifiedAt === null ? null : Math.floor(verifiedAt),
      passwordless: false,
    };
    this.member.methods.push(fact);
    return fact;
  }

  /** An Authenticator registered and completed before the audit window: no trail left. */
  oldAuthenticator(): AuthenticatorFact {
    const at = this.longAgo();
    const fact = this.newAuthenticator(at, at + 25 * SECOND);
    // About one in five also set up passwordless phone sign-in, which is when Graph fills createdDateTime.
    if (this.rng.chance(0.2)) {
      fact.passwordless = true;
      fact.tag = '';
    }
    return fact;
  }

  /**
   * Registers an Authenticator at `at` the way the security-info page does, leaving the audit trail.
   * `outcome`: `completed` (all four events), `abandoned` (QR scanned, browser closed: only the
   * PhoneAppDetail update, sometimes "started" too), `cancelled` (interrupt-mode registration the
   * user cancelled). `interrupt`: it happened inside a sign-in interrupt (50079), not on My Sign-ins.
   */
  registerAuthenticator(
    at: number,
    outcome: 'completed' | 'abandoned' | 'cancelled',
    options: {
      interrupt?: boolean;
      numeric?: boolean;
      device?: AuthenticatorFact['device'];
      version?: string;
      /** Write "User started security info registration" (default: always, except half the abandoned ones). */
      started?: boolean;
      /** Write the sign-in that led to the registration page (default true). */
      signIn?: boolean;
    } = {},
  ): AuthenticatorFact {
    const t = Math.floor(at);
    const existing = this.activeAuthenticators(t).map((f) => this.snapshot(f, t - this.rng.int(1, 20) * DAY));
    const completedAt = t + 24 * SECOND + this.rng.int(0, 3000);
    const fact = this.newAuthenticator(
      t,
      outcome === 'completed' ? completedAt : null,
      options.device,
      options.version,
    );
    const interrupt = options.interrupt ?? outcome === 'cancelled';

    if (options.signIn ?? true) {
      if (interrupt) this.signIn(t - 35 * SECOND, 'interrupt50079', APPS.officeHome);
      else this.signIn(t - 40 * SECOND, 'single', APPS.mySignins);
    }
    this.audit({
      type: 'phoneAppDetail',
      at: t,
      before: existing,
      after: [...existing, this.snapshot(fact, t)],
    });
    const started = options.started ?? (outcome !== 'abandoned' || this.rng.chance(0.5));
    if (started) {
      this.audit({
        type: 'securityInfo',
        at: t + 6 * SECOND + this.rng.int(0, 2000),
        activity: 'User started security info registration',
        result: 'success',
        reason: `User started the registration for ${AUTHENTICATOR_METHOD_NAME}`,
      });
    }
    if (outcome === 'completed') {
      // A second Authenticator does not change the method types, so StrongAuthenticationMethod is only
      // written for the first one.
      if (existing.length === 0) {
        this.audit({
          type: 'strongAuthMethods',
          at: completedAt - 1000,
          before: this.strongAuthBefore(t),
          after: [...this.strongAuthBefore(t).map((e) => ({ ...e, isDefault: false })), ...APP_METHODS],
          numeric: options.numeric ?? this.rng.chance(0.5),
        });
      }
      this.audit({
        type: 'securityInfo',
        at: completedAt,
        activity: 'User registered security info',
        result: 'success',
        reason: `User registered ${AUTHENTICATOR_METHOD_NAME}`,
      });
      if (interrupt) {
        this.audit({
          type: 'securityInfo',
          at: completedAt + 15 * SECOND,
          activity: 'User registered all required security info',
          result: 'success',
          reason: 'User registered all required security info.',
        });
      }
    } else if (outcome === 'cancelled') {
      this.audit({
        type: 'securityInfo',
        at: t + 70 * SECOND + this.rng.int(0, 20000),
        activity: 'User registered all required security info',
        result: 'failure',
        reason: 'User canceled security info registration.',
      });
    }
    return fact;
  }

  /** Removes an Authenticator through the security-info page: the delete event and the PhoneAppDetail update. */
  deleteAuthenticator(fact: AuthenticatorFact, at: number): void {
    const t = Math.floor(at);
    const before = this.activeAuthenticators(t).map((f) => this.snapshot(f, t - HOUR));
    fact.removedAt = t;
    this.audit({
      type: 'securityInfo',
      at: t,
      activity: 'User deleted security info',
      result: 'success',
      reason: `User deleted ${AUTHENTICATOR_METHOD_NAME}`,
    });
    this.audit({
      type: 'phoneAppDetail',
      at: t + 800,
      before,
      after: before.filter((d) => d.fact !== fact),
    });
  }

  addPhone(slot: 'mobile' | 'alternateMobile' | 'office', addedAt: number): void {
    this.member.methods.push({
      kind: 'phone',
      slot,
      number: this.phoneNumber(slot),
      addedAt: Math.floor(addedAt),
    });
  }

  /** Deletes the mobile phone through the security-info page (the Core Directory side clears StrongAuthenticationMethod). */
  deleteMobilePhone(at: number): void {
    const t = Math.floor(at);
    const phone = this.member.methods.find((m) => m.kind === 'phone' && m.slot === 'mobile');
    if (phone === undefined || phone.kind !== 'phone') throw new Error('no mobile phone to delete');
    phone.removedAt = t;
    this.audit({
      type: 'securityInfo',
      at: t,
      activity: 'User deleted security info',
      result: 'success',
      reason: `User deleted ${PHONE_METHOD_NAME}`,
    });
    this.audit({
      type: 'strongAuthMethods',
      at: t + 900,
      before: [...PHONE_METHODS],
      after: [],
      numeric: this.rng.chance(0.5),
    });
    this.audit({ type: 'strongAuthUserDetails', at: t + 950, beforePhone: phone.number, afterPhone: null });
  }

  addFido2(addedAt: number): void {
    this.member.methods.push({
      kind: 'fido2',
      id: `${this.rng.base64url(22)}2`,
      model: this.rng.pick(FIDO2_MODELS),
      certificate: this.rng.hex(40),
      addedAt: Math.floor(addedAt),
    });
  }

  addWindowsHello(addedAt: number): void {
    this.member.methods.push({
      kind: 'whfb',
      id: this.rng.uuid(),
      deviceName: `CON-${this.rng.upper(2)}${this.rng.digits(5)}`,
      addedAt: Math.floor(addedAt),
    });
  }

  addSoftwareOath(addedAt: number): void {
    this.member.methods.push({ kind: 'softwareOath', id: this.rng.uuid(), addedAt: Math.floor(addedAt) });
  }

  addEmail(addedAt: number): void {
    const local = this.member.upn.split('@')[0] ?? 'user';
    this.member.methods.push({
      kind: 'email',
      address: `${local}@outlook.example`,
      addedAt: Math.floor(addedAt),
    });
  }

  /** A Temporary Access Pass created by the helpdesk at `createdAt`. */
  addTap(createdAt: number, lifetimeMinutes: number): void {
    this.member.methods.push({
      kind: 'tap',
      id: this.rng.uuid(),
      addedAt: Math.floor(createdAt),
      startAt: Math.floor(createdAt),
      lifetimeMinutes,
      isUsableOnce: false,
    });
  }

  // ---- sign-in stories -----------------------------------------------------------------------

  /** Earliest time a story sign-in may have: inside the window, and after the account existed. */
  private signInStart(after: number): number {
    return Math.max(after, this.clock.signInFrom, this.member.createdAt + HOUR);
  }

  /** `count` successful MFA sign-ins inside the sign-in window, so the user is provably able to do MFA. */
  proveMfa(count: number, method: MfaMethodName, after = this.clock.signInFrom): void {
    const from = this.signInStart(after);
    for (let i = 0; i < count; i++) {
      const app =
        this.member.isAdmin && this.rng.chance(0.5)
          ? APPS.azurePortal
          : this.rng.pick([APPS.exchange, APPS.officeHome, APPS.teams]);
      this.signIn(this.officeTime(from, this.clock.now - 10 * MINUTE), 'mfa', app, true, method);
    }
  }

  /** Sign-ins where AD FS did the MFA and Entra accepted its claim. */
  proveFederatedMfa(count: number, after = this.clock.signInFrom): void {
    const from = this.signInStart(after);
    for (let i = 0; i < count; i++) {
      this.signIn(
        this.officeTime(from, this.clock.now - 10 * MINUTE),
        'mfaClaimExternal',
        this.rng.pick([APPS.exchange, APPS.officeHome]),
      );
    }
  }

  /** Non-interactive sign-ins to the Microsoft Authenticator app (the app is signed in with this account). */
  authenticatorAppSignIns(count: number, from = this.clock.signInFrom, to = this.clock.now): void {
    this.member.authenticatorAppSignedIn = true;
    const start = this.signInStart(from);
    for (let i = 0; i < count; i++)
      this.signIn(this.rng.between(start, Math.max(start + 1, to)), 'single', APPS.authenticator, false);
  }

  /**
   * Incident 2's loop: AD FS says "register MFA" and redirects to the security-info page, which needs
   * MFA and sends the user back. Entra sees sign-ins to My Signins that succeed, and the odd
   * registration interrupt — `rounds` of them over about ten minutes starting at `at`.
   */
  registrationLoop(at: number, rounds: number): number {
    let t = Math.floor(at);
    for (let i = 0; i < rounds; i++) {
      if (i > 0 && this.rng.chance(0.35))
        this.signIn(
          t - 20 * SECOND,
          this.rng.chance(0.5) ? 'interrupt50072' : 'interrupt50079',
          APPS.officeHome,
        );
      this.signIn(t, 'single', APPS.mySignins);
      t += this.rng.int(70, 150) * SECOND;
    }
    return t;
  }

  // ---- helpers -------------------------------------------------------------------------------

  activeAuthenticators(at: number): AuthenticatorFact[] {
    return this.member.methods.filter(
      (m): m is AuthenticatorFact =>
        m.kind === 'authenticator' && m.addedAt < at && (m.removedAt === undefined || m.removedAt > at),
    );
  }

  private strongAuthBefore(at: number): StrongAuthEntry[] {
    const hasPhone = this.member.methods.some(
      (m) =>
        m.kind === 'phone' &&
        m.slot === 'mobile' &&
        m.addedAt < at &&
        (m.removedAt === undefined || m.removedAt > at),
    );
    return hasPhone ? PHONE_METHODS.map((e) => ({ ...e })) : [];
  }

  private snapshot(fact: AuthenticatorFact, lastAuthenticatedAt: number): DeviceSnapshot {
    return {
      fact,
      version: fact.version,
      lastAuthenticatedAt: Math.max(fact.addedAt, Math.floor(lastAuthenticatedAt)),
    };
  }

  /** Fictional numbers only: UK 07700 900xxx (Ofcom drama range) and US 555-01xx. */
  private phoneNumber(slot: 'mobile' | 'alternateMobile' | 'office'): string {
    if (slot === 'office') return `+44 1632 960${this.rng.digits(3)}`;
    return this.rng.chance(0.7) ? `+44 7700 900${this.rng.digits(3)}` : `+1 2025550${this.rng.int(100, 199)}`;
  }
}
