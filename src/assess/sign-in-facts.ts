import type { MfaProof, SignIn, SignInFacts } from '../domain/tenant.js';
import {
  AUTHENTICATOR_APP_ID,
  MFA_CLAIM_PHRASES,
  MY_SIGNINS_APP_ID,
  REGISTRATION_INTERRUPT_CODES,
} from '../domain/well-known.js';
import { memoByText } from './memo.js';

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
  // Worked out by the reader already (slimEvents), which dropped the fields read below.
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
  for (const m of proof.methods) if (couldBeAuthenticator(m)) return true;
  return false;
}

/** The log names a handful of methods over hundreds of thousands of sign-ins: each is tested once. */
const couldBeAuthenticator = memoByText((method) =>
  /authenticator|mobile app|app notification|app verification|app code/i.test(method),
);

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
  if (mfa === undefined) return flags;
  return mfa.kind === 'direct' ? `${flags}d${JSON.stringify(mfa.methods)}` : `${flags}c${mfa.detail}`;
}

function frozen(f: SignInFacts): SignInFacts {
  if (f.mfa?.kind === 'direct') Object.freeze(f.mfa.methods);
  if (f.mfa !== undefined) Object.freeze(f.mfa);
  return Object.freeze(f);
}
