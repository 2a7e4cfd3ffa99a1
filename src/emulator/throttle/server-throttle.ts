/**
 * Server-side throttling on the emulated clock: a sliding window log for the request-counting
 * buckets (any 10 s holds at most 5 report requests: the strictest reading of "5 requests per
 * 10 seconds") and a continuously refilling token bucket of resource units for the directory.
 * Refused requests are counted too (https://learn.microsoft.com/graph/throttling: "usage keeps being counted while throttled,
 * so immediate retries make it worse"): a client that waits out Retry-After gets in; one that
 * hammers stays locked out. The resource-unit debt is bounded at one bucket's worth.
 */
import type { Bucket } from '../../collect/graph/buckets.js';
import type { Clock } from '../../collect/graph/clock.js';
import { DIRECTORY_WRITE_LIMIT, limitsFor } from './limits.js';
import type { Limit, ResourceUnitLimit, WindowLimit } from './limits.js';

export interface Admission {
  admitted: boolean;
  /** Headers for the response (x-ms-resource-unit, Retry-After, x-ms-throttle-*). */
  headers: Record<string, string>;
  /** Seconds, rounded up, when Graph would send Retry-After. */
  retryAfterSeconds?: number;
}

interface TokenState {
  tokens: number;
  at: number;
}

export interface ThrottleIdentity {
  appId: string;
  tenantId: string;
}

export class ServerThrottle {
  private readonly limits: Record<Bucket, Limit>;
  private readonly windows = new Map<string, number[]>();
  private readonly tokens = new Map<string, TokenState>();

  constructor(
    private readonly clock: Clock,
    userCount: number,
    private readonly enabled: boolean,
  ) {
    this.limits = limitsFor(userCount);
  }

  limit(bucket: Bucket): Limit {
    return this.limits[bucket];
  }

  /** Counts the request if it fits; otherwise says how Graph would refuse it. */
  admit(bucket: Bucket, cost: number, who: ThrottleIdentity): Admission {
    const limit = this.limits[bucket];
    if (!this.enabled) {
      return {
        admitted: true,
        headers: limit.kind === 'window' ? {} : { 'x-ms-resource-unit': String(Math.max(1, cost)) },
      };
    }
    return limit.kind === 'window'
      ? this.admitWindow(bucket, limit, who)
      : this.admitUnits(bucket, limit, Math.max(1, cost), who);
  }

  /** A directory write's second count: the write limit (DIRECTORY_WRITE_LIMIT), after its resource unit. */
  admitWrite(who: ThrottleIdentity): Admission {
    if (!this.enabled) return { admitted: true, headers: {} };
    const admission = this.admitWindow('write', DIRECTORY_WRITE_LIMIT, who);
    if (admission.admitted) return admission;
    return {
      ...admission,
      headers: {
        ...admission.headers,
        // https://learn.microsoft.com/graph/throttling-limits: the scope and the reason of a refused write.
        'x-ms-throttle-scope': `Tenant_Application/WriteLimit/${who.appId}/${who.tenantId}`,
        'x-ms-throttle-information': 'WriteLimitExceeded',
      },
    };
  }

  private admitWindow(bucket: Bucket | 'write', limit: WindowLimit, who: ThrottleIdentity): Admission {
    const key =
      limit.scope === 'tenant' ? `${bucket}|${who.tenantId}` : `${bucket}|${who.tenantId}|${who.appId}`;
    const now = this.clock.now();
    const log = this.windows.get(key) ?? [];
    while (log.length > 0 && (log[0] as number) <= now - limit.windowMs) log.shift();
    log.push(now);
    this.windows.set(key, log);
    if (log.length <= limit.limit) return { admitted: true, headers: {} };
    // A request fits once all but `limit - 1` of the logged ones have left the window.
    const oldest = log[log.length - limit.limit] as number;
    const waitMs = oldest + limit.windowMs - now;
    if (!limit.retryAfter) return { admitted: false, headers: {} };
    const seconds = Math.max(1, Math.ceil(waitMs / 1000));
    return { admitted: false, headers: { 'Retry-After': String(seconds) }, retryAfterSeconds: seconds };
  }

  private admitUnits(
    bucket: Bucket,
    limit: ResourceUnitLimit,
    cost: number,
    who: ThrottleIdentity,
  ): Admission {
    const key = `${bucket}|${who.tenantId}|${who.appId}`;
    const now = this.clock.now();
    const rate = limit.capacity / limit.refillMs;
    const state = this.tokens.get(key) ?? { tokens: limit.capacity, at: now };
    state.tokens = Math.min(limit.capacity, state.tokens + Math.max(0, now - state.at) * rate);
    state.at = now;
    this.tokens.set(key, state);
    const headers: Record<string, string> = { 'x-ms-resource-unit': String(cost) };
    if (state.tokens + 1e-9 >= cost) {
      state.tokens -= cost;
      const used = (limit.capacity - state.tokens) / limit.capacity;
      // https://learn.microsoft.com/graph/throttling-limits: sent once 80% of the limit is used.
      if (used >= 0.8) headers['x-ms-throttle-limit-percentage'] = used.toFixed(1);
      return { admitted: true, headers };
    }
    state.tokens = Math.max(-limit.capacity, state.tokens - cost);
    const seconds = Math.max(1, Math.ceil((cost - state.tokens) / rate / 1000));
    return {
      admitted: false,
      retryAfterSeconds: seconds,
      headers: {
        ...headers,
        'Retry-After': String(seconds),
        // https://learn.microsoft.com/graph/throttling-limits: `<Scope>/<Limit>/<AppId>/<TenantId>` and the reason.
        'x-ms-throttle-scope': `Tenant_Application/ResourceUnitLimit/${who.appId}/${who.tenantId}`,
        'x-ms-throttle-information': 'ResourceUnitLimitExceeded',
      },
    };
  }
}
