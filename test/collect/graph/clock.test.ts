import { describe, expect, it } from 'vitest';
import { ManualClock, realClock, scaledClock } from '../../../src/collect/graph/clock.js';

describe('clocks', () => {
  it('ManualClock (auto): sleeps fire in time order and only move emulated time', async () => {
    const clock = new ManualClock({ start: 1_000 });
    const order: string[] = [];
    await Promise.all([
      clock.sleep(300).then(() => order.push(`b@${clock.now()}`)),
      clock.sleep(100).then(() => order.push(`a@${clock.now()}`)),
      clock.sleep(300).then(() => order.push(`c@${clock.now()}`)),
    ]);
    expect(order).toEqual(['a@1100', 'b@1300', 'c@1300']);
    expect(clock.elapsed()).toBe(300);
  });

  it('ManualClock (manual): nothing fires until advance()', async () => {
    const clock = new ManualClock({ autoAdvance: false });
    let fired = false;
    void clock.sleep(500).then(() => {
      fired = true;
    });
    await new Promise((r) => setImmediate(r));
    expect(fired).toBe(false);
    await clock.advance(499);
    expect(fired).toBe(false);
    await clock.advance(1);
    expect(fired).toBe(true);
    expect(clock.pending()).toBe(0);
  });

  it('scaledClock: emulated time runs K× faster than real time', async () => {
    const real = realClock();
    const clock = scaledClock({ timeScale: 1_000 });
    const realStart = real.now();
    const start = clock.now();
    await clock.sleep(2_000); // 2 emulated seconds = 2 real ms
    const realSpent = real.now() - realStart;
    expect(clock.now() - start).toBeGreaterThanOrEqual(2_000);
    expect(realSpent).toBeLessThan(1_000);
    expect(() => scaledClock({ timeScale: 0 })).toThrow(RangeError);
  });

  it('scaledClock: two clocks with the same origin and scale agree (collector and emulator)', () => {
    const origin = Date.now() - 1_000;
    const a = scaledClock({ timeScale: 50, origin });
    const b = scaledClock({ timeScale: 50, origin });
    expect(Math.abs(a.now() - b.now())).toBeLessThan(50 * 20);
    expect(a.now() - origin).toBeGreaterThanOrEqual(50_000);
  });
});
