import type { TokenCredential } from '@azure/identity';
import {
  AuthenticationHandler,
  Client,
  GraphClientError,
  HTTPMessageHandler,
  ResponseType,
  TelemetryHandler,
} from '@microsoft/microsoft-graph-client';
import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthProvider } from './auth-provider.js';
import { TlsTrustCheck } from './tls-trust.js';
import type { BatchRequest, BatchResponse, InnerResponse } from './batch.js';
import {
  MAX_BATCH_SIZE,
  batchResponseSchema,
  checkBatchIds,
  innerFailure,
  stringHeaders,
  toBatchUrl,
} from './batch.js';
import type { Bucket } from './buckets.js';
import { bucketFor } from './buckets.js';
import type { Clock } from './clock.js';
import type { FailureContext } from './errors.js';
import {
  GraphFailure,
  GraphRequestFailed,
  nextLinkRejected,
  retriesExhausted,
  toGraphFailure,
} from './errors.js';
import type { GraphVersion } from './graph-url.js';
import { endpointName, isAbsoluteUrl, parseGraphUrl } from './graph-url.js';
import { ThrottleLimiter } from './limiter.js';
import { NodeHttpTransport } from './node-http-transport.js';
import type { Failure, RetryPolicy, TransientKind } from './retry-policy.js';
import { DEFAULT_RETRY_POLICY, backoffDelay, classifyError } from './retry-policy.js';
import type { GraphStats } from './stats.js';
import { copyStats, emptyStats } from './stats.js';
import type { GraphWriter, WriteOptions, WriteRequest, WriteResponse } from './writes.js';

export type { BatchRequest, BatchResponse } from './batch.js';

export interface RequestOptions {
  /** Graph version for a relative path (default v1.0). A path may also start with `/beta/…`. */
  version?: GraphVersion;
  /** Extra request headers, e.g. `ConsistencyLevel: eventual`. */
  headers?: Readonly<Record<string, string>>;
}

export interface PagesOptions extends RequestOptions {
  /** Resume: start from this saved `@odata.nextLink` instead of `path`. */
  startLink?: string;
}

export interface Page<T> {
  items: T[];
  /** Absolute link to the next page; absent on the last page. Save it to resume. */
  nextLink?: string;
  /** A delta query's last page: `@odata.deltaLink`, where the next round starts (https://learn.microsoft.com/graph/delta-query-overview). */
  deltaLink?: string;
}

/**
 * Everything the collector needs from Microsoft Graph, narrow enough for tests to replace with a fake.
 * Pacing, retries and error mapping live behind it.
 */
export interface GraphSource {
  /** One GET; the parsed JSON body. */
  get<T>(path: string, opts?: RequestOptions): Promise<T>;
  /** A collection, page by page, following `@odata.nextLink` until there is none. */
  pages<T>(path: string, opts?: PagesOptions): AsyncIterable<Page<T>>;
  /** Inner GETs through `$batch`, answered in request order; failures per inner request are data (`error`). */
  batch(requests: readonly BatchRequest[], opts?: RequestOptions): Promise<BatchResponse[]>;
}

export type GraphEvent =
  | { type: 'throttled'; endpoint: string; bucket: Bucket; retryAfterMs?: number; inner: boolean }
  | {
      type: 'retry';
      endpoint: string;
      reason: TransientKind;
      attempt: number;
      delayMs: number;
      requests: number;
    };

export interface GraphClientOptions {
  /** Graph root without version (CloudEndpoints.graphUrl). */
  graphUrl: string;
  credential: TokenCredential;
  clock: Clock;
  /** Shared limiter (one per app per tenant); default: a new one on `clock`. */
  limiter?: ThrottleLimiter;
  retry?: Partial<RetryPolicy>;
  /** Jitter source in [0, 1); default Math.random. */
  random?: () => number;
  /** Trust this CA for the Graph host (an in-process emulator); switches to the node:https transport. */
  ca?: string | Buffer;
  /** Real-time limit per HTTP attempt (default 120 s); a timeout counts as a network failure. */
  requestTimeoutMs?: number;
  /** Removes secrets from any text that ends up in an error (CredentialChoice.redact). */
  redact?: (text: string) => string;
  /** Progress hook: throttling and retries as they happen. */
  onEvent?: (event: GraphEvent) => void;
}

