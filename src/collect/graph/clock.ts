/**
 * Time as a dependency. The limiter, the retry backoff and the batch retry all read and wait on a
 * `Clock` that is passed in, so tests run on a manual clock and the benchmark/demo can run the
 * collector and the emulator on one faster clock.
 */
export interface Clock {
  /** Milliseconds on this clock's time line (emulated time for a scaled clock). */
  now(): number;
  /** Resolves once `ms` milliseconds of this clock's time have passed. */
  sleep(ms: number): Promise<void>;
}

/** Wall-clock time. Monotonic (performance.now based) so that NTP steps do not shorten a wait. */
export function realClock(): Clock {
  return {
    now: () => performance.timeOrigin + performance.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
  };
}

export interface ScaledClockOptions {
  /** Emulated time runs this many times faster than real time (K ≥ 1 for a faster run). */
  timeScale: number;
  /**
   * The real epoch (ms) at which emulated and real time coincide. Two processes (collector and
   * emulator) that pass the same origin and scale agree on the emulated time.
   */
  origin?: number;
}

/**
 * Emulated time that runs `timeScale` times faster than real time: `now()` is
 * `origin + (Date.now() - origin) * K` and `sleep(ms)` waits `ms / K` real milliseconds.
 */
export function scaledClock(options: ScaledClockOptions): Clock {
  const k = options.timeScale;
  if (!(k > 0) || !Number.isFinite(k)) throw new RangeError(`timeScale must be a positive number, got ${k}`);
  const origin = options.origin ?? Date.now();
  // Sub-millisecond wall time: at K = 200 a whole-millisecond clock would move in 200 ms steps, as
  // coarse as the limiter's safety margin, and two processes on it would disagree by that much.
  const wall = () => performance.timeOrigin + performance.now();
  const now = () => origin + (wall() - origin) * k;
  return {
    now,
    // Timers keep whole, cached milliseconds and may fire a fraction early by the finer clock: wait
    // out the remainder, so that a sleep always lasts at least `ms`.
    sleep: (ms) =>
      new Promise((resolve) => {
        const until = now() + Math.max(0, ms);
        const check = () => {
          const left = until - now();
          if (left <= 0) resolve();
          else setTimeout(check, Math.max(1, left / k));
        };
        setTimeout(check, Math.max(0, ms) / k);
      }),
  };
}

interface Timer {
  at: number;
  seq: number;
  resolve: () => void;
}

export interface ManualClockOptions {
  /** Start time in ms (default 0). */
  start?: number;
  /**
   * When true (the default), a pending sleep fires on the next macrotask by jumping the clock to the
   * earliest timer: code that only waits on this clock runs instantly, and the elapsed time is the
   * sum of the waits on its critical path. When false, only `advance()` moves time.
   */
  autoAdvance?: boolean;
}

/** A clock for tests: time moves only when sleeps fire (auto) or when the test calls `advance`. */
export class ManualClock implements Clock {
  private current: number;
  private readonly timers: Timer[] = [];
  private seq = 0;
  private scheduled = false;
  private readonly auto: boolean;
  readonly start: number;

  constructor(options: ManualClockOptions = {}) {
    this.start = options.start ?? 0;
    this.current = this.start;
    this.auto = options.autoAdvance ?? true;
  }

  now(): number {
    return this.current;
  }

  /** Time passed since construction. */
  elapsed(): number {
    return this.current - this.start;
  }

  /** Sleeps not yet fired. */
  pending(): number {
    return this.timers.length;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.timers.push({ at: this.current + Math.max(0, ms), seq: this.seq++, resolve });
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      if (this.auto) this.scheduleFire();
    });
  }

  /** Moves time forward by `ms`, firing due timers in order; resolves after their continuations ran. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      const next = this.timers[0];
      if (next === undefined || next.at > target) break;
      this.timers.shift();
      this.current = Math.max(this.current, next.at);
      next.resolve();
      // Let the woken code run (and maybe register new timers) before looking again.
      await new Promise<void>((r) => setImmediate(r));
    }
    this.current = Math.max(this.current, target);
  }

  private scheduleFire(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const next = this.timers.shift();
      if (next === undefined) return;
      this.current = Math.max(this.current, next.at);
      next.resolve();
      if (this.timers.length > 0) this.scheduleFire();
    });
  }
}
