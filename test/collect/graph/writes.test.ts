import { afterEach, describe, expect, it } from 'vitest';
import { GraphRequestFailed, RetriesExhausted } from '../../../src/collect/graph/errors.js';
import type { WriteRequest, WriteResponse } from '../../../src/collect/graph/writes.js';
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
  body?: unknown;
  headers?: Record<string, string>;
}
const innerOf = (req: SeenRequest): Inner[] => (JSON.parse(req.body) as { requests: Inner[] }).requests;
const batches = (hh: Harness) => hh.server.seen.filter((r) => r.url.endsWith('/$batch'));
const noContent = (id: string) => ({ id, status: 204, headers: {}, body: null });
const ALREADY = {
  error: {
    code: 'Request_BadRequest',
    message:
      "One or more added object references already exist for the following modified properties: 'members'.",
  },
};

const addMember = (i: number): WriteRequest => ({
  id: `w${i}`,
  method: 'POST',
  url: '/groups/g1/members/$ref',
  body: { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/u${i}` },
});

describe('GraphWriter on LiveGraphSource', () => {
  it('sends 45 writes as 3 $batch round trips of 20, 20 and 5, with method, url, body and Content-Type', async () => {
    h = await harness((req, res) => json(res, 200, { responses: innerOf(req).map((r) => noContent(r.id)) }));
    const requests = Array.from({ length: 45 }, (_, i) => addMember(i));
    const answered: string[][] = [];
    const out = await h.source.write(requests, { onAnswered: (a) => answered.push(a.map((r) => r.id)) });
    const sent = batches(h);
    expect(h.server.seen).toHaveLength(3);
    expect(sent.map((b) => b.method)).toEqual(['POST', 'POST', 'POST']);
    expect(sent.map((b) => innerOf(b).length)).toEqual([20, 20, 5]);
    expect(innerOf(sent[0] as SeenRequest)[0]).toEqual({
      id: 'w0',
      method: 'POST',
      url: '/groups/g1/members/$ref',
      body: { '@odata.id': 'https://graph.microsoft.com/v1.0/directoryObjects/u0' },
      headers: { 'Content-Type': 'application/json' },
    });
    expect(out.map((r) => r.id)).toEqual(requests.map((r) => r.id));
    expect(out.every((r) => r.status === 204 && r.error === undefined)).toBe(true);
    // onAnswered after each round trip, with what that round trip settled.
    expect(answered.map((a) => a.length)).toEqual([20, 20, 5]);
    expect(answered.flat()).toEqual(requests.map((r) => r.id));
    expect(h.source.stats()).toMatchObject({ batches: 3, httpRoundTrips: 3 });
  });

  it('a DELETE carries no body and no Content-Type inside the batch', async () => {
    h = await harness((req, res) => json(res, 200, { responses: innerOf(req).map((r) => noContent(r.id)) }));
    await h.source.write([
      { id: 'a', method: 'DELETE', url: '/groups/g1/members/u1/$ref' },
      { id: 'b', method: 'DELETE', url: '/groups/g1/members/u2/$ref' },
    ]);
    expect(innerOf(batches(h)[0] as SeenRequest)).toEqual([
      { id: 'a', method: 'DELETE', url: '/groups/g1/members/u1/$ref' },
      { id: 'b', method: 'DELETE', url: '/groups/g1/members/u2/$ref' },
    ]);
  });

  it('retries a throttled inner write once after its Retry-After and never re-sends the ones that succeeded', async () => {
    let round = 0;
    h = await harness((req, res) => {
      round++;
      const responses = innerOf(req).map((r) =>
        round === 1 && r.id === 'w2'
          ? { id: r.id, status: 429, headers: { 'Retry-After': '4' }, body: TOO_MANY_REQUESTS }
          : noContent(r.id),
      );
      json(res, 200, { responses });
    });
    const answered: WriteResponse[][] = [];
    const out = await h.source.write(
      Array.from({ length: 5 }, (_, i) => addMember(i)),
      { onAnswered: (a) => answered.push([...a]) },
    );
    const sent = batches(h);
    expect(sent.map((b) => innerOf(b).map((r) => r.id))).toEqual([['w0', 'w1', 'w2', 'w3', 'w4'], ['w2']]);
    expect(sent[1]?.at).toBeGreaterThanOrEqual(4_000);
    expect(out.map((r) => r.status)).toEqual([204, 204, 204, 204, 204]);
    expect(answered.map((a) => a.map((r) => r.id))).toEqual([['w0', 'w1', 'w3', 'w4'], ['w2']]);
    expect(h.source.stats()).toMatchObject({ throttled: 1, retries: 1 });
  });

  it('returns a refusal as data with Graph code and message, and does not retry it', async () => {
    h = await harness((req, res) =>
      json(res, 200, {
        responses: innerOf(req).map((r) =>
          r.id === 'w1' ? { id: r.id, status: 400, headers: {}, body: ALREADY } : noContent(r.id),
        ),
      }),
    );
    const out = await h.source.write([addMember(0), addMember(1), addMember(2)]);
    expect(batches(h)).toHaveLength(1);
    const refused = out[1];
    expect(refused?.status).toBe(400);
    expect(refused?.error).toBeInstanceOf(GraphRequestFailed);
    expect(refused?.error?.data).toMatchObject({ status: 400, code: 'Request_BadRequest' });
    expect(refused?.error?.message).toContain('already exist');
    expect(out[0]?.error).toBeUndefined();
  });

  it('answers in request order even when Graph answers in another order', async () => {
    h = await harness((req, res) =>
      json(res, 200, {
        responses: innerOf(req)
          .map((r) => noContent(r.id))
          .reverse(),
      }),
    );
    const requests = Array.from({ length: 7 }, (_, i) => addMember(i));
    const out = await h.source.write(requests);
    expect(out.map((r) => r.id)).toEqual(requests.map((r) => r.id));
  });

  it('sends a single write alone (no $batch) and keeps its status: 201 with the created object', async () => {
    h = await harness((req, res) => json(res, 201, { id: 'tap1', isUsable: true }));
    const answered: WriteResponse[][] = [];
    const out = await h.source.write(
      [
        {
          id: 'tap',
          method: 'POST',
          url: '/users/u1/authentication/temporaryAccessPassMethods',
          body: { isUsableOnce: true },
        },
      ],
      { onAnswered: (a) => answered.push([...a]) },
    );
    expect(h.server.seen).toHaveLength(1);
    const seen = h.server.seen[0] as SeenRequest;
    expect(seen.method).toBe('POST');
    expect(seen.url).toBe('/v1.0/users/u1/authentication/temporaryAccessPassMethods');
    expect(JSON.parse(seen.body)).toEqual({ isUsableOnce: true });
    expect(String(seen.headers['content-type'])).toContain('application/json');
    expect(out).toEqual([{ id: 'tap', status: 201, body: { id: 'tap1', isUsable: true } }]);
    expect(answered).toHaveLength(1);
    // A method write counts against the authentication-methods (reports) bucket.
    expect(h.source.stats().requestsByBucket.reports).toBe(1);
  });

  it('a single beta PATCH and a single DELETE: 204 with no body', async () => {
    h = await harness((req, res) => {
      res.writeHead(204);
      res.end();
    });
    const patch = await h.source.write([
      {
        id: 'p',
        method: 'PATCH',
        url: '/beta/users/u1/authentication/signInPreferences',
        body: { userPreferredMethodForSecondaryAuthentication: 'push' },
      },
    ]);
    const del = await h.source.write([{ id: 'd', method: 'DELETE', url: '/groups/g1/members/u1/$ref' }]);
    expect(h.server.seen.map((r) => `${r.method} ${r.url}`)).toEqual([
      'PATCH /beta/users/u1/authentication/signInPreferences',
      'DELETE /v1.0/groups/g1/members/u1/$ref',
    ]);
    expect(patch[0]).toMatchObject({ id: 'p', status: 204 });
    expect(del[0]).toMatchObject({ id: 'd', status: 204 });
  });

  it('a single refused write is data (404 with Graph code), not thrown, and not retried', async () => {
    h = await harness((req, res) =>
      json(res, 404, {
        error: { code: 'Request_ResourceNotFound', message: "Resource 'u9' does not exist." },
      }),
    );
    const out = await h.source.write([addMember(9)]);
    expect(h.server.seen).toHaveLength(1);
    expect(out[0]?.status).toBe(404);
    expect(out[0]?.error?.data).toMatchObject({ status: 404, code: 'Request_ResourceNotFound' });
    expect(out[0]?.body).toMatchObject({ error: { code: 'Request_ResourceNotFound' } });
  });

  it('a single write retried after 429 then 503; one that stays throttled ends as RetriesExhausted data', async () => {
    let n = 0;
    h = await harness(
      (req, res) => {
        n++;
        if (n === 1) return json(res, 429, TOO_MANY_REQUESTS, { 'Retry-After': '2' });
        if (n === 2) return json(res, 503, { error: { code: 'ServiceUnavailable', message: 'busy' } });
        if (req.url.includes('u1')) return json(res, 429, TOO_MANY_REQUESTS, { 'Retry-After': '1' });
        res.writeHead(204);
        res.end();
      },
      { client: { retry: { maxAttempts: 3 } } },
    );
    const ok = await h.source.write([addMember(0)]);
    expect(ok[0]?.status).toBe(204);
    expect(h.server.seen).toHaveLength(3);
    expect(h.server.seen[1]?.at).toBeGreaterThanOrEqual(2_000);
    const stuck = await h.source.write([{ id: 'x', method: 'DELETE', url: '/groups/g1/members/u1/$ref' }]);
    expect(h.server.seen).toHaveLength(6);
    expect(stuck[0]?.status).toBe(429);
    expect(stuck[0]?.error).toBeInstanceOf(RetriesExhausted);
  });

  it('splits writes by version root: v1.0 and beta go in separate $batches', async () => {
    h = await harness((req, res) => json(res, 200, { responses: innerOf(req).map((r) => noContent(r.id)) }));
    await h.source.write([
      addMember(0),
      {
        id: 'p',
        method: 'PATCH',
        url: '/beta/users/u1/authentication/signInPreferences',
        body: { userPreferredMethodForSecondaryAuthentication: 'push' },
      },
      addMember(1),
    ]);
    expect(
      batches(h).map(
        (b) =>
          `${b.url} ${innerOf(b)
            .map((r) => r.id)
            .join(',')}`,
      ),
    ).toEqual(['/v1.0/$batch w0,w1', '/beta/$batch p']);
    expect(innerOf(batches(h)[1] as SeenRequest)[0]?.url).toBe('/users/u1/authentication/signInPreferences');
  });

  it('rejects duplicate ids before sending anything', async () => {
    h = await harness((req, res) => json(res, 200, { responses: [] }));
    await expect(h.source.write([addMember(0), { ...addMember(1), id: 'W0' }])).rejects.toThrow(/duplicate/);
    expect(h.server.seen).toHaveLength(0);
  });
});
