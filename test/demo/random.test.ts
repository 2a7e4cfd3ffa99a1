import { describe, expect, it } from 'vitest';
import { hashKey, Random } from '../../src/demo/random.js';

const take = (rng: Random, n: number) => Array.from({ length: n }, () => rng.u32());

describe('Random', () => {
  it('gives the same sequence for the same seed and a different one for another seed', () => {
    expect(take(new Random(42), 20)).toEqual(take(new Random(42), 20));
    expect(take(new Random(42), 20)).not.toEqual(take(new Random(43), 20));
  });

  it('keys streams by all their parts, in order', () => {
    expect(take(Random.from(1, 'member', 7), 5)).toEqual(take(Random.from(1, 'member', 7), 5));
    expect(take(Random.from(1, 'member', 7), 5)).not.toEqual(take(Random.from(1, 'member', 8), 5));
    expect(hashKey(1, 2)).not.toBe(hashKey(2, 1));
    expect(hashKey('a', 1)).not.toBe(hashKey('b', 1));
    // Millisecond timestamps exceed 32 bits; their high part must matter too.
    expect(hashKey(2 ** 40)).not.toBe(hashKey(2 ** 41));
  });

  it('keeps numbers in range and roughly uniform', () => {
    const rng = new Random(9);
    const counts = [0, 0, 0, 0];
    let min = 1;
    let max = 0;
    for (let i = 0; i < 40_000; i++) {
      const f = rng.next();
      min = Math.min(min, f);
      max = Math.max(max, f);
      const n = rng.int(0, 3);
      counts[n] = (counts[n] ?? 0) + 1;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(counts.length).toBe(4);
    for (const c of counts) expect(c).toBeGreaterThan(9_000);
  });

  it('picks by weight', () => {
    const rng = new Random(3);
    let heavy = 0;
    for (let i = 0; i < 10_000; i++)
      if (
        rng.weighted([
          ['a', 9],
          ['b', 1],
        ] as const) === 'a'
      )
        heavy++;
    expect(heavy / 10_000).toBeCloseTo(0.9, 1);
  });

  it('makes v4-shaped UUIDs and well-formed strings', () => {
    const rng = new Random(5);
    for (let i = 0; i < 200; i++) {
      expect(rng.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    expect(rng.hex(13)).toMatch(/^[0-9a-f]{13}$/);
    expect(rng.digits(9)).toMatch(/^\d{9}$/);
    expect(rng.upper(5)).toMatch(/^[A-Z]{5}$/);
    expect(rng.base64url(22)).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});
