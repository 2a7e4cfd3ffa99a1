/**
 * The words of mfa-ready: every code the engine emits (verdicts, confidences, method states, evidence,
 * actions) is turned into text here and only here, as zod keeps its messages apart from its checks.
 * Each table is exhaustive over its union, so a new code without words is a compile error.
 */
export { evidenceText } from './evidence-messages.js';
export { actionBrief, actionText, SECURITY_INFO_URL } from './action-messages.js';
export {
  confidenceLabel,
  datasetWords,
  exclusionLabel,
  methodKindLabel,
  methodStateLabel,
  sourceLabel,
  verdictLabel,
  verdictMeaning,
} from './labels.js';
export { reasonText, tellingEvidence } from './reason.js';
