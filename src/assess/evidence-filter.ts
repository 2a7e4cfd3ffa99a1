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
