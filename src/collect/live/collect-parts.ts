import { DATASET_FILES } from '../../domain/datasets.js';
import type { DatasetName } from '../../domain/datasets.js';
import type { CollectPart } from '../../domain/collection.js';

/** What `--only` selects: the user-facing names of what a collection can hold. */
export const COLLECT_DATASETS = [
  'users',
  'registration',
  'methods',
  'audits',
  'signins',
  'groups',
  'policies',
] as const;
export type CollectDataset = (typeof COLLECT_DATASETS)[number];

export function isCollectDataset(value: string): value is CollectDataset {
  return (COLLECT_DATASETS as readonly string[]).includes(value);
}

export { COLLECT_PARTS } from '../../domain/collection.js';
export type { CollectPart } from '../../domain/collection.js';

/** How a part is stored in the export folder. */
export type PartStorage =
  /** One entity per line, appended page by page (resumable at page granularity). */
  | 'ndjson'
  /** One Graph page `{"value":[…]}` written once the collection is complete (small collections). */
  | 'page'
  /** One object, as GET returned it. */
  | 'single'
  /** One file per entity in a folder (`authenticationMethods/<id>.json`, `groupMembers/<id>.json`). */
  | 'folder';

/**
 * `users.json` and the rest keep their export-format names (src/domain/datasets.ts); NDJSON files
 * take the `.ndjson` extension, which the reader looks for when the `.json` is absent.
 */
function ndjson(dataset: DatasetName): string {
  return DATASET_FILES[dataset].replace(/\.json$/i, '.ndjson');
}

/** Not in the export format (the verdict engine does not read it yet): users' `signInActivity`. */
export const SIGN_IN_ACTIVITY_FILE = 'signInActivity.ndjson';

export interface PartSpec {
  /** Which `--only` value selects it; `always` for tenant.json; `lastSignIn` for `--last-sign-in`. */
  selectedBy: CollectDataset | 'always' | 'lastSignIn';
  /** The export dataset it feeds (coverage), when it feeds one. */
  dataset?: DatasetName;
  storage: PartStorage;
  /** File or folder name inside the export folder. */
  file: string;
}

export const PART_SPECS: Readonly<Record<CollectPart, PartSpec>> = {
  tenant: { selectedBy: 'always', dataset: 'tenant', storage: 'single', file: DATASET_FILES.tenant },
  users: { selectedBy: 'users', dataset: 'users', storage: 'ndjson', file: ndjson('users') },
  registration: {
    selectedBy: 'registration',
    dataset: 'registration',
    storage: 'ndjson',
    file: ndjson('registration'),
  },
  conditionalAccess: {
    selectedBy: 'policies',
    dataset: 'conditionalAccess',
    storage: 'page',
    file: DATASET_FILES.conditionalAccess,
  },
  methodsPolicy: {
    selectedBy: 'policies',
    dataset: 'methodsPolicy',
    storage: 'single',
    file: DATASET_FILES.methodsPolicy,
  },
  securityDefaults: {
    selectedBy: 'policies',
    dataset: 'securityDefaults',
    storage: 'single',
    file: DATASET_FILES.securityDefaults,
  },
  domains: { selectedBy: 'policies', dataset: 'domains', storage: 'page', file: DATASET_FILES.domains },
  roleAssignments: {
    selectedBy: 'policies',
    dataset: 'roleAssignments',
    storage: 'page',
    file: DATASET_FILES.roleAssignments,
  },
  groups: { selectedBy: 'groups', dataset: 'groups', storage: 'ndjson', file: ndjson('groups') },
  groupMembers: {
    selectedBy: 'groups',
    dataset: 'groupMembers',
    storage: 'folder',
    file: DATASET_FILES.groupMembers,
  },
  audits: { selectedBy: 'audits', dataset: 'audits', storage: 'ndjson', file: ndjson('audits') },
  // Both sign-in queries append to the one file the reader knows (it reads a single signIns file).
  signInsInteractive: {
    selectedBy: 'signins',
    dataset: 'signIns',
    storage: 'ndjson',
    file: ndjson('signIns'),
  },
  signInsNonInteractive: {
    selectedBy: 'signins',
    dataset: 'signIns',
    storage: 'ndjson',
    file: ndjson('signIns'),
  },
  signInActivity: { selectedBy: 'lastSignIn', storage: 'ndjson', file: SIGN_IN_ACTIVITY_FILE },
  methods: { selectedBy: 'methods', dataset: 'methods', storage: 'folder', file: DATASET_FILES.methods },
};

/** Whether this run collects `part`, given `--only` (all when absent) and `--last-sign-in`. */
export function isPartSelected(
  part: CollectPart,
  only: readonly CollectDataset[] | undefined,
  lastSignIn: boolean,
): boolean {
  const by = PART_SPECS[part].selectedBy;
  if (by === 'always') return true;
  if (by === 'lastSignIn') return lastSignIn;
  return only === undefined || only.includes(by);
}

/** Every file name a part may have left behind, `.json` and `.ndjson` alike (a fresh run removes them). */
export function filesOf(part: CollectPart): string[] {
  const { file, storage } = PART_SPECS[part];
  if (storage === 'folder') return [file];
  const base = file.replace(/\.(nd)?json$/i, '');
  return [`${base}.json`, `${base}.ndjson`];
}
