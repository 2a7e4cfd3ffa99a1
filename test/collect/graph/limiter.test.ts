import { describe, expect, it } from 'vitest';
import { bucketFor } from '../../../src/collect/graph/buckets.js';
import { ManualClock } from '../../../src/collect/graph/clock.js';
import { ThrottleLimiter, tenantSizeFor } from '../../../src/collect/graph/limiter.js';

/** Largest number of times falling in any half-open window [t, t + windowMs). */
function maxInAnyWindow(times: number[], windowMs: number): number {
  let best = 0;
  for (const start of times)
    best = Math.max(best, times.filter((t) => t >= start && t < start + windowMs).length);
  return best;
}

describe('limiter math on a manual clock', () => {
  it('reports, 5 per 10 s: 20 requests take ≥ 30 s and never exceed 5 in any 10 s window', async () => {
    const clock = new ManualClock();
    const limiter = new ThrottleLimiter({ clock });
    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      await limiter.acquire('reports');
      times.push(clock.now());
    }
    expect(clock.elapsed()).toBeGreaterThanOrEqual(30_000);
    // …and not much more: 3 window turns, each stretched by the 5% margin.
    expect(clock.elapsed()).toBeLessThanOrEqual(31_500);
    expect(maxInAnyWindow(times, 10_000)).toBe(5);
    expect(limiter.stats().reports).toEqual({ granted: 20, waitedMs: clock.elapsed() });
  });

  it('holds for concurrent callers too (FIFO per bucket)', async () => {
    const clock = new ManualClock();
    const limiter = new ThrottleLimiter({ clock });
    const times: number[] = [];
    await Promise.all(
      Array.from({ length: 12 }, async () => {
        await limiter.acquire('reports');
        times.push(clock.now());
      }),
    );
    expect(maxInAnyWindow(times, 10_000)).toBe(5);
    expect(Math.max(...times)).toBeGreaterThanOrEqual(20_000);
  });

  it('signInActivity: 10 per minute', async () => {
    const clock = new ManualClock();
    const limiter = new ThrottleLimiter({ clock, marginRatio: 0 });
    const times: number[] = [];
    for (let i = 0; i < 25; i++) {
      await limiter.acquire('signInActivity');
      times.push(clock.now());
    }
    expect(maxInAnyWindow(times, 60_000)).toBe(10);
    expect(clock.elapsed()).toBe(120_000);
  });

  it('conditional access: 1 per second', async () => {
    const clock = new ManualClock();
    const limiter = new ThrottleLimiter({ clock, marginRatio: 0 });
    for (let i = 0; i < 4; i++) await limiter.acquire('conditionalAccess');
    expect(clock.elapsed()).toBe(3_000);
  });

  it('directory: a token bucket of resource units (8,000 RU / 10 s for a large tenant)', async () => {
    const clock = new ManualClock();
    const limiter = new ThrottleLimiter({ clock, marginRatio: 0 });
    expect(limiter.available('directory', 2)).toBe(4_000);
    await limiter.acquire('directory', 8_000);
    expect(clock.elapsed()).toBe(0);
    expect(limiter.available('directory')).toBe(0);
    // Refill is continuous: 800 RU per second.
    await limiter.acquire('directory', 400);
    expect(clock.elapsed()).toBe(500);
    limiter.setTenantSize('small');
    await clock.advance(10_000);
    expect(limiter.available('directory')).toBe(3_500);
  });

  it('take() grants as many as fit now (batch sizing) and waits only for the first', async () => {
    const clock = new ManualClock();
    const limiter = new ThrottleLimiter({ clock });
    expect(limiter.available('reports')).toBe(5);
    expect(await limiter.take('reports', Array(20).fill(1))).toMatchObject({ granted: 5, waitedMs: 0 });
    expect(limiter.available('reports')).toBe(0);
    const next = await limiter.take('reports', Array(20).fill(1));
    expect(next.granted).toBe(5);
    expect(next.waitedMs).toBe(10_500);
  });

  it('restamp() counts a slot from when its request really left, so a late send cannot crowd the next window', async () => {
    const clock = new ManualClock();
    const limiter = new ThrottleLimiter({ clock });
    const first = await limiter.take('reports', Array(5).fill(1));
    expect(first.at).toEqual([0, 0, 0, 0, 0]);
    // The fifth request was held up 3 s between its grant and the socket (a token refresh, say).
    await clock.advance(3_000);
    limiter.restamp('reports', first.at.slice(4), clock.now());
    const sends = [0, 0, 0, 0, 3_000];
    const next = await limiter.acquireGrant('reports');
    // Without the restamp the sixth would go at 10.5 s: 4 requests plus the late one inside 10 s.
    expect(next.at[0]).toBe(10_500);
    // Only 3 more fit at 10.5 s: the late one still counts until 13.5 s (unstamped, all 5 would go).
    const second = await limiter.take('reports', Array(5).fill(1));
    expect(second.granted).toBe(3);
    expect(maxInAnyWindow([...sends, ...next.at, ...second.at], 10_000)).toBe(5);
  });

  it('restamp() never moves a slot earlier, and ignores token buckets', async () => {
    const clock = new ManualClock();
    const limiter = new ThrottleLimiter({ clock });
    await clock.advance(1_000);
    const g = await limiter.take('reports', Array(5).fill(1));
    limiter.restamp('reports', g.at, 0);
    expect((await limiter.acquireGrant('reports')).at[0]).toBe(11_500);
    const d = await limiter.take('directory', [8_000]);
    limiter.restamp('directory', d.at, clock.now() + 5_000);
    expect(limiter.available('directory')).toBe(0);
  });

  it('pause() (server Retry-After) holds the bucket, and never shortens an existing pause', async () => {
    const clock = new ManualClock();
    const limiter = new ThrottleLimiter({ clock });
    limiter.pause('directory', 5_000);
    limiter.pause('directory', 1_000);
    expect(limiter.available('directory')).toBe(0);
    await limiter.acquire('directory', 1);
    expect(clock.elapsed()).toBe(5_000);
    // Other buckets are not affected.
    await limiter.acquire('reports');
    expect(clock.elapsed()).toBe(5_000);
  });

  it('tenant size from the user count (https://learn.microsoft.com/graph/throttling-limits)', () => {
    expect([10, 49, 50, 500, 501].map(tenantSizeFor)).toEqual([
      'small',
      'small',
      'medium',
      'medium',
      'large',
    ]);
  });
});

