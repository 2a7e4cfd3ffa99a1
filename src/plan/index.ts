/** The planner the collector asks (src/domain/methods-plan.ts CollectPlanner): whom to read per user. */
import { EVIDENCE_RULES, isEvidenceAudit, isMethodsSignal } from '../assess/index.js';
import type { CollectPlanner } from '../domain/methods-plan.js';
import { methodsReads } from './methods-reads.js';
import { registrationReads } from './registration-reads.js';

export const collectPlanner: CollectPlanner = {
  rules: EVIDENCE_RULES,
  keepAudit: isEvidenceAudit,
  keepSignIn: isMethodsSignal,
  registrationReads,
  methodsReads,
};

export {
  countReasons,
  DEFAULT_METHODS_MAX_AGE_DAYS,
  fetchedByDefault,
  methodsReads,
  planMethods,
  usersNeedingMethods,
} from './methods-reads.js';
export { DEFAULT_REPORT_MAX_AGE_DAYS, registrationReads } from './registration-reads.js';
export { changesSince } from './refresh-changes.js';
export type { RefreshChanges } from './refresh-changes.js';
