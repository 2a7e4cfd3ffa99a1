import type { SignIn } from '../domain/tenant.js';
import {
  AUTHENTICATOR_APP_ID,
  MFA_CLAIM_PHRASES,
  MY_SIGNINS_APP_ID,
  REGISTRATION_INTERRUPT_CODES,
} from '../domain/well-known.js';

/** How a sign-in proves MFA. */
export type MfaProof =
  /** MFA was performed in this sign-in; `methods` as the log names them ("Mobile app notification", …). */
  | { kind: 'direct'; methods: string[] }
  /** MFA was satisfied by a claim: earlier in the session, or at a federated IdP. */
  | { kind: 'claim'; detail: string };

/** What one sign-in says about its user's MFA ability, independent of whose it is. */
export interface SignInFacts {
  mfa?: MfaProof;
  /** A successful sign-in to the Microsoft Authenticator app: the app holds the work account. */
  authenticatorApp: boolean;
  /** 50072 / 50079: the user was sent to register security info. */
  registrationInterrupt: boolean;
  /** A sign-in to My Signins, the security-info registration page, successful or not. */
  securityInfoApp: boolean;
}

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
