/**
 * Routine activity: the everyday sign-ins and directory changes that surround the stories. Each stream
 * is a Poisson process per member whose events are drawn per (member, stream, hour or day) from a keyed
 * random stream, so any time window of any one user can be regenerated on its own, identically — the
 * emulator can answer `createdDateTime ge X and le Y` without generating the rest of the month.
 *
 * Routine events never change a verdict: a member's everyday sign-ins follow its `signInProfile`
 * (only members meant to be `proven` see MFA; registration interrupts are at most one a day, so they
 * can never form a loop), and audit noise is what the rules must ignore (Authenticator version bumps
 * on an existing device Id, password changes, sync updates, group changes).
 */
import { AUTHENTICATOR_VERSIONS, APPS, BACKGROUND_APPS, INTERACTIVE_APPS } from './catalog.js';
import type { SignInApp } from './catalog.js';
import { DEPARTMENT_GROUPS } from './directory-objects.js';
import type { AuditBeat, AuthenticatorFact, Member, SignInBeat, SignInKind } from './model.js';
import type { Random } from './random.js';
import { DAY } from './time.js';
import type { VolumeOptions } from './volume.js';

export interface RoutineStream<B> {
  /** Part of every PRNG key of this stream; never reuse or renumber (output would change). */
  key: number;
  /** `day`: at most one event per UTC day (lone interrupts, audit noise). */
  granularity: 'hour' | 'day';
  ratePerDay(m: Member, v: VolumeOptions): number;
  /** For sign-in queries: the stream's events are all (non-)interactive / only to these apps. */
  interactive?: boolean;
  appIds?: readonly string[];
  /** The beat at `at`, or null when the member has nothing to log then. `seed` is filled by the caller. */
  make(m: Member, rng: Random, at: number): Omit<B, 'seed'> | null;
}

type SignInInput = Omit<SignInBeat, 'seed'>;

const signIn = (
  at: number,
  kind: SignInKind,
  app: SignInApp,
  interactive: boolean,
  method?: SignInBeat['method'],
): SignInInput =>
  method === undefined ? { at, kind, app, interactive } : { at, kind, app, interactive, method };

function interactiveSignIn(m: Member, rng: Random, at: number): SignInInput {
  const app = m.isAdmin && rng.chance(0.2) ? APPS.azurePortal : rng.pick(INTERACTIVE_APPS);
  const cloudPassword = !m.federated && m.userType === 'Member';
  const r = rng.next();
  switch (m.signInProfile) {
    case 'disabled':
      return signIn(at, 'disabled50057', app, true);
    case 'guest':
      return signIn(at, 'single', rng.pick([APPS.exchange, APPS.teams, APPS.officeHome]), true);
    case 'claim-external':
      return signIn(at, at >= m.mfaSince && r < 0.35 ? 'mfaClaimExternal' : 'single', app, true);
    case 'single':
      return signIn(at, cloudPassword && r < 0.03 ? 'badPassword50126' : 'single', app, true);
    case 'mfa': {
      if (at < m.mfaSince) return signIn(at, 'single', app, true);
      // Admins meet CA001 on every sign-in; everyone else only off the trusted network (CA003).
      if (!m.isAdmin && r >= 0.3)
        return signIn(at, cloudPassword && r > 0.97 ? 'badPassword50126' : 'single', app, true);
      const outcome = rng.weighted<SignInKind>([
        ['mfa', 85],
        ['mfaClaimToken', 5],
        ['mfaDenied500121', 4],
        ['mfaRequired50074', 3],
        ['mfaRequired50076', 3],
      ]);
      return signIn(at, outcome, app, true, m.mfaMethod);
    }
  }
}

function backgroundSignIn(m: Member, rng: Random, at: number): SignInInput {
  const app = rng.pick(BACKGROUND_APPS);
  if (rng.chance(0.02)) return signIn(at, 'grantExpired50173', app, false);
  const mfaSession =
    at >= m.mfaSince &&
    ((m.signInProfile === 'mfa' && rng.chance(0.3)) ||
      (m.signInProfile === 'claim-external' && rng.chance(0.2)));
  return signIn(at, mfaSession ? 'mfaClaimToken' : 'single', app, false);
}

const active = (m: Member) => m.enabled && m.userType === 'Member';

