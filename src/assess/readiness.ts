import type { DomainInfo, MethodKind } from '../domain/tenant.js';
import type { Confidence } from '../domain/verdict.js';
import type { TimedAuditFact } from './audit-timeline.js';
import type { DeviceLedger } from './authenticator-devices.js';
import { deviceStatus } from './authenticator-devices.js';
import type { Clock } from './clock.js';
import type { Inventory } from './method-inventory.js';
import { isMfaKind } from './method-kinds.js';
import type { MethodFinding } from './method-states.js';
import { isAppMethodType, isPhoneMethodType } from './modified-properties.js';
import type { SignInSummary } from './sign-in-evidence.js';
import { isWithinRetention } from './sign-in-evidence.js';
import { rejectsFederatedMfa } from './federated-domains.js';
import type { ClassifiedSignIn } from './sign-in-index.js';
import {
  isClaimProof,
  isDirectProof,
  isEarlierProof,
  isFederatedClaim,
  isStrongDirectProof,
  isTapOnlySignIn,
} from './sign-in-index.js';

/** Why a user can do MFA, when they can. */
export interface Readiness {
  /** Methods that are registered, completed and allowed. */
  usable: MethodFinding[];
  /**
   * A sign-in shows MFA satisfied by a claim, and federation is evident (federated UPN domain, or a
   * token from a federated IdP) and not refused by the domain's `federatedIdpMfaBehavior`.
   */
  byFederatedClaim: boolean;
  /**
   * No current methods list, and a sign-in that did MFA now by a registrable method (not a Temporary
   * Access Pass, not a method the log names in a way unknown here) newer than what the inventory is
   * as of (and no deletion since).
   */
  byProof: boolean;
  /** Only methods of unknown kind, and an uncontradicted report that says MFA capable. */
  byReport: boolean;
  ready: boolean;
}

/** Shared by the readiness of every user without a usable method: never mutated. */
const NONE_USABLE: MethodFinding[] = [];

/**
 * A sign-in that shows MFA was done now by a registrable method, or at a federated IdP Entra accepts:
 * what makes a user ready on its own (within the retention window, `proven`).
 */
function provesMfa(s: ClassifiedSignIn, domain: DomainInfo | undefined): boolean {
  return isStrongDirectProof(s) || isFederatedClaim(s, domain);
}

/**
 * A sign-in that shows MFA was done at some time, though not by what it proves now: a claim carried
 * over from earlier in the session, a remembered device, MFA done now by a method the log names in a
 * way unknown here. It never makes a user ready; it only says a ready user has done MFA before, as an
 * MFA sign-in older than the window does. A Temporary Access Pass sign-in proves no registered method;
 * a claim the domain refuses from its IdP proves nothing.
 */
function showsEarlierMfa(s: ClassifiedSignIn, domain: DomainInfo | undefined): boolean {
  if (isEarlierProof(s)) return true;
  if (isClaimProof(s)) return !rejectsFederatedMfa(domain);
  return isDirectProof(s) && !isTapOnlySignIn(s);
}

export function readinessOf(
  findings: readonly MethodFinding[],
  inventory: Inventory,
  signIns: SignInSummary,
  facts: readonly TimedAuditFact[],
  domain: DomainInfo | undefined,
  report: { isMfaCapable: boolean; stale: boolean },
): Readiness {
  // Loops rather than filters: this runs for every user, and most findings lists hold one method.
  let usable: MethodFinding[] = NONE_USABLE;
  let candidates = 0;
  let unknown = 0;
  for (const f of findings) {
    if (f.state === 'usable') {
      if (usable === NONE_USABLE) usable = [];
      usable.push(f);
    }
    if (f.state !== 'not-mfa') candidates++;
    if (f.state === 'unknown') unknown++;
  }
  let byFederatedClaim = false;
  for (const s of signIns.proofs) if (isFederatedClaim(s, domain)) byFederatedClaim = true;
  let byProof = false;
  // The methods list is current, so a sign-in cannot add to it; the report and the log can be behind.
  if (inventory.origin !== 'methods' && signIns.proofs.length > 0) {
    const asOf = inventory.asOf ?? Number.NEGATIVE_INFINITY;
    let lastDeletion = Number.NEGATIVE_INFINITY;
    for (const f of facts) if (f.fact.kind === 'deleted') lastDeletion = f.at;
    byProof = signIns.proofs.some((s) => isStrongDirectProof(s) && s.at > asOf && s.at > lastDeletion);
  }
  const byReport = report.isMfaCapable && !report.stale && candidates > 0 && unknown === candidates;
  return {
    usable,
    byFederatedClaim,
    byProof,
    byReport,
    ready: usable.length > 0 || byFederatedClaim || byProof || byReport,
  };
}

/** The method kinds a completed registration in the audit log speaks for; `null` when it names none. */
function kindsRegistered(fact: TimedAuditFact['fact']): MethodKind[] | null | undefined {
  if (fact.kind === 'registered') {
    if (fact.method === undefined) return null;
    return fact.method.notMfa === true || !isMfaKind(fact.method.kind) ? undefined : [fact.method.kind];
  }
  if (fact.kind === 'strong-auth-methods') {
    const kinds: MethodKind[] = [];
    if (fact.after.some((m) => isAppMethodType(m.methodType))) kinds.push('microsoftAuthenticator');
    if (fact.after.some((m) => isPhoneMethodType(m.methodType))) kinds.push('phone');
    return kinds.length > 0 ? kinds : undefined;
  }
  return undefined;
}

/**
 * Whether the audit log shows the completed registration of a method the user can use now: a device
 * completed in the ledger, a method added by a registration event, or a registration event (or
 * StrongAuthenticationMethod change) for a usable kind. A registration of a method since deleted
 * does not count.
 */
function hasCompletedRegistration(
  usable: readonly MethodFinding[],
  facts: readonly TimedAuditFact[],
  ledger: DeviceLedger,
): boolean {
  const kinds = new Set(usable.map((f) => f.entry.kind));
  if (kinds.size === 0) return false;
  for (const f of usable) {
    if (f.entry.registeredBy !== undefined) return true;
    if (f.entry.device !== undefined && deviceStatus(f.entry.device, ledger) === 'completed') return true;
  }
  for (const { fact } of facts) {
    const registered = kindsRegistered(fact);
    if (registered === null) return true;
    if (registered?.some((k) => kinds.has(k))) return true;
  }
  return false;
}

/**
 * How strongly `ready` is supported: `proven` by a sign-in within the retention window that did MFA
 * by a registrable method or at an accepted federated IdP (provesMfa), `registered` by a completed
 * registration in the audit log, such a sign-in older than the window, or a sign-in that shows MFA
 * done earlier (showsEarlierMfa), `reported` by the report and methods list alone. `null` for every
 * other verdict.
 */
export function confidenceOf(
  ready: boolean,
  readiness: Readiness,
  signIns: SignInSummary,
  facts: readonly TimedAuditFact[],
  ledger: DeviceLedger,
  clock: Clock,
  domain: DomainInfo | undefined,
): Confidence {
  if (!ready) return null;
  let earlier = false;
  for (const s of signIns.proofs) {
    if (provesMfa(s, domain)) {
      if (isWithinRetention(s, clock)) return 'proven';
      earlier = true;
    } else if (showsEarlierMfa(s, domain)) {
      earlier = true;
    }
  }
  if (earlier || hasCompletedRegistration(readiness.usable, facts, ledger)) return 'registered';
  return 'reported';
}
