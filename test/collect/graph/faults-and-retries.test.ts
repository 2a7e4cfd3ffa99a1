import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/collect/graph/clock.js';
import { RetriesExhausted } from '../../../src/collect/graph/errors.js';
import { LiveGraphSource } from '../../../src/collect/graph/graph-client.js';
import type { Handler, Harness, TestServer } from './graph-test-server.js';
import { TOO_MANY_REQUESTS, fakeCredential, harness, json, startServer } from './graph-test-server.js';

let h: Harness | undefined;
let plain: TestServer | undefined;
afterEach(async () => {
  await h?.close();
  await plain?.close();
  h = undefined;
  plain = undefined;
});

/** Fails the first `times` requests with `fault`, then answers normally. */
function failing(times: number, fault: Handler): Handler {
  let n = 0;
  return (req, res, raw) => {
    n++;
    if (n <= times) return fault(req, res, raw);
    json(res, 200, { value: [{ id: 'ok' }] });
  };
}

const fault503: Handler = (_q, res) =>
  json(res, 503, { error: { code: 'serviceNotAvailable', message: 'Service unavailable' } });
const fault504: Handler = (_q, res) => {
  res.writeHead(504, { 'content-type': 'text/html' });
  res.end('<html>Gateway Timeout</html>');
};
/** The server destroys the socket: no response at all (connection reset). */
const faultReset: Handler = (_q, _res, raw) => raw.socket.destroy();
/** A 200 whose JSON body is cut short but framed correctly: the client sees a SyntaxError. */
const faultTruncated: Handler = (_q, res) => {
  const text = '{"value":[{"id":"a"},{"id":';
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
};
/** Headers promise more than arrives, then the socket goes: a body cut off in transit. */
const faultCutOff: Handler = (_q, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': 1000 });
  res.write('{"value":[');
  setTimeout(() => res.socket?.destroy(), 5);
};

describe('transient faults are retried with backoff, then succeed', () => {
  const cases: [string, Handler, string][] = [
    ['503', fault503, 'unavailable'],
    ['504 (non-JSON body)', fault504, 'unavailable'],
    ['connection reset', faultReset, 'network'],
    ['truncated JSON body (GraphError status 200 + SyntaxError)', faultTruncated, 'truncated'],
    ['body cut off in transit', faultCutOff, 'network'],
  ];
  for (const [name, fault, reason] of cases) {
    it(`${name} twice, then 200`, async () => {
      h = await harness(failing(2, fault));
      const page = await h.source.get<{ value: { id: string }[] }>('/users?$select=id');
      expect(page.value).toEqual([{ id: 'ok' }]);
      expect(h.server.seen).toHaveLength(3);
      const stats = h.source.stats();
      expect(stats.retries).toBe(2);
      expect(stats.retriesByReason[reason as 'network']).toBe(2);
      expect(stats.throttled).toBe(0);
      // Backoff on the fake clock with jitter fixed at 0.5: 3/4 × (1 s + 2 s).
      expect(h.clock.elapsed()).toBe(2_250);
      expect(stats.backoffWaitMs).toBe(2_250);
    });
  }
});

describe('429s', () => {
  it('a 429 storm stays capped at maxAttempts and ends in RetriesExhausted', async () => {
    h = await harness((_q, res) => json(res, 429, TOO_MANY_REQUESTS, { 'Retry-After': '2' }), {
      client: { retry: { maxAttempts: 5 } },
    });
    const err = await h.source
      .get('/reports/authenticationMethods/userRegistrationDetails')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetriesExhausted);
    expect((err as RetriesExhausted).attempts).toBe(5);
    expect((err as RetriesExhausted).reason).toBe('throttled');
    expect((err as RetriesExhausted).data).toMatchObject({
      endpoint: 'GET /v1.0/reports/authenticationMethods/userRegistrationDetails',
      status: 429,
      code: 'TooManyRequests',
    });
    expect(h.server.seen).toHaveLength(5);
    // Retry-After honoured between attempts: 4 waits of 2 s (the window of 5/10 s is not the limit here).
    expect(h.server.seen.map((r) => r.at)).toEqual([0, 2_000, 4_000, 6_000, 8_000]);
    expect(h.source.stats()).toMatchObject({ throttled: 5, throttledByBucket: { reports: 5 }, retries: 4 });
  });

  it('a 429 pauses the whole bucket for Retry-After, so other requests in it wait too', async () => {
    let first = true;
    h = await harness((_q, res) => {
      if (first) {
        first = false;
        return json(res, 429, TOO_MANY_REQUESTS, { 'Retry-After': '4' });
      }
      json(res, 200, { value: [] });
    });
    await h.source.get('/auditLogs/directoryAudits');
    await h.source.get('/auditLogs/signIns');
    expect(h.server.seen.map((r) => r.at)).toEqual([0, 4_000, 4_000]);
    expect(h.source.stats().throttleWaitMs).toBe(4_000);
  });

  it('Conditional Access: 429 without Retry-After backs off exponentially, on top of 1 request / s', async () => {
    h = await harness(failing(3, (_q, res) => json(res, 429, TOO_MANY_REQUESTS)));
    const body = await h.source.get<{ value: unknown[] }>('/identity/conditionalAccess/policies');
    expect(body.value).toHaveLength(1);
    const at = h.server.seen.map((r) => r.at);
    // Backoff 3/4 × 1 s, 2 s, 4 s = 750, 1 500, 3 000 ms; the 1/s window (1.02 s) stretches the first gap.
    expect(at).toEqual([0, 1_050, 2_550, 5_550]);
    const gaps = at.slice(1).map((t, i) => t - (at[i] ?? 0));
    expect(gaps[1]).toBeGreaterThan(gaps[0] ?? 0);
    expect(gaps[2]).toBeGreaterThan(gaps[1] ?? 0);
    expect(h.source.stats().throttledByBucket.conditionalAccess).toBe(3);
  });
});

describe('the default transport (global fetch, as in production)', () => {
  it('a reset surfaces as GraphError -1 "fetch failed" and is retried', async () => {
    // Plain http: the library would not attach a token here, which does not matter for this check.
    const clock = new ManualClock();
    plain = await startServer(failing(1, faultReset), { plain: true });
    const source = new LiveGraphSource({
      graphUrl: plain.url,
      credential: fakeCredential(),
      clock,
      random: () => 0.5,
    });
    const body = await source.get<{ value: unknown[] }>('/domains');
    expect(body.value).toHaveLength(1);
    expect(source.stats().retriesByReason.network).toBe(1);
  });

  it('a truncated body through fetch is retried as "truncated"', async () => {
    const clock = new ManualClock();
    plain = await startServer(failing(1, faultTruncated), { plain: true });
    const source = new LiveGraphSource({
      graphUrl: plain.url,
      credential: fakeCredential(),
      clock,
      random: () => 0.5,
    });
    await source.get('/domains');
    expect(source.stats().retriesByReason.truncated).toBe(1);
  });
});
