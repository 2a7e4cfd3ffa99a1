/** The assess step: a pure verdict engine over a TenantSnapshot. */
export { assess } from './assess.js';
export { isEvidenceAudit, isEvidenceSignIn } from './evidence-filter.js';
