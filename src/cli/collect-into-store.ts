import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { CollectBaseline } from '../domain/baseline.js';
import { holdWriteLock, openStore, readBaseline } from '../store/index.js';
import type { CliDeps } from './deps.js';
import type { Io } from './output.js';
import { storeFile } from './stored-snapshot.js';
import { readFolderRun, retainDaysFlag, storeRun, writtenRunText } from './store-run.js';
import { requireFinishedCollection } from './unfinished-collection.js';

export interface StoreCollectFlags {
  out?: string;
  db?: string;
  retain?: string;
  resume?: boolean;
  replace?: boolean;
  skipBadRecords?: boolean;
  quiet?: boolean;
}

/** What the collection is asked beyond the command's own flags. */
export interface CollectInto {
  resume?: boolean;
  baseline?: CollectBaseline;
}

/**
 * The folder a collection into the history is gathered in before it is stored: beside the database,
 * so that a collection stopped half-way (Ctrl+C, a lost connection, kill -9) is resumed by the next
 * `collect`, which holds the same write lock and so is the only one using it.
 */
export const stagingFolder = (dbFile: string) => `${dbFile}.collecting`;

/**
 * `collect` into the history: holds the database's write lock for the whole collection (another
 * collect or import gets "busy", exit 3), hands the collector what the latest run knows (a refresh
 * asks Graph only for what is new), then stores the finished collection as one run and commits.
 * Nothing is stored from a collection that did not finish: the next run resumes it.
 */
export async function collectIntoStore(
  flags: StoreCollectFlags,
  io: Io,
  deps: CliDeps,
  collect: (dir: string, request: CollectInto) => Promise<unknown>,
): Promise<void> {
  const retainDays = retainDaysFlag(flags.retain);
  const file = storeFile(flags.db, io.env);
  const store = openStore(file);
  try {
    const lock = holdWriteLock(store);
    try {
      const baseline = readBaseline(store);
      const staging = flags.out === undefined ? stagingFolder(file) : undefined;
      const dir = flags.out ?? (staging as string);
      if (staging !== undefined && flags.replace === true)
        await rm(staging, { recursive: true, force: true });
      // The staging folder left by an interrupted run is continued, not started over.
      const resume = flags.resume === true || (staging !== undefined && existsSync(staging));
      if (staging !== undefined && resume && flags.resume !== true && flags.quiet !== true)
        io.stderr.write(`mfa-ready: continuing the collection that was interrupted (${staging})\n`);
      await collect(dir, {
        ...(resume ? { resume: true } : {}),
        ...(baseline !== undefined ? { baseline } : {}),
      });
      await requireFinishedCollection(dir, false, '; then it is stored in the history database.');
      const folder = await readFolderRun(dir, { skipBadRecords: flags.skipBadRecords === true });
      const written = storeRun(store, folder, {
        source: 'collect',
        now: () => deps.now?.() ?? new Date(),
        ...(retainDays !== undefined ? { retainDays } : {}),
      });
      lock.commit();
      if (staging !== undefined) await rm(staging, { recursive: true, force: true });
      if (flags.quiet !== true)
        io.stderr.write(
          `mfa-ready: stored as run ${written.runId} in ${file}: ${writtenRunText(written)}` +
            `. Assess it with: mfa-ready audit${flags.db !== undefined ? ` --db ${flags.db}` : ''}\n`,
        );
    } catch (err) {
      lock.rollback();
      throw err;
    }
  } finally {
    store.close();
  }
}
