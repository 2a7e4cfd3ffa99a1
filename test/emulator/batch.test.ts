/** JSON batching (https://learn.microsoft.com/graph/json-batching): limits, ids, dependsOn, inner statuses, and the 200 envelope. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
import type { Caller, Reply } from './support.js';
import { graphError, startWithCaller } from './support.js';

let em: RunningEmulator;
let caller: Caller;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ em, caller, close } = await startWithCaller({ throttling: false }));
});
afterAll(() => close());

interface Inner {
  id: string;
  status: number;
  headers: Record<string, string>;
  body: unknown;
}
const responses = (r: Reply) => (r.json as { responses: Inner[] }).responses;
const get = (id: string, url: string, extra: Record<string, unknown> = {}) => ({
  id,
  method: 'GET',
  url,
  ...extra,
});

describe('batch limits', () => {
  it('takes up to 20 requests; 21 fail the whole batch with 400', async () => {
    const twenty = Array.from({ length: 20 }, (_, i) => get(String(i), '/domains'));
    const ok = await caller.batch('v1.0', twenty);
    expect(ok.status).toBe(200);
    expect(responses(ok).map((r) => r.status)).toEqual(Array(20).fill(200));
    const over = await caller.batch('v1.0', [...twenty, get('20', '/domains')]);
    expect(over.status).toBe(400);
    expect(graphError(over).message).toContain('20');
  });

  it('ids must be unique case-insensitively', async () => {
    const r = await caller.batch('v1.0', [get('a', '/domains'), get('A', '/organization')]);
    expect(r.status).toBe(400);
    expect(graphError(r).code).toBe('BadRequest');
  });

  it('a malformed payload is a 400; only POST is allowed', async () => {
    const notJson = await caller.raw('/v1.0/$batch', {
      method: 'POST',
      body: '{',
      headers: { 'content-type': 'application/json' },
    });
    expect(notJson.status).toBe(400);
    const noRequests = await caller.raw('/v1.0/$batch', {
      method: 'POST',
      body: '{"x":1}',
      headers: { 'content-type': 'application/json' },
    });
    expect(noRequests.status).toBe(400);
    expect((await caller.batch('v1.0', [{ id: '1', method: 'GET' }])).status).toBe(400);
    expect((await caller.get('/v1.0/$batch')).status).toBe(405);
  });
});

describe('inner requests', () => {
  it('are answered on their own: 200, 404, 400, 405, relative URLs with or without a slash', async () => {
    const user = em.tenant.users[0];
    const r = await caller.batch('beta', [
      get('ok', `/users/${user?.id}/authentication/methods`),
      get('noSlash', `users/${user?.userPrincipalName}?$select=id`),
      get('missing', '/users/nobody@contoso.com'),
      get('badFilter', "/users?$filter=foo eq 'x'"),
      {
        id: 'post',
        method: 'POST',
        url: '/users',
        body: {},
        headers: { 'content-type': 'application/json' },
      },
      get('absolute', `${em.url}/beta/users`),
    ]);
    expect(r.status).toBe(200);
    const byId = new Map(responses(r).map((x) => [x.id, x]));
    expect([...byId.keys()]).toEqual(['ok', 'noSlash', 'missing', 'badFilter', 'post', 'absolute']);
    expect(byId.get('ok')?.status).toBe(200);
    expect((byId.get('ok')?.body as { value: unknown[] }).value.length).toBeGreaterThan(0);
    expect(byId.get('noSlash')).toMatchObject({ status: 200, body: { id: user?.id } });
    expect(byId.get('missing')).toMatchObject({
      status: 404,
      body: { error: { code: 'Request_ResourceNotFound' } },
    });
    expect(byId.get('badFilter')).toMatchObject({
      status: 400,
      body: { error: { code: 'Request_UnsupportedQuery' } },
    });
    expect(byId.get('post')?.status).toBe(405);
    expect(byId.get('absolute')?.status).toBe(400);
    // Graph meters inner requests; the POST itself is one HTTP request.
    const stats = em.stats();
    expect(stats.byRoute['GET /beta/users/{id}/authentication/methods']).toBe(1);
  });

  it('dependsOn: a request whose dependency failed gets 424; after a success it runs', async () => {
    const r = await caller.batch('v1.0', [
      get('1', '/users/nobody@contoso.com'),
      get('2', '/domains', { dependsOn: ['1'] }),
      get('3', '/organization'),
      get('4', '/domains', { dependsOn: ['3'] }),
      get('5', '/domains', { dependsOn: ['2'] }),
    ]);
    expect(responses(r).map((x) => [x.id, x.status])).toEqual([
      ['1', 404],
      ['2', 424],
      ['3', 200],
      ['4', 200],
      ['5', 424],
    ]);
  });

  it('dependsOn naming an unknown request, itself, or forming a cycle is a malformed batch', async () => {
    expect((await caller.batch('v1.0', [get('1', '/domains', { dependsOn: ['9'] })])).status).toBe(400);
    expect((await caller.batch('v1.0', [get('1', '/domains', { dependsOn: ['1'] })])).status).toBe(400);
    const cycle = [get('1', '/domains', { dependsOn: ['2'] }), get('2', '/domains', { dependsOn: ['1'] })];
    expect((await caller.batch('v1.0', cycle)).status).toBe(400);
  });

  it('an inner next link is absolute and can be followed outside the batch', async () => {
    const r = await caller.batch('v1.0', [get('u', '/users?$select=id&$top=5')]);
    const link = (responses(r)[0]?.body as { '@odata.nextLink': string })['@odata.nextLink'];
    expect(link.startsWith(`${em.url}/v1.0/users?`)).toBe(true);
    expect((await caller.get(link)).status).toBe(200);
  });
});