describe('bucketFor: classification and resource-unit costs', () => {
  it.each([
    ['GET', '/reports/authenticationMethods/userRegistrationDetails', 'reports', 1],
    ['GET', '/auditLogs/directoryAudits?$filter=x', 'reports', 1],
    ['GET', 'https://graph.microsoft.com/beta/auditLogs/signIns?$skiptoken=a', 'reports', 1],
    ['GET', '/users/u1/authentication/methods', 'reports', 1],
    ['GET', '/me/authentication/methods', 'reports', 1],
    ['GET', '/users?$select=id,signInActivity&$top=500', 'signInActivity', 1],
    ['GET', '/identity/conditionalAccess/policies', 'conditionalAccess', 1],
    ['GET', '/identity/conditionalAccess/namedLocations', 'conditionalAccess', 1],
    ['GET', '/users', 'directory', 2],
    ['GET', '/users?$select=id,accountEnabled', 'directory', 1],
    ['GET', '/users/u1', 'directory', 2],
    ['GET', '/groups/g1/members', 'directory', 3],
    ['GET', '/groups/g1/transitiveMembers', 'directory', 5],
    ['GET', '/groups/g1/transitiveMembers?$select=id', 'directory', 4],
    ['GET', '/groups/g1/members?$expand=manager', 'directory', 4],
    ['GET', '/groups?$top=10', 'directory', 1],
    ['POST', '/directoryObjects/getByIds', 'directory', 5],
    ['GET', '/domains', 'directory', 1],
    ['GET', '/policies/authenticationMethodsPolicy', 'directory', 1],
    ['GET', 'https://127.0.0.1:8443/v1.0/users?$skiptoken=x', 'directory', 2],
  ])('%s %s → %s, cost %d', (method, url, bucket, cost) => {
    expect(bucketFor(method, url)).toEqual({ bucket, cost });
  });
});
