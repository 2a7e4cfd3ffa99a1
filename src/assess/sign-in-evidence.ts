import type { Evidence } from '../domain/verdict.js';
import type { Fields } from './evidence.js';
import { evidence } from './evidence.js';
import type { RegistrationLoop } from './registration-loop.js';
import { findRegistrationLoop, isRegistrationSignIn } from './registration-loop.js';
import type { ClassifiedSignIn } from './sign-in-index.js';
import { DAY_MS, SIGN_IN_RETENTION_DAYS } from './time.js';

/** What a user's sign-ins show, reduced to what the verdict and the evidence trail need. */
export interface SignInSummary {
  /** MFA sign-ins (direct or by claim), oldest first. */
  proofs: ClassifiedSignIn[];
  /** Successful sign-ins to the Authenticator app, oldest first. */
  authenticatorApp: ClassifiedSignIn[];
  /** Registration interrupts and My Signins sign-ins, oldest first. */
  registration: ClassifiedSignIn[];
  loop?: RegistrationLoop;
}

/** Shared by users without evidence sign-ins: never mutated. */
const NO_SIGN_INS: SignInSummary = { proofs: [], authenticatorApp: [], registration: [] };

export function summariseSignIns(
  signIns: readonly ClassifiedSignIn[],
  lastRegistrationAt: number | undefined,
  now: number,
): SignInSummary {
  if (signIns.length === 0) return NO_SIGN_INS;
  const summary: SignInSummary = {
    proofs: signIns.filter((s) => s.facts.mfa !== undefined),
    authenticatorApp: signIns.filter((s) => s.facts.authenticatorApp),
    registration: signIns.filter(isRegistrationSignIn),
  };
  const loop = findRegistrationLoop(signIns, lastRegistrationAt, now);
  if (loop !== undefined) summary.loop = loop;
  return summary;
}

/** Whether a sign-in is recent enough to prove the user can do MFA today (not only that they once could). */
export function isWithinRetention(s: ClassifiedSignIn, now: number): boolean {
  return s.at >= now - SIGN_IN_RETENTION_DAYS * DAY_MS;
}

function baseFields(s: ClassifiedSignIn): Fields {
  const f: Fields = { appId: s.signIn.appId ?? null, errorCode: s.signIn.errorCode };
  if (s.signIn.appDisplayName !== undefined) f.appDisplayName = s.signIn.appDisplayName;
  if (s.signIn.isInteractive !== undefined) f.isInteractive = s.signIn.isInteractive;
  return f;
}

function proofEvidence(s: ClassifiedSignIn, count: number, now: number): Evidence {
  const { signIn } = s;
  const fields = baseFields(s);
  fields.count = count;
  fields.withinRetention = isWithinRetention(s, now);
  if (signIn.tokenIssuerType !== undefined) fields.tokenIssuerType = signIn.tokenIssuerType;
  const mfa = s.facts.mfa;
  if (mfa?.kind === 'claim') {
    fields.detail = mfa.detail;
    return {
      code: 'mfa-satisfied-by-claim',
      source: 'signIns',
      ref: signIn.id,
      at: signIn.createdDateTime,
      fields,
    };
  }
  if (mfa !== undefined && mfa.methods.length > 0) fields.authenticationMethod = mfa.methods.join(', ');
  return { code: 'mfa-sign-in', source: 'signIns', ref: signIn.id, at: signIn.createdDateTime, fields };
}

function registrationEvidence(s: ClassifiedSignIn): Evidence {
  const code = s.facts.registrationInterrupt ? 'registration-interrupt' : 'security-info-app-sign-in';
  return evidence(code, 'signIns', s.signIn.id, s.signIn.createdDateTime, baseFields(s));
}

function latest<T>(list: readonly T[]): T | undefined {
  return list[list.length - 1];
}

/**
 * The sign-in findings for one user. Only the telling sign-ins are cited, not every one: the latest
 * direct MFA and the latest claim (with counts), the sign-ins named in `alsoCite` (those that completed
 * an Authenticator registration), the latest Authenticator-app sign-in, and either every sign-in of the
 * current loop or the latest registration sign-in.
 */
export function signInEvidence(
  summary: SignInSummary,
  now: number,
  alsoCite: ReadonlySet<string>,
): Evidence[] {
  const out: Evidence[] = [];
  const direct = summary.proofs.filter((s) => s.facts.mfa?.kind === 'direct');
  const claims = summary.proofs.filter((s) => s.facts.mfa?.kind === 'claim');
  const cited = new Set<string>();
  for (const group of [direct, claims]) {
    const last = latest(group);
    if (last === undefined) continue;
    out.push(proofEvidence(last, group.length, now));
    cited.add(last.signIn.id);
  }
  for (const s of summary.proofs) {
    if (alsoCite.has(s.signIn.id) && !cited.has(s.signIn.id)) out.push(proofEvidence(s, 1, now));
  }

  const app = latest(summary.authenticatorApp);
  if (app !== undefined) {
    out.push(
      evidence('authenticator-app-sign-in', 'signIns', app.signIn.id, app.signIn.createdDateTime, {
        ...baseFields(app),
        count: summary.authenticatorApp.length,
      }),
    );
  }

  if (summary.loop !== undefined) {
    const loop = summary.loop.signIns;
    for (const s of loop) out.push(registrationEvidence(s));
    const first = loop[0]!;
    const last = loop[loop.length - 1]!;
    out.push(
      evidence('registration-loop', 'signIns', last.signIn.id, last.signIn.createdDateTime, {
        count: loop.length,
        firstAt: first.signIn.createdDateTime,
        lastAt: last.signIn.createdDateTime,
        signInIds: loop.map((s) => s.signIn.id),
        interrupts: loop.filter((s) => s.facts.registrationInterrupt).length,
        securityInfoSignIns: loop.filter((s) => s.facts.securityInfoApp).length,
      }),
    );
  } else {
    const last = latest(summary.registration);
    if (last !== undefined) out.push(registrationEvidence(last));
  }
  return out;
}
