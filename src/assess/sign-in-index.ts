import type { DomainInfo, SignIn } from '../domain/tenant.js';
import { federationEvidence } from './federated-domains.js';
import type { SignInFacts } from './sign-in-facts.js';
import { isStrongProof, isTapOnlyProof, proofCouldUseAuthenticator, signInFacts } from './sign-in-facts.js';
import { toMs } from './time.js';
import { groupByUser, sortMostlySorted } from './user-groups.js';
import type { UserResolver } from './user-resolver.js';

/** A sign-in that holds evidence, with its facts and time worked out once. */
export interface ClassifiedSignIn {
  signIn: SignIn;
  at: number;
  facts: SignInFacts;
  /** What the rules ask of `facts`, as bits: read through isProof and its neighbours below. */
  traits: number;
}

/*
 * The traits are worked out while indexing, in file order, rather than by the rules, user by user, for
 * whom the facts objects are scattered over the heap: reading them there cost more than the rules.
 */
const PROOF = 1;
const DIRECT_PROOF = 2;
const CLAIM_PROOF = 4;
const AUTHENTICATOR_APP = 8;
const REGISTRATION = 16;
const COULD_USE_AUTHENTICATOR = 32;
const STRONG_PROOF = 64;
const MFA_SKIPPED = 128;
const UNKNOWN_MFA_DETAIL = 256;
const EARLIER_PROOF = 512;
const TAP_ONLY = 1024;

function traitsOf(facts: SignInFacts): number {
  const mfa = facts.mfa;
  let traits = 0;
  if (mfa !== undefined) traits |= PROOF;
  if (mfa?.kind === 'direct') traits |= DIRECT_PROOF;
  if (mfa?.kind === 'claim') traits |= CLAIM_PROOF;
  if (facts.authenticatorApp) traits |= AUTHENTICATOR_APP;
  if (facts.registrationInterrupt || facts.securityInfoApp) traits |= REGISTRATION;
  if (mfa?.kind === 'earlier') traits |= EARLIER_PROOF;
  if (mfa !== undefined && proofCouldUseAuthenticator(mfa)) traits |= COULD_USE_AUTHENTICATOR;
  if (isStrongProof(mfa)) traits |= STRONG_PROOF;
  if (isTapOnlyProof(mfa)) traits |= TAP_ONLY;
  if (mfa === undefined && facts.mfaSkipped !== undefined) traits |= MFA_SKIPPED;
  if (mfa === undefined && facts.unknownMfaDetail !== undefined) traits |= UNKNOWN_MFA_DETAIL;
  return traits;
}

/**
 * MFA done in the sign-in by a method that can be registered for MFA (isStrongProof): the one kind of
 * sign-in that makes a user ready on its own, or `proven`. Not a Temporary Access Pass.
 */
export function isStrongDirectProof(s: ClassifiedSignIn): boolean {
  return (s.traits & STRONG_PROOF) !== 0;
}

/** MFA satisfied by what an earlier sign-in did (a remembered device): `facts.mfa.kind` is `earlier`. */
export function isEarlierProof(s: ClassifiedSignIn): boolean {
  return (s.traits & EARLIER_PROOF) !== 0;
}

/** A direct proof that rests only on a Temporary Access Pass: proof of no registered method. */
export function isTapOnlySignIn(s: ClassifiedSignIn): boolean {
  return (s.traits & TAP_ONLY) !== 0;
}

/** MFA was required and skipped (trusted IP, location, …), and nothing else in the sign-in proves it. */
export function isMfaSkipped(s: ClassifiedSignIn): boolean {
  return (s.traits & MFA_SKIPPED) !== 0;
}

/** An MFA result detail the table does not know, and nothing else in the sign-in proves MFA. */
export function hasUnknownMfaDetail(s: ClassifiedSignIn): boolean {
  return (s.traits & UNKNOWN_MFA_DETAIL) !== 0;
}

/** An MFA sign-in: `facts.mfa` is set. */
export function isProof(s: ClassifiedSignIn): boolean {
  return (s.traits & PROOF) !== 0;
}

/** MFA done in the sign-in itself: `facts.mfa.kind` is `direct`. */
export function isDirectProof(s: ClassifiedSignIn): boolean {
  return (s.traits & DIRECT_PROOF) !== 0;
}

/** MFA satisfied by a claim: `facts.mfa.kind` is `claim`. */
export function isClaimProof(s: ClassifiedSignIn): boolean {
  return (s.traits & CLAIM_PROOF) !== 0;
}

/** A claim sign-in that proves MFA at a federated IdP Entra accepts (federationEvidence). */
export function isFederatedClaim(s: ClassifiedSignIn, domain: DomainInfo | undefined): boolean {
  return isClaimProof(s) && federationEvidence(s.signIn.tokenIssuerType, domain) !== undefined;
}

/** `facts.authenticatorApp`. */
export function isAuthenticatorAppSignIn(s: ClassifiedSignIn): boolean {
  return (s.traits & AUTHENTICATOR_APP) !== 0;
}

/** `facts.registrationInterrupt` or `facts.securityInfoApp`. */
export function isInterruptOrSecurityInfo(s: ClassifiedSignIn): boolean {
  return (s.traits & REGISTRATION) !== 0;
}

/** proofCouldUseAuthenticator of `facts.mfa` (false without one). */
export function couldUseAuthenticator(s: ClassifiedSignIn): boolean {
  return (s.traits & COULD_USE_AUTHENTICATOR) !== 0;
}

function byTime(x: ClassifiedSignIn, y: ClassifiedSignIn): number {
  if (x.at !== y.at) return x.at - y.at;
  return x.signIn.id < y.signIn.id ? -1 : x.signIn.id > y.signIn.id ? 1 : 0;
}

/**
 * Evidence sign-ins grouped by user, in time order (ties by id). One pass over the sign-ins, which
 * notes what each says and whose it is; the ClassifiedSignIns are then made user by user.
 */
export function indexSignIns(
  signIns: readonly SignIn[] | undefined,
  users: UserResolver,
): Map<string, ClassifiedSignIn[]> {
  if (signIns === undefined) return new Map();
  const owners = new Int32Array(signIns.length);
  const times = new Float64Array(signIns.length);
  const traits = new Uint16Array(signIns.length);
  const kept: SignIn[] = [];
  const keptFacts: SignInFacts[] = [];
  for (let i = 0; i < signIns.length; i++) {
    const signIn = signIns[i]!;
    const facts = signInFacts(signIn);
    if (facts === undefined) continue;
    const at = toMs(signIn.createdDateTime);
    if (at === undefined) continue;
    const owner = users.positionOf(signIn.userId) ?? users.positionOf(signIn.userPrincipalName);
    if (owner === undefined) continue;
    const j = kept.length;
    owners[j] = owner;
    times[j] = at;
    traits[j] = traitsOf(facts);
    kept.push(signIn);
    keptFacts.push(facts);
  }
  const byUser = groupByUser(owners, kept.length, users, (j) => ({
    signIn: kept[j]!,
    at: times[j]!,
    facts: keptFacts[j]!,
    traits: traits[j]!,
  }));
  byUser.forEach((list) => sortMostlySorted(list, byTime));
  return byUser;
}
