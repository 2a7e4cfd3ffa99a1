/**
 * The documented throttling limits the emulator enforces (https://learn.microsoft.com/graph/throttling-limits, learn.microsoft.com
 * throttling-limits, 2026-02-06), per bucket. The bucket names are the collector's
 * (src/collect/graph/buckets.ts) so that both sides count the same things.
 */
import type { Bucket } from '../../collect/graph/buckets.js';

export interface WindowLimit {
  kind: 'window';
  limit: number;
  windowMs: number;
  /** Whether Graph counts this per app (per tenant) or for all apps of the tenant together. */
  scope: 'app' | 'tenant';
  /** Conditional Access and Identity Protection send no Retry-After (https://learn.microsoft.com/graph/throttling-limits). */
  retryAfter: boolean;
}

export interface ResourceUnitLimit {
  kind: 'resourceUnits';
  /** Resource units per 10 s per app per tenant. */
  capacity: number;
  refillMs: number;
}

export type Limit = WindowLimit | ResourceUnitLimit;

/** https://learn.microsoft.com/graph/throttling-limits directory tenant sizes: S < 50 users 3,500 RU, M 50–500 5,000 RU, L > 500 8,000 RU per 10 s. */
export function resourceUnitsPer10s(userCount: number): number {
  if (userCount < 50) return 3_500;
  if (userCount <= 500) return 5_000;
  return 8_000;
}

/**
 * Identity and access writes (https://learn.microsoft.com/graph/throttling-limits, "Identity and access service limits"): besides their
 * resource unit, POST/PATCH/PUT/DELETE count against a write limit of 3,000 requests per 2 min 30 s
 * per app per tenant (the app-wide 35,000 / 5 min and tenant-wide 18,000 / 5 min are beyond one app's reach here).
 */
export const DIRECTORY_WRITE_LIMIT: WindowLimit = {
  kind: 'window',
  limit: 3_000,
  windowMs: 150_000,
  scope: 'app',
  retryAfter: true,
};

export function limitsFor(userCount: number): Record<Bucket, Limit> {
  return {
    // Identity and access reports: 5 requests / 10 s per app per tenant.
    reports: { kind: 'window', limit: 5, windowMs: 10_000, scope: 'app', retryAfter: true },
    // GET signInActivity: 10 / minute.
    signInActivity: { kind: 'window', limit: 10, windowMs: 60_000, scope: 'app', retryAfter: true },
    // Identity protection and Conditional Access: 1 request / s per tenant, all apps, no Retry-After.
    conditionalAccess: { kind: 'window', limit: 1, windowMs: 1_000, scope: 'tenant', retryAfter: false },
    directory: { kind: 'resourceUnits', capacity: resourceUnitsPer10s(userCount), refillMs: 10_000 },
  };
}
