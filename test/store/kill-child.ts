/**
 * Child process of test/store/kill.test.ts: `mfa-ready import DIR --db FILE` as src/cli/store-run.ts
 * does it (the history joined, the whole tenant assessed, one writeRun transaction), with a stop in
 * the middle of the transaction: after MARK_AT user rows it says so on stdout and blocks, holding the
 * write open, until the parent kills it (kill -9). Run with `node --import tsx`.
 *
 *   node --import tsx test/store/kill-child.ts DB DIR MARK_AT
 */
import { writeSync } from 'node:fs';
import { load } from '../../src/load/index.js';
import { assess, EVIDENCE_RULES } from '../../src/assess/index.js';
import { runSummary } from '../../src/assess/funnel.js';
import { resolveScope } from '../../src/assess/scope-resolution.js';
import { openStore, withStoredHistory, writeRun } from '../../src/store/index.js';

const [db, dir, markAt] = process.argv.slice(2) as [string, string, string];
const stopAt = Number(markAt);

const fresh = await load({ kind: 'folder', dir }, 'store', { rules: EVIDENCE_RULES });
const store = openStore(db);
// A small page cache: the open transaction spills its pages into the WAL after a few hundred users,
// as a 100,000-user tenant's does with the default cache (https://www.sqlite.org/pragma.html#pragma_cache_size).
store.db.pragma('cache_size = -256');
const collectedAt = fresh.tenant.collectedAt ?? new Date().toISOString();
const joined = withStoredHistory(store, fresh, { carryMethods: false });
const scope = resolveScope(joined.snapshot, {
  scopeGroups: [],
  excludeGroups: [],
  excludeUsers: [],
  excludeServiceAccounts: false,
});
const assessment = assess(joined.snapshot, { now: new Date(collectedAt), scope: scope.values }, scope);
writeRun(store, joined.snapshot, {
  source: 'import',
  toolVersion: 'kill-test',
  startedAt: new Date().toISOString(),
  assessment: { assessment, summary: runSummary(assessment) },
  events: joined.fresh,
  afterUser: (written) => {
    if (written !== stopAt) return;
    writeSync(1, `MARK ${written}\n`);
    // Block this thread inside the open transaction; the parent kills it well before this returns.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 120_000);
    throw new Error('not killed within 120 s');
  },
});
// Reached only if MARK_AT was never reached (fewer users): the parent treats this as a failure.
writeSync(1, 'FINISHED\n');
