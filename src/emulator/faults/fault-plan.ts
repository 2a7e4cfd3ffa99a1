/**
 * Which responses fail, and how (`--fault-rate R` makes that fraction of responses fail in
 * one of the fault kinds). Decided by a hash of the seed and a request counter, never by
 * Math.random: the same sequence of requests meets the same faults, so tests are repeatable.
 */
import { hashKey } from '../../demo/random.js';

/**
 * - `503` / `504`: Service Unavailable / Gateway Timeout, with Graph's error body;
 * - `reset`: the socket is destroyed without a response (the Graph client's `fetch failed`, -1);
 * - `slow`: the response is held back by a bounded delay beyond a threshold, then sent whole;
 * - `truncated`: valid headers and a 200, but the JSON body is cut mid-way (a SyntaxError client-side).
 */
export const FAULT_KINDS = ['503', '504', 'reset', 'slow', 'truncated'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Faults an inner `$batch` response can carry (an inner request has a status, not a socket). */
const INNER_KINDS: ReadonlySet<FaultKind> = new Set(['503', '504']);

export interface FaultPlanOptions {
  seed: number;
  rate: number;
  kinds: readonly FaultKind[];
}

export class FaultPlan {
  private counter = 0;
  private readonly innerKinds: readonly FaultKind[];

  constructor(private readonly options: FaultPlanOptions) {
    if (!(options.rate >= 0 && options.rate <= 1))
      throw new RangeError(`faultRate must be from 0 to 1, got ${options.rate}`);
    for (const k of options.kinds) {
      if (!(FAULT_KINDS as readonly string[]).includes(k)) throw new RangeError(`unknown fault kind "${k}"`);
    }
    this.innerKinds = options.kinds.filter((k) => INNER_KINDS.has(k));
  }

  /** The fault for the next HTTP response, if it gets one. */
  next(): FaultKind | undefined {
    return this.draw(this.options.kinds);
  }

  /** The fault for the next inner `$batch` response (503/504 only), if it gets one. */
  nextInner(): FaultKind | undefined {
    return this.draw(this.innerKinds);
  }

  /** A number in [0, 1) for the current request, e.g. to choose a slow delay or a cut point. */
  fraction(salt: string): number {
    return hashKey(this.options.seed, 'fault-detail', salt, this.counter) / 4294967296;
  }

  private draw(kinds: readonly FaultKind[]): FaultKind | undefined {
    const n = this.counter++;
    if (this.options.rate <= 0 || kinds.length === 0) return undefined;
    const roll = hashKey(this.options.seed, 'fault', n) / 4294967296;
    if (roll >= this.options.rate) return undefined;
    return kinds[hashKey(this.options.seed, 'fault-kind', n) % kinds.length];
  }
}
