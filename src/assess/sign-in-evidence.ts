import type { DomainInfo } from '../domain/tenant.js';
import type { Evidence, EvidenceFieldsByCode } from '../domain/verdict.js';
import type { Clock } from './clock.js';
import { evidence } from './evidence.js';
import { federationEvidence, rejectsFederatedMfa } from './federated-domains.js';
import { signInMethodKind } from './mfa-result.js';
import type { RegistrationLoop } from './registration-loop.js';
import { findRegistrationLoop, isRegistrationSignIn } from './registration-loop.js';
import type { ClassifiedSignIn } from './sign-in-index.js';
import {
  isAuthenticatorAppSignIn,
  isClaimProof,
  isDirectProof,
  isEarlierProof,
  isFederatedClaim,
  isMfaSkipped,
  isProof,
  isStrongDirectProof,
} from './sign-in-index.js';
import { DAY_MS, SIGN_IN_RETENTION_DAYS } from './time.js';

/** What a user's sign-ins show, reduced to what the verdict and the evidence trail need. */
export interface SignInSummary {
  /** MFA sign-ins (direct, by claim or done earlier, whatever they prove), oldest first. */
  proofs: ClassifiedSignIn[];
  /** Sign-ins whose MFA requirement was skipped (trusted IP, location, …), oldest first. */
  skipped: ClassifiedSignIn[];
  /** Successful sign-ins to the Authenticator app, oldest first. */
  authenticatorApp: ClassifiedSignIn[];
  /** Registration interrupts and My Signins sign-ins, oldest first. */
  registration: ClassifiedSignIn[];
  loop?: RegistrationLoop;
}

/** Shared by users without evidence sign-ins: never mutated. */
const NO_SIGN_INS: SignInSummary = { proofs: [], skipped: [], authenticatorApp: [], registration: [] };
/** Shared by the many summaries where a category is empty: never mutated. */
const NONE: ClassifiedSignIn[] = [];

export function summariseSignIns(
  signIns: readonly ClassifiedSignIn[],
  lastRegistrationAt: number | undefined,
  clock: Clock,
): SignInSummary {
  if (signIns.length === 0) return NO_SIGN_INS;
  // One pass, and an array only for a category the user has: this runs for every user with sign-ins.
  let proofs: ClassifiedSignIn[] | undefined;
  let skipped: ClassifiedSignIn[] | undefined;
  let authenticatorApp: ClassifiedSignIn[] | undefined;
  let registration: ClassifiedSignIn[] | undefined;
  for (const s of signIns) {
    if (isProof(s)) (proofs ??= []).push(s);
    if (isMfaSkipped(s)) (skipped ??= []).push(s);
    if (isAuthenticatorAppSignIn(s)) (authenticatorApp ??= []).push(s);
    if (isRegistrationSignIn(s)) (registration ??= []).push(s);
  }
  const summary: SignInSummary = {
    proofs: proofs ?? NONE,
    skipped: skipped ?? NONE,
    authenticatorApp: authenticatorApp ?? NONE,
    registration: registration ?? NONE,
  };
  // A loop is made of registration sign-ins only, so they are all findRegistrationLoop needs to see.
  if (registration !== undefined) {
    const loop = findRegistrationLoop(registration, lastRegistrationAt, clock);
    if (loop !== undefined) summary.loop = loop;
  }
  return summary;
}

/** Whether a sign-in is recent enough to prove the user can do MFA today (not only that they once could). */
export function isWithinRetention(s: ClassifiedSignIn, clock: Clock): boolean {
  // s.at >= now - retention, i.e. now has not passed s.at + retention.
  return !clock.reached(s.at + SIGN_IN_RETENTION_DAYS * DAY_MS + 1);
}

/** What every sign-in finding says about its sign-in. */
type SignInFields = EvidenceFieldsByCode['registration-interrupt'];
/** What every MFA proof says, before the kind of proof adds its own field. */
type ProofFields = Omit<EvidenceFieldsByCode['mfa-sign-in'], 'authenticationMethod'>;

function baseFields(s: ClassifiedSignIn): SignInFields {
  const f: SignInFields = { appId: s.signIn.appId ?? null, errorCode: s.signIn.errorCode };
  if (s.signIn.appDisplayName !== undefined) f.appDisplayName = s.signIn.appDisplayName;
  if (s.signIn.isInteractive !== undefined) f.isInteractive = s.signIn.isInteractive;
  return f;
}

/**
 * The sign-in's fields grown in place into a proof's (the casts), not copied: one object per cited
 * sign-in, and the keys stay in the order the JSON output lists them.
 */
function proofFields(s: ClassifiedSignIn, count: number, clock: Clock): ProofFields {
  const fields = baseFields(s) as ProofFields;
  fields.count = count;
  fields.withinRetention = isWithinRetention(s, clock);
  if (s.signIn.tokenIssuerType !== undefined) fields.tokenIssuerType = s.signIn.tokenIssuerType;
  return fields;
}

