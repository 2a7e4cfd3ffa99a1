/**
 * Paging: absolute @odata.nextLink with a $skiptoken, independent of query-option order and encoding
 * (the Graph JS client rebuilds nextLink query strings), the same page for a retried link, 400 for
 * an unknown, foreign or expired token, and the real collector client (createGraphSource) reading
 * whole collections through the emulator.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/collect/graph/clock.js';
import { NextLinkRejected } from '../../src/collect/graph/errors.js';
import { createGraphSource } from '../../src/collect/graph/graph-client.js';
import type { LiveGraphSource, Page } from '../../src/collect/graph/graph-client.js';
import { resolveCloud } from '../../src/collect/graph/clouds.js';
import { chooseCredential } from '../../src/collect/graph/credentials.js';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { graphError, startWithCaller } from './support.js';

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function setup(options: Parameters<typeof startWithCaller>[0] = {}) {
  const s = await startWithCaller({ throttling: false, ...options });
  cleanup.push(s.close);
  return s;
}

function source(em: RunningEmulator, clock = new ManualClock()): LiveGraphSource {
  const cloud = resolveCloud({ graphUrl: em.url, loginUrl: em.loginUrl });
  const choice = chooseCredential(
    { tenant: em.tenantId, clientId: 'collector', clientSecret: 'pw' },
    {},
    cloud,
    {
      ca: em.caPem,
    },
  );
  const s = createGraphSource({
    graphUrl: em.url,
    credential: choice.credential,
    clock,
    ca: em.caPem,
    random: () => 0.5,
  });
  cleanup.push(async () => s.close());
  return s;
}

async function collect<T>(pages: AsyncIterable<Page<T>>, max = 500): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let n = 0;
  for await (const p of pages) {
    items.push(...p.items);
    if (++n > max) throw new Error('too many pages');
  }
  return { items, pages: n };
}

describe('nextLink paging', () => {
  it('pages users with $top and reaches every user exactly once', async () => {
    const { em, caller } = await setup();
    const first = await caller.get('/v1.0/users?$select=id,displayName&$top=7');
    const link = (first.json as { '@odata.nextLink': string })['@odata.nextLink'];
    expect(link).toMatch(new RegExp(`^${em.url}/v1\\.0/users\\?.*\\$skiptoken=[\\w-]+$`));
    const { items, pages } = await caller.all('/v1.0/users?$select=id,displayName&$top=7');
    expect(pages).toBe(Math.ceil(60 / 7));
    expect(items.map((u) => u['id'])).toEqual(em.tenant.users.map((u) => u.id));
  });

  it('accepts the next link with its query options reordered and re-encoded', async () => {
    const { caller } = await setup();
    const first = await caller.get("/v1.0/users?$filter=startswith(displayName, 'a')&$select=id&$top=2");
    const link = new URL((first.json as { '@odata.nextLink': string })['@odata.nextLink']);
    const expected = await caller.get(link.href);
    const reordered = new URL(link.origin + link.pathname);
    for (const [k, v] of [...link.searchParams].reverse()) reordered.searchParams.append(k, v); // `+` for spaces
    const again = await caller.get(reordered.href);
    expect(again.status).toBe(200);
    expect(again.json).toEqual(expected.json);
  });

  it('answers a retried link with the same page (a truncated or lost page can be fetched again)', async () => {
    const { caller } = await setup({ pageSizes: { signIns: { default: 5, max: 1000, overMax: 'cap' } } });
    const first = await caller.get('/beta/auditLogs/signIns');
    const link = (first.json as { '@odata.nextLink': string })['@odata.nextLink'];
    const a = await caller.get(link);
    const b = await caller.get(link);
    expect(a.status).toBe(200);
    expect(b.json).toEqual(a.json);
  });

  it('cuts a page short (with a nextLink) when generating it takes too long, and still delivers everything', async () => {
    const { em, caller } = await setup({ pageTimeBudgetMs: 0 });
    const { items, pages } = await caller.all('/v1.0/auditLogs/directoryAudits', 1000);
    const expected = [...em.tenant.iterateAudits()].map((a) => a.id);
    expect(items.map((a) => a['id'])).toEqual(expected);
    expect(pages).toBeGreaterThan(1);
  });
});

describe('skiptokens Graph would refuse', () => {
  it('unknown, or issued for another collection → 400', async () => {
    const { em, caller } = await setup();
    const unknown = await caller.get('/v1.0/users?$skiptoken=not-a-token');
    expect(unknown.status).toBe(400);
    expect(graphError(unknown).code).toBe('Request_BadRequest');
    const users = await caller.get('/v1.0/users?$top=2');
    const token = new URL((users.json as { '@odata.nextLink': string })['@odata.nextLink']).searchParams.get(
      '$skiptoken',
    );
    expect((await caller.get(`/v1.0/groups?$skiptoken=${token}`)).status).toBe(400);
    expect((await caller.get(`/beta/users?$skiptoken=${token}`)).status).toBe(400);
    expect(em.stats().byRoute['GET /v1.0/users']).toBe(2);
  });

  it('expired (unused longer than the TTL on the emulated clock) → 400; the collector sees NextLinkRejected', async () => {
    const clock = new ManualClock({ autoAdvance: false });
    const { em, caller } = await setup({ clock, skiptokenTtlMs: 60_000 });
    const first = await caller.get('/v1.0/users?$top=10');
    const link = (first.json as { '@odata.nextLink': string })['@odata.nextLink'];
    await clock.advance(59_000);
    const second = await caller.get(link);
    expect(second.status).toBe(200);
    const next = (second.json as { '@odata.nextLink': string })['@odata.nextLink'];
    await clock.advance(61_000);
    expect((await caller.get(next)).status).toBe(400);

    // Resuming from a saved link that has expired: the client's typed error says "restart the dataset".
    const fresh = await caller.get('/v1.0/users?$top=10');
    const saved = (fresh.json as { '@odata.nextLink': string })['@odata.nextLink'];
    await clock.advance(61_000);
    const pages = source(em).pages('/users', { startLink: saved });
    await expect(collect(pages)).rejects.toBeInstanceOf(NextLinkRejected);
  });

  it('evicted when more queries are live than the bound allows (least recently used first)', async () => {
    const { caller } = await setup({ maxLiveQueries: 2 });
    const links: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await caller.get(`/v1.0/users?$top=${5 + i}`);
      links.push((r.json as { '@odata.nextLink': string })['@odata.nextLink']);
    }
    expect((await caller.get(links[0] as string)).status).toBe(400);
    expect((await caller.get(links[2] as string)).status).toBe(200);
  });
});

describe('page sizes', () => {
  it('users: default 100; $top above 999 is a 400 (MGDC user-list.md)', async () => {
    const { caller } = await setup({ users: 150 });
    const page = await caller.get('/v1.0/users?$select=id');
    expect((page.json as { value: unknown[] }).value).toHaveLength(100);
    const over = await caller.get('/v1.0/users?$top=1000');
    expect(over.status).toBe(400);
    expect(graphError(over).message).toContain('between 1 and 999');
    expect((await caller.get('/v1.0/users?$top=999')).status).toBe(200);
  });

  it('sign-ins: $top above the maximum is capped (https://learn.microsoft.com/graph/api/signin-list documents a 1,000 maximum)', async () => {
    const { caller } = await setup({ pageSizes: { signIns: { default: 5, max: 8, overMax: 'cap' } } });
    const r = await caller.get('/beta/auditLogs/signIns?$top=50');
    expect((r.json as { value: unknown[] }).value).toHaveLength(8);
    expect((await caller.get('/beta/auditLogs/signIns')).json).toMatchObject({ value: { length: 5 } });
  });

  it('$count needs ConsistencyLevel: eventual, like Graph’s advanced queries', async () => {
    const { caller } = await setup();
    expect((await caller.get('/v1.0/users?$count=true&$top=1')).status).toBe(400);
    const counted = await caller.get('/v1.0/users?$count=true&$top=1', {
      headers: { ConsistencyLevel: 'eventual' },
    });
    expect(counted.json).toMatchObject({ '@odata.count': 60 });
    const plain = await caller.get('/v1.0/users/$count', { headers: { ConsistencyLevel: 'eventual' } });
    expect(plain.text).toBe('60');
  });
});

describe('the collector’s Graph client against the emulator', () => {
  it('createGraphSource.pages reads every user and every filtered sign-in, across many pages', async () => {
    const { em } = await setup({
      pageSizes: {
        users: { default: 100, max: 999, overMax: 'reject' },
        signIns: { default: 7, max: 1000, overMax: 'cap' },
      },
    });
    const graph = source(em);
    const users = await collect(graph.pages<{ id: string }>('/users?$select=id,userPrincipalName&$top=9'));
    expect(users.items.map((u) => u.id)).toEqual(em.tenant.users.map((u) => u.id));
    expect(users.pages).toBe(Math.ceil(60 / 9));

    const since = '2026-11-15T00:00:00Z';
    const filter = `createdDateTime ge ${since} and signInEventTypes/any(t: t eq 'interactiveUser' or t eq 'nonInteractiveUser')`;
    const signIns = await collect(graph.pages<{ id: string }>(`/beta/auditLogs/signIns?$filter=${filter}`));
    const expected = [...em.tenant.iterateSignIns({ since })].map((s) => s.id);
    expect(expected.length).toBeGreaterThan(20);
    expect(signIns.items.map((s) => s.id)).toEqual(expected);
    expect(signIns.pages).toBe(Math.ceil(expected.length / 7));
    expect(graph.stats().httpRoundTrips).toBe(users.pages + signIns.pages + 0);
  });
});
