import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import type { IncomingMessage, RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { rootCertificates } from 'node:tls';
import type { Context, Middleware } from '@microsoft/microsoft-graph-client';

export interface NodeHttpTransportOptions {
  /** A CA certificate to trust in addition to Node's bundled roots (an emulator's throwaway CA). */
  ca?: string | Buffer;
}

/**
 * The last link of the middleware chain when the Graph host must be trusted through a given CA.
 * The library's HTTPMessageHandler calls the global fetch, which takes no CA per request
 * (`fetchOptions.agent` is a node-fetch option that Node's built-in fetch ignores, and
 * NODE_EXTRA_CA_CERTS is read only at process start), so this one speaks node:https with an agent
 * that trusts `ca`. Failures without a response are thrown as `TypeError('fetch failed')` with the
 * socket error as `cause`, like undici's fetch, so that retry classification is the same either way.
 */
export class NodeHttpTransport implements Middleware {
  private readonly https: HttpsAgent;
  private readonly http: HttpAgent;

  constructor(options: NodeHttpTransportOptions = {}) {
    const ca = options.ca !== undefined ? { ca: [...rootCertificates, options.ca] } : {};
    this.https = new HttpsAgent({ keepAlive: true, ...ca });
    this.http = new HttpAgent({ keepAlive: true });
  }

  async execute(context: Context): Promise<void> {
    const request = context.request;
    const url = typeof request === 'string' ? request : request.url;
    const init = context.options ?? {};
    const method = (init.method ?? (typeof request === 'string' ? 'GET' : request.method)).toUpperCase();
    context.response = await this.send(
      url,
      method,
      toHeaderRecord(init.headers),
      bodyOf(init.body),
      init.signal ?? undefined,
    );
  }

  /** Closes idle keep-alive sockets. */
  close(): void {
    this.https.destroy();
    this.http.destroy();
  }

  private send(
    url: string,
    method: string,
    headers: Record<string, string>,
    body: Buffer | undefined,
    signal: AbortSignal | undefined,
  ): Promise<Response> {
    const target = new URL(url);
    const secure = target.protocol === 'https:';
    const options: RequestOptions = {
      method,
      headers: body !== undefined ? { ...headers, 'content-length': String(body.length) } : headers,
      agent: secure ? this.https : this.http,
      ...(signal !== undefined ? { signal } : {}),
    };
    return new Promise<Response>((resolve, reject) => {
      let settled = false;
      const fail = (cause: unknown) => {
        if (settled) return;
        settled = true;
        reject(new TypeError('fetch failed', { cause }));
      };
      const req = (secure ? httpsRequest : httpRequest)(target, options, (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', fail);
        // A socket destroyed mid-body may end in 'close' without 'end' or 'error'.
        res.on('close', () => fail(new Error('response closed before it was complete (ECONNRESET)')));
        res.on('end', () => {
          if (!res.complete) {
            fail(new Error('response ended before its declared length (ECONNRESET)'));
            return;
          }
          if (settled) return;
          settled = true;
          const status = res.statusCode ?? 0;
          const noBody = status === 204 || status === 304 || method === 'HEAD';
          resolve(
            new Response(noBody ? null : Buffer.concat(chunks), {
              status,
              statusText: res.statusMessage ?? '',
              headers: responseHeaders(res),
            }),
          );
        });
      });
      req.on('error', fail);
      if (body !== undefined) req.write(body);
      req.end();
    });
  }
}

function toHeaderRecord(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers === undefined || headers === null) return out;
  // Headers, [k, v][] and plain records all go through the Headers constructor.
  new Headers(headers as ConstructorParameters<typeof Headers>[0]).forEach((value, key) => {
    out[key] = value;
  });
  return out;
}

function bodyOf(body: unknown): Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (Buffer.isBuffer(body)) return body;
  if (body instanceof Uint8Array) return Buffer.from(body);
  throw new TypeError(`unsupported request body type for the Graph transport: ${typeof body}`);
}

function responseHeaders(res: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [key, value] of Object.entries(res.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(key, v);
    else headers.set(key, value);
  }
  return headers;
}
