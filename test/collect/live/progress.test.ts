/** Progress events per part: pages, rows, the total and ETA where it is known, throttle waits. */
import { afterEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/collect/graph/index.js';
import { collectTenant } from '../../../src/collect/live/index.js';
import type { CollectProgressEvent } from '../../../src/collect/live/index.js';
import { etaMs } from '../../../src/collect/live/progress.js';
import { tempFolders } from '../temp-files.js';
import { optionsFor } from './collect-helpers.js';
import { FakeGraphSource } from './fake-graph-source.js';
import { handBuiltTenant } from './tenants.js';

const temp = tempFolders();
afterEach(() => temp.cleanup());

/** A clock that each Graph request moves on by one second (nothing in the collector sleeps). */
function steppingClock(): Clock & { step: () => void } {
  let t = 0;
  return { now: () => t, sleep: async (ms) => void (t += ms), step: () => void (t += 1000) };
}

describe('progress', () => {
  it('users: the total from $count, and an ETA at the pace so far', async () => {
    const clock = steppingClock();
    const events: CollectProgressEvent[] = [];
    const source = new FakeGraphSource(handBuiltTenant(), { pageSize: 2, onRequest: () => clock.step() });
    await collectTenant(
      source,
      optionsFor(await temp.make(), { only: ['users'], clock, onProgress: (e) => events.push(e) }),
    );
    const users = events.filter((e) => e.part === 'users');
    expect(users[0]).toEqual({ type: 'start', part: 'users', total: 11 });
    const progress = users.filter((e) => e.type === 'progress');
    expect(progress.map((e) => [e.pages, e.rows, e.total, e.etaMs])).toEqual([
      // One second per page of 2 rows: 9 rows left after the first page take 4.5 s.
      [1, 2, 11, 4500],
      [2, 4, 11, 3500],
      [3, 6, 11, 2500],
      [4, 8, 11, 1500],
      [5, 10, 11, 500],
      [6, 11, 11, 0],
    ]);
    expect(users[users.length - 1]).toEqual({
      type: 'done',
      part: 'users',
      pages: 6,
      rows: 11,
      status: { state: 'complete' },
    });
  });

  it('reports throttle waits from the source, and the methods step against the users chosen', async () => {
    const holder: { source?: FakeGraphSource } = {};
    const source = new FakeGraphSource(handBuiltTenant(), {
      onRequest: () => holder.source?.addThrottle(250),
    });
    holder.source = source;
    const events: CollectProgressEvent[] = [];
    await collectTenant(source, optionsFor(await temp.make(), { onProgress: (e) => events.push(e) }));
    const methods = events.filter((e) => e.part === 'methods');
    expect(methods.map((e) => e.type)).toEqual(['start', 'progress', 'done']);
    expect(methods[0]).toEqual({ type: 'start', part: 'methods', total: 8 });
    const last = methods[1];
    expect(last?.type === 'progress' ? [last.rows, last.total, last.etaMs] : []).toEqual([8, 8, 0]);
    const waits = events.flatMap((e) =>
      e.type === 'progress' && e.throttle !== undefined ? [e.throttle.throttleWaitMs] : [],
    );
    expect(waits.length).toBeGreaterThan(5);
    expect(waits.every((w, i) => i === 0 || w >= (waits[i - 1] ?? 0))).toBe(true);
    expect(waits[waits.length - 1]).toBe(source.stats().throttleWaitMs);
  });

  it('every part that runs starts and finishes, failures and skips included', async () => {
    const events: CollectProgressEvent[] = [];
    await collectTenant(
      new FakeGraphSource(handBuiltTenant()),
      optionsFor(await temp.make(), { onProgress: (e) => events.push(e) }),
    );
    const started = events
      .filter((e) => e.type === 'start')
      .map((e) => e.part)
      .sort();
    const done = events
      .filter((e) => e.type === 'done')
      .map((e) => e.part)
      .sort();
    expect(done).toEqual(started);
    expect(started).toHaveLength(14);
  });

  it('etaMs: unknown before the first row, zero when nothing is left', () => {
    expect(etaMs(1000, 0, 10)).toBeUndefined();
    expect(etaMs(1000, 10, 0)).toBe(0);
    expect(etaMs(2000, 4, 6)).toBe(3000);
  });
});
