import { homedir } from 'node:os';
import { load } from '../../load/index.js';
import { EVIDENCE_RULES } from '../../assess/index.js';
import { openStore, resolveStorePath } from '../../store/index.js';
import { policyFingerprints } from '../policy-fingerprints.js';
import { storeRun } from '../store-run.js';
import { wholeNumberFlag } from '../flag-values.js';
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
 * --from`, events kept whole) and writes it to the history database as one run, in one transaction,
 * marked complete at its end.
 */
export async function importCommand(dir: string, flags: ImportFlags, io: Io, deps: CliDeps): Promise<void> {
  await requireFinishedCollection(dir, false, ', then import it.');
  const file = resolveStorePath({
    platform: process.platform,
    env: io.env,
    homedir: homedir(),
    flag: flags.db,
  });
  const retainDays =
    flags.retain === undefined ? undefined : wholeNumberFlag('--retain', flags.retain, 1, 36_500);
  const snapshot = await load({ kind: 'folder', dir }, 'store', { rules: EVIDENCE_RULES });
  const store = openStore(file);
  try {
    const written = storeRun(store, snapshot, {
      source: 'import',
      // A refresh's folder (collect --out with a history) reads methods lists only where something
      // changed: the others are the history's, carried as a refresh into the store carries them.
      carryMethods: snapshot.tenant.baselineRunId !== undefined,
      now: () => deps.now?.() ?? new Date(),
      ...(retainDays !== undefined ? { retainDays } : {}),
      policyFingerprints: await policyFingerprints(dir),
    });
    if (flags.quiet !== true)
      io.stderr.write(
        `mfa-ready: imported ${dir} into ${file} as run ${written.runId}: ` +
          `${written.users} users (${written.changedUsers} new or changed, ${written.changedVerdicts} verdicts changed), ` +
          `${written.newEvents} new events` +
          (written.expiredEvents > 0 ? `, ${written.expiredEvents} events older than --retain deleted` : '') +
          '\n',
      );
  } finally {
    store.close();
  }
}