/** A request's "it leaves now" hook, carried to RoundTripCounter as a middleware option. */
class OnSend {
  constructor(readonly run: () => void) {}
}

/** Where RoundTripCounter leaves the HTTP status of the answer (a write's 201 vs 204; the library hides it). */
class StatusCapture {
  status: number | undefined;
}

/**
 * Counts HTTP exchanges: it sits just before the transport, so every real request passes once; and
 * tells the limiter that the request leaves now (OnSend), after the token and the other middleware.
 */
class RoundTripCounter implements Middleware {
  private next: Middleware | undefined;
  constructor(private readonly onRoundTrip: () => void) {}
  async execute(context: Context): Promise<void> {
    this.onRoundTrip();
    (context.middlewareControl?.getMiddlewareOptions(OnSend) as OnSend | undefined)?.run();
    if (this.next === undefined) throw new Error('RoundTripCounter needs a next middleware');
    await this.next.execute(context);
    const capture = context.middlewareControl?.getMiddlewareOptions(StatusCapture) as
      StatusCapture | undefined;
    if (capture !== undefined) capture.status = context.response?.status;
  }
  setNext(next: Middleware): void {
    this.next = next;
  }
}

type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** One inner request of a `$batch`: a read (BatchRequest) or a write (WriteRequest). */
interface InnerRequest {
  id: string;
  url: string;
  method: HttpMethod;
  body?: unknown;
  headers?: Readonly<Record<string, string>>;
}

interface BatchItem {
  req: InnerRequest;
  index: number;
  url: string;
  bucket: Bucket;
  cost: number;
  attempts: number;
}

interface TransientOutcome {
  item: BatchItem;
  failure: Failure;
  /** Clock time before which this request must not be sent again (receipt + Retry-After or backoff). */
  notBefore: number;
}

/**
 * GraphSource on @microsoft/microsoft-graph-client 3.x. The middleware chain is
 * AuthenticationHandler → TelemetryHandler → round-trip counter → transport; the library's
 * RetryHandler is left out on purpose: it sleeps on the real clock, skips network errors and inner
 * batch 429s, and would hide 429s from the limiter. Retries happen here, on the injected clock.
 */
export class LiveGraphSource implements GraphSource, GraphWriter {
  private readonly client: Client;
  private readonly clock: Clock;
  private readonly limiter: ThrottleLimiter;
  private readonly policy: RetryPolicy;
  private readonly random: () => number;
  private readonly timeoutMs: number;
  private readonly redact: (text: string) => string;
  private readonly onEvent: (event: GraphEvent) => void;
  private readonly transport: NodeHttpTransport | undefined;
  private readonly counters: GraphStats = emptyStats();

  constructor(options: GraphClientOptions) {
    this.clock = options.clock;
    this.limiter = options.limiter ?? new ThrottleLimiter({ clock: options.clock });
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.random = options.random ?? Math.random;
    this.timeoutMs = options.requestTimeoutMs ?? 120_000;
    this.redact = options.redact ?? ((t) => t);
    this.onEvent = options.onEvent ?? (() => {});
    const graphUrl = options.graphUrl.replace(/\/+$/, '');
    const auth = new TokenCredentialAuthProvider(options.credential, {
      scope: `${graphUrl}/.default`,
      redact: this.redact,
    });
    this.transport = options.ca !== undefined ? new NodeHttpTransport({ ca: options.ca }) : undefined;
    const middleware: Middleware[] = [
      new AuthenticationHandler(auth),
      new TelemetryHandler(),
      new RoundTripCounter(() => {
        this.counters.httpRoundTrips++;
      }),
      new TlsTrustCheck(),
      this.transport ?? new HTTPMessageHandler(),
    ];
    this.client = Client.initWithMiddleware({
      middleware,
      baseUrl: graphUrl,
      defaultVersion: 'v1.0',
      ...customHostsFor(graphUrl),
    });
  }

  /** A snapshot of the counters. */
  stats(): GraphStats {
    return copyStats(this.counters);
  }

