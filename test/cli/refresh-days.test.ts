/**
 * The daily refresh (`collect --db`) over several emulated days keeps the news: a chain of refreshes,
 * one a day while the emulated tenant's rollout goes on (users register, delete, join), assesses on
 * the last day exactly as one full collection of that day does. A refresh that lost a registration
 * (or carried stale evidence) would show a user who registered during the rollout as not registered,
 * or, worse, one who deleted their method as ready.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import type { TestEmulator } from './live-support.js';
import { COLLECTED_AT, STACK_LINE, runLive, startTestEmulator, tempDirs } from './live-support.js';

const temp = tempDirs();
afterAll(() => temp.cleanup());
const DAY = 86_400_000;
const DAYS = 4;

/**
 * `id → "verdict confidence"`. The history keeps audit events past Entra's 30-day log
 * (src/store/with-history.ts): a registration that has left the log since the first day still
 * counts in the chain (`registered`) where a full collection of the last day sees the report row only
 * (`reported`). That one difference is the history's purpose, not lost news: it reads the same.
 */
const verdicts = (text: string): Map<string, string> =>
  new Map(
    (JSON.parse(text) as { users: { id: string; verdict: string; confidence: string | null }[] }).users.map(
      (u) => [u.id, `${u.verdict} ${u.confidence === 'registered' ? 'reported' : u.confidence}`],
    ),
  );

describe('collect --db: a refresh a day over several days', () => {
  let t: TestEmulator;
  beforeAll(async () => {
    t = await startTestEmulator({ rolloutStart: COLLECTED_AT });
  });
  afterAll(() => t.close());

  it(`after ${DAYS} daily refreshes, the history assesses as a full collection of the last day`, async () => {
    // The users the rollout brings from a not-ready verdict to ready over these days (the answer key).
    const before = new Map([...t.em.tenant.expectations()].map((u) => [u.id, u.verdict]));
    const dir = await temp.make();
    const db = path.join(dir, 'history.db');
    let day = 0;
    const at = () => new Date(Date.parse(COLLECTED_AT) + day * DAY);
    const deps = () => ({ ...t.deps, now: at });
    for (; day <= DAYS;) {
      const r = await runLive(['collect', ...t.args, '--db', db], deps());
      expect(r.stderr).not.toMatch(STACK_LINE);
      expect(r.code, r.stderr).toBe(0);
      if (day === DAYS) break;
      t.em.advanceDay();
      await t.clock.advance(DAY);
      day += 1;
    }
    const out = path.join(dir, 'full');
    const full = await runLive(['collect', ...t.args, '--no-store', '--out', out], deps());
    expect(full.code, full.stderr).toBe(0);

    const now = at().toISOString();
    const chain = await runCli(['audit', '--db', db, '--now', now, '--format', 'json']);
    const whole = await runCli(['audit', '--from', out, '--now', now, '--format', 'json']);
    expect(chain.code, chain.stderr).toBe(0);
    expect(whole.code, whole.stderr).toBe(0);
    const a = verdicts(chain.stdout);
    const b = verdicts(whole.stdout);
    const differ = [...new Set([...a.keys(), ...b.keys()])]
      .filter((id) => a.get(id) !== b.get(id))
      .map((id) => `${id}: refresh chain ${a.get(id)}, full ${b.get(id)}`);
    expect(differ).toEqual([]);
    // The rollout moved on these days: users registered, and the chain sees them ready.
    const registered = [...t.em.tenant.expectations()]
      .filter((u) => u.verdict === 'ready' && before.has(u.id) && before.get(u.id) !== 'ready')
      .map((u) => u.id);
    expect(registered.length).toBeGreaterThanOrEqual(3);
    for (const id of registered) expect(a.get(id), id).toMatch(/^ready /);
  }, 300_000);
});
