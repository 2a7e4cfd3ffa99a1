/** Errors of the Microsoft identity platform token endpoint, in its JSON format (error, AADSTS code, ids). */
import { randomUUID } from 'node:crypto';

export class TokenError extends Error {
  constructor(
    readonly status: number,
    /** OAuth error: invalid_request, invalid_client, unauthorized_client, unsupported_grant_type, invalid_scope. */
    readonly error: string,
    /** AADSTS number. */
    readonly aadsts: number,
    message: string,
  ) {
    super(message);
    this.name = 'TokenError';
  }

  body(now: Date): Record<string, unknown> {
    const traceId = randomUUID();
    const correlationId = randomUUID();
    const timestamp = now
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, 'Z');
    return {
      error: this.error,
      error_description: `AADSTS${this.aadsts}: ${this.message} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
      error_codes: [this.aadsts],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `https://login.microsoftonline.com/error?code=${this.aadsts}`,
    };
  }
}

export const invalidClient = (aadsts: number, message: string) =>
  new TokenError(401, 'invalid_client', aadsts, message);
export const invalidRequest = (aadsts: number, message: string) =>
  new TokenError(400, 'invalid_request', aadsts, message);
