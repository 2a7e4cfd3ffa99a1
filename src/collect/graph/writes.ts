import type { GraphFailure } from './errors.js';
import type { RequestOptions } from './graph-client.js';

/**
 * One write to Graph: alone, or as an inner request of a `$batch` of at most 20
 * (https://learn.microsoft.com/graph/json-batching). Read-only stays the default: only the commands
 * that change the tenant (rollout, remediate) hold a GraphWriter.
 */
export interface WriteRequest {
  /** The caller's key for this write, unique within the call (case-insensitively); the answer carries it. */
  id: string;
  method: 'POST' | 'PATCH' | 'DELETE';
  /** Relative to the version root, e.g. `/groups/{id}/members/$ref`; `/beta/…` for the beta root. */
  url: string;
  /** JSON body (POST, PATCH). */
  body?: unknown;
  headers?: Readonly<Record<string, string>>;
}

/** Graph's answer to one write, in the order of the requests given. */
export interface WriteResponse {
  id: string;
  status: number;
  body: unknown;
  /** Set for every non-2xx answer: the typed failure with Graph's error code and message. */
  error?: GraphFailure;
}

export interface WriteOptions extends RequestOptions {
  /** Called once per `$batch` (or single request) Graph answered, with those answers: the journal's hook. */
  onAnswered?: (answers: readonly WriteResponse[]) => void;
}

/**
 * The write path. `write` sends the requests in `$batch`es of at most 20 (one alone goes alone), paces
 * them with the reads' limiter and retries throttled (429) and transient (5xx, network) answers on the
 * injected clock; any other refusal is data (`error`), never thrown, so the caller can journal it.
 */
export interface GraphWriter {
  write(requests: readonly WriteRequest[], opts?: WriteOptions): Promise<WriteResponse[]>;
}
