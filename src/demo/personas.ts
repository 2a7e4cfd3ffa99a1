/**
 * The personas of the synthetic tenant: what each kind of user's evidence is, and the verdict the
 * verdict model in the README implies for it (not what any implementation says). The table doubles as
 * the answer key: `expectationFor()` gives it per user, and scripts/generate-demo.ts writes it to
 * demo/expected-verdicts.json next to (not inside) the export folder.
 *
 * Windows used below: audit retention 30 days; sign-ins `signInDays` (demo 7); the registration
 * report refreshed a few hours before collectedAt. "Long ago" = before the audit window, so the only
 * evidence left is the methods list and the report. Precedence when several verdicts fit:
 * excluded, ready, looping, unverified, policy-blocked, loop-risk, not-registered, unknown. No persona
 * is `unknown`: that verdict says a collection read nothing about a user (no report row, no methods
 * list, no audit or sign-in evidence), and the demo's collection is complete.
 *
 * Authentication methods policy of the tenant (see directory-objects.ts): migrationComplete;
 * Microsoft Authenticator, SMS, Voice, TAP and Email enabled for all users; FIDO2 only for the
 * "FIDO2 Security Keys" group; Software OATH disabled. Windows Hello for Business is not governed by
 * that policy, so no persona depends on WHfB alone.
 *
 * | persona | evidence | verdict | confidence |
 * |---|---|---|---|
 * | ready-authenticator-proven | Authenticator registered long ago, report default push; MFA sign-ins (push) in the window | ready | proven |
 * | ready-authenticator-reported | same, but only single-factor sign-ins; Authenticator version-bump audit noise (same device Id) | ready | reported |
 * | ready-authenticator-registered | full registration in the audit window (PhoneAppDetail add, started, StrongAuthenticationMethod 6/7 as numbers or names, registered); no MFA sign-in | ready | registered |
 * | ready-authenticator-phone | Authenticator + mobile phone, default push or SMS; MFA sign-ins | ready | proven |
 * | ready-phone-only | mobile (sometimes office) phone only; SMS MFA sign-ins | ready (weak) | proven |
 * | ready-phone-only-reported | mobile phone only; no MFA sign-in | ready (weak) | reported |
 * | ready-fido2 | FIDO2 key (in the FIDO2 group) + Authenticator; FIDO2 sign-ins | ready | proven |
 * | ready-whfb | Windows Hello for Business + Authenticator; WHfB sign-ins | ready | proven |
 * | ready-federated-claim | federated, no Entra method (report: not registered); sign-ins "MFA requirement satisfied by claim provided by external provider" | ready | proven |
 * | ready-student-graduated | incident-2 (test/fixtures/incidents) student: registered Authenticator in the window, then removed from MFA_ProofUpBypass; AD FS MFA claim sign-ins | ready | proven |
 * | ready-authenticator-and-oath | Authenticator + software OATH (OATH is policy-blocked, Authenticator usable) | ready | reported |
 * | ready-report-lag | registered Authenticator after the report refreshed: report says not registered, methods + audits say registered | ready | registered |
 * | ready-changed-phone | new Authenticator device added (new Id in PhoneAppDetail, "User registered security info"), old one deleted; no StrongAuthenticationMethod change | ready | registered |
 * | ready-after-past-loop | incident-2 (test/fixtures/incidents) student: looped days ago, then registered | ready | registered |
 * | ready-admin | admin role; FIDO2 (in FIDO2 group) + Authenticator; MFA sign-ins | ready (admin) | proven |
 * | ready-admin-phone-only | admin role; SMS only; MFA sign-ins | ready (admin, weak) | proven |
 * | incident1-mfatest1 | MFATest1: password + Authenticator "iPhone 14 Pro Max"; the four events within one minute | ready | registered |
 * | incident1-mfatest2 | MFATest2: the same methods list; one `Update user` (PhoneAppDetail [] → device) and nothing after | unverified | — |
 * | break-glass | cloud-only emergency account, admin, FIDO2 only (in FIDO2 and Break Glass groups), no sign-ins | ready (admin) | reported |
 * | unverified-abandoned | like MFATest2: Authenticator listed, PhoneAppDetail add in the audit window, (sometimes "started"), nothing after | unverified | — |
 * | unverified-cancelled | registration interrupt, PhoneAppDetail add, "User registered all required security info" Failure "User canceled security info registration." | unverified | — |
 * | unverified-no-audit | Authenticator added long ago, never completed; report: no default MFA method | unverified | — |
 * | policy-blocked-oath | software OATH token only; report isMfaRegistered && !isMfaCapable | policy-blocked | — |
 * | policy-blocked-fido2 | FIDO2 key only, not in the FIDO2 group; report registered, not capable | policy-blocked | — |
 * | not-registered-password-only | password only | not-registered | — |
 * | not-registered-email | password + email (SSPR only) | not-registered | — |
 * | not-registered-tap | new hire: password + a usable Temporary Access Pass | not-registered (TAP bootstrap) | — |
 * | not-registered-tap-expired | password + an expired TAP | not-registered | — |
 * | not-registered-deleted-after-report | report: mobilePhone, capable; later "User deleted security info" + StrongAuthenticationMethod → []; methods list password only | not-registered | — |
 * | not-registered-student-new-batch | incident-2 (test/fixtures/incidents) student of this week's batch: in MFA_Required and MFA_ProofUpBypass, password only | not-registered | — |
 * | not-registered-new-not-in-report | created after the report refreshed: missing from it; password (sometimes a usable TAP) | not-registered | — |
 * | loop-risk-app-signed-in | password only; non-interactive sign-ins to the Authenticator app (the proof-up loop's precondition (test/fixtures/incidents/incident-2)) | loop-risk | — |
 * | loop-risk-past-loop | student; a registration loop more than 24 h ago, no registration after; Authenticator app sign-ins | loop-risk | — |
 * | looping-now | student removed from MFA_ProofUpBypass; ≥3 My Signins / 50072 / 50079 sign-ins within 15 min, the last within 24 h; no registration | looping | — |
 * | excluded-disabled | accountEnabled false; not in the report; methods vary; 50057 sign-in attempts | excluded (disabled) | — |
 * | excluded-guest | userType Guest | excluded (guest) | — |
 */
