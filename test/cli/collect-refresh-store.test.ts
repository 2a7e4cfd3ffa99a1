/**
 * A daily refresh into the history database, end to end: collect, move the emulated tenant forward one
 * day (its rollout goes on: users register, events happen), collect again. The second collection asks
 * Graph only for what is new (checked from the emulator's request log), and the stored run it makes
 * assesses exactly as a full collection of the same day does.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listRuns, openStore, readRunUsers } from '../../src/store/index.js';
import { runCli } from '../support/cli.js';
import type { TestEmulator } from './live-support.js';
import { COLLECTED_AT, STACK_LINE, runLive, startTestEmulator, tempDirs } from './live-support.js';

const temp = tempDirs();
afterAll(() => temp.cleanup());
const DAY = 86_400_000;
const NEXT_DAY = new Date(Date.parse(COLLECTED_AT) + DAY).toISOString();

/** Decoded request paths with their query, in order (inner $batch requests included). */
const paths = (em: TestEmulator['em'], from: number) => em.requests().slice(from);

describe('collect: a daily refresh of the history', () => {
  let t: TestEmulator;
  beforeAll(async () => {
    t = await startTestEmulator({ logRequests: true, rolloutStart: COLLECTED_AT });
  });
  afterAll(() => t.close());

  it('the next day asks only for what is new, and stores the run a full collection of that day gives', async () => {
    const dir = await temp.make();
    const db = path.join(dir, 'history.db');
    const first = await runLive(['collect', ...t.args, '--db', db], t.deps);
    expect(first.stderr).not.toMatch(STACK_LINE);
    expect(first.code).toBe(0);
    const firstRequests = t.em.requests().length;

    // One day later, for the tenant and for the clock the collector reads.
    t.em.advanceDay();
    await t.clock.advance(DAY);
    const deps = { ...t.deps, now: () => new Date(NEXT_DAY) };
    const mark = t.em.requests().length;
    const refreshDir = path.join(dir, 'refresh-folder');
    const refresh = await runLive(['collect', ...t.args, '--db', db, '--out', refreshDir], deps);
    expect(refresh.stderr).not.toMatch(STACK_LINE);
    expect(refresh.code).toBe(0);
    expect(refresh.stderr).toMatch(/stored as run 2/);
    const asked = paths(t.em, mark);

    // Far fewer requests than the first run.
    expect(asked.length).toBeLessThan(firstRequests);
    // Users by delta, with the stored link: not the full list again.
    expect(asked.some((p) => p.includes('/users/delta') && p.includes('deltatoken'))).toBe(true);
    expect(asked.filter((p) => p.startsWith('GET /v1.0/users?'))).toEqual([]);
    // Methods lists only for the users something happened to.
    const methodsReads = (list: string[]) => list.filter((p) => p.endsWith('/authentication/methods')).length;
    expect(methodsReads(asked)).toBeLessThan(methodsReads(t.em.requests().slice(0, firstRequests)));
    // Audits and sign-ins only from the previous collection less the 2-hour overlap.
    const since = new Date(Date.parse(COLLECTED_AT) - 2 * 3_600_000).toISOString().replace('.000', '');
    const logs = asked.filter((p) => p.includes('/auditLogs/'));
    expect(logs.length).toBeGreaterThan(0);
    for (const p of logs) expect(decodeURIComponent(p)).toMatch(new RegExp(`ge ${since.slice(0, 16)}`));

    // Its folder (--out) holds only what was new: assessed on its own it would read as a tenant with
    // little evidence, so audit --from refuses it and says where the whole story is.
    const partial = await runCli(['audit', '--from', refreshDir, '--now', NEXT_DAY]);
    expect(partial.code).toBe(2);
    expect(partial.stderr).toContain('holds a refresh of run 1 of a history database');
    expect(partial.stderr).toContain('mfa-ready audit');

    // The stored run of the refresh assesses as a full collection of the same day, into a new database.
    const fullDb = path.join(dir, 'full.db');
    const full = await runLive(['collect', ...t.args, '--db', fullDb], deps);
    expect(full.code).toBe(0);
    const a = await runCli(['audit', '--db', db, '--now', NEXT_DAY, '--format', 'json']);
    const b = await runCli(['audit', '--db', fullDb, '--now', NEXT_DAY, '--format', 'json']);
    const verdicts = (text: string) =>
      (JSON.parse(text) as { users: { id: string; verdict: string; confidence: string | null }[] }).users.map(
        (u) => `${u.id} ${u.verdict} ${u.confidence}`,
      );
    expect(verdicts(a.stdout)).toEqual(verdicts(b.stdout));

    const store = openStore(db);
    try {
      const runs = listRuns(store);
      expect(runs.map((r) => r.collectedAt)).toEqual([
        new Date(COLLECTED_AT).toISOString(),
        new Date(NEXT_DAY).toISOString(),
      ]);
      // The rollout moved between the two days: the history is not flat.
      expect(runs[1]!.summary!.counts.ready).toBeGreaterThanOrEqual(runs[0]!.summary!.counts.ready);
      expect(readRunUsers(store, 2).size).toBeGreaterThanOrEqual(readRunUsers(store, 1).size);
    } finally {
      store.close();
    }
  });
});
