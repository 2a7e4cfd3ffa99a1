/**
 * `POST /{version}/$batch` (https://learn.microsoft.com/graph/json-batching): at most 20 requests, ids unique case-insensitively
 * (else the whole batch is a 400), inner URLs relative to the version root, `dependsOn` honoured
 * (a request whose dependency failed gets 424). The batch itself answers 200 whatever the inner
 * statuses; each inner request is routed, throttled and answered on its own, so a throttled one
 * gets an inner 429 with its own Retry-After while its neighbours succeed. Inner requests run one
 * after the other, in dependency order; each is admitted by the throttle when its turn comes.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../collect/graph/clock.js';
import type { FaultPlan } from '../faults/fault-plan.js';
import type { Dispatcher } from '../graph/dispatch.js';
import { errorBody, GraphErrorResponse } from '../graph/graph-error.js';
import type { GraphRequest, GraphResponse } from '../graph/graph-request.js';
import type { StatsRecorder } from '../graph/stats-recorder.js';

export const MAX_BATCH_REQUESTS = 20;

interface InnerRequest {
  id: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  dependsOn: string[];
  /** JSON body of a write (POST, PATCH), as given. */
  body?: unknown;
}

export interface InnerResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

export interface BatchDeps {
  dispatcher: Dispatcher;
  faults: FaultPlan;
  stats: StatsRecorder;
  clock: Clock;
}

const invalid = (message: string) => new GraphErrorResponse(400, 'BadRequest', message);

function parseRequests(body: unknown): InnerRequest[] {
  const list = (body as { requests?: unknown } | null)?.requests;
  if (body === null || typeof body !== 'object' || !Array.isArray(list)) {
    throw invalid('Invalid batch payload format: the body must be a JSON object with a "requests" array.');
  }
  if (list.length === 0) throw invalid('Invalid batch payload format: the "requests" array is empty.');
  if (list.length > MAX_BATCH_REQUESTS) {
    throw invalid(
      `The number of requests in the batch (${list.length}) exceeds the limit of ${MAX_BATCH_REQUESTS}.`,
    );
  }
  const seen = new Set<string>();
  const requests = list.map((raw: unknown, i): InnerRequest => {
    const r = (raw ?? {}) as Record<string, unknown>;
    for (const field of ['id', 'method', 'url'] as const) {
      if (typeof r[field] !== 'string' || r[field] === '') {
        throw invalid(`Invalid batch payload format: request ${i} has no "${field}".`);
      }
    }
    const id = r['id'] as string;
    // https://learn.microsoft.com/graph/json-batching: ids are not case-sensitive; a duplicate fails the whole batch.
    if (seen.has(id.toLowerCase()))
      throw invalid(`Batch request ids must be unique; "${id}" is used more than once.`);
    seen.add(id.toLowerCase());
    const headers: Record<string, string> = {};
    if (r['headers'] !== undefined) {
      if (r['headers'] === null || typeof r['headers'] !== 'object')
        throw invalid(`Request "${id}" has invalid headers.`);
      for (const [k, v] of Object.entries(r['headers'] as Record<string, unknown>))
        headers[k.toLowerCase()] = String(v);
    }
    const dependsOn = r['dependsOn'] ?? [];
    if (!Array.isArray(dependsOn) || dependsOn.some((d) => typeof d !== 'string')) {
      throw invalid(`Request "${id}" has an invalid "dependsOn" (an array of request ids is expected).`);
    }
    const request: InnerRequest = {
      id,
      method: (r['method'] as string).toUpperCase(),
      url: r['url'] as string,
      headers,
      dependsOn,
    };
    if (r['body'] !== undefined) request.body = r['body'];
    return request;
  });
  const ids = new Set(requests.map((r) => r.id.toLowerCase()));
  for (const r of requests) {
    for (const d of r.dependsOn) {
      if (!ids.has(d.toLowerCase()) || d.toLowerCase() === r.id.toLowerCase()) {
        throw invalid(`Request "${r.id}" depends on "${d}", which is not another request of this batch.`);
      }
    }
  }
  return requests;
}

