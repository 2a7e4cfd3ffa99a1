/**
 * One Graph request, from route to answer, in the order Graph's front door applies its checks:
 * route (400 for an unknown segment, 405 for a wrong method), cloud availability, throttling (each
 * request counts against its bucket, an inner `$batch` request too), permission (403
 * Authorization_RequestDenied), licence (403 with the premium-licence code), then the handler.
 *
 * Everything up to the throttle's admission runs synchronously from the call of `dispatch`: a
 * request is stamped on the clock as it is processed, before anything else may run. Only the
 * handler (a page read in turns) is awaited.
 */
import type { Clock } from '../../collect/graph/clock.js';
import type { CloudName } from '../../collect/graph/clouds.js';
import type { RouteContext } from '../routes/route.js';
import { findRoute } from '../routes/route-table.js';
import type { ServerThrottle } from '../throttle/server-throttle.js';
import { errorBody, GraphErrorResponse, segmentNotFound, tooManyRequestsBody } from './graph-error.js';
import type { GraphRequest, GraphResponse } from './graph-request.js';
import type { StatsRecorder } from './stats-recorder.js';

/** One write (any request other than GET) as the emulator answered it: tests count writes with it. */
export interface WriteLogEntry {
  method: string;
  /** `/v1.0/groups/{id}/members/$ref`, decoded. */
  path: string;
  status: number;
  /** Emulated time, ms. */
  at: number;
}

export const JSON_CONTENT_TYPE =
  'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

/** https://learn.microsoft.com/graph/api/resources/userregistrationdetails / errors.ts of the collector: the licence error code and text. */
export const LICENCE_ERROR = {
  code: 'Authentication_RequestFromNonPremiumTenantOrB2CTenant',
  message: "Neither tenant is B2C or tenant doesn't have premium license",
} as const;

export interface DispatcherDeps {
  ctx: RouteContext;
  throttle: ServerThrottle;
  stats: StatsRecorder;
  clock: Clock;
  cloud: CloudName;
  /** When given, every Graph request (inner `$batch` ones included) is appended, decoded: `GET /v1.0/users?$select=…`. */
  log?: string[];
  /** When given, every write (any method but GET, inner `$batch` ones included) with its status. */
  writeLog?: WriteLogEntry[];
}

export class Dispatcher {
  constructor(private readonly deps: DispatcherDeps) {}

  async dispatch(req: GraphRequest): Promise<GraphResponse> {
    const res = await this.answer(req);
    if (this.deps.writeLog !== undefined && req.method.toUpperCase() !== 'GET') {
      this.deps.writeLog.push({
        method: req.method.toUpperCase(),
        path: safeDecode(`/${req.version}${req.path}`),
        status: res.status,
        at: this.deps.clock.now(),
      });
    }
    return res;
  }

  private async answer(req: GraphRequest): Promise<GraphResponse> {
    const { ctx, throttle, stats, clock } = this.deps;
    if (this.deps.log !== undefined) {
      const query = req.search.toString();
      this.deps.log.push(
        safeDecode(`${req.method} /${req.version}${req.path}${query === '' ? '' : `?${query}`}`),
      );
    }
    const errorCtx = { requestId: req.requestId, clientRequestId: req.clientRequestId, now: clock.now() };
    const fail = (
      status: number,
      code: string,
      message: string,
      headers: Record<string, string> = {},
    ): GraphResponse => this.finish(req, { status, headers, body: errorBody(code, message, errorCtx) });

    const found = findRoute(req.method, req.version, req.segments);
    if (found.kind === 'wrongMethod') {
      stats.graphRequest(`${req.method} /${req.version}${found.route.name}`, undefined);
      return fail(405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.');
    }
    if (found.kind !== 'found') {
      stats.graphRequest('unrouted', undefined);
      const last = req.segments[req.segments.length - 1] ?? '';
      const e = segmentNotFound(last);
      return fail(e.status, e.code, e.message);
    }
    const { route, params } = found;
    const name = `${req.method} /${req.version}${route.name}`;
    if (route.unavailableIn?.includes(this.deps.cloud) === true) {
      stats.graphRequest(name, undefined);
      // https://learn.microsoft.com/graph/deployments: the API is not deployed in this national cloud.
      const e = segmentNotFound(req.segments[req.segments.length - 1] ?? '');
      return fail(e.status, e.code, e.message);
    }

    const access = route.access(req);
    stats.graphRequest(name, access.bucket);
    const admission = throttle.admit(access.bucket, access.cost, {
      appId: req.caller.appId,
      tenantId: ctx.tenantId,
    });
    if (!admission.admitted) {
      stats.throttled(access.bucket);
      return this.finish(req, {
        status: 429,
        headers: admission.headers,
        body: tooManyRequestsBody(errorCtx),
      });
    }
    if (access.write === true) {
      const write = throttle.admitWrite({ appId: req.caller.appId, tenantId: ctx.tenantId });
      if (!write.admitted) {
        stats.throttled(access.bucket);
        return this.finish(req, {
          status: 429,
          headers: { ...admission.headers, ...write.headers },
          body: tooManyRequestsBody(errorCtx),
        });
      }
    }
    const granted = access.permissions.some((set) => set.every((p) => req.caller.roles.has(p)));
    if (!granted) {
      return fail(
        403,
        'Authorization_RequestDenied',
        'Insufficient privileges to complete the operation.',
        admission.headers,
      );
    }
    if (access.premium && ctx.licence === 'free') {
      return fail(403, LICENCE_ERROR.code, LICENCE_ERROR.message, admission.headers);
    }
    try {
      const res = await route.handle(req, params, ctx);
      return this.finish(req, { ...res, headers: { ...admission.headers, ...res.headers } });
    } catch (err) {
      if (err instanceof GraphErrorResponse) {
        return fail(err.status, err.code, err.message, { ...admission.headers, ...err.headers });
      }
      const message = err instanceof Error ? err.message : String(err);
      return fail(500, 'InternalServerError', `Emulator error: ${message}`, admission.headers);
    }
  }

  /** The headers every Graph response carries. */
  private finish(req: GraphRequest, res: GraphResponse): GraphResponse {
    const headers: Record<string, string> = {
      'Cache-Control': 'no-cache',
      'request-id': req.requestId,
      ...(req.clientRequestId !== undefined ? { 'client-request-id': req.clientRequestId } : {}),
      ...res.headers,
    };
    // A 204 has no body, hence no Content-Type.
    if (
      res.text === undefined &&
      res.status !== 204 &&
      !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')
    ) {
      headers['Content-Type'] = res.status < 300 ? JSON_CONTENT_TYPE : 'application/json';
    }
    if (res.status < 300) headers['OData-Version'] = '4.0';
    return { ...res, headers };
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '));
  } catch {
    return text;
  }
}
