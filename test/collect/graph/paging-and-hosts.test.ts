import { AuthenticationHandler, Client } from '@microsoft/microsoft-graph-client';
import { afterEach, describe, expect, it } from 'vitest';
import { NextLinkRejected } from '../../../src/collect/graph/errors.js';
import { customHostsFor } from '../../../src/collect/graph/graph-client.js';
import { NodeHttpTransport } from '../../../src/collect/graph/node-http-transport.js';
import type { Harness, TestServer } from './graph-test-server.js';
import { TEST_CA, collect, harness, json, startServer } from './graph-test-server.js';

let h: Harness | undefined;
let plain: TestServer | undefined;
afterEach(async () => {
  await h?.close();
  await plain?.close();
  h = undefined;
  plain = undefined;
});

/** Three pages of 3, 7 and 1 users: odd sizes, so nothing may assume a page size. */
const PAGES = [3, 7, 1];
function usersPage(origin: string, page: number) {
  const start = PAGES.slice(0, page).reduce((a, b) => a + b, 0);
  const size = PAGES[page] ?? 0;
  const body: Record<string, unknown> = {
    value: Array.from({ length: size }, (_, i) => ({ id: `u${start + i}` })),
  };
  // nextLink is absolute, on the same (custom) host, with an opaque skiptoken.
  if (page + 1 < PAGES.length)
    body['@odata.nextLink'] = `${origin}/v1.0/users?$select=id&$skiptoken=tok${page + 1}%3D%3D`;
  return body;
}

describe('paging by @odata.nextLink', () => {
  it('follows absolute nextLinks across 3 pages of odd sizes and reports each link', async () => {
    h = await harness((req, res) => {
      const m = /\$skiptoken=tok(\d)/.exec(req.url);
      json(res, 200, usersPage(h?.server.url ?? '', m ? Number(m[1]) : 0));
    });
    const pages = await collect(h.source.pages<{ id: string }>('/users?$select=id'));
    expect(pages.map((p) => p.items.length)).toEqual([3, 7, 1]);
    expect(pages.flatMap((p) => p.items.map((u) => u.id))).toEqual(
      Array.from({ length: 11 }, (_, i) => `u${i}`),
    );
    expect(pages[0]?.nextLink).toBe(`${h.server.url}/v1.0/users?$select=id&$skiptoken=tok1%3D%3D`);
    expect(pages[2]?.nextLink).toBeUndefined();
    // The skip token reached the server unchanged, and version/path were kept.
    expect(h.server.seen.map((r) => r.url)).toEqual([
      '/v1.0/users?$select=id',
      '/v1.0/users?$select=id&$skiptoken=tok1%3D%3D',
      '/v1.0/users?$select=id&$skiptoken=tok2%3D%3D',
    ]);
    expect(h.source.stats().requestsByBucket.directory).toBe(3);
    expect(h.source.stats().httpRoundTrips).toBe(3);
    // One token for all three pages (cached), asked for with the custom host's .default scope.
    expect(h.credential.calls).toEqual([`${h.server.url}/.default`]);
  });

  it('resumes from a saved nextLink (startLink) without fetching the first page', async () => {
    h = await harness((req, res) => {
      const m = /\$skiptoken=tok(\d)/.exec(req.url);
      json(res, 200, usersPage(h?.server.url ?? '', m ? Number(m[1]) : 0));
    });
    const startLink = `${h.server.url}/v1.0/users?$select=id&$skiptoken=tok2%3D%3D`;
    const pages = await collect(h.source.pages<{ id: string }>('/users?$select=id', { startLink }));
    expect(pages.map((p) => p.items.map((u) => u.id))).toEqual([['u10']]);
    expect(h.server.seen).toHaveLength(1);
  });

  it('says NextLinkRejected when Graph refuses a saved link, so the collector restarts the dataset', async () => {
    h = await harness((_req, res) =>
      json(res, 400, {
        error: { code: 'Directory_ExpiredPageToken', message: 'The specified page token value has expired.' },
      }),
    );
    const startLink = `${h.server.url}/v1.0/users?$skiptoken=old`;
    const err = await collect(h.source.pages('/users', { startLink })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NextLinkRejected);
    expect((err as NextLinkRejected).data).toMatchObject({
      endpoint: 'GET /v1.0/users',
      status: 400,
      code: 'Directory_ExpiredPageToken',
    });
  });

  it('uses beta when the path names it and for beta nextLinks', async () => {
    h = await harness((req, res) => {
      if (!req.url.includes('skiptoken'))
        json(res, 200, {
          value: [{ id: 's1' }],
          '@odata.nextLink': `${h?.server.url}/beta/auditLogs/signIns?$skiptoken=x`,
        });
      else json(res, 200, { value: [{ id: 's2' }] });
    });
    const pages = await collect(h.source.pages('/beta/auditLogs/signIns?$top=1000'));
    expect(pages).toHaveLength(2);
    expect(h.server.seen.map((r) => r.url)).toEqual([
      '/beta/auditLogs/signIns?$top=1000',
      '/beta/auditLogs/signIns?$skiptoken=x',
    ]);
    expect(h.source.stats().requestsByBucket.reports).toBe(2);
  });
});

describe('customHosts', () => {
  it('the Authorization header reaches a custom Graph host (and the scope is ${graphUrl}/.default)', async () => {
    h = await harness((_req, res) => json(res, 200, { id: 'org' }));
    await h.source.get('/organization');
    const seen = h.server.seen[0];
    expect(seen?.headers.authorization).toBe('Bearer test-token-123');
    expect(customHostsFor(h.server.url).customHosts).toEqual(new Set(['127.0.0.1']));
    expect(customHostsFor('https://graph.microsoft.com')).toEqual({});
  });

  it('library quirk: without customHosts the client silently sends no token to a custom host', async () => {
    plain = await startServer((_req, res) => json(res, 200, { ok: true }));
    const transport = new NodeHttpTransport({ ca: TEST_CA });
    const client = Client.initWithMiddleware({
      baseUrl: plain.url,
      middleware: [
        new AuthenticationHandler({ getAccessToken: async () => 'should-not-be-sent' }),
        transport,
      ],
    });
    await client.api('/organization').get();
    expect(plain.seen[0]?.headers.authorization).toBeUndefined();
    transport.close();
  });
});
