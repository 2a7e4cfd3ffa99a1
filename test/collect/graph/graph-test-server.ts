/**
 * A tiny Graph stand-in for the Graph module's tests: HTTPS on 127.0.0.1 with a throwaway
 * self-signed certificate (fixtures/, test-only), a handler per test, and a log of what arrived.
 * HTTPS because @microsoft/microsoft-graph-client attaches the token only to https URLs.
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { AccessToken, TokenCredential } from '@azure/identity';
import { ManualClock } from '../../../src/collect/graph/clock.js';
import { LiveGraphSource } from '../../../src/collect/graph/graph-client.js';
import type { GraphClientOptions } from '../../../src/collect/graph/graph-client.js';
import { ThrottleLimiter } from '../../../src/collect/graph/limiter.js';
import type { LimiterOptions } from '../../../src/collect/graph/limiter.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
export const TEST_CA = fixture('localhost-cert.pem');
const TEST_KEY = fixture('localhost-key.pem');

export interface SeenRequest {
  method: string;
  /** Path and query as received. */
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** The test clock's time when the request arrived. */
  at: number;
}

export type Handler = (req: SeenRequest, res: ServerResponse, raw: IncomingMessage) => void;

export interface TestServer {
  /** `https://127.0.0.1:PORT` (or http:// for a plain server). */
  url: string;
  seen: SeenRequest[];
  close(): Promise<void>;
}

export async function startServer(
  handler: Handler,
  options: { now?: () => number; plain?: boolean } = {},
): Promise<TestServer> {
  const seen: SeenRequest[] = [];
  const listener = (raw: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    raw.on('data', (c: Buffer) => chunks.push(c));
    raw.on('end', () => {
      const req: SeenRequest = {
        method: raw.method ?? 'GET',
        url: raw.url ?? '/',
        headers: raw.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: options.now?.() ?? 0,
      };
      seen.push(req);
      try {
        handler(req, res, raw);
      } catch (err) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(err));
      }
    });
  };
  const server: Server = options.plain
    ? createHttpServer(listener)
    : createHttpsServer({ cert: TEST_CA, key: TEST_KEY }, listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.plain ? 'http' : 'https'}://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** The 429 body of https://learn.microsoft.com/graph/throttling (fixtures/graph-docs/throttling_429_error.json). */
export const TOO_MANY_REQUESTS = {
  error: {
    code: 'TooManyRequests',
    innerError: { code: '429', message: 'Please retry after', 'request-id': 'r-429', status: '429' },
    message: 'Please retry again later.',
  },
};

/** A TokenCredential that hands out a fixed token and counts calls (no network). */
export function fakeCredential(token = 'test-token-123'): TokenCredential & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    getToken: async (scopes: string | string[]): Promise<AccessToken> => {
      calls.push(Array.isArray(scopes) ? scopes.join(' ') : scopes);
      return { token, expiresOnTimestamp: Date.now() + 3_600_000 };
    },
  };
}

export interface Harness {
  server: TestServer;
  credential: ReturnType<typeof fakeCredential>;
  clock: ManualClock;
  limiter: ThrottleLimiter;
  source: LiveGraphSource;
  events: unknown[];
  close(): Promise<void>;
}

/** Server + manual clock + limiter + client, wired together; `close` tears all of it down. */
export async function harness(
  handler: Handler,
  options: { limiter?: Omit<LimiterOptions, 'clock'>; client?: Partial<GraphClientOptions> } = {},
): Promise<Harness> {
  const clock = new ManualClock();
  const server = await startServer(handler, { now: () => clock.now() });
  const limiter = new ThrottleLimiter({ clock, ...options.limiter });
  const events: unknown[] = [];
  const credential = fakeCredential();
  const source = new LiveGraphSource({
    graphUrl: server.url,
    credential,
    clock,
    limiter,
    ca: TEST_CA,
    // Deterministic jitter: backoff = 3/4 of the nominal delay.
    random: () => 0.5,
    onEvent: (e) => events.push(e),
    ...options.client,
  });
  return {
    server,
    credential,
    clock,
    limiter,
    source,
    events,
    close: async () => {
      source.close();
      await server.close();
    },
  };
}

export async function collect<T>(iter: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of iter) out.push(x);
  return out;
}
