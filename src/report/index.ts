/** The renderers: pure functions from an `Assessment` to text. The CLI chooses one and writes it. */
export { renderTable } from './table.js';
export type { TableOptions } from './table.js';
export { renderJson, renderJsonChunks, toAssessmentJson, assessmentJsonSchema } from './json.js';
export type { AssessmentJson } from './json.js';
export { renderCsv, neutraliseFormula, CSV_COLUMNS } from './csv.js';
export type { CsvOptions } from './csv.js';
export { renderUserDetail, timeline } from './user-detail.js';
export type { UserDetailOptions } from './user-detail.js';
export {
  actionBrief,
  actionText,
  confidenceLabel,
  evidenceText,
  methodStateLabel,
  reasonText,
  verdictLabel,
  verdictMeaning,
} from './messages.js';
export { safeText } from './sanitize.js';
export { skippedDatasets, skippedRecordsText } from './skipped-records.js';
export { compareWorstFirst, readiness, usersNeedingAction } from './summary.js';
