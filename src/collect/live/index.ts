/** The live collector: Microsoft Graph → the export folder `mfa-ready audit --from DIR` reads. */
export {
  collectTenant,
  DEFAULT_AUDIT_DAYS,
  DEFAULT_SIGN_IN_DAYS,
  REFRESH_OVERLAP_MS,
} from './collect-tenant.js';
export type { CollectOptions } from './collect-tenant.js';
export { preflight } from './preflight.js';
export { checkWrites, preflightWrites } from './preflight.js';
export type { WriteEvidence } from './preflight.js';
export type { PreflightOptions, PreflightReport, ProbeResult, ProbeState } from './preflight.js';
export type {
  CollectResult,
  GroupsOutcome,
  MethodsOutcome,
  PartResult,
  PartStatus,
  SkipReason,
} from '../../domain/collect-result.js';
export {
  COLLECT_DATASETS,
  COLLECT_PARTS,
  PART_SPECS,
  SIGN_IN_ACTIVITY_FILE,
  isCollectDataset,
} from './collect-parts.js';
export type { CollectDataset, CollectPart, PartSpec, PartStorage } from './collect-parts.js';
export { LOSS_BY_PART, LOSS_CODES } from './confidence-loss.js';
export type { ConfidenceLoss, LossCode } from './confidence-loss.js';
export type { FailureInfo, FailureKind } from './failure-info.js';
export { isMethodsMode, METHODS_MODES, METHODS_REASONS } from '../../domain/methods-plan.js';
export type {
  BulkEvidence,
  CollectPlanner,
  MethodsMode,
  MethodsNeed,
  MethodsPlan,
  MethodsReason,
  ReportAbsence,
} from '../../domain/methods-plan.js';
export { DEFAULT_METHODS_BUDGET_MINUTES, reportsCallsIn } from './collect-methods.js';
export { groupsThatMatter } from './groups-that-matter.js';
export type { GroupSources, GroupsThatMatter, GroupWhy } from './groups-that-matter.js';
export type { CollectProgressEvent, ThrottleSnapshot } from './progress.js';
export type { CollectSource } from './run-context.js';
export { STATE_FILE } from './checkpoint.js';
export * as graphQueries from './graph-queries.js';