export const SIGN_IN_STREAMS: readonly RoutineStream<SignInBeat>[] = [
  {
    key: 101,
    granularity: 'hour',
    interactive: true,
    ratePerDay: (m, v) =>
      v.interactivePerUserPerDay *
      m.activity *
      (m.signInProfile === 'disabled' ? 0.1 : m.userType === 'Guest' ? 0.3 : 1),
    make: interactiveSignIn,
  },
  {
    key: 102,
    granularity: 'hour',
    interactive: false,
    appIds: BACKGROUND_APPS.map((a) => a.appId),
    ratePerDay: (m, v) => (active(m) ? v.nonInteractivePerUserPerDay * m.activity : 0),
    make: backgroundSignIn,
  },
  {
    key: 103,
    granularity: 'hour',
    interactive: false,
    appIds: [APPS.authenticator.appId],
    ratePerDay: (m, v) => (active(m) && m.authenticatorAppSignedIn ? v.authenticatorAppPerUserPerDay : 0),
    make: (_m, _rng, at) => signIn(at, 'single', APPS.authenticator, false),
  },
  {
    // Users who cannot do MFA meet CA003 off-site now and then: one lone interrupt, never a loop.
    key: 104,
    granularity: 'day',
    interactive: true,
    ratePerDay: (m) => (active(m) && m.nag ? 0.15 : 0),
    make: (m, rng, at) =>
      m.nagUntil !== undefined && at >= m.nagUntil
        ? null
        : signIn(
            at,
            rng.chance(0.7) ? 'interrupt50079' : 'interrupt50072',
            rng.pick([APPS.exchange, APPS.officeHome, APPS.teams]),
            true,
          ),
  },
];

type AuditInput = AuditBeat extends infer B ? (B extends AuditBeat ? Omit<B, 'seed'> : never) : never;

/** The devices in StrongAuthenticationPhoneAppDetail at `at`: every Authenticator added and not removed. */
function devicesAt(m: Member, at: number): AuthenticatorFact[] {
  return m.methods.filter(
    (f): f is AuthenticatorFact =>
      f.kind === 'authenticator' && f.addedAt < at && (f.removedAt === undefined || f.removedAt > at),
  );
}

/** Shares of `auditNoisePerUserPerDay` per kind of noise (a member only gets the kinds that apply to it). */
const NOISE_SHARE = { password: 0.2, sync: 0.4, authenticator: 0.3, group: 0.1 } as const;

export const AUDIT_STREAMS: readonly RoutineStream<AuditBeat>[] = [
  {
    // Synced users change passwords on-premises, which Entra does not audit.
    key: 201,
    granularity: 'day',
    ratePerDay: (m, v) => (active(m) && !m.synced ? v.auditNoisePerUserPerDay * NOISE_SHARE.password : 0),
    make: (_m, rng, at): AuditInput => ({
      type: 'password',
      at,
      how: rng.weighted([
        ['change', 40],
        ['selfServiceReset', 45],
        ['adminReset', 15],
      ] as const),
    }),
  },
  {
    key: 202,
    granularity: 'day',
    ratePerDay: (m, v) => (active(m) && m.synced ? v.auditNoisePerUserPerDay * NOISE_SHARE.sync : 0),
    make: (m, rng, at): AuditInput => ({
      type: 'syncUpdate',
      at,
      properties: [m.student ? 'TelephoneNumber' : rng.pick(['Department', 'JobTitle', 'TelephoneNumber'])],
    }),
  },
  {
    // Ordinary Authenticator use rewrites StrongAuthenticationPhoneAppDetail with the same device Id
    // (community capture, https://learn.microsoft.com/entra/identity/authentication/howto-registration-mfa-sspr-combined-troubleshoot): not a registration, and the rules must know it.
    key: 203,
    granularity: 'day',
    ratePerDay: (m, v) =>
      active(m) && m.methods.some((f) => f.kind === 'authenticator' && f.verifiedAt !== null)
        ? v.auditNoisePerUserPerDay * NOISE_SHARE.authenticator
        : 0,
    make: (m, rng, at): AuditInput | null => {
      const devices = devicesAt(m, at);
      const fact = devices.find((f) => f.verifiedAt !== null && f.verifiedAt < at);
      if (fact === undefined) return null;
      const i = AUTHENTICATOR_VERSIONS.indexOf(fact.version as (typeof AUTHENTICATOR_VERSIONS)[number]);
      const previous =
        rng.chance(0.3) && i > 0 ? (AUTHENTICATOR_VERSIONS[i - 1] ?? fact.version) : fact.version;
      const lastUse = Math.max(fact.verifiedAt ?? fact.addedAt, at - Math.floor(rng.between(1, 9) * DAY));
      // The whole attribute is rewritten: every device, the used one with a new version and timestamp.
      const others = (f: AuthenticatorFact) => ({
        fact: f,
        version: f.version,
        lastAuthenticatedAt: Math.max(f.addedAt, at - 20 * DAY),
      });
      return {
        type: 'phoneAppDetail',
        at,
        before: devices.map((f) =>
          f === fact ? { fact, version: previous, lastAuthenticatedAt: lastUse } : others(f),
        ),
        after: devices.map((f) =>
          f === fact ? { fact, version: fact.version, lastAuthenticatedAt: at - 400 } : others(f),
        ),
      };
    },
  },
  {
    key: 204,
    granularity: 'day',
    ratePerDay: (m, v) => (active(m) && !m.student ? v.auditNoisePerUserPerDay * NOISE_SHARE.group : 0),
    make: (m, _rng, at): AuditInput | null => {
      const group = m.groups.find((g) => DEPARTMENT_GROUPS.includes(g));
      return group === undefined ? null : { type: 'groupMember', at, group, change: 'add', by: 'admin' };
    },
  },
];
