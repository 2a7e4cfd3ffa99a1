/**
 * A daily refresh when `--methods needed` reads only the lists that decide readiness (what `auto` falls
 * back to in a large tenant): the refreshed run gives every user the verdict a full collection of the
 * same day gives. Confidence may only be higher: the history keeps an MFA sign-in older than a full
 * collection's sign-in window (the point of keeping it), never the other way round.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REALISTIC_VOLUME } from '../../src/demo/generate-tenant.js';
import { runCli } from '../support/cli.js';
import { COLLECTED_AT, runLive, startTestEmulator, tempDirs } from './live-support.js';

const temp = tempDirs();
afterAll(() => temp.cleanup());
const NEXT_DAY = new Date(Date.parse(COLLECTED_AT) + 86_400_000).toISOString();
const STRENGTH: Record<string, number> = { reported: 1, registered: 2, proven: 3 };

describe('collect: a daily refresh with --methods needed', () => {
  it('gives every user the verdict of a full collection of the same day; nobody is ready only in the refresh', async () => {
    const t = await startTestEmulator({ users: 600, rolloutStart: COLLECTED_AT, volume: REALISTIC_VOLUME });
    try {
      const dir = await temp.make();
      const db = path.join(dir, 'history.db');
      const collect = (file: string, deps = t.deps) =>
        runLive(['collect', ...t.args, '--db', file, '--methods', 'needed', '-q'], deps);
      expect((await collect(db)).code).toBe(0);
      t.em.advanceDay();
      await t.clock.advance(86_400_000);
      const nextDay = { ...t.deps, now: () => new Date(NEXT_DAY) };
      expect((await collect(db, nextDay)).code).toBe(0);
      const fullDb = path.join(dir, 'full.db');
      expect((await collect(fullDb, nextDay)).code).toBe(0);

      const verdicts = async (file: string) => {
        const r = await runCli(['audit', '--db', file, '--now', NEXT_DAY, '--format', 'json']);
        expect(r.code).toBe(0);
        const users = (
          JSON.parse(r.stdout) as { users: { id: string; verdict: string; confidence: string | null }[] }
        ).users;
        return new Map(users.map((u) => [u.id, u]));
      };
      const refreshed = await verdicts(db);
      const full = await verdicts(fullDb);
      expect(refreshed.size).toBe(full.size);
      const differ = [...full.values()].filter((u) => refreshed.get(u.id)?.verdict !== u.verdict);
      expect(differ).toEqual([]);
      for (const u of full.values()) {
        const r = refreshed.get(u.id)!;
        if (r.confidence !== u.confidence)
          expect(STRENGTH[r.confidence ?? ''] ?? 0).toBeGreaterThan(STRENGTH[u.confidence ?? ''] ?? 0);
      }
    } finally {
      await t.close();
    }
  }, 300_000);
});