/** Dependencies first; a cycle is a malformed batch. */
function executionOrder(requests: InnerRequest[]): InnerRequest[] {
  const order: InnerRequest[] = [];
  const done = new Set<string>();
  let remaining = [...requests];
  while (remaining.length > 0) {
    const ready = remaining.filter((r) => r.dependsOn.every((d) => done.has(d.toLowerCase())));
    if (ready.length === 0) throw invalid('The "dependsOn" references of this batch form a cycle.');
    for (const r of ready) {
      order.push(r);
      done.add(r.id.toLowerCase());
    }
    remaining = remaining.filter((r) => !ready.includes(r));
  }
  return order;
}

export async function handleBatch(outer: GraphRequest, deps: BatchDeps): Promise<GraphResponse> {
  const requests = parseRequests(outer.body);
  const results = new Map<string, InnerResponse>();
  for (const inner of executionOrder(requests)) {
    const requestId = randomUUID();
    const clientRequestId = inner.headers['client-request-id'] ?? outer.clientRequestId;
    const errorCtx = { requestId, clientRequestId, now: deps.clock.now() };
    const failedDependency = inner.dependsOn
      .map((d) => results.get(d.toLowerCase()))
      .find((r) => r !== undefined && (r.status < 200 || r.status >= 300));
    if (failedDependency !== undefined) {
      results.set(inner.id.toLowerCase(), {
        id: inner.id,
        status: 424,
        headers: { 'Content-Type': 'application/json' },
        body: errorBody(
          'FailedDependency',
          `Request "${failedDependency.id}", a dependency, failed.`,
          errorCtx,
        ),
      });
      continue;
    }
    const fault = deps.faults.nextInner();
    if (fault === '503' || fault === '504') {
      deps.stats.fault(fault);
      results.set(inner.id.toLowerCase(), {
        id: inner.id,
        status: Number(fault),
        headers: { 'Content-Type': 'application/json' },
        body:
          fault === '503'
            ? errorBody('serviceNotAvailable', 'Service unavailable. Please try again later.', errorCtx)
            : errorBody('gatewayTimeout', 'The gateway did not receive a response in time.', errorCtx),
      });
      continue;
    }
    const res = await runInner(outer, inner, requestId, clientRequestId, deps);
    results.set(inner.id.toLowerCase(), {
      id: inner.id,
      status: res.status,
      headers: res.headers,
      body: res.text !== undefined ? res.text : res.body,
    });
  }
  deps.stats.batch();
  // Answers in request order (Graph may reorder; clients match by id).
  const responses = requests.map((r) => results.get(r.id.toLowerCase()) as InnerResponse);
  return { status: 200, headers: {}, body: { responses } };
}

async function runInner(
  outer: GraphRequest,
  inner: InnerRequest,
  requestId: string,
  clientRequestId: string | undefined,
  deps: BatchDeps,
): Promise<GraphResponse> {
  const errorCtx = { requestId, clientRequestId, now: deps.clock.now() };
  // https://learn.microsoft.com/graph/json-batching: relative to the version root (`/users/{id}/…`); an absolute URL is refused.
  if (/^[a-z][a-z0-9+.-]*:/i.test(inner.url)) {
    return {
      status: 400,
      headers: { 'Content-Type': 'application/json' },
      body: errorBody(
        'BadRequest',
        'The url of a batch request must be relative to the version root, e.g. /users.',
        errorCtx,
      ),
    };
  }
  // https://learn.microsoft.com/graph/json-batching: "If a body is included with the request, the headers object
  // must contain a value for Content-Type". UNCONFIRMED: the exact answer Graph gives when it is missing.
  if (inner.body !== undefined && inner.headers['content-type'] === undefined) {
    return {
      status: 400,
      headers: { 'Content-Type': 'application/json' },
      body: errorBody('BadRequest', 'A batch request with a body must have a Content-Type header.', errorCtx),
    };
  }
  const parsed = new URL(inner.url.startsWith('/') ? inner.url : `/${inner.url}`, 'https://graph.invalid');
  const req: GraphRequest = {
    method: inner.method,
    version: outer.version,
    path: parsed.pathname,
    segments: parsed.pathname
      .split('/')
      .filter((s) => s !== '')
      .map(safeDecode),
    search: parsed.searchParams,
    headers: inner.headers,
    body: inner.body,
    caller: outer.caller,
    requestId,
    clientRequestId,
  };
  return deps.dispatcher.dispatch(req);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
