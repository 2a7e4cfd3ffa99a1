import type { AuditEvent, SignIn } from './tenant.js';

/**
 * What the reader needs from the step that uses the events: which sign-ins and audit events can matter,
 * and their slim form (the facts the rules read instead of the fields they are read from). The
 * assessment gives it (src/assess/evidence-filter.ts EVIDENCE_RULES); the reader comes before the
 * assessment in the pipeline and does not import it. A worker thread cannot be handed a function, so
 * it imports this same object from `moduleUrl` and is told the name of the filter to run.
 */
export interface EvidenceRules {
  /** The ES module that exports this object as `EVIDENCE_RULES` (that module's own `import.meta.url`). */
  readonly moduleUrl: string;
  /** Whether a sign-in can matter to any rule. */
  readonly isEvidenceSignIn: (s: SignIn) => boolean;
  /** Whether a directory-audit event can matter to any rule. */
  readonly isEvidenceAudit: (a: AuditEvent) => boolean;
  /** Whether a sign-in can change which users' methods lists the collector reads (fewer than isEvidenceSignIn). */
  readonly isMethodsSignal: (s: SignIn) => boolean;
  /** A slimmer for one read: it pools what many sign-ins share. */
  slimmer(): EventSlimmer;
}

/** Makes an event slim: a new object with its facts (SignIn.facts, AuditEvent.facts) and not the fields they came from. */
export interface EventSlimmer {
  signIn(s: SignIn): SignIn;
  audit(a: AuditEvent): AuditEvent;
}

/** The export a worker thread reads the rules from, in the module at `moduleUrl`. */
