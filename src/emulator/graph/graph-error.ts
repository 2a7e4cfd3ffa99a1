/**
 * Graph's error responses. The body shape is the one of the doc examples
 * (test/fixtures/graph-docs/batch_response.v1.0.json: `{error:{code,message,innerError:{date,
 * request-id,client-request-id}}}`), and the 429 body is throttling_429_error.json (https://learn.microsoft.com/graph/throttling).
 */

/** Thrown by handlers and parsers; dispatch turns it into a response. */
export class GraphErrorResponse extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'GraphErrorResponse';
  }
}

export interface ErrorContext {
  requestId: string;
  clientRequestId: string | undefined;
  /** Emulated time, ms. */
  now: number;
}

/** `2025-02-13T10:17:05`: innerError.date carries no zone and no fraction in the doc examples. */
function innerDate(now: number): string {
  return new Date(now).toISOString().slice(0, 19);
}

export function errorBody(code: string, message: string, ctx: ErrorContext): unknown {
  const innerError: Record<string, string> = { date: innerDate(ctx.now), 'request-id': ctx.requestId };
  if (ctx.clientRequestId !== undefined) innerError['client-request-id'] = ctx.clientRequestId;
  return { error: { code, message, innerError } };
}

/** https://learn.microsoft.com/graph/throttling / throttling_429_error.json. */
export function tooManyRequestsBody(ctx: ErrorContext): unknown {
  return {
    error: {
      code: 'TooManyRequests',
      innerError: {
        code: '429',
        date: innerDate(ctx.now),
        message: 'Please retry after',
        'request-id': ctx.requestId,
        status: '429',
      },
      message: 'Please retry again later.',
    },
  };
}

export const badRequest = (message: string, code = 'BadRequest'): GraphErrorResponse =>
  new GraphErrorResponse(400, code, message);

export const unsupportedQuery = (message: string): GraphErrorResponse =>
  new GraphErrorResponse(400, 'Request_UnsupportedQuery', message);

/** The directory's answer for an unknown object id or UPN. */
export const resourceNotFound = (id: string): GraphErrorResponse =>
  new GraphErrorResponse(
    404,
    'Request_ResourceNotFound',
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );

/** OData's answer for a path segment the service does not have. */
export const segmentNotFound = (segment: string): GraphErrorResponse =>
  new GraphErrorResponse(400, 'BadRequest', `Resource not found for the segment '${segment}'.`);
