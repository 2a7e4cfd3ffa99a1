/**
 * `mfa-ready collect` into the history database, against the Graph emulator: the stored run is the
 * folder a `--no-store --out` collection writes, one collection holds the database for its whole
 * length, and a collection stopped half-way stores nothing and is continued by the next one.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdWriteLock, listRuns, openStore } from '../../src/store/index.js';
import { stagingFolder } from '../../src/cli/collect-into-store.js';
import { runCli } from '../support/cli.js';
import type { TestEmulator } from './live-support.js';
import { COLLECTED_AT, SECRET, STACK_LINE, runLive, startTestEmulator, tempDirs } from './live-support.js';

const temp = tempDirs();
afterAll(() => temp.cleanup());

describe('mfa-ready collect into the history database', () => {
  let t: TestEmulator;
  beforeAll(async () => {
    t = await startTestEmulator();
  });
  afterAll(() => t.close());

  it('stores one run that audit reads exactly as audit --from reads the same collection; no staging folder is left', async () => {
    const dir = await temp.make();
    const db = path.join(dir, 'history.db');
    const r = await runLive(['collect', ...t.args, '--db', db], t.deps);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /stored as run 1 in .*history\.db: 60 users \(60 new or changed, 60 verdicts changed\)/,
    );
    expect(existsSync(stagingFolder(db))).toBe(false);

    const out = path.join(dir, 'folder');
    expect((await runLive(['collect', ...t.args, '--no-store', '--out', out], t.deps)).code).toBe(0);
    const stored = await runCli(['audit', '--db', db, '--now', COLLECTED_AT, '--format', 'json']);
    const folder = await runCli(['audit', '--from', out, '--now', COLLECTED_AT, '--format', 'json']);
    expect(stored.code).toBe(0);
    expect(stored.stdout).toBe(folder.stdout);

    const store = openStore(db);
    try {
      expect(listRuns(store).map((run) => [run.id, run.source, run.collectedAt])).toEqual([
        [1, 'collect', COLLECTED_AT.replace('Z', '.000Z')],
      ]);
    } finally {
      store.close();
    }
  });

  it('a second collect while one holds the database: exit 3, nothing collected, the words to act on', async () => {
    const dir = await temp.make();
    const db = path.join(dir, 'history.db');
    const holder = openStore(db);
    const lock = holdWriteLock(holder);
    try {
      const r = await runLive(['collect', ...t.args, '--db', db], t.deps, {});
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/another mfa-ready/i);
      expect(r.stderr).not.toMatch(STACK_LINE);
      expect(existsSync(stagingFolder(db))).toBe(false);
    } finally {
      lock.rollback();
      holder.close();
    }
  }, 60_000);

  it('stopped half-way: nothing stored, the staging folder kept; the next collect continues it and stores the run', async () => {
    const dir = await temp.make();
    const db = path.join(dir, 'history.db');
    const crashed = await runLive(['collect', ...t.args, '--db', db], t.deps, { crashOn: /✓ users/ });
    expect(crashed.code).toBe(3);
    expect(existsSync(stagingFolder(db))).toBe(true);
    const store = openStore(db);
    try {
      expect(listRuns(store)).toEqual([]);
    } finally {
      store.close();
    }
    const resumed = await runLive(['collect', ...t.args, '--db', db], t.deps);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain('continuing the collection that was interrupted');
    expect(resumed.stderr).toContain('stored as run 1');
    expect(existsSync(stagingFolder(db))).toBe(false);
    expect(resumed.stderr + crashed.stderr).not.toContain(SECRET);
  });
});
