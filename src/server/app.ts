import { Hono } from 'hono';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { UserAssessment } from '../domain/verdict.js';
import { renderCsv } from '../report/csv.js';
import type { DashboardData } from './dashboard-data.js';
import { hostAllowed } from './loopback.js';
import { overviewPayload, userDetailPayload } from './payloads.js';
import { SESSION_COOKIE, sameToken } from './session-token.js';
import { parseUsersQuery, QueryError, UsersIndex } from './users-query.js';

/** A file the dashboard's pages are built from (index.html, its script and styles). */
export interface Asset {
  type: string;
  body: string | Uint8Array;
}

export interface DashboardAppOptions {
  data: DashboardData;
  /** The per-run token: the URL carries it once, the cookie after. */
  token: string;
  /** `host:port` values the browser may address this server by (DNS-rebinding guard). */
  hosts: ReadonlySet<string>;
  /** Path (e.g. `/index.html`, `/assets/app.js`) → file. */
  assets: ReadonlyMap<string, Asset>;
  /** CSP sources for the page's inline scripts (web-assets.ts inlineScriptHashes). */
  scriptHashes?: readonly string[];
}

/**
 * Headers on every answer: nothing from outside is loaded or may frame the page; the token in the
 * first URL never leaves in a Referer.
 */
function securityHeaders(scriptHashes: readonly string[]): Record<string, string> {
  return {
    'Content-Security-Policy':
      `default-src 'self'; script-src 'self' ${scriptHashes.join(' ')}; style-src 'self' 'unsafe-inline'; ` +
      "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; " +
      "frame-ancestors 'none'",
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}

const UNAUTHORISED_PAGE =
  '<!doctype html><meta charset="utf-8"><title>mfa-ready</title>' +
  '<p>This dashboard opens only from the address <code>mfa-ready serve</code> printed: it carries a key for this run. ' +
  'Run <code>mfa-ready serve</code> again to get a new one.</p>';

/**
 * The dashboard's server, without a socket (tests call `app.request`): the pages, and the JSON API
 * under `/api/`, both behind the per-run token.
 */
export function createDashboardApp(options: DashboardAppOptions): Hono {
  const { data, token, hosts, assets } = options;
  const headers = securityHeaders(options.scriptHashes ?? []);
  const index = new UsersIndex(data.assessment.users, data.groups);
  const app = new Hono();

  app.use('*', async (c, next) => {
    await next();
    for (const [k, v] of Object.entries(headers)) c.header(k, v);
  });

  // DNS rebinding: a page of another site whose name resolves to 127.0.0.1 would send its own Host.
  app.use('*', async (c, next) => {
    if (!hostAllowed(new URL(c.req.url).host, hosts)) return c.text('unknown host', 421);
    return next();
  });

  // State-changing requests must come from the dashboard's own pages.
  app.use('*', async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      const origin = c.req.header('origin');
      if (origin === undefined || !hostAllowed(hostOf(origin), hosts))
        return c.json({ error: 'requests that change anything must come from the dashboard page' }, 403);
    }
    return next();
  });

  // The first visit carries the token in the URL: set the cookie, then drop the token from the address bar.
  app.get('/', (c, next) => {
    const given = c.req.query('token');
    if (given === undefined) return next();
    if (!sameToken(given, token)) return c.html(UNAUTHORISED_PAGE, 401);
    setCookie(c, SESSION_COOKIE, token, { httpOnly: true, sameSite: 'Strict', path: '/' });
    return c.redirect('/', 303);
  });

  const requireSession: MiddlewareHandler = async (c, next) => {
    if (sameToken(getCookie(c, SESSION_COOKIE), token)) return next();
    if (c.req.path.startsWith('/api/'))
      return c.json({ error: 'no session: open the address mfa-ready serve printed' }, 401);
    return c.html(UNAUTHORISED_PAGE, 401);
  };
  app.use('*', requireSession);

  app.use('/api/*', async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-store');
  });

  app.get('/api/overview', (c) => c.json(overviewPayload(data)));
  app.get('/api/groups', (c) =>
    c.json(data.groups.map((g) => ({ id: g.id, displayName: g.displayName, members: g.memberIds.length }))),
  );
  app.get('/api/trend', (c) => c.json({ rows: data.history }));
  app.get('/api/rollouts', (c) => c.json(data.rollouts));
  app.get('/api/impacts', (c) => c.json(data.impacts));
  app.get('/api/users', (c) =>
    withQuery(c, data, (q) => c.json({ ...index.query(q), offset: q.offset, limit: q.limit })),
  );
  app.get('/api/users.csv', (c) =>
    withQuery(c, data, (q) => {
      const all = index.query({ ...q, offset: 0, limit: Number.MAX_SAFE_INTEGER });
      const users = all.rows.map((r) => index.user(r.id)).filter((u): u is UserAssessment => u !== undefined);
      c.header('Content-Disposition', 'attachment; filename="mfa-ready-users.csv"');
      return c.body(renderCsv({ ...data.assessment, users }, { bom: true }), 200, {
        'Content-Type': 'text/csv; charset=utf-8',
      });
    }),
  );
  app.get('/api/users/:id', (c) => {
    const user = index.user(c.req.param('id'));
    if (user === undefined) return c.json({ error: 'no such user in this snapshot' }, 404);
    return c.json(userDetailPayload(user, data));
  });
  app.all('/api/*', (c) => c.json({ error: 'no such route' }, 404));

  app.get('*', (c) => {
    const path = c.req.path === '/' ? '/index.html' : c.req.path;
    const asset = assets.get(path) ?? (path.includes('.') ? undefined : assets.get('/index.html'));
    if (asset === undefined) return c.text('not found', 404);
    return c.body(asset.body as string, 200, { 'Content-Type': asset.type });
  });
  return app;
}

function hostOf(origin: string): string {
  try {
    return new URL(origin).host;
  } catch {
    return '';
  }
}

function withQuery(
  c: Context,
  data: DashboardData,
  answer: (q: ReturnType<typeof parseUsersQuery>) => Response,
): Response {
  try {
    return answer(parseUsersQuery(new URL(c.req.url).searchParams, data.groups));
  } catch (err) {
    if (err instanceof QueryError) return c.json({ error: err.message, field: err.field }, 400);
    throw err;
  }
}
