import { openStore } from '../../store/index.js';
import { storeFile } from '../stored-snapshot.js';
import { readFolderRun, retainDaysFlag, storeRun, writtenRunText } from '../store-run.js';
import type { CliDeps } from '../deps.js';
import type { Io } from '../output.js';
import { requireFinishedCollection } from '../unfinished-collection.js';

export interface ImportFlags {
  db?: string;
  /** `--retain DAYS`: stored events older than this many days before the collection are deleted. */
  retain?: string;
  quiet?: boolean;
}

/**
 * `mfa-ready import DIR`: reads an export folder (the same reader and evidence filters as `audit
 * --from`, events slim as the history keeps them) and writes it to the history database as one run, in one transaction,
 * marked complete at its end.
 */
export async function importCommand(dir: string, flags: ImportFlags, io: Io, deps: CliDeps): Promise<void> {
  await requireFinishedCollection(dir, false, ', then import it.');
  const file = storeFile(flags.db, io.env);
  const retainDays = retainDaysFlag(flags.retain);
  const folder = await readFolderRun(dir);
  const store = openStore(file);
  try {
    const written = storeRun(store, folder, {
      source: 'import',
      now: () => deps.now?.() ?? new Date(),
      ...(retainDays !== undefined ? { retainDays } : {}),
    });
    if (flags.quiet !== true)
      io.stderr.write(
        `mfa-ready: imported ${dir} into ${file} as run ${written.runId}: ${writtenRunText(written)}\n`,
      );
  } finally {
    store.close();
  }
}
