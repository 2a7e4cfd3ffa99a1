import type { Bucket } from './buckets.js';
import { BUCKETS } from './buckets.js';
import type { Clock } from './clock.js';

/** At most `limit` requests in any window of `windowMs` (a sliding log: safe against any server window). */
export interface WindowRule {
  kind: 'window';
  limit: number;
  windowMs: number;
}

/** A token bucket of `capacity` units that refills completely every `refillMs`, continuously. */
export interface TokenRule {
  kind: 'tokens';
  capacity: number;
  refillMs: number;
}

export type BucketRule = WindowRule | TokenRule;

/** Directory tenant sizes of https://learn.microsoft.com/graph/throttling-limits: S < 50 users, M 50–500, L > 500. */
export type TenantSize = 'small' | 'medium' | 'large';

/** Resource units per 10 s per app per tenant (https://learn.microsoft.com/graph/throttling-limits). */
export const DIRECTORY_RU_PER_10S: Record<TenantSize, number> = { small: 3_500, medium: 5_000, large: 8_000 };

export function tenantSizeFor(userCount: number): TenantSize {
  if (userCount < 50) return 'small';
  if (userCount <= 500) return 'medium';
  return 'large';
}

/** The documented limits (https://learn.microsoft.com/graph/throttling-limits), per app per tenant. */
export function defaultRules(size: TenantSize): Record<Bucket, BucketRule> {
  return {
    reports: { kind: 'window', limit: 5, windowMs: 10_000 },
    signInActivity: { kind: 'window', limit: 10, windowMs: 60_000 },
    directory: { kind: 'tokens', capacity: DIRECTORY_RU_PER_10S[size], refillMs: 10_000 },
    conditionalAccess: { kind: 'window', limit: 1, windowMs: 1_000 },
  };
}

export interface LimiterOptions {
  clock: Clock;
  /**
   * Directory RU budget. Default `large` (8,000 RU / 10 s); a smaller tenant that gets a 429 is
   * paused by the server's Retry-After, and `setTenantSize` can lower it once users are counted.
   */
  tenantSize?: TenantSize;
  /** Replace individual rules (tests, an emulator with other limits). */
  rules?: Partial<Record<Bucket, BucketRule>>;
  /**
   * Safety margin as a fraction of each window (default 0.05, half a second of the reports bucket's
   * 10 s): the server counts a request when it arrives, after we let it go, so windows are stretched
   * and refills slowed by this much. Even counted from the socket (restamp), a request on a new
   * connection arrives a TLS handshake later; measured against the emulator, 0.02 let exactly that
   * first request of the second window through too early, one 429 in every run.
   */
  marginRatio?: number;
}

export interface Grant {
  /** How many of the requested items were granted (≥ 1). */
  granted: number;
  /** Time (on the clock) this call spent waiting for the bucket, pauses included. */
  waitedMs: number;
  /** When each granted item was counted; `restamp` moves them to when they really left. */
  at: number[];
}

interface BucketState {
  rule: BucketRule;
  /** Window rule: times of the grants still inside the (stretched) window, oldest first. */
  grants: number[];
  /** Token rule: units left, as of `refilledAt`. */
  tokens: number;
  refilledAt: number;
  /** No grants before this time (server feedback: Retry-After, or backoff without one). */
  pausedUntil: number;
  /** FIFO: each acquisition waits for the previous one, so concurrent callers cannot overtake. */
  tail: Promise<unknown>;
  granted: number;
  waitedMs: number;
}

/**
 * Client-side pacing per throttling bucket, on an injected clock. `acquire` waits until a request of
 * a given cost may go; `take` grants as many of a list as fit now (batch sizing); `pause` applies the
 * server's Retry-After to the whole bucket. Safe for concurrent callers (per-bucket FIFO).
 */
export class ThrottleLimiter {
  private readonly clock: Clock;
  private readonly margin: number;
  private readonly overrides: Partial<Record<Bucket, BucketRule>>;
  private readonly state: Record<Bucket, BucketState>;

  constructor(options: LimiterOptions) {
    this.clock = options.clock;
    this.margin = options.marginRatio ?? 0.05;
    this.overrides = { ...options.rules };
    const rules = { ...defaultRules(options.tenantSize ?? 'large'), ...this.overrides };
    const now = this.clock.now();
    const state = {} as Record<Bucket, BucketState>;
    for (const b of BUCKETS) {
      const rule = rules[b];
      state[b] = {
        rule,
        grants: [],
        tokens: rule.kind === 'tokens' ? rule.capacity : 0,
        refilledAt: now,
        pausedUntil: -Infinity,
        tail: Promise.resolve(),
        granted: 0,
        waitedMs: 0,
      };
    }
    this.state = state;
  }

  /** Re-sizes the directory bucket once the tenant's user count is known (https://learn.microsoft.com/graph/throttling-limits). */
  setTenantSize(size: TenantSize): void {
    if (this.overrides.directory !== undefined) return;
    const s = this.state.directory;
    const rule = defaultRules(size).directory;
    if (rule.kind !== 'tokens' || s.rule.kind !== 'tokens') return;
    this.refill(s, this.clock.now());
    s.tokens = Math.min(s.tokens, rule.capacity);
    s.rule = rule;
  }

  rule(bucket: Bucket): BucketRule {
    return this.state[bucket].rule;
  }

  /**
   * Waits until a request of `cost` may go, then counts it. For window buckets `cost` is a number
   * of requests (each takes one slot); for the directory bucket it is resource units.
   */
  async acquire(bucket: Bucket, cost = 1): Promise<number> {
    return (await this.acquireGrant(bucket, cost)).waitedMs;
  }

