/**
 * Helpers for the emulator tests: start an emulator on 127.0.0.1 (port 0) with a small tenant, get
 * a token from its token endpoint, and call Graph over HTTPS trusting only its throwaway CA.
 */
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import { fileURLToPath } from 'node:url';
import { DEMO_VOLUME } from '../../src/demo/generate-tenant.js';
import { startEmulator } from '../../src/emulator/index.js';
import type { EmulatorOptions, RunningEmulator } from '../../src/emulator/index.js';

export const COLLECTED_AT = '2026-11-20T09:00:00Z';

/** A small, quiet tenant: 60 users (every method type occurs), demo volume. */
export function start(options: Partial<EmulatorOptions> = {}): Promise<RunningEmulator> {
  return startEmulator({ users: 60, seed: 7, collectedAt: COLLECTED_AT, volume: DEMO_VOLUME, ...options });
}

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The parsed body (undefined when it is not JSON). */
  json: unknown;
}

export interface CallOptions {
  method?: string;
  body?: string;
  headers?: Record<string, string>;
  /** Bearer token; `null` sends no Authorization header. */
  token?: string | null;
}

export class Caller {
  private readonly agent: Agent;
  token: string | undefined;

  constructor(readonly em: RunningEmulator) {
    this.agent = new Agent({ ca: em.caPem, keepAlive: true });
  }

  /** A token by client secret, straight from the token endpoint. */
  async signIn(clientId = 'app-under-test'): Promise<string> {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: 'any-secret',
      scope: `${this.em.url}/.default`,
    });
    const r = await this.raw(`/${this.em.tenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      body: form.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      token: null,
    });
    const token = (r.json as { access_token?: string }).access_token;
    if (token === undefined) throw new Error(`no token: ${r.text}`);
    this.token = token;
    return token;
  }

  /** A Graph (or login) path, or an absolute URL (a nextLink). */
  async raw(pathOrUrl: string, options: CallOptions = {}): Promise<Reply> {
    const url = pathOrUrl.startsWith('https://') ? pathOrUrl : `${this.em.url}${pathOrUrl}`;
    const headers: Record<string, string> = { ...options.headers };
    const token = options.token === undefined ? this.token : options.token;
    if (token !== null && token !== undefined) headers['authorization'] = `Bearer ${token}`;
    if (options.body !== undefined) headers['content-length'] = String(Buffer.byteLength(options.body));
    return new Promise<Reply>((resolve, reject) => {
      const req = request(url, { method: options.method ?? 'GET', headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      if (options.body !== undefined) req.write(options.body);
      req.end();
    });
  }

  get(path: string, options: CallOptions = {}): Promise<Reply> {
    return this.raw(path, options);
  }

  batch(version: 'v1.0' | 'beta', requests: unknown[]): Promise<Reply> {
    return this.raw(`/${version}/$batch`, {
      method: 'POST',
      body: JSON.stringify({ requests }),
      headers: { 'content-type': 'application/json' },
    });
  }

  /** Follows @odata.nextLink to the end (at most `maxPages`), returning every item and the pages seen. */
  async all(path: string, maxPages = 200): Promise<{ items: Record<string, unknown>[]; pages: number }> {
    const items: Record<string, unknown>[] = [];
    let next: string | undefined = path;
    let pages = 0;
    while (next !== undefined) {
      if (++pages > maxPages) throw new Error(`more than ${maxPages} pages`);
      const r = await this.get(next);
      if (r.status !== 200) throw new Error(`${r.status} ${r.text}`);
      const body = r.json as { value: Record<string, unknown>[]; '@odata.nextLink'?: string };
      items.push(...body.value);
      next = body['@odata.nextLink'];
    }
    return { items, pages };
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Starts an emulator and a signed-in caller. */
export async function startWithCaller(
  options: Partial<EmulatorOptions> = {},
): Promise<{ em: RunningEmulator; caller: Caller; close(): Promise<void> }> {
  const em = await start(options);
  const caller = new Caller(em);
  await caller.signIn();
  return {
    em,
    caller,
    close: async () => {
      caller.close();
      await em.close();
    },
  };
}

/** The Graph error of a reply: `{code, message}`. */
export function graphError(r: Reply): { code: string; message: string } {
  const e = (r.json as { error?: { code?: string; message?: string } } | undefined)?.error;
  return { code: e?.code ?? '', message: e?.message ?? '' };
}

const FIXTURES = new URL('../fixtures/graph-docs/', import.meta.url);

/** A doc example from test/fixtures/graph-docs (Microsoft's documented payloads; sources in its README). */
export function fixture(name: string): unknown {
  return JSON.parse(readFileSync(fileURLToPath(new URL(name, FIXTURES)), 'utf8'));
}
