/**
 * One builder per persona: gives a member its methods, groups, sign-in profile and scripted story.
 * The evidence each persona ends up with, and the verdict the spec implies for it, are tabled in
 * personas.ts; the comments here say why a builder does what it does.
 *
 * Rules every builder keeps, so that no persona slips into a verdict it was not meant to have:
 * - Evidence that decides a verdict is placed inside the window it must be seen in (registrations
 *   inside the audit window, proof sign-ins inside the sign-in window, "now" loops within 24 h).
 * - Users who cannot do MFA never get an MFA success, and never more than two registration-type
 *   sign-ins within 15 minutes unless they are meant to be looping (the routine "nag" interrupt is
 *   at most one a day, and is off for personas whose story already has registration sign-ins).
 */
import type { Member } from './model.js';
import type { PersonaKind } from './personas.js';
import type { StoryBuilder } from './story-builder.js';
import { DAY, HOUR, MINUTE } from './time.js';

/** Where a persona's account comes from; decides its domain, sync state and base groups (cast.ts). */
export type Population =
  'staff' | 'staff-federated' | 'staff-cloud' | 'student' | 'admin' | 'guest' | 'test' | 'break-glass';

export function populationOf(kind: PersonaKind, chance: (p: number) => boolean): Population {
  switch (kind) {
    case 'ready-student-graduated':
    case 'ready-after-past-loop':
    case 'not-registered-student-new-batch':
    case 'loop-risk-past-loop':
    case 'looping-now':
      return 'student';
    case 'loop-risk-app-signed-in':
      return chance(0.7) ? 'student' : 'staff-cloud';
    case 'ready-federated-claim':
      return 'staff-federated';
    case 'ready-admin':
    case 'ready-admin-phone-only':
      return 'admin';
    case 'excluded-guest':
      return 'guest';
    case 'incident1-mfatest1':
    case 'incident1-mfatest2':
      return 'test';
    case 'break-glass':
      return 'break-glass';
    default:
      return 'staff';
  }
}

type Builder = (b: StoryBuilder) => void;

const between = (b: StoryBuilder, from: number, to: number): number =>
  Math.floor(b.rng.between(from, Math.max(from, to)));

/** A student of a weekly batch created `minDays`–`maxDays` ago, added to both AD groups on day one. */
function batchStudent(b: StoryBuilder, minDays: number, maxDays: number): number {
  const m = b.member;
  m.createdAt = b.clock.now - Math.floor(b.rng.between(minDays, maxDays) * DAY);
  b.joinGroup('mfaRequired', m.createdAt + 12 * MINUTE);
  b.joinGroup('proofUpBypass', m.createdAt + 12 * MINUTE);
  return m.createdAt;
}

/** A loop start that is at least `minAgo` old, inside the sign-in window; null when the window is too short. */
function pastLoopStart(b: StoryBuilder, minAgo: number): number | null {
  const from = b.clock.signInFrom + 8 * HOUR;
  const to = b.clock.now - minAgo;
  return to > from ? b.officeTime(from, to) : null;
}