  /** Closes idle keep-alive sockets of the CA transport (no-op with the global fetch). */
  close(): void {
    this.transport?.close();
  }

  get<T>(path: string, opts: RequestOptions = {}): Promise<T> {
    return this.request<T>('GET', path, opts);
  }

  async *pages<T>(path: string, opts: PagesOptions = {}): AsyncIterable<Page<T>> {
    let url = opts.startLink ?? path;
    let resuming = opts.startLink !== undefined;
    for (;;) {
      const body = await this.request<unknown>(
        'GET',
        url,
        opts,
        // A saved link that Graph no longer accepts: tell the caller to restart the dataset.
        resuming
          ? (f, ctx) =>
              f.status === 400 || f.status === 404 || f.status === 410 ? nextLinkRejected(f, ctx) : undefined
          : undefined,
      );
      resuming = false;
      const value = (body as { value?: unknown } | null)?.value;
      if (!Array.isArray(value)) {
        throw new GraphRequestFailed(
          `${endpointName('GET', url, opts.version)} did not return a collection (no "value" array)`,
          {
            endpoint: endpointName('GET', url, opts.version),
            status: 200,
          },
        );
      }
      const next = (body as Record<string, unknown>)['@odata.nextLink'];
      const page: Page<T> = { items: value as T[] };
      if (typeof next === 'string' && next !== '') page.nextLink = next;
      const delta = (body as Record<string, unknown>)['@odata.deltaLink'];
      if (page.nextLink === undefined && typeof delta === 'string' && delta !== '') page.deltaLink = delta;
      yield page;
      if (page.nextLink === undefined) return;
      if (page.nextLink === url) {
        throw new GraphRequestFailed(
          `${endpointName('GET', url, opts.version)} returned its own URL as nextLink`,
          {
            endpoint: endpointName('GET', url, opts.version),
            status: 200,
          },
        );
      }
      url = page.nextLink;
    }
  }

  async batch(requests: readonly BatchRequest[], opts: RequestOptions = {}): Promise<BatchResponse[]> {
    checkBatchIds(requests);
    const version = opts.version ?? 'v1.0';
    const results: (BatchResponse | undefined)[] = new Array<BatchResponse | undefined>(requests.length);
    const items: BatchItem[] = requests.map((req, index) => {
      const url = toBatchUrl(req.url);
      const inner: InnerRequest = { id: req.id, url: req.url, method: 'GET' };
      if (req.headers !== undefined) inner.headers = req.headers;
      return { req: inner, index, url, ...bucketFor('GET', url), attempts: 0 };
    });
    await this.runBatches(items, version, results);
    return results.map((r, i) => r ?? missingResponse(requests[i]?.id ?? String(i)));
  }

  /**
   * The write path (GraphWriter): one request goes alone, several in `$batch`es of at most 20 per
   * version root (https://learn.microsoft.com/graph/json-batching), paced by the reads' limiter at
   * the cost buckets.ts gives a write. 429, 503/504 and network failures are retried on the injected
   * clock (only the failed inner requests go again); any other refusal comes back as data (`error`)
   * so that the caller can journal it. `onAnswered` runs after every round trip that settled answers.
   */
  async write(requests: readonly WriteRequest[], opts: WriteOptions = {}): Promise<WriteResponse[]> {
    checkBatchIds(requests);
    const only = requests[0];
    if (only === undefined) return [];
    if (requests.length === 1) {
      const answer = await this.writeAlone(only, opts);
      opts.onAnswered?.([answer]);
      return [answer];
    }
    const results: (BatchResponse | undefined)[] = new Array<BatchResponse | undefined>(requests.length);
    const byVersion = new Map<GraphVersion, BatchItem[]>();
    requests.forEach((req, index) => {
      const { path, version } = splitVersion(req.url, opts.version);
      const url = toBatchUrl(path);
      const inner: InnerRequest = { id: req.id, url, method: req.method };
      if (req.body !== undefined) inner.body = req.body;
      const headers = { ...opts.headers, ...req.headers };
      if (Object.keys(headers).length > 0) inner.headers = headers;
      const item: BatchItem = { req: inner, index, url, ...bucketFor(req.method, url), attempts: 0 };
      const list = byVersion.get(version);
      if (list === undefined) byVersion.set(version, [item]);
      else list.push(item);
    });
    const onSettled =
      opts.onAnswered === undefined
        ? undefined
        : (settled: readonly BatchResponse[]) => opts.onAnswered?.(settled.map(toWriteResponse));
    for (const [version, items] of byVersion) await this.runBatches(items, version, results, onSettled);
    return results.map((r, i) => toWriteResponse(r ?? missingResponse(requests[i]?.id ?? String(i))));
  }

