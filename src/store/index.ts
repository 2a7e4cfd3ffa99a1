export { holdWriteLock, openStore, type Store, type OpenStoreOptions } from './open-store.js';
export { resolveStorePath, type StorePathInputs } from './store-path.js';
export { SCHEMA_VERSION } from './migrations.js';
export { writeRun, type RunSource, type WriteRunOptions, type WrittenRun } from './write-run.js';
export {
  latestRun,
  listRuns,
  readBaseline,
  readEvents,
  readRunSnapshot,
  readRunUsers,
  readRunVerdicts,
  readHoldingVerdicts,
  type HoldingVerdicts,
  type ReadSnapshotOptions,
} from './read-run.js';
export { readRunDatasets } from './run-datasets.js';
export { countUserEvents, findStoredUserIds, readUserVerdicts, storedUserNames } from './read-user.js';
export { withStoredHistory, type WithHistory, type WithHistoryOptions } from './with-history.js';
export type { AssessmentFrame, PolicyFingerprints } from './run-datasets.js';
export { ASSESSMENT_FRAME } from './run-datasets.js';
export { auditUserId, FILED_OWNERS } from './write-run.js';
export {
  listPlans,
  readPlan,
  savePlan,
  setPlanState,
  type PlanKind,
  type PlanState,
  type StoredPlan,
} from './plans.js';
export {
  journalOutcomes,
  journalPending,
  readJournal,
  type JournalEntry,
  type JournalStatus,
  type NewJournalEntry,
} from './journal.js';
