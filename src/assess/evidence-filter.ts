import type { AuditEvent, SignIn } from '../domain/tenant.js';
import { auditFacts } from './audit-facts.js';
import { signInFacts } from './sign-in-facts.js';

/**
 * Whether a sign-in can matter to any rule. The loader keeps only these so that a tenant's hundreds of
 * MB of sign-ins fit in memory. It is the very classifier the rules index by, so the filter cannot drop
 * what a rule reads.
 */
export function isEvidenceSignIn(s: SignIn): boolean {
  return signInFacts(s) !== undefined;
}

/** Whether a directory-audit event can matter to any rule (same classifier as the rules, as above). */
export function isEvidenceAudit(a: AuditEvent): boolean {
  return auditFacts(a).length > 0;
}

/**
 * Whether a sign-in can change which users' methods lists the collector reads: a registration
 * interrupt, a My Signins or Authenticator-app sign-in, or MFA satisfied by a claim (federated users).
 * MFA done in the sign-in itself, most of the evidence, does not: the collector's choice does not read
 * it (src/collect/live/methods-needs.ts), so its re-read of a large export need not hold it.
 */
export function isMethodsSignal(s: SignIn): boolean {
  const facts = signInFacts(s);
  if (facts === undefined) return false;
  return (
    facts.registrationInterrupt ||
    facts.securityInfoApp ||
    facts.authenticatorApp ||
    facts.mfa?.kind === 'claim'
  );
}

/**
 * The filters above by name, for the export reader's worker threads: a function cannot cross to a
 * thread, its name can, and the worker imports this same table to run it. A filter not listed here
 * keeps a big file on the main thread.
 */
export const NAMED_FILTERS = { isEvidenceSignIn, isMethodsSignal, isEvidenceAudit } as const;

export type FilterName = keyof typeof NAMED_FILTERS;