  /** One write on its own, with the same pacing and retries as a read; refusals are data. */
  private async writeAlone(req: WriteRequest, opts: RequestOptions): Promise<WriteResponse> {
    const { path, version } = splitVersion(req.url, opts.version);
    const ctx = this.context(req.method, `/${version}${path.startsWith('/') ? '' : '/'}${path}`);
    const { bucket, cost } = bucketFor(req.method, path);
    const headers = { ...opts.headers, ...req.headers };
    for (let attempt = 1; ; attempt++) {
      const grant = await this.limiter.acquireGrant(bucket, cost);
      this.counters.throttleWaitMs += grant.waitedMs;
      this.counters.requestsByBucket[bucket]++;
      const capture = new StatusCapture();
      try {
        const body = await this.send(
          req.method,
          path,
          { version, headers },
          req.body,
          this.onSend(bucket, grant.at),
          capture,
        );
        return { id: req.id, status: capture.status ?? (body === undefined ? 204 : 200), body };
      } catch (err) {
        const failure = this.failureOrThrow(err);
        if (failure.transient === undefined) return refusal(req.id, failure, toGraphFailure(failure, ctx));
        this.noteTransient(failure, bucket, ctx, false);
        if (attempt >= this.policy.maxAttempts)
          return refusal(req.id, failure, retriesExhausted(failure, ctx, attempt, failure.transient));
        await this.waitBeforeRetry(failure, bucket, attempt, ctx);
      }
    }
  }

  /** Sends `items` in `$batch`es (by bucket, as the limiter allows), retrying failed inner requests. */
  private async runBatches(
    items: BatchItem[],
    version: GraphVersion,
    results: (BatchResponse | undefined)[],
    onSettled?: (settled: readonly BatchResponse[]) => void,
  ): Promise<void> {
    let pending = items;
    while (pending.length > 0) {
      const again: TransientOutcome[] = [];
      for (const group of groupByBucket(pending)) {
        let i = 0;
        while (i < group.length) {
          // Size the batch to what the bucket allows now (every inner request counts against it).
          const candidates = group.slice(i, i + MAX_BATCH_SIZE);
          const grant = await this.limiter.take(
            group[0]?.bucket ?? 'directory',
            candidates.map((c) => c.cost),
          );
          this.counters.throttleWaitMs += grant.waitedMs;
          const chunk = candidates.slice(0, grant.granted);
          i += grant.granted;
          again.push(...(await this.sendChunk(chunk, version, results, grant.at, onSettled)));
        }
      }
      pending = await this.prepareBatchRetry(again, version);
    }
  }