function proofEvidence(
  s: ClassifiedSignIn,
  count: number,
  clock: Clock,
  domain: DomainInfo | undefined,
): Evidence {
  const { signIn } = s;
  const fields = proofFields(s, count, clock);
  const mfa = s.facts.mfa;
  const at = signIn.createdDateTime;
  if (mfa?.kind === 'claim') {
    const claim = fields as EvidenceFieldsByCode['mfa-satisfied-by-claim'];
    claim.detail = mfa.detail;
    // What makes the claim the federated IdP's MFA, if anything: else it carries an earlier sign-in's.
    claim.federation = federationEvidence(signIn.tokenIssuerType, domain) ?? null;
    if (rejectsFederatedMfa(domain)) claim.federatedIdpMfaBehavior = 'rejectMfaByFederatedIdp';
    return { code: 'mfa-satisfied-by-claim', source: 'signIns', ref: signIn.id, at, fields: claim };
  }
  if (mfa?.kind === 'earlier') {
    const earlier = fields as EvidenceFieldsByCode['mfa-satisfied-earlier'];
    earlier.detail = mfa.detail;
    return { code: 'mfa-satisfied-earlier', source: 'signIns', ref: signIn.id, at, fields: earlier };
  }
  const direct: EvidenceFieldsByCode['mfa-sign-in'] = fields;
  if (mfa !== undefined) {
    if (mfa.methods.length > 0) {
      direct.authenticationMethod = mfa.methods.join(', ');
      direct.methodKinds = mfa.methods.map((m) => signInMethodKind(m));
    }
    if (mfa.detail !== undefined) direct.resultDetail = mfa.detail;
    // Whether it proves MFA by a registrable method: not a TAP, not a method named in a way unknown here.
    direct.proves = isStrongDirectProof(s);
  }
  return { code: 'mfa-sign-in', source: 'signIns', ref: signIn.id, at, fields: direct };
}

function registrationEvidence(s: ClassifiedSignIn): Evidence {
  const code = s.facts.registrationInterrupt ? 'registration-interrupt' : 'security-info-app-sign-in';
  return evidence(code, 'signIns', s.signIn.id, s.signIn.createdDateTime, baseFields(s));
}

function latest<T>(list: readonly T[]): T | undefined {
  // Not list[-1] for an empty list: V8 looks a negative index up as a named property, slowly.
  return list.length === 0 ? undefined : list[list.length - 1];
}

/**
 * The sign-in findings for one user, appended to `out`. Only the telling sign-ins are cited, not every
 * one: the latest direct MFA and the latest claim (with counts), the sign-ins named in `alsoCite` (those
 * that completed an Authenticator registration), the latest Authenticator-app sign-in, and either every
 * sign-in of the current loop or the latest registration sign-in.
 */
export function signInEvidence(
  summary: SignInSummary,
  clock: Clock,
  alsoCite: ReadonlySet<string>,
  domain: DomainInfo | undefined,
  out: Evidence[] = [],
): Evidence[] {
  let lastStrong: ClassifiedSignIn | undefined;
  let strong = 0;
  let lastOtherDirect: ClassifiedSignIn | undefined;
  let otherDirect = 0;
  let lastClaim: ClassifiedSignIn | undefined;
  let claims = 0;
  let lastEarlier: ClassifiedSignIn | undefined;
  let earlier = 0;
  let proving = false;
  for (const s of summary.proofs) {
    if (isStrongDirectProof(s)) {
      lastStrong = s;
      strong++;
      proving = true;
    } else if (isDirectProof(s)) {
      lastOtherDirect = s;
      otherDirect++;
    } else if (isClaimProof(s)) {
      lastClaim = s;
      claims++;
      if (isFederatedClaim(s, domain)) proving = true;
    } else if (isEarlierProof(s)) {
      lastEarlier = s;
      earlier++;
    }
  }
  const cited: ClassifiedSignIn[] = [];
  const cite = (s: ClassifiedSignIn | undefined, count: number): void => {
    if (s === undefined) return;
    cited.push(s);
    out.push(proofEvidence(s, count, clock, domain));
  };
  cite(lastStrong, strong);
  // A direct sign-in that proves no registrable method (a TAP) is cited only when no better one is.
  if (lastStrong === undefined) cite(lastOtherDirect, otherDirect);
  cite(lastClaim, claims);
  cite(lastEarlier, earlier);
  if (alsoCite.size > 0) {
    for (const s of summary.proofs) {
      if (alsoCite.has(s.signIn.id) && !cited.includes(s)) out.push(proofEvidence(s, 1, clock, domain));
    }
  }
  // Why sign-ins that required MFA do not prove it: only while nothing else does.
  const skip = latest(summary.skipped);
  if (skip !== undefined && !proving) {
    const fields = baseFields(skip) as EvidenceFieldsByCode['mfa-requirement-skipped'];
    fields.count = summary.skipped.length;
    fields.detail = skip.facts.mfaSkipped ?? null;
    out.push(
      evidence('mfa-requirement-skipped', 'signIns', skip.signIn.id, skip.signIn.createdDateTime, fields),
    );
  }

  const app = latest(summary.authenticatorApp);
  if (app !== undefined) {
    const fields = baseFields(app) as EvidenceFieldsByCode['authenticator-app-sign-in'];
    fields.count = summary.authenticatorApp.length;
    out.push(
      evidence('authenticator-app-sign-in', 'signIns', app.signIn.id, app.signIn.createdDateTime, fields),
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
