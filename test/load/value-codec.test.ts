import { describe, expect, it } from 'vitest';
import { ValueDecoder, ValueEncoder } from '../../src/load/value-codec.js';

/** What a worker hands the main thread must arrive as JSON would carry it, batch after batch. */

const roundTrip = (batches: unknown[][], options?: ConstructorParameters<typeof ValueEncoder>[0]) => {
  const encoder = new ValueEncoder(options);
  const decoder = new ValueDecoder();
  return batches.map((b) => decoder.decode(structuredClone(encoder.encode(b))));
};

describe('handing values from a worker to the main thread', () => {
  it('gives back what JSON would, across batches that share strings and keys', () => {
    const first = [
      { id: 'e1', user: 'anna@contoso.com', n: 0, ok: true, no: false, nil: null, list: ['a', 'b', 'a'] },
      { id: 'e2', user: 'anna@contoso.com', nested: { deep: [{ x: -0.5 }, [], {}] }, skipped: undefined },
      'plain string',
      42,
      null,
      [undefined, 1],
    ];
    const second = [
      { id: 'e3', user: 'anna@contoso.com', list: ['b'] },
      { '': 'empty key', 'é ü': '\u2028"\\' },
    ];
    const [a, b] = roundTrip([first, second], { unpooled: new Set(['id']) });
    expect(a).toStrictEqual(JSON.parse(JSON.stringify(first)));
    expect(b).toStrictEqual(JSON.parse(JSON.stringify(second)));
  });

  it('pools equal strings into one copy, except the values of unpooled keys', () => {
    const encoder = new ValueEncoder({ unpooled: new Set(['id']) });
    const one = encoder.encode([{ id: 'same', user: 'anna' }]);
    const two = encoder.encode([{ id: 'same', user: 'anna' }]);
    // The second batch sends the unpooled id again, but not the pooled user.
    expect(JSON.parse(one.strings)).toEqual(['same', 'anna']);
    expect(JSON.parse(two.strings)).toEqual(['same']);
    expect(two.keys).toEqual([]);
  });

  it('hands over an object shared by items once, as one frozen copy', () => {
    const facts = { mfa: { kind: 'direct', methods: ['Mobile app notification'] }, authenticatorApp: false };
    const other = { mfa: { kind: 'claim', detail: 'MFA requirement satisfied by claim in the token' } };
    const items = [
      { id: '1', facts },
      { id: '2', facts: other },
      { id: '3', facts },
    ];
    const [first, second] = roundTrip([items, [{ id: '4', facts }]], { shared: new Set(['facts']) }) as {
      facts: unknown;
    }[][];
    expect(first).toStrictEqual(JSON.parse(JSON.stringify(items)));
    expect(first?.[0]?.facts).toBe(first?.[2]?.facts);
    expect(second?.[0]?.facts).toBe(first?.[0]?.facts);
    expect(first?.[1]?.facts).not.toBe(first?.[0]?.facts);
    expect(Object.isFrozen(first?.[0]?.facts)).toBe(true);
    expect(Object.isFrozen((first?.[0]?.facts as typeof facts).mfa.methods)).toBe(true);
  });

  it('keeps a __proto__ key as data, as JSON.parse does', () => {
    const value = JSON.parse('[{"__proto__": {"polluted": true}, "a": 1}]') as unknown[];
    const [out] = roundTrip([value]);
    const item = (out as Record<string, unknown>[])[0] as Record<string, unknown>;
    expect(Object.getPrototypeOf(item)).toBe(Object.prototype);
    expect(Object.keys(item)).toEqual(['__proto__', 'a']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('refuses what JSON would change without a word', () => {
    const encoder = new ValueEncoder();
    expect(() => encoder.encode([new Date(0)])).toThrow(/Date/);
    expect(() => encoder.encode([new Map()])).toThrow(/Map/);
    expect(() => encoder.encode([() => 1])).toThrow(/function/);
    expect(() => encoder.encode([1n])).toThrow(/bigint/);
  });

  it('refuses a batch that does not decode to its length', () => {
    const batch = new ValueEncoder().encode([{ a: 1 }]);
    const decoder = new ValueDecoder();
    expect(() => decoder.decode({ ...batch, tags: batch.tags.slice(0, batch.tags.length - 2) })).toThrow();
  });

  it('grows its buffers for a batch bigger than they start', () => {
    const big = Array.from({ length: 40_000 }, (_, i) => ({ i, s: `v${i % 7}`, f: i / 3 }));
    const [out] = roundTrip([big]);
    expect(out).toStrictEqual(big);
  });
});
