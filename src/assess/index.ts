/** The assess step: a pure verdict engine over a TenantSnapshot. */
export { assess } from './assess.js';
export { EVIDENCE_RULES, isEvidenceAudit, isEvidenceSignIn, isMethodsSignal } from './evidence-filter.js';
