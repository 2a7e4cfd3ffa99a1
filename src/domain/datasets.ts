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
};

export interface DatasetCoverage {
  present: boolean;
  /** Entities read (for per-entity folders: files read). */
  rows: number;
  /** Sign-ins and directory audits: the oldest and newest time among the entities read. */
  oldest?: string;
  newest?: string;
  /** The collector's state says it stopped before this dataset was read in full (readCollectionState). */
  incomplete?: true;
}

export type Coverage = Record<DatasetName, DatasetCoverage>;