  /** One `$batch` POST. Fills `results` for final answers; returns the inner requests to send again. */
  private async sendChunk(
    chunk: BatchItem[],
    version: GraphVersion,
    results: (BatchResponse | undefined)[],
    grantedAt: readonly number[],
    onSettled?: (settled: readonly BatchResponse[]) => void,
  ): Promise<TransientOutcome[]> {
    for (const item of chunk) {
      item.attempts++;
      this.counters.requestsByBucket[item.bucket]++;
    }
    this.counters.batches++;
    const body = {
      requests: chunk.map((c) => innerJson(c)),
    };
    const ctx = this.context('POST', `/${version}/$batch`);
    let raw: unknown;
    try {
      raw = await this.send('POST', '/$batch', { version }, body, this.onSend(chunk[0]?.bucket, grantedAt));
    } catch (err) {
      const failure = this.failureOrThrow(err);
      if (failure.transient === undefined) throw toGraphFailure(failure, ctx);
      this.noteTransient(failure, chunk[0]?.bucket ?? 'directory', ctx, false);
      const worst = Math.max(...chunk.map((c) => c.attempts));
      if (worst >= this.policy.maxAttempts) throw retriesExhausted(failure, ctx, worst, failure.transient);
      return chunk.map((item) => this.deferred(item, failure));
    }
    const parsed = batchResponseSchema.safeParse(raw);
    if (!parsed.success) {
      throw new GraphRequestFailed(`${ctx.url}: the $batch answer is not {"responses":[…]}`, {
        endpoint: endpointName('POST', ctx.url),
        status: 200,
      });
    }
    const byId = new Map<string, InnerResponse>();
    for (const r of parsed.data.responses) byId.set(r.id.toLowerCase(), r);

    const again: TransientOutcome[] = [];
    for (const item of chunk) {
      const res = byId.get(item.req.id.toLowerCase());
      const innerCtx = this.context(item.req.method, `/${version}${item.url}`);
      if (res === undefined) {
        // Not answered at all: treat like a lost response.
        const failure: Failure = {
          status: -1,
          message: 'missing from the $batch response',
          transient: 'network',
        };
        this.noteTransient(failure, item.bucket, innerCtx, true);
        if (item.attempts >= this.policy.maxAttempts) {
          results[item.index] = failedResponse(
            item.req.id,
            -1,
            {},
            undefined,
            retriesExhausted(failure, innerCtx, item.attempts, 'network'),
          );
        } else again.push(this.deferred(item, failure));
        continue;
      }
      const headers = stringHeaders(res.headers);
      if (res.status >= 200 && res.status < 300) {
        results[item.index] = { id: item.req.id, status: res.status, headers, body: res.body };
        continue;
      }
      const failure = innerFailure(res, this.clock.now());
      if (failure.transient === undefined) {
        results[item.index] = failedResponse(
          item.req.id,
          res.status,
          headers,
          res.body,
          toGraphFailure(failure, innerCtx),
        );
        continue;
      }
      this.noteTransient(failure, item.bucket, innerCtx, true);
      if (item.attempts >= this.policy.maxAttempts) {
        results[item.index] = failedResponse(
          item.req.id,
          res.status,
          headers,
          res.body,
          retriesExhausted(failure, innerCtx, item.attempts, failure.transient),
        );
      } else again.push(this.deferred(item, failure));
    }
    if (onSettled !== undefined) {
      const settled = chunk.flatMap((item) => results[item.index] ?? []);
      if (settled.length > 0) onSettled(settled);
    }
    return again;
  }

  /**
   * Records when a failed inner request may go again. A 429 pauses its bucket right away, so the
   * next chunks of the same round (and concurrent callers) hold back instead of adding to the storm.
   */
  private deferred(item: BatchItem, failure: Failure): TransientOutcome {
    const delay = failure.retryAfterMs ?? backoffDelay(item.attempts, this.policy, this.random);
    if (failure.transient === 'throttled') this.limiter.pause(item.bucket, delay);
    return { item, failure, notBefore: this.clock.now() + delay };
  }

  /**
   * https://learn.microsoft.com/graph/json-batching: retry only the failed inner requests, all together in the next round, after
   * the longest Retry-After (a backoff where there is none, e.g. Conditional Access).
   */
  private async prepareBatchRetry(again: TransientOutcome[], version: GraphVersion): Promise<BatchItem[]> {
    if (again.length === 0) return [];
    const notBefore = Math.max(...again.map((a) => a.notBefore));
    const anyThrottled = again.some((a) => a.failure.transient === 'throttled');
    for (const { failure } of again) this.counters.retriesByReason[failure.transient ?? 'network']++;
    this.counters.retries += again.length;
    const before = this.clock.now();
    this.onEvent({
      type: 'retry',
      endpoint: endpointName('POST', `/${version}/$batch`),
      reason: anyThrottled ? 'throttled' : (again[0]?.failure.transient ?? 'network'),
      attempt: Math.max(...again.map((a) => a.item.attempts)),
      delayMs: Math.max(0, notBefore - before),
      requests: again.length,
    });
    if (notBefore > before) await this.clock.sleep(notBefore - before);
    const slept = this.clock.now() - before;
    if (anyThrottled) this.counters.throttleWaitMs += slept;
    else this.counters.backoffWaitMs += slept;
    return again.map((a) => a.item);
  }

