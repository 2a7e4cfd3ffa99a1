import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  GraphRequestFailed,
  PermissionMissing,
  RetriesExhausted,
} from '../../../src/collect/graph/errors.js';
import type { Harness, SeenRequest } from './graph-test-server.js';
import { TOO_MANY_REQUESTS, harness, json } from './graph-test-server.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

interface Inner {
  id: string;
  method: string;
  url: string;
}
const innerOf = (req: SeenRequest): Inner[] => (JSON.parse(req.body) as { requests: Inner[] }).requests;
const batches = (hh: Harness) => hh.server.seen.filter((r) => r.url.endsWith('/$batch'));
const ok = (id: string) => ({
  id,
  status: 200,
  headers: { 'Content-Type': 'application/json' },
  body: { value: [] },
});

describe('$batch', () => {
  it('sizes each batch to what the reports bucket allows now (5 / 10 s): 12 requests go as 5, 5, 2', async () => {
    h = await harness((req, res) => json(res, 200, { responses: innerOf(req).map((r) => ok(r.id)) }));
    const requests = Array.from({ length: 12 }, (_, i) => ({
      id: String(i),
      url: `/users/u${i}/authentication/methods`,
    }));
    const out = await h.source.batch(requests);
    expect(out.map((r) => r.id)).toEqual(requests.map((r) => r.id));
    expect(out.every((r) => r.status === 200 && r.error === undefined)).toBe(true);
    const sent = batches(h);
    expect(sent.map((b) => innerOf(b).length)).toEqual([5, 5, 2]);
    // Each new batch waited for the window (10 s, stretched by the 2% safety margin).
    expect(sent.map((b) => b.at)).toEqual([0, 10_500, 21_000]);
    expect(h.source.stats()).toMatchObject({
      requestsByBucket: { reports: 12, directory: 0 },
      httpRoundTrips: 3,
      batches: 3,
      throttled: 0,
    });
    expect(h.source.stats().throttleWaitMs).toBe(21_000);
  });

  it('never puts more than 20 requests in one batch (directory bucket, plenty of RU)', async () => {
    h = await harness((req, res) => json(res, 200, { responses: innerOf(req).map((r) => ok(r.id)) }));
    const requests = Array.from({ length: 45 }, (_, i) => ({
      id: `g${i}`,
      url: `/groups/g${i}/members?$select=id`,
    }));
    await h.source.batch(requests);
    expect(batches(h).map((b) => innerOf(b).length)).toEqual([20, 20, 5]);
    expect(h.clock.elapsed()).toBe(0);
    // The version root is stripped from inner URLs, as $batch wants them.
    expect(innerOf(batches(h)[0] as SeenRequest)[0]).toEqual({
      id: 'g0',
      method: 'GET',
      url: '/groups/g0/members?$select=id',
    });
  });

  it('retries only the throttled inner requests, all together, after the longest inner Retry-After', async () => {
    let round = 0;
    h = await harness((req, res) => {
      round++;
      const responses = innerOf(req).map((r) => {
        if (round === 1 && r.id === '2')
          return { id: r.id, status: 429, headers: { 'Retry-After': '3' }, body: TOO_MANY_REQUESTS };
        if (round === 1 && r.id === '4')
          return { id: r.id, status: 429, headers: { 'retry-after': '7' }, body: TOO_MANY_REQUESTS };
        return ok(r.id);
      });
      // Graph may answer in any order (https://learn.microsoft.com/graph/json-batching).
      json(res, 200, { responses: responses.reverse() });
    });
    const requests = ['1', '2', '3', '4', '5'].map((id) => ({
      id,
      url: `/users/${id}?$select=id,accountEnabled`,
    }));
    const out = await h.source.batch(requests);

    expect(out.map((r) => [r.id, r.status])).toEqual(requests.map((r) => [r.id, 200]));
    const sent = batches(h);
    expect(sent.map((b) => innerOf(b).map((r) => r.id))).toEqual([
      ['1', '2', '3', '4', '5'],
      ['2', '4'],
    ]);
    // Exactly the longest Retry-After (7 s), not the shorter one and not their sum.
    expect(sent[1]?.at).toBe(7_000);
    expect(h.clock.elapsed()).toBe(7_000);
    expect(h.source.stats()).toMatchObject({
      requestsByBucket: { directory: 7 },
      httpRoundTrips: 2,
      throttled: 2,
      throttledByBucket: { directory: 2 },
      retries: 2,
      retriesByReason: { throttled: 2 },
      throttleWaitMs: 7_000,
    });
  });

  it('an inner 429 pauses its bucket at once, so the next chunk of the same call waits too', async () => {
    let round = 0;
    h = await harness((req, res) => {
      round++;
      json(res, 200, {
        responses: innerOf(req).map((r) =>
          round === 1 && r.id === '0'
            ? { id: r.id, status: 429, headers: { 'Retry-After': '15' }, body: TOO_MANY_REQUESTS }
            : ok(r.id),
        ),
      });
    });
    const requests = Array.from({ length: 7 }, (_, i) => ({
      id: String(i),
      url: `/users/u${i}/authentication/methods`,
    }));
    const out = await h.source.batch(requests);
    expect(out.every((r) => r.status === 200)).toBe(true);
    const sent = batches(h);
    expect(sent.map((b) => innerOf(b).map((r) => r.id))).toEqual([
      ['0', '1', '2', '3', '4'],
      ['5', '6'],
      ['0'],
    ]);
    // Without the pause the second chunk would have gone at 10.2 s (the window); Retry-After says 15 s.
    expect(sent.map((b) => b.at)).toEqual([0, 15_000, 15_000]);
  });

  it('maps inner errors to typed errors and keeps the successes (the documented batch response)', async () => {
    const fixture = readFileSync(
      new URL('../../fixtures/graph-docs/batch_response.v1.0.json', import.meta.url),
      'utf8',
    );
    h = await harness((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(fixture);
    });
    const requests = ['1', '2', '3', '4', '5'].map((id) => ({
      id,
      url: `/users/user${id}/authentication/methods`,
    }));
    const out = await h.source.batch(requests);
    expect(out.map((r) => r.status)).toEqual([200, 403, 403, 405, 200]);
    expect(out[0]?.error).toBeUndefined();
    expect((out[0]?.body as { value: unknown[] }).value).toHaveLength(1);
    const denied = out[2]?.error;
    expect(denied).toBeInstanceOf(PermissionMissing);
    expect((denied as PermissionMissing).permissions).toEqual(['UserAuthenticationMethod.Read.All']);
    expect((denied as PermissionMissing).data).toMatchObject({
      endpoint: 'GET /v1.0/users/{id}/authentication/methods',
      status: 403,
      code: 'Authorization_RequestDenied',
    });
    expect(out[3]?.error).toBeInstanceOf(GraphRequestFailed);
    expect(batches(h)).toHaveLength(1);
  });

  it('an inner request throttled on every try ends capped, with RetriesExhausted as its error; the rest succeed', async () => {
    h = await harness(
      (req, res) =>
        json(res, 200, {
          responses: innerOf(req).map((r) =>
            r.id === 'stuck'
              ? { id: r.id, status: 429, headers: { 'Retry-After': '1' }, body: TOO_MANY_REQUESTS }
              : ok(r.id),
          ),
        }),
      { client: { retry: { maxAttempts: 4 } } },
    );
    const out = await h.source.batch([
      { id: 'fine', url: '/domains' },
      { id: 'stuck', url: '/users/x?$select=id' },
    ]);
    expect(out[0]?.status).toBe(200);
    expect(out[1]?.status).toBe(429);
    expect(out[1]?.error).toBeInstanceOf(RetriesExhausted);
    expect((out[1]?.error as RetriesExhausted).attempts).toBe(4);
    expect(batches(h)).toHaveLength(4);
    expect(h.clock.elapsed()).toBe(3_000);
  });

  it('a failed $batch POST (503) is sent again after a backoff', async () => {
    let calls = 0;
    h = await harness((req, res) => {
      calls++;
      if (calls === 1)
        return json(res, 503, { error: { code: 'serviceNotAvailable', message: 'try later' } });
      json(res, 200, { responses: innerOf(req).map((r) => ok(r.id)) });
    });
    const out = await h.source.batch([{ id: 'a', url: '/users/a/authentication/methods' }]);
    expect(out[0]?.status).toBe(200);
    expect(calls).toBe(2);
    // random() = 0.5 → 3/4 of the 1 s base delay.
    expect(h.clock.elapsed()).toBeGreaterThanOrEqual(750);
    expect(h.source.stats()).toMatchObject({
      retriesByReason: { unavailable: 1 },
      requestsByBucket: { reports: 2 },
    });
  });

  it('rejects duplicate ids (case-insensitive) before sending anything', async () => {
    h = await harness((_req, res) => json(res, 500, {}));
    await expect(
      h.source.batch([
        { id: 'A', url: '/domains' },
        { id: 'a', url: '/domains' },
      ]),
    ).rejects.toThrow(/duplicate/);
    expect(h.server.seen).toHaveLength(0);
  });
});
