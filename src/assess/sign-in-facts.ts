import type { MfaProof, SignIn, SignInFacts } from '../domain/tenant.js';
import {
  AUTHENTICATOR_APP_ID,
  MFA_CLAIM_PHRASES,
  MY_SIGNINS_APP_ID,
  REGISTRATION_INTERRUPT_CODES,
} from '../domain/well-known.js';

export type { MfaProof, SignInFacts } from '../domain/tenant.js';

const INTERRUPTS: ReadonlySet<number> = new Set(REGISTRATION_INTERRUPT_CODES);
const CLAIM_PHRASES = MFA_CLAIM_PHRASES.map((p) => p.toLowerCase());

/** `authenticationStepRequirement` reads "MFA" in captures; "Multifactor authentication" is accepted too. */
function isMfaStepRequirement(requirement: string | undefined): boolean {
  return requirement !== undefined && /^mfa$|multi-?factor/i.test(requirement.trim());
}

function claimPhrase(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const lower = text.toLowerCase();
  return MFA_CLAIM_PHRASES[CLAIM_PHRASES.findIndex((p) => lower.includes(p))];
}

function sameId(a: string | undefined, b: string): boolean {
  return a !== undefined && a.toLowerCase() === b;
}

/**
 * The MFA proof in a sign-in (beta fields only; v1.0 sign-ins never prove MFA):
 * - a step with requirement MFA that succeeded (even if a later control failed the sign-in: the user
 *   still did MFA), unless the step only says a claim satisfied it;
 * - `authenticationRequirement` multiFactorAuthentication on a successful sign-in;
 * - a claim phrase in a step's result detail or, on a successful sign-in, in the status details.
 */
function mfaProof(s: SignIn): MfaProof | undefined {
  const steps = s.authenticationDetails ?? [];
  let claim: string | undefined;
  const methods: string[] = [];
  let direct = false;
  for (const step of steps) {
    const phrase = claimPhrase(step.authenticationStepResultDetail);
    if (phrase !== undefined && step.succeeded !== false) {
      claim ??= phrase;
      continue;
    }
    if (step.succeeded === true && isMfaStepRequirement(step.authenticationStepRequirement)) {
      direct = true;
      if (step.authenticationMethod !== undefined && step.authenticationMethod !== '') {
        methods.push(step.authenticationMethod);
      }
    }
  }
  if (s.errorCode === 0) claim ??= claimPhrase(s.additionalDetails);
  if (direct) return { kind: 'direct', methods };
  if (claim !== undefined) return { kind: 'claim', detail: claim };
  if (s.errorCode === 0 && s.authenticationRequirement?.toLowerCase() === 'multifactorauthentication') {
    return { kind: 'direct', methods: (s.authenticationMethodsUsed ?? []).filter((m) => m !== 'Password') };
  }
  return undefined;
}

/** The facts in one sign-in; undefined when it holds none any rule uses. Pure and per-sign-in. */
export function signInFacts(s: SignIn): SignInFacts | undefined {
  // Worked out by the reader already (slimSignIns), which dropped the fields read below.
  if (s.facts !== undefined) return s.facts ?? undefined;
  const mfa = mfaProof(s);
  const authenticatorApp = s.errorCode === 0 && sameId(s.appId, AUTHENTICATOR_APP_ID);
  const registrationInterrupt = INTERRUPTS.has(s.errorCode);
  const securityInfoApp = sameId(s.appId, MY_SIGNINS_APP_ID);
  if (mfa === undefined && !authenticatorApp && !registrationInterrupt && !securityInfoApp) return undefined;
  const facts: SignInFacts = { authenticatorApp, registrationInterrupt, securityInfoApp };
  if (mfa !== undefined) facts.mfa = mfa;
  return facts;
}

/**
 * Whether a direct MFA proof could have used the Authenticator app. The log's method names vary
 * ("Mobile app notification", "Mobile app verification code", "Microsoft Authenticator …"); a proof that
 * names no method cannot rule the app out.
 */
export function proofCouldUseAuthenticator(proof: MfaProof): boolean {
  if (proof.kind !== 'direct') return false;
  if (proof.methods.length === 0) return true;
  return proof.methods.some((m) =>
    /authenticator|mobile app|app notification|app verification|app code/i.test(m),
  );
}

/**
 * The sign-in with its facts in place of the fields they are read from (SignIn.facts), in place.
 * Two thirds of a kept sign-in's objects are its authentication steps, read once and never again.
 */
export function slimSignIn(s: SignIn): SignIn {
  if (s.facts !== undefined) return s;
  s.facts = signInFacts(s) ?? null;
  delete s.authenticationDetails;
  delete s.authenticationMethodsUsed;
  delete s.additionalDetails;
  delete s.failureReason;
  return s;
}
