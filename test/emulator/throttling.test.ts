/**
 * Throttling per documented bucket (https://learn.microsoft.com/graph/throttling-limits), on an injected clock: reports 5 / 10 s per
 * app per tenant (429 + Retry-After), Conditional Access 1 / s per tenant (429 without
 * Retry-After), signInActivity 10 / min, directory resource units with their costs and headers,
 * inner `$batch` requests each in their own bucket, and a clock that `timeScale` speeds up.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/collect/graph/clock.js';
import { resolveCloud } from '../../src/collect/graph/clouds.js';
import { chooseCredential } from '../../src/collect/graph/credentials.js';
import { createGraphSource } from '../../src/collect/graph/graph-client.js';
import { Caller, fixture, graphError, start } from './support.js';
import type { Reply } from './support.js';
import { compareShape, unexplained } from './shape.js';

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function setup(options: Parameters<typeof start>[0] = {}) {
  const clock =
    options.clock instanceof ManualClock ? options.clock : new ManualClock({ autoAdvance: false });
  const em = await start({ clock, ...options });
  const caller = new Caller(em);
  await caller.signIn();
  cleanup.push(async () => {
    caller.close();
    await em.close();
  });
  return { em, caller, clock };
}

const REPORT = '/beta/reports/authenticationMethods/userRegistrationDetails?$top=1';

async function times(n: number, call: () => Promise<Reply>): Promise<Reply[]> {
  const out: Reply[] = [];
  for (let i = 0; i < n; i++) out.push(await call());
  return out;
}

describe('identity-and-access reports: 5 requests / 10 s per app per tenant', () => {
  it('the 6th request within 10 s gets 429 with Retry-After and Graph’s TooManyRequests body', async () => {
    const { caller, clock, em } = await setup();
    const replies = await times(6, () => caller.get(REPORT));
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 429]);
    const throttled = replies[5] as Reply;
    expect(throttled.headers['retry-after']).toBe('10');
    expect(graphError(throttled).code).toBe('TooManyRequests');
    expect(unexplained(compareShape(fixture('throttling_429_error.json'), throttled.json), {})).toEqual({
      missing: [],
      mismatches: [],
      unusedAllowances: [],
    });
    // The per-user methods and the audit logs share the bucket.
    expect((await caller.get('/v1.0/auditLogs/directoryAudits?$top=1')).status).toBe(429);
    // Other buckets are not affected.
    expect((await caller.get('/v1.0/users?$top=1')).status).toBe(200);
    // Another app has its own budget.
    const other = new Caller(em);
    await other.signIn('another-app');
    expect((await other.get(REPORT)).status).toBe(200);
    other.close();

    await clock.advance(9_400);
    const early = await caller.get(REPORT);
    expect(early.status).toBe(429);
    expect(early.headers['retry-after']).toBe('1'); // rounded up
    await clock.advance(600);
    expect((await caller.get(REPORT)).status).toBe(200);
    expect(em.stats().throttledByBucket.reports).toBe(3);
  });

  it('refused requests count too (https://learn.microsoft.com/graph/throttling): hammering stays locked out, waiting Retry-After gets in', async () => {
    const { caller, clock, em } = await setup();
    const patient = new Caller(em);
    await patient.signIn('patient-app');
    cleanup.push(async () => patient.close());
    await times(5, () => caller.get(REPORT));
    await times(5, () => patient.get(REPORT));
    const first = await caller.get(REPORT);
    expect(first.headers['retry-after']).toBe('10');
    expect((await patient.get(REPORT)).headers['retry-after']).toBe('10');
    for (let s = 1; s < 10; s++) {
      await clock.advance(1_000);
      expect((await caller.get(REPORT)).status).toBe(429); // retrying every second, against the advice
    }
    await clock.advance(1_000);
    expect((await patient.get(REPORT)).status).toBe(200);
    const hammered = await caller.get(REPORT);
    expect(hammered.status).toBe(429);
    expect(Number(hammered.headers['retry-after'])).toBeGreaterThan(1);
  });

  it('signInActivity has its own 10 / minute', async () => {
    const { caller, clock } = await setup();
    const replies = await times(11, () => caller.get('/v1.0/users?$select=id,signInActivity&$top=5'));
    expect(replies.slice(0, 10).every((r) => r.status === 200)).toBe(true);
    expect(replies[10]?.status).toBe(429);
    expect(Number(replies[10]?.headers['retry-after'])).toBe(60);
    expect(
      (replies[0]?.json as { value: { signInActivity: Record<string, unknown> }[] }).value[0]?.signInActivity,
    ).toHaveProperty('lastSignInDateTime');
    await clock.advance(60_000);
    expect((await caller.get('/v1.0/users?$select=id,signInActivity&$top=5')).status).toBe(200);
  });
});

describe('Conditional Access: 1 request / s per tenant, no Retry-After', () => {
  it('a second request within the second is refused without Retry-After, for any app', async () => {
    const { caller, clock, em } = await setup();
    expect((await caller.get('/v1.0/identity/conditionalAccess/policies')).status).toBe(200);
    const second = await caller.get('/v1.0/identity/conditionalAccess/policies');
    expect(second.status).toBe(429);
    expect(second.headers['retry-after']).toBeUndefined();
    expect(graphError(second).code).toBe('TooManyRequests');
    const other = new Caller(em);
    await other.signIn('another-app');
    expect((await other.get('/beta/identity/conditionalAccess/policies')).status).toBe(429);
    other.close();
    await clock.advance(1_000);
    expect((await caller.get('/v1.0/identity/conditionalAccess/policies')).status).toBe(200);
  });
});

describe('directory resource units (S tenant: 3,500 RU / 10 s)', () => {
  it('charges the documented costs, warns past 80%, and refuses with RU headers when spent', async () => {
    const { em, caller, clock } = await setup({ users: 40 });
    const group = em.tenant.groups[0]?.id ?? '';
    const ru = async (path: string) => (await caller.get(path)).headers['x-ms-resource-unit'];
    expect(await ru('/v1.0/users')).toBe('2');
    expect(await ru('/v1.0/users?$select=id')).toBe('1');
    expect(await ru('/v1.0/users?$top=5')).toBe('1');
    expect(await ru('/v1.0/groups')).toBe('1');
    expect(await ru(`/v1.0/groups/${group}/members`)).toBe('3');
    expect(await ru(`/v1.0/groups/${group}/transitiveMembers`)).toBe('5');
    expect(await ru(`/v1.0/groups/${group}/transitiveMembers?$select=id`)).toBe('4');
    const spentSoFar = 2 + 1 + 1 + 1 + 3 + 5 + 4;

    // Spend the rest through $batch: every inner request is metered on its own.
    const inner = Array.from({ length: 20 }, (_, i) => ({
      id: String(i),
      method: 'GET',
      url: `/groups/${group}/transitiveMembers`,
    }));
    let admitted = spentSoFar;
    let throttled: { status: number; headers: Record<string, string> } | undefined;
    let warned = false;
    for (let round = 0; round < 40 && throttled === undefined; round++) {
      const r = await caller.batch('v1.0', inner);
      for (const x of (r.json as { responses: { status: number; headers: Record<string, string> }[] })
        .responses) {
        if (x.status === 200) admitted += 5;
        if (x.headers['x-ms-throttle-limit-percentage'] !== undefined) warned = true;
        if (x.status === 429 && throttled === undefined) throttled = x;
      }
    }
    expect(warned).toBe(true);
    expect(admitted).toBeLessThanOrEqual(3_500);
    expect(admitted).toBeGreaterThan(3_500 - 5);
    expect(throttled?.headers).toMatchObject({
      'Retry-After': '1',
      'x-ms-throttle-information': 'ResourceUnitLimitExceeded',
    });
    expect(throttled?.headers['x-ms-throttle-scope']).toMatch(
      /^Tenant_Application\/ResourceUnitLimit\/app-under-test\//,
    );
    await clock.advance(10_000);
    expect((await caller.get(`/v1.0/groups/${group}/transitiveMembers`)).status).toBe(200);
  });
});

describe('$batch inner requests are throttled one by one', () => {
  it('the batch answers 200; the inner requests over the bucket get 429 with their own Retry-After', async () => {
    const { em, caller } = await setup();
    const ids = em.tenant.users.slice(0, 8).map((u) => u.id);
    const r = await caller.batch(
      'beta',
      ids.map((id, i) => ({ id: String(i), method: 'GET', url: `/users/${id}/authentication/methods` })),
    );
    expect(r.status).toBe(200);
    const inner = (r.json as { responses: { status: number; headers: Record<string, string> }[] }).responses;
    expect(inner.map((x) => x.status)).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    expect(inner.slice(5).every((x) => x.headers['Retry-After'] === '10')).toBe(true);
    expect(em.stats().throttledByBucket.reports).toBe(3);
  });

  it('the collector’s client, on the same clock, paces and retries inner 429s until all succeed', async () => {
    const clock = new ManualClock(); // auto-advances when everything waits on it
    const { em } = await setup({ clock });
    const cloud = resolveCloud({ graphUrl: em.url, loginUrl: em.loginUrl });
    const choice = chooseCredential(
      { tenant: em.tenantId, clientId: 'collector', clientSecret: 'pw' },
      {},
      cloud,
      { ca: em.caPem },
    );
    const source = createGraphSource({
      graphUrl: em.url,
      credential: choice.credential,
      clock,
      ca: em.caPem,
      random: () => 0.5,
    });
    cleanup.push(async () => source.close());
    const users = em.tenant.users.slice(0, 12);
    const answers = await source.batch(
      users.map((u, i) => ({ id: `m${i}`, url: `/users/${u.id}/authentication/methods` })),
      { version: 'beta' },
    );
    expect(answers.map((a) => a.status)).toEqual(Array(12).fill(200));
    // 12 requests at 5 per 10 s: at least 20 s of emulated time, and the limiter avoided 429s.
    expect(clock.elapsed()).toBeGreaterThanOrEqual(20_000);
    expect(em.stats().throttled).toBe(0);
    expect(em.stats().byBucket.reports).toBe(12);
  });
});

describe('timeScale and the switch', () => {
  it('timeScale K: a 10 s window passes in 10/K s of wall time; Retry-After is in emulated seconds', async () => {
    const em = await start({ timeScale: 50 });
    const caller = new Caller(em);
    cleanup.push(async () => {
      caller.close();
      await em.close();
    });
    await caller.signIn();
    const wall0 = Date.now();
    const emu0 = em.clock.now();
    const replies = await times(6, () => caller.get(REPORT));
    const throttled = replies[5] as Reply;
    expect(throttled.status).toBe(429);
    const retryAfter = Number(throttled.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(9);
    expect(retryAfter).toBeLessThanOrEqual(10);
    await new Promise((resolve) => setTimeout(resolve, (retryAfter * 1000) / 50 + 20));
    expect((await caller.get(REPORT)).status).toBe(200);
    const wall = Date.now() - wall0;
    const emulated = em.clock.now() - emu0;
    expect(emulated).toBeGreaterThan(wall * 40);
  });

  it('throttling: false serves everything', async () => {
    const { caller } = await setup({ throttling: false });
    const replies = await times(12, () => caller.get(REPORT));
    expect(replies.every((r) => r.status === 200)).toBe(true);
  });
});
