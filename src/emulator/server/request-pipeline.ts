/**
 * One HTTP request to the emulator, end to end: login paths go to the identity endpoints; Graph
 * paths (`/v1.0/…`, `/beta/…`) meet, in order, a possible injected fault, the access-token check
 * (401 without a valid `Authorization: Bearer`), `$batch` or the dispatcher, and the way out
 * (slow or truncated faults).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../../collect/graph/clock.js';
import type { AccessTokens } from '../auth/access-tokens.js';
import { handleLogin } from '../auth/login-endpoints.js';
import type { LoginDeps } from '../auth/login-endpoints.js';
import { handleBatch } from '../batch/batch-handler.js';
import type { FaultKind, FaultPlan } from '../faults/fault-plan.js';
import type { Dispatcher } from '../graph/dispatch.js';
import { errorBody, GraphErrorResponse } from '../graph/graph-error.js';
import type { GraphRequest, GraphResponse } from '../graph/graph-request.js';
import type { StatsRecorder } from '../graph/stats-recorder.js';
import type { Outgoing } from './write-response.js';
import { writeResponse } from './write-response.js';

export interface SlowResponse {
  /** Emulated ms: a slow response is held back at least this long… */
  minMs: number;
  /** …and at most this long. */
  maxMs: number;
}

export interface PipelineDeps {
  login: LoginDeps;
  tokens: AccessTokens;
  dispatcher: Dispatcher;
  faults: FaultPlan;
  stats: StatsRecorder;
  clock: Clock;
  slow: SlowResponse;
  faultTokenEndpoint: boolean;
}

const MAX_BODY_BYTES = 1_000_000;

export class RequestPipeline {
  constructor(private readonly deps: PipelineDeps) {}

  async handle(raw: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    const url = new URL(raw.url ?? '/', 'https://emulator.invalid');
    const rawSegments = url.pathname.split('/').filter((s) => s !== '');
    const segments = rawSegments.map(safeDecode);
    const method = (raw.method ?? 'GET').toUpperCase();
    const first = segments[0];
    if (first !== 'v1.0' && first !== 'beta') {
      await this.login(raw, res, method, segments, body);
      return;
    }
    this.deps.stats.httpRequest();
    const fault = this.deps.faults.next();
    if (fault !== undefined) this.deps.stats.fault(fault);
    if (this.failEarly(fault, raw, res)) return;

    const requestId = randomUUID();
    const clientRequestId = header(raw, 'client-request-id');
    const errorCtx = { requestId, clientRequestId, now: this.deps.clock.now() };
    const out = (
      status: number,
      code: string,
      message: string,
      headers: Record<string, string> = {},
    ): Outgoing => ({
      status,
      headers: { 'Content-Type': 'application/json', 'request-id': requestId, ...headers },
      body: errorBody(code, message, errorCtx),
    });

    const auth = header(raw, 'authorization');
    const bearer =
      auth !== undefined && /^bearer\s+/i.test(auth) ? auth.replace(/^bearer\s+/i, '').trim() : undefined;
    const check = bearer === undefined || bearer === '' ? undefined : this.deps.tokens.check(bearer);
    if (check === undefined || !check.ok) {
      this.deps.stats.unauthorized();
      const message = check === undefined ? 'Access token is empty.' : check.message;
      // Graph's 401 names the authority to get a token from.
      const challenge = `Bearer realm="", authorization_uri="${this.deps.login.baseUrl}/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`;
      await this.deliver(
        res,
        out(401, 'InvalidAuthenticationToken', message, { 'WWW-Authenticate': challenge }),
        fault,
      );
      return;
    }

    let parsedBody: unknown;
    if (body.length > 0) {
      try {
        parsedBody = JSON.parse(body.toString('utf8'));
      } catch {
        await this.deliver(res, out(400, 'BadRequest', 'The request body is not valid JSON.'), fault);
        return;
      }
    }
    const req: GraphRequest = {
      method,
      version: first,
      path: `/${rawSegments.slice(1).join('/')}`,
      segments: segments.slice(1),
      search: url.searchParams,
      headers: lowerHeaders(raw),
      body: parsedBody,
      caller: check.caller,
      requestId,
      clientRequestId,
    };
    // No await between here and the throttle's admission (in `dispatch`, or in `handleBatch` for the
    // first inner request): the request is stamped as soon as it has been read.
    await this.deliver(res, await this.answer(req, out), fault);
  }

