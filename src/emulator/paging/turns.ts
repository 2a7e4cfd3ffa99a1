/**
 * Taking turns on the event loop. Generating a page of a big tenant (a sparse `$filter` over 100,000
 * users' sign-ins) takes hundreds of ms of wall time; run in one go, it would hold back every request
 * that arrives meanwhile, and they would be admitted by the throttle — on an emulated clock that may
 * run K times faster — bunched together once it finishes. Real Graph stamps a request when it
 * arrives. So long work runs in short turns and lets the event loop in between: a request that
 * arrives meanwhile is parsed and admitted within a turn or two of its arrival.
 */
import { setImmediate as nextMacrotask } from 'node:timers/promises';

/** Wall ms of work between two yields to the event loop. */
export const TURN_MS = 4;

/**
 * Something a generator may yield instead of an item, to say "I read and dropped entities" (filter
 * misses) or "I am still collecting": no item, but a moment where its consumer may take a turn.
 * Consumers skip it; it is never served.
 */
export const NO_ITEM: unique symbol = Symbol('no item yet');
export type NoItem = typeof NO_ITEM;

/**
 * A source yields NO_ITEM once per this many entities it drops, not for each: handing each one up
 * through the generators costs more than reading it (a user is read in a few µs), and a turn is ms.
 */
export const DROPS_PER_NO_ITEM = 32;

export class Turns {
  private since = performance.now();

  constructor(
    private readonly turnMs = TURN_MS,
    /** Checked after each yield: a closed emulator stops its work there. */
    private readonly stopped: () => boolean = () => false,
  ) {}

  /** True when this turn has lasted `turnMs`: `if (turns.due()) await turns.yield();`. */
  due(): boolean {
    return performance.now() - this.since >= this.turnMs;
  }

  /** Lets the event loop run (I/O included: `setImmediate`, not a microtask), then starts a new turn. */
  async yield(): Promise<void> {
    await nextMacrotask();
    if (this.stopped()) throw new Error('The emulator is closing.');
    this.since = performance.now();
  }
}
