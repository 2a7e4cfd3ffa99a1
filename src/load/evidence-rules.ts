export type { EvidenceRules, EventSlimmer } from '../domain/evidence-rules.js';

export const RULES_EXPORT = 'EVIDENCE_RULES';

/** The filters a worker thread can run, by the name it is told. */
export const FILTER_NAMES = ['isEvidenceSignIn', 'isEvidenceAudit', 'isMethodsSignal'] as const;
export type FilterName = (typeof FILTER_NAMES)[number];