  private async answer(
    req: GraphRequest,
    out: (status: number, code: string, message: string) => Outgoing,
  ): Promise<GraphResponse> {
    if (req.segments.length === 1 && req.segments[0]?.toLowerCase() === '$batch') {
      if (req.method !== 'POST')
        return out(405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.');
      try {
        const batch = await handleBatch(req, {
          dispatcher: this.deps.dispatcher,
          faults: this.deps.faults,
          stats: this.deps.stats,
          clock: this.deps.clock,
        });
        return {
          ...batch,
          headers: {
            'Content-Type': 'application/json',
            'request-id': req.requestId,
            'OData-Version': '4.0',
          },
        };
      } catch (err) {
        if (err instanceof GraphErrorResponse) return out(err.status, err.code, err.message);
        throw err;
      }
    }
    return this.deps.dispatcher.dispatch(req);
  }

  /** 503, 504 and resets happen before the request is processed (nothing is counted or served). */
  private failEarly(fault: FaultKind | undefined, raw: IncomingMessage, res: ServerResponse): boolean {
    if (fault === 'reset') {
      raw.socket.destroy();
      return true;
    }
    if (fault === '503' || fault === '504') {
      const requestId = randomUUID();
      const ctx = {
        requestId,
        clientRequestId: header(raw, 'client-request-id'),
        now: this.deps.clock.now(),
      };
      writeResponse(res, {
        status: Number(fault),
        headers: { 'Content-Type': 'application/json', 'request-id': requestId },
        body:
          fault === '503'
            ? errorBody('serviceNotAvailable', 'Service unavailable. Please try again later.', ctx)
            : errorBody('gatewayTimeout', 'The gateway did not receive a response in time.', ctx),
      });
      return true;
    }
    return false;
  }

  private async deliver(res: ServerResponse, out: Outgoing, fault: FaultKind | undefined): Promise<void> {
    if (fault === 'slow') {
      const { minMs, maxMs } = this.deps.slow;
      await this.deps.clock.sleep(minMs + this.deps.faults.fraction('slow') * Math.max(0, maxMs - minMs));
    }
    writeResponse(
      res,
      out,
      fault === 'truncated' ? { truncateAt: 0.2 + 0.6 * this.deps.faults.fraction('cut') } : {},
    );
  }

  private async login(
    raw: IncomingMessage,
    res: ServerResponse,
    method: string,
    segments: string[],
    body: Buffer,
  ): Promise<void> {
    const fault = this.deps.faultTokenEndpoint ? this.deps.faults.next() : undefined;
    if (fault !== undefined) this.deps.stats.fault(fault);
    if (this.failEarly(fault, raw, res)) return;
    const answer = handleLogin(method, segments, body.toString('utf8'), this.deps.login);
    if (answer === undefined) {
      writeResponse(res, { status: 404, headers: { 'Content-Type': 'text/plain' }, text: 'Not found' });
      return;
    }
    if (answer.issued !== undefined) this.deps.stats.token(answer.issued);
    await this.deliver(res, answer, fault);
  }
}

/** Reads a request body, refusing anything larger than a `$batch` of 20 requests could be. */
export function readBody(raw: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    raw.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY_BYTES) chunks.push(c);
    });
    raw.on('end', () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks)));
    raw.on('error', () => resolve(undefined));
  });
}

function header(raw: IncomingMessage, name: string): string | undefined {
  const v = raw.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function lowerHeaders(raw: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw.headers))
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