const BUILDERS: Record<PersonaKind, Builder> = {
  'ready-authenticator-proven': (b) => {
    b.oldAuthenticator();
    b.member.preferred = 'push';
    b.member.signInProfile = 'mfa';
    b.member.mfaMethod = b.rng.chance(0.1) ? 'OATH verification code' : 'Mobile app notification';
    b.proveMfa(b.rng.int(1, 2), b.member.mfaMethod);
    if (b.rng.chance(0.25)) b.authenticatorAppSignIns(1);
  },
  'ready-authenticator-reported': (b) => {
    b.oldAuthenticator();
    b.member.preferred = 'push';
    if (b.rng.chance(0.2)) b.authenticatorAppSignIns(1);
  },
  'ready-authenticator-registered': (b) => {
    const at = b.officeTime(b.clock.auditFrom + DAY, b.clock.reportAt - HOUR);
    b.registerAuthenticator(at, 'completed', { interrupt: b.rng.chance(0.3) });
    b.member.preferred = 'push';
  },
  'ready-authenticator-phone': (b) => {
    b.addPhone('mobile', b.longAgo());
    b.oldAuthenticator();
    const push = b.rng.chance(0.6);
    b.member.preferred = push ? 'push' : 'sms';
    b.member.signInProfile = 'mfa';
    b.member.mfaMethod = push ? 'Mobile app notification' : 'Text message';
    b.proveMfa(b.rng.int(1, 2), b.member.mfaMethod);
  },
  'ready-phone-only': (b) => {
    b.addPhone('mobile', b.longAgo());
    if (b.rng.chance(0.3)) b.addPhone('office', b.longAgo());
    b.member.preferred = 'sms';
    b.member.signInProfile = 'mfa';
    b.member.mfaMethod = 'Text message';
    b.proveMfa(b.rng.int(1, 2), 'Text message');
  },
  'ready-phone-only-reported': (b) => {
    b.addPhone('mobile', b.longAgo());
    b.member.preferred = b.rng.chance(0.8) ? 'sms' : 'voiceMobile';
  },
  'ready-fido2': (b) => {
    b.joinGroup('fido2Users', null);
    b.addFido2(b.longAgo());
    b.oldAuthenticator();
    b.member.preferred = 'push';
    b.member.signInProfile = 'mfa';
    b.member.mfaMethod = 'FIDO2 security key';
    b.proveMfa(b.rng.int(1, 2), 'FIDO2 security key');
  },
  'ready-whfb': (b) => {
    b.addWindowsHello(b.longAgo());
    b.oldAuthenticator();
    b.member.preferred = 'push';
    b.member.signInProfile = 'mfa';
    b.member.mfaMethod = 'Windows Hello for Business';
    b.proveMfa(b.rng.int(1, 2), 'Windows Hello for Business');
  },
  'ready-federated-claim': (b) => {
    // AD FS asks this group for a smart card; Entra never sees a method, only the MFA claim.
    b.joinGroup('staffSmartcard', null);
    if (b.rng.chance(0.4)) b.addEmail(b.longAgo());
    b.member.signInProfile = 'claim-external';
    b.proveFederatedMfa(b.rng.int(1, 2));
  },
  'ready-student-graduated': (b) => {
    batchStudent(b, 25, 120);
    const registeredAt = b.officeTime(
      Math.max(b.member.createdAt + DAY, b.clock.auditFrom + DAY),
      b.clock.now - 4 * DAY,
    );
    b.registerAuthenticator(registeredAt, 'completed');
    const graduatedAt = Math.min(registeredAt + Math.floor(b.rng.between(1, 3) * DAY), b.clock.now - HOUR);
    b.leaveGroup('proofUpBypass', graduatedAt);
    b.member.mfaSince = graduatedAt; // in the bypass group until then, so AD FS asked for no MFA
    b.member.preferred = 'push';
    b.member.signInProfile = 'claim-external';
    b.proveFederatedMfa(b.rng.int(1, 2), graduatedAt);
    if (b.rng.chance(0.6)) b.authenticatorAppSignIns(1);
  },
  'ready-authenticator-and-oath': (b) => {
    b.oldAuthenticator();
    b.addSoftwareOath(b.longAgo());
    b.member.preferred = 'push';
  },
  'ready-report-lag': (b) => {
    // Registered after the report's last refresh: the report still says "not registered".
    b.registerAuthenticator(
      between(b, b.clock.reportAt + 10 * MINUTE, b.clock.now - 10 * MINUTE),
      'completed',
    );
    b.member.preferred = 'push';
  },
  'ready-changed-phone': (b) => {
    const old = b.oldAuthenticator();
    const at = b.officeTime(b.clock.auditFrom + DAY, b.clock.now - DAY);
    b.registerAuthenticator(at, 'completed');
    b.deleteAuthenticator(old, at + 3 * MINUTE + b.rng.int(0, 60_000));
    b.member.preferred = 'push';
  },
  'ready-after-past-loop': (b) => {
    batchStudent(b, 20, 90);
    const loopAt = pastLoopStart(b, 40 * HOUR);
    let registerFrom = b.clock.auditFrom + DAY;
    if (loopAt !== null) {
      b.authenticatorAppSignIns(b.rng.int(1, 2), b.clock.signInFrom, loopAt);
      b.leaveGroup('proofUpBypass', loopAt - between(b, HOUR, 6 * HOUR)); // taken out of the bypass too early
      const loopEnd = b.registrationLoop(loopAt, b.rng.int(3, 6));
      b.joinGroup('proofUpBypass', loopEnd + between(b, HOUR, 3 * HOUR)); // the helpdesk puts them back
      registerFrom = loopEnd + 4 * HOUR;
    } else {
      b.authenticatorAppSignIns(1);
    }
    b.registerAuthenticator(
      b.officeTime(registerFrom, Math.max(registerFrom + HOUR, b.clock.reportAt - HOUR)),
      'completed',
    );
    b.member.preferred = 'push';
  },
  'ready-admin': (b) => {
    b.member.isAdmin = true;
    b.joinGroup('itAdmins', null);
    b.joinGroup('fido2Users', null);
    b.addFido2(b.longAgo());
    b.oldAuthenticator();
    b.member.preferred = 'push';
    b.member.signInProfile = 'mfa';
    b.member.mfaMethod = b.rng.chance(0.5) ? 'FIDO2 security key' : 'Mobile app notification';
    b.proveMfa(b.rng.int(2, 3), b.member.mfaMethod);
  },
  'ready-admin-phone-only': (b) => {
    b.member.isAdmin = true;
    b.joinGroup('itAdmins', null);
    b.addPhone('mobile', b.longAgo());
    b.member.preferred = 'sms';
    b.member.signInProfile = 'mfa';
    b.member.mfaMethod = 'Text message';
    b.proveMfa(b.rng.int(2, 3), 'Text message');
  },
  'incident1-mfatest1': (b) => {
    // the half-finished registration (test/fixtures/incidents/incident-1): the four events within one minute; MethodType as numbers, as described.
    b.registerAuthenticator(incidentTime(b, 10 * HOUR + 14 * MINUTE + 5_000), 'completed', {
      numeric: true,
      device: { name: 'iPhone 14 Pro Max', platform: 'ios' },
      version: '6.7.12',
      started: true,
    });
    b.member.preferred = 'push';
  },
  'incident1-mfatest2': (b) => {
    // the half-finished registration (test/fixtures/incidents/incident-1): QR code scanned, browser closed before the test notification. One
    // `Update user` by the StrongAuthenticationService and nothing after it.
    b.registerAuthenticator(incidentTime(b, 10 * HOUR + 21 * MINUTE + 40_000), 'abandoned', {
      device: { name: 'iPhone 14 Pro Max', platform: 'ios' },
      version: '6.7.12',
      started: false,
    });
  },
  'break-glass': (b) => {
    b.member.isAdmin = true;
    b.joinGroup('breakGlass', null);
    b.joinGroup('fido2Users', null);
    b.addFido2(b.longAgo());
    b.member.activity = 0; // never used day to day
  },
  'unverified-abandoned': (b) => {
    b.registerAuthenticator(b.officeTime(b.clock.auditFrom + DAY, b.clock.now - DAY), 'abandoned');
  },
  'unverified-cancelled': (b) => {
    b.registerAuthenticator(b.officeTime(b.clock.auditFrom + DAY, b.clock.now - DAY), 'cancelled');
  },
  'unverified-no-audit': (b) => {
    const at = b.longAgo();
    b.newAuthenticator(at, null);
    b.member.nag = true;
  },
  'policy-blocked-oath': (b) => {
    b.addSoftwareOath(b.longAgo());
    b.member.preferred = 'oath';
    b.member.nag = true;
  },
  'policy-blocked-fido2': (b) => {
    b.addFido2(b.longAgo()); // not in the FIDO2 group the policy targets
    b.member.nag = true;
  },
  'not-registered-password-only': (b) => {
    b.member.nag = true;
  },
  'not-registered-email': (b) => {
    b.addEmail(b.longAgo());
    b.member.nag = true;
  },
  'not-registered-tap': (b) => {
    // A new hire with a three-day pass from the helpdesk, not used yet.
    b.member.createdAt = b.clock.now - between(b, DAY, 2.5 * DAY);
    b.addTap(b.member.createdAt + 20 * MINUTE, 4320);
  },
  'not-registered-tap-expired': (b) => {
    b.addTap(b.clock.now - between(b, 10 * DAY, 40 * DAY), 480);
    b.member.nag = true;
  },
  'not-registered-deleted-after-report': (b) => {
    b.addPhone('mobile', b.longAgo());
    b.member.preferred = 'sms';
    b.deleteMobilePhone(between(b, b.clock.reportAt + 10 * MINUTE, b.clock.now - 10 * MINUTE));
  },
  'not-registered-student-new-batch': (b) => {
    batchStudent(b, 1, 6);
  },
  'not-registered-new-not-in-report': (b) => {
    b.member.createdAt = between(b, b.clock.reportAt + 5 * MINUTE, b.clock.now - 20 * MINUTE);
    if (b.rng.chance(0.5)) b.addTap(b.member.createdAt + 5 * MINUTE, 480);
  },
  'loop-risk-app-signed-in': (b) => {
    if (b.member.student) batchStudent(b, 2, 6);
    else b.member.nag = true;
    b.authenticatorAppSignIns(b.rng.int(1, 3));
  },
  'loop-risk-past-loop': (b) => {
    batchStudent(b, 15, 60);
    const loopAt = pastLoopStart(b, 30 * HOUR);
    if (loopAt !== null) {
      b.authenticatorAppSignIns(b.rng.int(1, 2), b.clock.signInFrom, loopAt);
      b.leaveGroup('proofUpBypass', loopAt - between(b, HOUR, 6 * HOUR));
      const loopEnd = b.registrationLoop(loopAt, b.rng.int(3, 5));
      b.joinGroup('proofUpBypass', loopEnd + between(b, HOUR, 4 * HOUR));
    } else {
      b.authenticatorAppSignIns(1);
    }
  },
  'looping-now': (b) => {
    batchStudent(b, 10, 60);
    b.leaveGroup('proofUpBypass', b.clock.now - between(b, DAY, 5 * DAY)); // graduated before registering
    const loopAt = between(b, b.clock.now - 20 * HOUR, b.clock.now - 40 * MINUTE);
    b.authenticatorAppSignIns(b.rng.int(1, 3), b.clock.signInFrom, loopAt);
    b.registrationLoop(loopAt, b.rng.int(3, 6));
  },
  'excluded-disabled': (b) => {
    b.member.enabled = false;
    b.member.signInProfile = 'disabled';
    if (b.rng.chance(0.5)) b.oldAuthenticator();
    if (b.rng.chance(0.2)) b.addPhone('mobile', b.longAgo());
  },
  'excluded-guest': (b) => {
    b.member.signInProfile = 'guest';
  },
};

/** Incident 1 happened two days before collection, at the given time of day (UTC). */
function incidentTime(b: StoryBuilder, timeOfDay: number): number {
  const day = Math.floor((b.clock.now - 2 * DAY) / DAY) * DAY;
  b.member.createdAt = Math.min(b.member.createdAt, day - DAY + 15 * HOUR);
  return day + timeOfDay;
}

export function buildPersona(kind: PersonaKind, b: StoryBuilder): void {
  BUILDERS[kind](b);
  finish(b.member);
}

/** Newest first, as Graph lists events; ties keep a fixed order (by seed) so output is stable. */
function finish(m: Member): void {
  m.audits.sort((x, y) => y.at - x.at || y.seed - x.seed);
  m.signIns.sort((x, y) => y.at - x.at || y.seed - x.seed);
}
