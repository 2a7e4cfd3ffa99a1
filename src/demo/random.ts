/**
 * A small seeded PRNG (sfc32, seeded through splitmix32) for the synthetic tenant.
 *
 * Why not Math.random: the generator must give byte-identical output for the same
 * `{users, seed, collectedAt}`, and the emulator must be able to regenerate any one user's events
 * on demand. So every random stream is keyed: `Random.from(seed, userIndex, streamId, …)` gives the
 * same sequence wherever and whenever it is created, and nothing depends on the order in which
 * users or streams are visited.
 */

/** splitmix32 step: a good 32-bit mixer, used to spread keys into PRNG state. */
function splitmix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  let z = x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** Hashes a string to 32 bits (FNV-1a, then mixed), so string keys can take part in a seed. */
function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return splitmix32(h);
}

/** Combines key parts into one 32-bit seed. Order matters: (1, 2) and (2, 1) differ. */
export function hashKey(...parts: readonly (number | string)[]): number {
  let h = 0x6a09e667;
  for (const part of parts) {
    const v =
      typeof part === 'number'
        ? splitmix32(part >>> 0) ^ splitmix32(Math.floor(part / 2 ** 32))
        : hashString(part);
    h = splitmix32(h ^ v);
  }
  return h;
}

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

const BYTE_HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Eight hex digits of a u32. Short concatenations (< 13 chars) give flat strings in V8, and this is hot. */
function hex8(n: number): string {
  return (
    (BYTE_HEX[n >>> 24] as string) +
    (BYTE_HEX[(n >>> 16) & 255] as string) +
    (BYTE_HEX[(n >>> 8) & 255] as string) +
    (BYTE_HEX[n & 255] as string)
  );
}

/**
 * A v4-shaped UUID for an event, unique per (user index, time): a `Random` is seeded from 32 bits, so
 * among the millions of events of a large tenant two `uuid()`s would coincide (the birthday bound: a
 * 10,000-user tenant had 15 sign-ins sharing an id), while Graph's event ids never repeat and stores
 * key on them. The seed's bits keep two events of one user in the same millisecond apart.
 */
export function eventUuid(seed: number, index: number, at: number): string {
  const a = hex8(splitmix32(seed));
  // The version nibble (bits 12-15 of b) stays 4: the index's bits go around it (24 bits: 16 M users).
  const b = hex8((((index & 0xfff000) << 4) | (index & 0xfff) | 0x4000) >>> 0);
  const c = hex8(((Math.floor(at / 2 ** 32) & 0x3fffffff) | 0x80000000) >>> 0);
  const d = hex8(at >>> 0);
  return [a, '-', b.slice(0, 4), '-', b.slice(4), '-', c.slice(0, 4), '-', c.slice(4), d].join('');
}

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** A generator for one keyed stream; see the file comment. */
  static from(...parts: readonly (number | string)[]): Random {
    return new Random(hashKey(...parts));
  }

  constructor(seed: number) {
    // sfc32 needs four words of state; splitmix32 spreads one seed into four, and a few
    // warm-up rounds decorrelate neighbouring seeds (user 7 and user 8 must not look alike).
    let s = seed >>> 0;
    this.a = s = splitmix32(s);
    this.b = s = splitmix32(s);
    this.c = s = splitmix32(s);
    this.d = splitmix32(s);
    for (let i = 0; i < 12; i++) this.u32();
  }

  /** A uniformly distributed unsigned 32-bit integer (sfc32). */
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }

  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** A float in [min, max). */
  between(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Picks by weight; weights need not sum to 1. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of items) total += w;
    let r = this.next() * total;
    for (const [item, w] of items) {
      r -= w;
      if (r < 0) return item;
    }
    const last = items[items.length - 1];
    if (last === undefined) throw new Error('weighted pick from an empty list');
    return last[0];
  }

  /** An exponentially distributed gap for a Poisson process of `rate` events per unit. */
  exponential(rate: number): number {
    return -Math.log(1 - this.next()) / rate;
  }

  // String builders collect pieces and join them once: appending one character at a time makes V8
  // rope strings of dozens of nodes, which cost kilobytes per id in a 300,000-user tenant.

  hex(length: number): string {
    const parts: string[] = [];
    for (let n = 0; n < length; n += 8) parts.push(hex8(this.u32()));
    return parts.join('').slice(0, length);
  }

  digits(length: number): string {
    const parts: string[] = [];
    for (let i = 0; i < length; i++) parts.push(DIGITS[this.u32() % 10] as string);
    return parts.join('');
  }

  upper(length: number): string {
    const parts: string[] = [];
    for (let i = 0; i < length; i++) parts.push(UPPER[this.u32() % 26] as string);
    return parts.join('');
  }

  /** A v4-shaped UUID (version nibble 4, RFC 4122 variant), as Entra object ids look. */
  uuid(): string {
    const a = hex8(this.u32());
    const b = hex8(((this.u32() & 0xffff0fff) | 0x00004000) >>> 0);
    const c = hex8(((this.u32() & 0x3fffffff) | 0x80000000) >>> 0);
    const d = hex8(this.u32());
    return [a, '-', b.slice(0, 4), '-', b.slice(4), '-', c.slice(0, 4), '-', c.slice(4), d].join('');
  }

  /** A base64url string, the shape of FIDO2 credential ids in Graph. */
  base64url(length: number): string {
    const parts: string[] = [];
    for (let i = 0; i < length; i++) parts.push(BASE64URL[this.u32() & 63] as string);
    return parts.join('');
  }
}
