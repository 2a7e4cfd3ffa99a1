import type { MfaProof, SignIn, SignInFacts } from '../domain/tenant.js';
import {
  AUTHENTICATOR_APP_ID,
  MY_SIGNINS_APP_ID,
  REGISTRATION_INTERRUPT_CODES,
} from '../domain/well-known.js';
import { isAuthenticatorKind, isMfaKind } from './method-kinds.js';
import { mfaResultOutcome, signInMethodKind, speaksOfMfa } from './mfa-result.js';

export type { MfaProof, SignInFacts } from '../domain/tenant.js';

const INTERRUPTS: ReadonlySet<number> = new Set(REGISTRATION_INTERRUPT_CODES);

/** `authenticationStepRequirement` reads "MFA" in captures; "Multifactor authentication" is accepted too. */
function isMfaStepRequirement(requirement: string | undefined): boolean {
  return requirement !== undefined && /^mfa$|multi-?factor/i.test(requirement.trim());
}

function sameId(a: string | undefined, b: string): boolean {
  return a !== undefined && a.toLowerCase() === b;
}

function isClaimText(text: string): boolean {
  return /claim/i.test(text);
}

/** What a sign-in's MFA result details say (src/domain/mfa-result-details.ts). */
interface MfaReading {
  proof?: MfaProof;
  skipped?: string;
  unknown?: string;
}

/** Shared by the many sign-ins whose details say nothing of MFA: never mutated. */
const NOTHING: MfaReading = {};

/**
 * The methods a `done-now` status detail rests on when no step names one (v1.0 has no steps): the
 * Authenticator app that `authenticationAppDeviceDetails` names, else the beta `authenticationMethodsUsed`
 * other than the first factor.
 */
function statusMethods(s: SignIn): string[] {
  const app = s.authenticationAppDeviceDetails?.clientApp;
  if (app !== undefined && app !== '') return [app];
  const used = s.authenticationMethodsUsed ?? [];
  return used.filter((m) => signInMethodKind(m) !== 'password');
}

/**
 * How a sign-in satisfied MFA, read from its result details, never from its requirement:
 * `authenticationRequirement: multiFactorAuthentication` says MFA was asked for, not done
 * (https://learn.microsoft.com/entra/identity/authentication/howto-mfa-reporting: "Don't rely only
 * on the authenticationRequirement field").
 * - a step for MFA that succeeded, with a `done-now` detail, by a method other than "Previously
 *   satisfied": MFA done now (even if a later control failed the sign-in: the user still did MFA);
 * - a claim detail ("…by claim in the token", "…by claim provided by external provider"): a claim;
 * - another `done-earlier` detail (a remembered device): done earlier;
 * - the same in `status.additionalDetails` of a successful sign-in (v1.0 has nothing else).
 * A step that failed or does not say, a skipped or failed detail, an unknown detail, a sign-in whose
 * steps and status are missing (an abridged export): no proof.
 */
