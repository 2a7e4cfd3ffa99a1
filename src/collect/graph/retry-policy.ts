import { GraphError } from '@microsoft/microsoft-graph-client';
import type { TransientKind } from '../../domain/graph-run.js';

export { TRANSIENT_KINDS } from '../../domain/graph-run.js';
export type { TransientKind } from '../../domain/graph-run.js';

export interface RetryPolicy {
  /** Attempts per request, the first one included. */
  maxAttempts: number;
  /** First backoff; doubles per attempt. */
  baseDelayMs: number;
  /** Backoff ceiling. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 1_000, maxDelayMs: 60_000 };

/** What went wrong with one request, reduced to what retry and error mapping need. */
export interface Failure {
  /** HTTP status; -1 when no response arrived (network), as GraphError reports it. */
  status: number;
  /** Graph error code (`TooManyRequests`, `Authorization_RequestDenied`…) or the JS error name. */
  code?: string;
  message: string;
  /** Retry-After in ms, when the response carried one. */
  retryAfterMs?: number;
  requestId?: string;
  transient?: TransientKind;
}

/** Status codes retried; everything else is final (401, 403, 404, 400…). */
export function transientKindForStatus(status: number): TransientKind | undefined {
  if (status === 429) return 'throttled';
  if (status === 503 || status === 504) return 'unavailable';
  return undefined;
}

/**
 * Messages of errors thrown by fetch (undici: "fetch failed" with a cause, "terminated" mid-body,
 * "other side closed") or by node:http(s) (ECONNRESET, "socket hang up"), and of timeouts/aborts.
 */
const NETWORK_PATTERN =
  /fetch failed|terminated|other side closed|socket hang up|ECONNRESET|ECONNREFUSED|ETIMEDOUT|EPIPE|EAI_AGAIN|UND_ERR|aborted|timeout/i;

/**
 * Classifies whatever the Graph client threw. GraphError quirks (@microsoft/microsoft-graph-client
 * 3.0.7, GraphErrorHandler): no response → statusCode -1 with the fetch error's message; a 2xx whose
 * body does not parse (truncated) → statusCode 200 wrapping the SyntaxError; an error response →
 * its status with `code`/`message` from the body and the response `headers`.
 */
export function classifyError(err: unknown, nowMs: number): Failure {
  if (err instanceof GraphError) {
    const status = err.statusCode;
    const failure: Failure = { status, message: err.message || String(err.body ?? '') };
    if (typeof err.code === 'string' && err.code !== '') failure.code = err.code;
    if (typeof err.requestId === 'string' && err.requestId !== '') failure.requestId = err.requestId;
    const retryAfter = parseRetryAfter(headerOf(err.headers, 'retry-after'), nowMs);
    if (retryAfter !== undefined) failure.retryAfterMs = retryAfter;
    const kind =
      status >= 200 && status < 300
        ? 'truncated'
        : status === -1
          ? networkKind(`${err.message} ${String(err.body ?? '')} ${err.code ?? ''}`)
          : transientKindForStatus(status);
    if (kind !== undefined) failure.transient = kind;
    return failure;
  }
  if (err instanceof Error) {
    const failure: Failure = { status: -1, code: err.name, message: err.message };
    const kind = networkKind(`${err.message} ${describeCause(err)}`);
    if (kind !== undefined) failure.transient = kind;
    return failure;
  }
  return { status: -1, message: String(err) };
}

function networkKind(text: string): TransientKind | undefined {
  return NETWORK_PATTERN.test(text) ? 'network' : undefined;
}

function describeCause(err: Error): string {
  const cause = (err as { cause?: unknown }).cause;
  if (cause instanceof Error)
    return `${cause.name} ${cause.message} ${(cause as { code?: string }).code ?? ''}`;
  return '';
}

/** Retry-After is seconds in Graph (https://learn.microsoft.com/graph/throttling); an HTTP date is accepted too. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/** Case-insensitive header lookup on a fetch Headers object or a plain record (batch inner headers). */
export function headerOf(headers: unknown, name: string): string | undefined {
  if (headers === null || headers === undefined) return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  if (typeof headers === 'object') {
    const want = name.toLowerCase();
    for (const [k, v] of Object.entries(headers as Record<string, unknown>)) {
      if (k.toLowerCase() === want && v !== undefined && v !== null) return String(v);
    }
  }
  return undefined;
}

/**
 * Exponential backoff with "equal jitter": half the doubled delay fixed, half random, so that
 * retries spread out but never come back sooner than half the nominal delay. `attempt` is 1-based
 * (the attempt that just failed).
 */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number): number {
  const nominal = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(nominal / 2 + random() * (nominal / 2));
}