import type { Confidence, ExclusionReason, Verdict } from '../domain/verdict.js';

export const PERSONA_KINDS = [
  'ready-authenticator-proven',
  'ready-authenticator-reported',
  'ready-authenticator-registered',
  'ready-authenticator-phone',
  'ready-phone-only',
  'ready-phone-only-reported',
  'ready-fido2',
  'ready-whfb',
  'ready-federated-claim',
  'ready-student-graduated',
  'ready-authenticator-and-oath',
  'ready-report-lag',
  'ready-changed-phone',
  'ready-after-past-loop',
  'ready-admin',
  'ready-admin-phone-only',
  'incident1-mfatest1',
  'incident1-mfatest2',
  'break-glass',
  'unverified-abandoned',
  'unverified-cancelled',
  'unverified-no-audit',
  'policy-blocked-oath',
  'policy-blocked-fido2',
  'not-registered-password-only',
  'not-registered-email',
  'not-registered-tap',
  'not-registered-tap-expired',
  'not-registered-deleted-after-report',
  'not-registered-student-new-batch',
  'not-registered-new-not-in-report',
  'loop-risk-app-signed-in',
  'loop-risk-past-loop',
  'looping-now',
  'excluded-disabled',
  'excluded-guest',
] as const;
export type PersonaKind = (typeof PERSONA_KINDS)[number];

/** What the spec implies for a persona. */
export interface Expectation {
  verdict: Verdict;
  confidence: Confidence;
  weak: boolean;
  isAdmin: boolean;
  exclusion?: ExclusionReason;
}

interface PersonaSpec extends Expectation {
  /** Share of the generated (not named) population, in percent. 0 = only in the named cast. */
  weight: number;
}

const ready = (confidence: Confidence, weight: number, extra: Partial<Expectation> = {}): PersonaSpec => ({
  verdict: 'ready',
  confidence,
  weak: false,
  isAdmin: false,
  weight,
  ...extra,
});
const other = (verdict: Verdict, weight: number, extra: Partial<Expectation> = {}): PersonaSpec => ({
  verdict,
  confidence: null,
  weak: false,
  isAdmin: false,
  weight,
  ...extra,
});

