import { z } from 'zod';
import type { GraphFailure } from './errors.js';
import { isAbsoluteUrl, parseGraphUrl } from './graph-url.js';
import type { Failure } from './retry-policy.js';
import { headerOf, parseRetryAfter, transientKindForStatus } from './retry-policy.js';

/** At most 20 requests per `$batch` (https://learn.microsoft.com/graph/json-batching). */
export const MAX_BATCH_SIZE = 20;

/** One inner request of a JSON batch (https://learn.microsoft.com/graph/json-batching). Read-only collector: GET only. */
export interface BatchRequest {
  /** Unique within the call (case-insensitively: a duplicate fails the whole batch with 400). */
  id: string;
  /** Relative to the version root, e.g. `/users/{id}/authentication/methods`; an absolute Graph URL is made relative. */
  url: string;
  method?: 'GET';
  headers?: Readonly<Record<string, string>>;
}

/** The answer to one inner request, in the order of the requests given to `batch`. */
export interface BatchResponse {
  id: string;
  /** Inner HTTP status; a throttled request that outlasted the retry cap keeps its 429. */
  status: number;
  headers: Record<string, string>;
  body: unknown;
  /** Set for every non-2xx status: the typed error (PermissionMissing, LicenceRequired, RetriesExhausted…). */
  error?: GraphFailure;
}

const innerResponseSchema = z.object({
  id: z.string(),
  status: z.number(),
  headers: z.record(z.string(), z.unknown()).optional(),
  body: z.unknown().optional(),
});

export const batchResponseSchema = z.object({ responses: z.array(innerResponseSchema) });
export type InnerResponse = z.infer<typeof innerResponseSchema>;

/** Throws on duplicate or empty ids: Graph would reject the whole batch (https://learn.microsoft.com/graph/json-batching). */
export function checkBatchIds(requests: readonly { id: string }[]): void {
  const seen = new Set<string>();
  for (const r of requests) {
    if (r.id === '') throw new TypeError('batch request ids must not be empty');
    const key = r.id.toLowerCase();
    if (seen.has(key))
      throw new TypeError(`duplicate batch request id "${r.id}" (ids are not case-sensitive)`);
    seen.add(key);
  }
}

/** `$batch` inner URLs are relative to the version root: strip scheme, host, prefix and version. */
export function toBatchUrl(url: string): string {
  if (!isAbsoluteUrl(url) && !/^\/?(v1\.0|beta)\//i.test(url)) return url.startsWith('/') ? url : `/${url}`;
  const parsed = new URL(url, 'https://graph.invalid');
  const parts = parseGraphUrl(url);
  return `/${parts.segments.map(encodeURIComponent).join('/')}${parsed.search}`;
}

export function stringHeaders(headers: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) if (v !== undefined && v !== null) out[k] = String(v);
  return out;
}

/** Reads an inner response as a Failure: Graph's error code and message from the body, Retry-After from its headers. */
export function innerFailure(res: InnerResponse, nowMs: number): Failure {
  const error = (
    res.body as
      { error?: { code?: unknown; message?: unknown; innerError?: Record<string, unknown> } } | undefined
  )?.error;
  const failure: Failure = {
    status: res.status,
    message: typeof error?.message === 'string' ? error.message : '',
  };
  if (typeof error?.code === 'string' && error.code !== '') failure.code = error.code;
  const requestId = error?.innerError?.['request-id'];
  if (typeof requestId === 'string') failure.requestId = requestId;
  const retryAfter = parseRetryAfter(headerOf(res.headers, 'retry-after'), nowMs);
  if (retryAfter !== undefined) failure.retryAfterMs = retryAfter;
  const kind = transientKindForStatus(res.status);
  if (kind !== undefined) failure.transient = kind;
  return failure;
}