  /** `acquire`, with the times the slots were counted at (for `restamp`). */
  async acquireGrant(bucket: Bucket, cost = 1): Promise<{ waitedMs: number; at: number[] }> {
    const s = this.state[bucket];
    const units = s.rule.kind === 'window' ? Array.from({ length: Math.max(1, cost) }, () => 1) : [cost];
    let waited = 0;
    const at: number[] = [];
    // Window buckets grant one slot at a time so that a cost above the limit still completes.
    while (units.length > 0) {
      const g = await this.take(bucket, units.splice(0, 1));
      waited += g.waitedMs;
      at.push(...g.at);
    }
    return { waitedMs: waited, at };
  }

  /**
   * Moves granted slots to the moment their request was handed to the socket. Graph counts a request
   * when it arrives; anything that runs between the grant and the send (a token refresh, another
   * lane's page being parsed on the same thread) would otherwise let two requests the limiter spaced
   * 10 s apart arrive closer than that. Token buckets need nothing: a later arrival only helps them.
   */
  restamp(bucket: Bucket, at: readonly number[], sentAt: number): void {
    const s = this.state[bucket];
    if (s.rule.kind !== 'window') return;
    let moved = false;
    for (const t of at) {
      if (sentAt <= t) continue;
      const i = s.grants.indexOf(t);
      if (i < 0) continue;
      s.grants[i] = sentAt;
      moved = true;
    }
    if (moved) s.grants.sort((a, b) => a - b);
  }

  /**
   * Waits until the first item fits, then grants it and as many of the following items as fit at
   * that same moment. Used to size a `$batch` to what the bucket allows now.
   */
  take(bucket: Bucket, costs: readonly number[]): Promise<Grant> {
    if (costs.length === 0) return Promise.resolve({ granted: 0, waitedMs: 0, at: [] });
    const s = this.state[bucket];
    const run = s.tail.then(() => this.grant(s, costs));
    s.tail = run.catch(() => undefined);
    return run;
  }

  /** How many requests of `cost` could go right now without waiting (0 while paused). */
  available(bucket: Bucket, cost = 1): number {
    const s = this.state[bucket];
    const now = this.clock.now();
    if (now < s.pausedUntil) return 0;
    if (s.rule.kind === 'window') {
      this.prune(s, s.rule, now);
      return Math.max(0, s.rule.limit - s.grants.length);
    }
    this.refill(s, now);
    return Math.floor((s.tokens + 1e-9) / Math.max(1, Math.min(cost, s.rule.capacity)));
  }

  /** Server feedback: no grants in this bucket for `ms` from now (never shortens an existing pause). */
  pause(bucket: Bucket, ms: number): void {
    const s = this.state[bucket];
    s.pausedUntil = Math.max(s.pausedUntil, this.clock.now() + Math.max(0, ms));
  }

  /** Grants and total waiting time per bucket since construction. */
  stats(): Record<Bucket, { granted: number; waitedMs: number }> {
    const out = {} as Record<Bucket, { granted: number; waitedMs: number }>;
    for (const b of BUCKETS) out[b] = { granted: this.state[b].granted, waitedMs: this.state[b].waitedMs };
    return out;
  }

  private async grant(s: BucketState, costs: readonly number[]): Promise<Grant> {
    const first = costs[0] ?? 1;
    let waited = 0;
    for (;;) {
      const now = this.clock.now();
      const wait = Math.max(s.pausedUntil - now, this.timeUntilFits(s, first, now));
      if (wait <= 0) break;
      // Whole milliseconds: a fractional remainder would otherwise loop on float dust.
      const ms = Math.ceil(wait);
      await this.clock.sleep(ms);
      waited += this.clock.now() - now;
    }
    let now = this.clock.now();
    this.consume(s, first, now);
    const at = [now];
    let granted = 1;
    while (granted < costs.length) {
      now = this.clock.now();
      const next = costs[granted] ?? 1;
      if (now < s.pausedUntil || this.timeUntilFits(s, next, now) > 0) break;
      this.consume(s, next, now);
      at.push(now);
      granted++;
    }
    s.granted += granted;
    s.waitedMs += waited;
    return { granted, waitedMs: waited, at };
  }

  private timeUntilFits(s: BucketState, cost: number, now: number): number {
    if (s.rule.kind === 'window') {
      const rule = s.rule;
      this.prune(s, rule, now);
      if (s.grants.length < rule.limit) return 0;
      const oldest = s.grants[s.grants.length - rule.limit] ?? now;
      return oldest + this.windowOf(rule) - now;
    }
    this.refill(s, now);
    const need = Math.min(cost, s.rule.capacity);
    if (s.tokens + 1e-9 >= need) return 0;
    return (need - s.tokens) / this.ratePerMs(s.rule);
  }

  private consume(s: BucketState, cost: number, now: number): void {
    if (s.rule.kind === 'window') {
      s.grants.push(now);
      return;
    }
    this.refill(s, now);
    s.tokens = Math.max(0, s.tokens - Math.min(cost, s.rule.capacity));
  }

  private prune(s: BucketState, rule: WindowRule, now: number): void {
    const horizon = now - this.windowOf(rule);
    let drop = 0;
    while (drop < s.grants.length && (s.grants[drop] ?? Infinity) <= horizon) drop++;
    if (drop > 0) s.grants.splice(0, drop);
  }

  private refill(s: BucketState, now: number): void {
    if (s.rule.kind !== 'tokens') return;
    const elapsed = Math.max(0, now - s.refilledAt);
    s.tokens = Math.min(s.rule.capacity, s.tokens + elapsed * this.ratePerMs(s.rule));
    s.refilledAt = now;
  }

  private windowOf(rule: WindowRule): number {
    return rule.windowMs * (1 + this.margin);
  }

  private ratePerMs(rule: TokenRule): number {
    return rule.capacity / (rule.refillMs * (1 + this.margin));
  }
}