  /** One logical request with pacing and retries; `onFinal` may substitute the error for a final failure. */
  private async request<T>(
    method: 'GET' | 'POST',
    pathOrLink: string,
    opts: RequestOptions,
    onFinal?: (failure: Failure, ctx: FailureContext) => GraphFailure | undefined,
  ): Promise<T> {
    const { path, version } = splitVersion(pathOrLink, opts.version);
    const ctx = this.context(
      method,
      isAbsoluteUrl(path) ? path : `/${version}${path.startsWith('/') ? '' : '/'}${path}`,
    );
    const { bucket, cost } = bucketFor(method, path);
    for (let attempt = 1; ; attempt++) {
      const grant = await this.limiter.acquireGrant(bucket, cost);
      this.counters.throttleWaitMs += grant.waitedMs;
      this.counters.requestsByBucket[bucket]++;
      try {
        return (await this.send(
          method,
          path,
          { ...opts, version },
          undefined,
          this.onSend(bucket, grant.at),
        )) as T;
      } catch (err) {
        const failure = this.failureOrThrow(err);
        if (failure.transient === undefined) throw onFinal?.(failure, ctx) ?? toGraphFailure(failure, ctx);
        this.noteTransient(failure, bucket, ctx, false);
        if (attempt >= this.policy.maxAttempts)
          throw retriesExhausted(failure, ctx, attempt, failure.transient);
        await this.waitBeforeRetry(failure, bucket, attempt, ctx);
      }
    }
  }

  /**
   * 429: pause the bucket for Retry-After (or a backoff where Graph sends none, https://learn.microsoft.com/graph/throttling-limits
   * Conditional Access); the next `acquire` waits it out. Other faults: exponential backoff + jitter.
   */
  private async waitBeforeRetry(
    failure: Failure,
    bucket: Bucket,
    attempt: number,
    ctx: FailureContext,
  ): Promise<void> {
    const kind = failure.transient ?? 'network';
    const delay =
      kind === 'throttled'
        ? (failure.retryAfterMs ?? backoffDelay(attempt, this.policy, this.random))
        : backoffDelay(attempt, this.policy, this.random);
    this.counters.retries++;
    this.counters.retriesByReason[kind]++;
    this.onEvent({
      type: 'retry',
      endpoint: endpointName(ctx.method, ctx.url),
      reason: kind,
      attempt,
      delayMs: delay,
      requests: 1,
    });
    if (kind === 'throttled') {
      this.limiter.pause(bucket, delay);
      return;
    }
    const before = this.clock.now();
    await this.clock.sleep(delay);
    this.counters.backoffWaitMs += this.clock.now() - before;
  }

  private noteTransient(failure: Failure, bucket: Bucket, ctx: FailureContext, inner: boolean): void {
    if (failure.transient !== 'throttled') return;
    this.counters.throttled++;
    this.counters.throttledByBucket[bucket]++;
    const event: GraphEvent = {
      type: 'throttled',
      endpoint: endpointName(ctx.method, ctx.url),
      bucket,
      inner,
    };
    if (failure.retryAfterMs !== undefined) event.retryAfterMs = failure.retryAfterMs;
    this.onEvent(event);
  }

  /**
   * Classifies a thrown error; rethrows our own typed errors as they are. Token failures arrive as
   * a GraphClientError carrying a CredentialRejected (see auth-provider.ts) and are never retried.
   */
  private failureOrThrow(err: unknown): Failure {
    if (err instanceof GraphClientError && err.customError instanceof GraphFailure) throw err.customError;
    if (err instanceof GraphFailure) throw err;
    return classifyError(err, this.clock.now());
  }

  /** Moves the grant's slots to the moment the request leaves (limiter.restamp). */
  private onSend(bucket: Bucket | undefined, at: readonly number[]): OnSend | undefined {
    if (bucket === undefined || at.length === 0) return undefined;
    return new OnSend(() => this.limiter.restamp(bucket, at, this.clock.now()));
  }