function readMfa(s: SignIn): MfaReading {
  let methods: string[] | undefined;
  let directDetail: string | undefined;
  let claim: string | undefined;
  let earlier: string | undefined;
  let skipped: string | undefined;
  let unknown: string | undefined;
  const steps = s.authenticationDetails;
  if (steps !== undefined) {
    for (const step of steps) {
      const text = step.authenticationStepResultDetail;
      if (text === undefined || text.trim() === '') continue;
      if (!isMfaStepRequirement(step.authenticationStepRequirement) && !speaksOfMfa(text)) continue;
      const outcome = mfaResultOutcome(text);
      if (outcome === undefined) {
        unknown ??= text;
        continue;
      }
      if (outcome === 'skipped') skipped ??= text;
      if (step.succeeded !== true) continue;
      const method = step.authenticationMethod;
      if (outcome === 'done-now') {
        if (method !== undefined && signInMethodKind(method) === 'previouslySatisfied') {
          earlier ??= text;
          continue;
        }
        methods ??= [];
        directDetail ??= text;
        if (method !== undefined && method !== '') methods.push(method);
      } else if (outcome === 'done-by-federated-claim' || (outcome === 'done-earlier' && isClaimText(text))) {
        claim ??= text;
      } else if (outcome === 'done-earlier') {
        earlier ??= text;
      }
    }
  }
  // The status speaks for the whole sign-in, the steps say how: a status proof counts only where no
  // step proved anything (v1.0 has no steps), so a claim in the steps is not overruled by it.
  const byStep = methods !== undefined || claim !== undefined || earlier !== undefined;
  const status = s.additionalDetails;
  if (status !== undefined && speaksOfMfa(status)) {
    const outcome = mfaResultOutcome(status);
    if (outcome === undefined) unknown ??= status;
    else if (outcome === 'skipped') skipped ??= status;
    else if (s.errorCode === 0 && !byStep) {
      if (outcome === 'done-now') {
        methods = statusMethods(s);
        directDetail = status;
      } else if (
        outcome === 'done-by-federated-claim' ||
        (outcome === 'done-earlier' && isClaimText(status))
      ) {
        claim ??= status;
      } else if (outcome === 'done-earlier') {
        earlier ??= status;
      }
    }
  }
  if (methods !== undefined) {
    const proof: MfaProof = { kind: 'direct', methods };
    if (directDetail !== undefined) proof.detail = directDetail;
    return { proof };
  }
  if (claim !== undefined) return { proof: { kind: 'claim', detail: claim } };
  if (earlier !== undefined) return { proof: { kind: 'earlier', detail: earlier } };
  if (skipped === undefined && unknown === undefined) return NOTHING;
  const reading: MfaReading = {};
  if (skipped !== undefined) reading.skipped = skipped;
  if (unknown !== undefined) reading.unknown = unknown;
  return reading;
}

/** The facts in one sign-in; undefined when it holds none any rule uses. Pure and per-sign-in. */
export function signInFacts(s: SignIn): SignInFacts | undefined {
  // Worked out by the reader already (slimEvents), which dropped the fields read below.
  if (s.facts !== undefined) return s.facts ?? undefined;
  const { proof, skipped, unknown } = readMfa(s);
  const authenticatorApp = s.errorCode === 0 && sameId(s.appId, AUTHENTICATOR_APP_ID);
  const registrationInterrupt = INTERRUPTS.has(s.errorCode);
  const securityInfoApp = sameId(s.appId, MY_SIGNINS_APP_ID);
  if (
    proof === undefined &&
    skipped === undefined &&
    unknown === undefined &&
    !authenticatorApp &&
    !registrationInterrupt &&
    !securityInfoApp
  ) {
    return undefined;
  }
  const facts: SignInFacts = { authenticatorApp, registrationInterrupt, securityInfoApp };
  if (proof !== undefined) facts.mfa = proof;
  if (skipped !== undefined) facts.mfaSkipped = skipped;
  if (unknown !== undefined) facts.unknownMfaDetail = unknown;
  return facts;
}

/**
 * Whether a direct MFA proof could have used the Authenticator app: one of its methods is named as
 * the app in the log (src/domain/sign-in-method-names.ts). A proof that names no method, or only
 * methods the table does not know, is not counted: it would complete a half-registered app on a guess.
 */
export function proofCouldUseAuthenticator(proof: MfaProof): boolean {
  if (proof.kind !== 'direct') return false;
  for (const m of proof.methods) {
    const kind = signInMethodKind(m);
    if (kind !== 'previouslySatisfied' && isAuthenticatorKind(kind)) return true;
  }
  return false;
}

/**
 * Whether a proof shows MFA done now by a method that can be registered for MFA: a direct proof one
 * of whose methods is of an MFA kind. Not a Temporary Access Pass (a bootstrap credential: a TAP
 * sign-in says nothing of the methods the user will have once it expires), nor a method the table
 * does not know, nor a direct proof that names no method (v1.0 without the app's details).
 */
