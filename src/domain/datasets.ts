import type { InputLocation } from './errors.js';

/** The datasets an export folder (or a live collection) can hold, and the file each one lives in. */
export const DATASETS = [
  'tenant',
  'users',
  'registration',
  'methods',
  'audits',
  'signIns',
  'groups',
  'groupMembers',
  'conditionalAccess',
  'methodsPolicy',
  'securityDefaults',
  'domains',
  'roleAssignments',
] as const;

export type DatasetName = (typeof DATASETS)[number];

/** File (or folder, for per-entity data) inside an export folder for each dataset. */
export const DATASET_FILES: Record<DatasetName, string> = {
  tenant: 'tenant.json',
  users: 'users.json',
  registration: 'userRegistrationDetails.json',
  methods: 'authenticationMethods',
  audits: 'directoryAudits.json',
  signIns: 'signIns.json',
  groups: 'groups.json',
  groupMembers: 'groupMembers',
  conditionalAccess: 'conditionalAccessPolicies.json',
  methodsPolicy: 'authenticationMethodsPolicy.json',
  securityDefaults: 'securityDefaults.json',
  domains: 'domains.json',
  /** GET /roleManagement/directory/roleAssignments: who holds which directory role (Conditional Access role conditions). */
  roleAssignments: 'roleAssignments.json',
};

export interface DatasetCoverage {
  present: boolean;
  /** Entities read (for per-entity folders: files read). */
  rows: number;
  /** Records left out by `--skip-bad-records` (absent when none were). */
  skipped?: SkippedRecords;
  /** Sign-ins and directory audits: the oldest and newest time among the entities read. */
  oldest?: string;
  newest?: string;
  /** The collector's state says it stopped before this dataset was read in full (readCollectionState). */
  incomplete?: true;
}

/**
 * The datasets whose broken records `--skip-bad-records` may leave out: the event logs, where one
 * malformed event among thousands says little, and where the coverage then says evidence is missing.
 * Never the users, the registration report (a skipped user would vanish from the report, or lose the
 * row its verdict rests on) nor the policies and the rest (one of them decides what counts for many users).
 */
export const SKIPPABLE_DATASETS: ReadonlySet<DatasetName> = new Set(['audits', 'signIns']);

/** Records of one file that `--skip-bad-records` left out. */
export interface SkippedRecords {
  /** The file read (as found in the export folder). */
  file: string;
  count: number;
  /** Where the first few are (file, line, entity, field), in file order. */
  first: InputLocation[];
}

export type Coverage = Record<DatasetName, DatasetCoverage>;