/** Weights: ≈70% ready, 5% unverified, 4% policy-blocked, 8% not-registered, 2% loop-risk, 1% looping, 4% disabled, 3% guests. */
export const PERSONAS: Readonly<Record<PersonaKind, PersonaSpec>> = {
  'ready-authenticator-proven': ready('proven', 24),
  'ready-authenticator-reported': ready('reported', 9),
  'ready-authenticator-registered': ready('registered', 6),
  'ready-authenticator-phone': ready('proven', 7),
  'ready-phone-only': ready('proven', 5, { weak: true }),
  'ready-phone-only-reported': ready('reported', 2, { weak: true }),
  'ready-fido2': ready('proven', 2),
  'ready-whfb': ready('proven', 3),
  'ready-federated-claim': ready('proven', 2),
  'ready-student-graduated': ready('proven', 3),
  'ready-authenticator-and-oath': ready('reported', 1),
  'ready-report-lag': ready('registered', 1),
  'ready-changed-phone': ready('registered', 1),
  'ready-after-past-loop': ready('registered', 0.5),
  'ready-admin': ready('proven', 1.5, { isAdmin: true }),
  'ready-admin-phone-only': ready('proven', 0.5, { isAdmin: true, weak: true }),
  'incident1-mfatest1': ready('registered', 0),
  'incident1-mfatest2': other('unverified', 0),
  'break-glass': ready('reported', 0, { isAdmin: true }),
  'unverified-abandoned': other('unverified', 2.5),
  'unverified-cancelled': other('unverified', 1),
  'unverified-no-audit': other('unverified', 1.5),
  'policy-blocked-oath': other('policy-blocked', 2.5),
  'policy-blocked-fido2': other('policy-blocked', 1.5),
  'not-registered-password-only': other('not-registered', 2.5),
  'not-registered-email': other('not-registered', 1.5),
  'not-registered-tap': other('not-registered', 1.5),
  'not-registered-tap-expired': other('not-registered', 0.5),
  'not-registered-deleted-after-report': other('not-registered', 0.5),
  'not-registered-student-new-batch': other('not-registered', 1),
  'not-registered-new-not-in-report': other('not-registered', 0.5),
  'loop-risk-app-signed-in': other('loop-risk', 1.5),
  'loop-risk-past-loop': other('loop-risk', 0.5),
  'looping-now': other('looping', 1),
  'excluded-disabled': other('excluded', 4, { exclusion: 'disabled' }),
  'excluded-guest': other('excluded', 3, { exclusion: 'guest' }),
};

export function expectationFor(kind: PersonaKind): Expectation {
  const { weight: _weight, ...expectation } = PERSONAS[kind];
  return expectation;
}

/** Personas drawn for the generated population, with their cumulative share in [0, 1). */
export const STRATIFIED_PERSONAS: readonly { kind: PersonaKind; upTo: number }[] = (() => {
  const kinds = PERSONA_KINDS.filter((k) => PERSONAS[k].weight > 0);
  const total = kinds.reduce((sum, k) => sum + PERSONAS[k].weight, 0);
  let acc = 0;
  return kinds.map((kind) => {
    acc += PERSONAS[kind].weight / total;
    return { kind, upTo: acc };
  });
})();

/**
 * The persona of generated user number `n` (0-based, after the named cast). A golden-ratio
 * (low-discrepancy) sequence instead of independent draws, so every tenant size gets the intended
 * shares closely, and even 300 users contain every persona of weight ≥ 0.5%.
 */
export function stratifiedPersona(n: number, offset: number): PersonaKind {
  const u = (offset + n * 0.6180339887498949) % 1;
  for (const p of STRATIFIED_PERSONAS) if (u < p.upTo) return p.kind;
  const last = STRATIFIED_PERSONAS[STRATIFIED_PERSONAS.length - 1];
  if (last === undefined) throw new Error('no personas');
  return last.kind;
}
