import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { demoDays } from '../demo/demo-days.js';
import { latestRun, openStore } from '../store/index.js';
import { readFolderRun, storeRun } from './store-run.js';

/**
 * `--demo` for the commands that read the history (`history`, `diff`, `user --history`): a few days of
 * the demo tenant's rollout, each day's export stored as a run, in a throwaway database unless `--db`
 * names one (then the days not stored yet are added). `use` gets the database file; the throwaway one
 * is removed afterwards.
 */
export async function withDemoHistory<T>(
  dbFlag: string | undefined,
  use: (file: string) => Promise<T>,
): Promise<T> {
  const scratch = await mkdtemp(path.join(tmpdir(), 'mfa-ready-demo-history-'));
  try {
    const file = dbFlag ?? path.join(scratch, 'demo.db');
    const store = openStore(file);
    try {
      const storedUpTo = latestRun(store)?.collectedAt ?? null;
      for (const day of demoDays()) {
        if (storedUpTo !== null && Date.parse(day.collectedAt) <= Date.parse(storedUpTo)) continue;
        const dir = path.join(scratch, `day-${day.day}`);
        await day.writeExport(dir);
        storeRun(store, await readFolderRun(dir), {
          source: 'import',
          now: () => new Date(day.collectedAt),
        });
      }
    } finally {
      store.close();
    }
    return await use(file);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