export function isStrongProof(proof: MfaProof | undefined): boolean {
  if (proof?.kind !== 'direct') return false;
  for (const m of proof.methods) {
    const kind = signInMethodKind(m);
    if (kind !== 'previouslySatisfied' && isMfaKind(kind)) return true;
  }
  return false;
}

/** Whether a direct proof rests only on a Temporary Access Pass. */
export function isTapOnlyProof(proof: MfaProof | undefined): boolean {
  if (proof?.kind !== 'direct' || proof.methods.length === 0) return false;
  return proof.methods.every((m) => signInMethodKind(m) === 'temporaryAccessPass');
}

/**
 * The sign-in as the rules read it: its facts (SignIn.facts) in place of the fields they are read
 * from, and none of the fields that only those facts read. Two thirds of a kept sign-in's objects are
 * its authentication steps, read once and never again.
 *
 * A new object rather than the old one with keys deleted: deleting a key turns a V8 object into a
 * slow dictionary, for every read after. With a pool, sign-ins with equal facts share one copy.
 */
export function slimSignIn(s: SignIn, pool?: SignInFactsPool): SignIn {
  if (s.facts !== undefined) return s;
  const facts = signInFacts(s);
  const slim: SignIn = { id: s.id, createdDateTime: s.createdDateTime, errorCode: s.errorCode };
  if (s.userId !== undefined) slim.userId = s.userId;
  if (s.userPrincipalName !== undefined) slim.userPrincipalName = s.userPrincipalName;
  if (s.appId !== undefined) slim.appId = s.appId;
  if (s.appDisplayName !== undefined) slim.appDisplayName = s.appDisplayName;
  if (s.isInteractive !== undefined) slim.isInteractive = s.isInteractive;
  if (s.tokenIssuerType !== undefined) slim.tokenIssuerType = s.tokenIssuerType;
  slim.facts = facts === undefined ? null : pool === undefined ? facts : pool.share(facts);
  // What Conditional Access did to the sign-in (report-only results): read by `impact`, not by the facts.
  if (s.appliedConditionalAccessPolicies !== undefined)
    slim.appliedConditionalAccessPolicies = s.appliedConditionalAccessPolicies;
  return slim;
}

/** Distinct facts kept at most: past this, facts are not shared (a hostile export cannot grow it unbounded). */
const MAX_POOLED_FACTS = 4_096;

/**
 * One shared copy of each distinct SignInFacts among slimmed sign-ins. The 350,000 sign-ins a
 * 100,000-user tenant keeps hold a few dozen distinct facts ("MFA by Mobile app notification", …):
 * sharing takes three objects off each, which the garbage collector would otherwise copy and trace.
 * Shared copies are frozen: a change to one would change them all.
 */
export class SignInFactsPool {
  private readonly pool = new Map<string, SignInFacts>();

  share(facts: SignInFacts): SignInFacts {
    const key = factsKey(facts);
    const found = this.pool.get(key);
    if (found !== undefined) return found;
    if (this.pool.size < MAX_POOLED_FACTS) this.pool.set(key, frozen(facts));
    return facts;
  }
}

function factsKey(f: SignInFacts): string {
  const flags = `${f.authenticatorApp ? 1 : 0}${f.registrationInterrupt ? 1 : 0}${f.securityInfoApp ? 1 : 0}`;
  const mfa = f.mfa;
  // As JSON: the texts come from the log, and no two different facts may share a key.
  return JSON.stringify([
    flags,
    mfa?.kind ?? null,
    mfa?.detail ?? null,
    mfa?.kind === 'direct' ? mfa.methods : null,
    f.mfaSkipped ?? null,
    f.unknownMfaDetail ?? null,
  ]);
}

function frozen(f: SignInFacts): SignInFacts {
  if (f.mfa?.kind === 'direct') Object.freeze(f.mfa.methods);
  if (f.mfa !== undefined) Object.freeze(f.mfa);
  return Object.freeze(f);
}