  private send(
    method: HttpMethod,
    path: string,
    opts: RequestOptions,
    body?: unknown,
    onSend?: OnSend,
    capture?: StatusCapture,
  ): Promise<unknown> {
    let req = this.client.api(path);
    const options = [onSend, capture].filter((o) => o !== undefined);
    if (options.length > 0) req = req.middlewareOptions(options);
    // An absolute nextLink carries its own version; the library parses it out of the URL.
    if (!isAbsoluteUrl(path)) req = req.version(opts.version ?? 'v1.0');
    req = req.responseType(ResponseType.JSON).option('signal', AbortSignal.timeout(this.timeoutMs));
    if (opts.headers !== undefined) req = req.headers({ ...opts.headers });
    switch (method) {
      case 'GET':
        return req.get();
      case 'POST':
        return req.post(body);
      case 'PATCH':
        return req.patch(body);
      case 'DELETE':
        return req.delete();
    }
  }

  private context(method: string, url: string): FailureContext {
    return { method, url, redact: this.redact };
  }
}

export function createGraphSource(options: GraphClientOptions): LiveGraphSource {
  return new LiveGraphSource(options);
}

/**
 * The library attaches the token only to known Graph hosts (GRAPH_URLS) or to `customHosts`.
 * customHosts must hold bare host names: the library compares against the host with the port cut
 * off (GraphRequestUtil.isValidEndpoint), whatever its error message suggests.
 */
export function customHostsFor(graphUrl: string): { customHosts?: Set<string> } {
  const host = new URL(graphUrl).hostname.toLowerCase();
  return host === 'graph.microsoft.com' ? {} : { customHosts: new Set([host]) };
}

/** `/beta/auditLogs/signIns` → path `/auditLogs/signIns`, version beta; absolute links stay as they are. */
function splitVersion(
  pathOrLink: string,
  fallback: GraphVersion | undefined,
): { path: string; version: GraphVersion } {
  if (isAbsoluteUrl(pathOrLink))
    return { path: pathOrLink, version: parseGraphUrl(pathOrLink).version ?? fallback ?? 'v1.0' };
  const m = /^\/?(v1\.0|beta)(\/.*)$/.exec(pathOrLink);
  if (m !== null && (m[1] === 'v1.0' || m[1] === 'beta')) return { path: m[2] ?? '/', version: m[1] };
  return { path: pathOrLink, version: fallback ?? 'v1.0' };
}

function groupByBucket(items: BatchItem[]): BatchItem[][] {
  const groups = new Map<Bucket, BatchItem[]>();
  for (const item of items) {
    const list = groups.get(item.bucket);
    if (list === undefined) groups.set(item.bucket, [item]);
    else list.push(item);
  }
  return [...groups.values()];
}

/**
 * An inner request as `$batch` wants it (https://learn.microsoft.com/graph/json-batching): a body
 * needs a Content-Type header, JSON here unless the caller says otherwise.
 */
function innerJson(item: BatchItem): Record<string, unknown> {
  const out: Record<string, unknown> = { id: item.req.id, method: item.req.method, url: item.url };
  const headers: Record<string, string> = { ...item.req.headers };
  if (item.req.body !== undefined) {
    if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-type'))
      headers['Content-Type'] = 'application/json';
    out['body'] = item.req.body;
  }
  if (Object.keys(headers).length > 0) out['headers'] = headers;
  return out;
}

function toWriteResponse(r: BatchResponse): WriteResponse {
  const out: WriteResponse = { id: r.id, status: r.status, body: r.body };
  if (r.error !== undefined) out.error = r.error;
  return out;
}

/** A refused single write as data, with Graph's error in the body's usual shape. */
function refusal(id: string, failure: Failure, error: GraphFailure): WriteResponse {
  const body = { error: { code: failure.code ?? '', message: failure.message } };
  return { id, status: failure.status, body, error };
}

function failedResponse(
  id: string,
  status: number,
  headers: Record<string, string>,
  body: unknown,
  error: GraphFailure,
): BatchResponse {
  return { id, status, headers, body, error };
}

function missingResponse(id: string): BatchResponse {
  return failedResponse(
    id,
    -1,
    {},
    undefined,
    new GraphRequestFailed(`batch request ${id} got no answer`, { endpoint: 'POST $batch', status: -1 }),
  );
}
