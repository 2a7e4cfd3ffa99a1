/** The emulator's view of one Graph request and its answer, shared by HTTP requests and `$batch` inner requests. */
export type GraphVersion = 'v1.0' | 'beta';

/** Who is calling: read from the access token. */
export interface Caller {
  appId: string;
  /** Application permissions granted (the token's `roles`). */
  roles: ReadonlySet<string>;
}

export interface GraphRequest {
  method: string;
  version: GraphVersion;
  /** Path after the version, as sent (still percent-encoded), without the query: `/auditLogs/signIns`. */
  path: string;
  /** Decoded path segments after the version, original case. */
  segments: readonly string[];
  /** The query string, parsed. */
  search: URLSearchParams;
  /** Request headers, lower-case names. */
  headers: Readonly<Record<string, string>>;
  /** Parsed JSON body (POST $batch), or undefined. */
  body: unknown;
  caller: Caller;
  /** Our `request-id` for this request (each inner batch request has its own). */
  requestId: string;
  /** The client's `client-request-id`, echoed back as Graph does. */
  clientRequestId: string | undefined;
}

export interface GraphResponse {
  status: number;
  headers: Record<string, string>;
  /** A JSON body, or a plain-text one (`/users/$count`). */
  body?: unknown;
  text?: string;
}
