/**
 * Pages are read in turns: a request that arrives while a slow page is being generated (a sparse
 * `$filter` over a big tenant) is admitted by the throttle and answered at once, not after the
 * page, so its throttle stamp is its arrival time as on Graph; and two reads of the same
 * `$skiptoken` at once share one read of the live query instead of both advancing it.
 *
 * The emulator runs in this process: while a page was generated in one go, nothing here could run,
 * so the "still in flight" checks below could not hold.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/collect/graph/clock.js';
import type { RunningEmulator } from '../../src/emulator/index.js';
import type { Caller, Reply } from './support.js';
import { startWithCaller } from './support.js';

/** Big enough that scanning every user takes well over 20 ms (about 100–200 ms here). */
const USERS = 20_000;
/** Matches no user: the page reads the whole tenant, then answers an empty last page. */
const SPARSE = "/v1.0/users?$filter=startswith(displayName,'zzzz')";
const REPORT = '/beta/reports/authenticationMethods/userRegistrationDetails?$top=1';

let em: RunningEmulator;
let caller: Caller;
let close: () => Promise<void>;
const clock = new ManualClock({ autoAdvance: false });

beforeAll(async () => {
  ({ em, caller, close } = await startWithCaller({ users: USERS, clock }));
  // Open a few keep-alive connections now, so that the requests below need no TLS handshake, and
  // build what the tenant builds once (the report's first read) outside the timed parts.
  await Promise.all(Array.from({ length: 8 }, () => caller.get('/v1.0/domains')));
  await caller.get(REPORT);
}, 20_000);
afterAll(() => close());

/** Waits (taking turns, bounded) until `cond` holds. */
async function until(cond: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = performance.now() + ms;
  while (!cond()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const served = (route: string) => em.stats().byRoute[route] ?? 0;

/** Starts a GET and waits until the emulator has dispatched it (admitted it, and begun its page). */
async function inFlight(
  path: string,
  route: string,
): Promise<{ reply: Promise<Reply>; done: () => boolean }> {
  const before = served(route);
  let finished = false;
  const reply = caller.get(path).then((r) => {
    finished = true;
    return r;
  });
  await until(() => served(route) > before, `${path} to be dispatched`);
  return { reply, done: () => finished };
}

describe('a slow page does not hold back other requests', () => {
  it('answers a cheap request that arrives while the page is being read, before the page', async () => {
    const started = performance.now();
    const slow = await inFlight(SPARSE, 'GET /v1.0/users');
    const sent = performance.now();
    const cheap = await caller.get('/v1.0/organization');
    const cheapMs = performance.now() - sent;
    expect(cheap.status).toBe(200);
    expect(slow.done(), 'the slow page is still being read').toBe(false);

    const page = await slow.reply;
    const slowMs = performance.now() - started;
    expect(page.status).toBe(200);
    // Read to the end within the page budget: an empty last page, no nextLink.
    expect(page.json).toMatchObject({ value: [] });
    expect(page.json).not.toHaveProperty('@odata.nextLink');
    expect(cheapMs).toBeLessThan(slowMs);
  });

  it('stamps report requests when they arrive: correctly spaced ones are all admitted', async () => {
    // Reports: 5 per 10 s per app. The emulated clock moves on (10 s) while the page is being read,
    // between two rounds of five: each round is within the limit when stamped at arrival.
    await clock.advance(60_000); // clear of the other tests' report requests
    const slow = await inFlight(SPARSE, 'GET /v1.0/users');
    const round = () => Promise.all(Array.from({ length: 5 }, () => caller.get(REPORT)));
    const first = await round();
    await clock.advance(10_000);
    const second = await round();
    expect(slow.done(), 'the slow page is still being read').toBe(false);
    expect([...first, ...second].map((r) => r.status)).toEqual(Array(10).fill(200));
    expect((await slow.reply).status).toBe(200);
  });
});

describe('one read per live query', () => {
  it('two requests for the same skiptoken at once get the same page, and the query goes on intact', async () => {
    const users = em.tenant.users;
    const ids = [users[0], users[1], users[USERS - 1]].map((u) => u?.id as string);
    // One user per page; the second page's peek-ahead (for the third match) scans the whole tenant.
    const path = `/v1.0/users?$select=id&$top=1&$filter=${ids.map((id) => `id eq '${id}'`).join(' or ')}`;
    const first = await caller.get(path);
    expect(first.status).toBe(200);
    const link = (first.json as { '@odata.nextLink': string })['@odata.nextLink'];

    const a = await inFlight(link, 'GET /v1.0/users');
    const before = served('GET /v1.0/users');
    const b = caller.get(link);
    await until(() => served('GET /v1.0/users') > before, 'the second request to be dispatched');
    expect(a.done(), 'the second request arrived while the first was reading the live query').toBe(false);
    const [ra, rb] = await Promise.all([a.reply, b]);
    expect(ra.status).toBe(200);
    expect(rb.json).toEqual(ra.json);

    const last = await caller.get((ra.json as { '@odata.nextLink': string })['@odata.nextLink']);
    expect(last.json).not.toHaveProperty('@odata.nextLink');
    const seen = [first, ra, last].flatMap((r) =>
      (r.json as { value: { id: string }[] }).value.map((u) => u.id),
    );
    expect(seen).toEqual(ids);
  });
});
