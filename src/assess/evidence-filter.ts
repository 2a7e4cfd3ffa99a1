import type { AuditEvent, SignIn } from '../domain/tenant.js';
import { auditFacts, slimAudit } from './audit-facts.js';
import { SignInFactsPool, signInFacts, slimSignIn } from './sign-in-facts.js';

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
 * The evidence rules, for the export reader (src/load/evidence-rules.ts has their shape): its filters and
 * how it slims events. The reader comes before the assessment and does not import it; its worker
 * threads, which cannot be handed a function, import this object from `moduleUrl`.
 */
export const EVIDENCE_RULES = {
  moduleUrl: import.meta.url,
  isEvidenceSignIn,
  isEvidenceAudit,
  isMethodsSignal,
  slimmer() {
    // One pool per read: the sign-ins of a read share their facts objects.
    const pool = new SignInFactsPool();
    return { signIn: (s: SignIn): SignIn => slimSignIn(s, pool), audit: slimAudit };
  },
} as const;
