/**
 * The load step: evidence, from where it is kept, into the domain's TenantSnapshot, in the form the
 * step that asked for it needs. One entry, `load(source, purpose, options)`; how a folder is read
 * (worker threads, codecs, string pools) stays behind it.
 */
import type { DatasetName } from '../domain/datasets.js';
import type { TenantSnapshot } from '../domain/tenant.js';
import type { RunInfo } from '../domain/history.js';
import { readRunSnapshot, type Store } from '../store/index.js';
import type { EvidenceRules } from './evidence-rules.js';
import { readExportFolder } from './read-export-folder.js';
import type { ReadExportFolderOptions } from './read-export-folder.js';

export type { EvidenceRules, EventSlimmer } from './evidence-rules.js';
export { NoUsersInExport } from './read-export-folder.js';
/** Single files of an export, for the collector reading back what it wrote (collect/live/collect-group-members.ts). */
export { readList, readSingle } from './read-dataset.js';
export {
  normaliseAuthenticationMethodsPolicy,
  normaliseConditionalAccessPolicy,
  normaliseGroup,
  normaliseRoleAssignment,
} from './schemas.js';

/** Where the evidence is kept: each kind is one branch of `load`. */
export type LoadSource =
  | { kind: 'folder'; dir: string }
  /** One complete run of the history database, with every stored event up to its collection time. */
  | {
      kind: 'store';
      store: Store;
      run: RunInfo;
      retainAfter?: string;
      /** Only these users and the events filed under them (src/store/read-run.ts ReadSnapshotOptions). */
      only?: readonly string[];
    };

/**
 * What the snapshot is for, which decides what of the event logs is kept, and in what form:
 * - `assess`: the events a rule can use, slimmed to their facts (`audit`: the least memory);
 * - `store`: the events a rule can use, slimmed to what the rules read, as `assess` keeps them (the
 *   history stores each event once by id with its facts: a 100,000-user history is read back and
 *   assessed in a fraction of the time and memory, and assesses exactly as the folder does);
 * - `choose-methods`: the collector's re-read of its own export to choose whose methods lists to read
 *   (src/collect/live/collect-methods.ts): the audit events a rule can use and only the sign-ins that
 *   can change that choice, slimmed, one worker thread per file (the collector's memory budget).
 */
export type LoadPurpose = 'assess' | 'store' | 'choose-methods';

export interface LoadOptions {
  /** The assessment's evidence rules (src/assess/evidence-filter.ts EVIDENCE_RULES). */
  rules: EvidenceRules;
  /**
   * `--skip-bad-records`: an unreadable entity of an event log is left out and counted in
   * `coverage[dataset].skipped` instead of stopping the read.
   */
  skipBadRecords?: boolean | undefined;
  /** Called now and then while a dataset is read, and once at its end with its final row count. */
  onProgress?: ((dataset: DatasetName, rows: number) => void) | undefined;
}

/**
 * Reads the evidence at `source` into a TenantSnapshot kept as `purpose` needs it.
 *
 * @throws {InputError} when the evidence cannot be read (naming the file, place and field);
 * NoUsersInExport when a folder holds neither users file.
 * @example
 * const snapshot = await load({ kind: 'folder', dir: './export' }, 'assess', { rules: EVIDENCE_RULES });
 */
export async function load(
  source: LoadSource,
  purpose: LoadPurpose,
  options: LoadOptions,
): Promise<TenantSnapshot> {
  switch (source.kind) {
    case 'folder':
      return readExportFolder(source.dir, folderOptions(purpose, options));
    case 'store':
      // Stored events are kept whole (as `store` reads a folder) whatever the purpose.
      return readRunSnapshot(source.store, source.run, {
        ...(source.retainAfter !== undefined ? { retainAfter: source.retainAfter } : {}),
        ...(source.only !== undefined ? { only: source.only } : {}),
      });
  }
}

function folderOptions(purpose: LoadPurpose, options: LoadOptions): ReadExportFolderOptions {
  const { rules } = options;
  const common: ReadExportFolderOptions = {
    rules,
    keepAudit: rules.isEvidenceAudit,
    ...(options.skipBadRecords === true ? { skipBadRecords: true } : {}),
    ...(options.onProgress !== undefined ? { onProgress: options.onProgress } : {}),
  };
  switch (purpose) {
    case 'assess':
    case 'store':
      return { ...common, keepSignIn: rules.isEvidenceSignIn, slimEvents: true };
    case 'choose-methods':
      return { ...common, keepSignIn: rules.isMethodsSignal, slimEvents: true, maxWorkersPerFile: 1 };
  }
}
