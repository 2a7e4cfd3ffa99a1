/**
 * `GET /users/delta` (https://learn.microsoft.com/graph/api/user-delta, https://learn.microsoft.com/graph/delta-query-users):
 * - without a token: every user (the round's first state), paged with `@odata.nextLink`s, the last
 *   page ending with `@odata.deltaLink` (`…/users/delta?$deltatoken=…`);
 * - `$deltatoken=latest`: no users, only a deltaLink from now ("sync from now",
 *   https://learn.microsoft.com/graph/delta-query-overview);
 * - `$deltatoken=<token>`: the users added or changed since that token (their selected properties,
 *   `id` always), and those gone as `{"id": …, "@removed": {"reason": "changed"}}` (a deleted user
 *   can be restored for 30 days: `changed`, not `deleted`, ibid.), then a new deltaLink.
 * `$select` is given once, on the first request; the tokens carry it. Other OData options are
 * refused except `$filter=id eq '…'` (documented but not emulated: refused too, so a collector that
 * came to rely on it would notice). An unknown or expired token is refused with the documented
 * 40X-series `syncStateNotFound`-style error (ibid., "token duration"): 410 Gone here.
 */
import { badRequest, GraphErrorResponse } from '../graph/graph-error.js';
import type { GraphRequest, GraphResponse } from '../graph/graph-request.js';
import { DELTA_TOKEN_TTL_MS, trackedHash } from '../entities/user-delta-states.js';
import type { DeltaState } from '../entities/user-delta-states.js';
import { defaultUserProperties, fullUser, USER_PROPERTIES, USER_TYPE } from '../entities/user-entity.js';
import { project, resolveSelect } from '../odata/select.js';
import type { Route, RouteContext } from './route.js';
import { contextUrl, ok, PERMISSIONS, directory, template } from './route.js';

interface DeltaQuery {
  select?: string[];
  deltatoken?: string;
  skiptoken?: string;
}

function readDeltaQuery(search: URLSearchParams): DeltaQuery {
  const q: DeltaQuery = {};
  for (const [raw, value] of search) {
    const key = raw.toLowerCase();
    if (!key.startsWith('$')) continue;
    if (key === '$select') q.select = value.split(',').map((s) => s.trim());
    else if (key === '$deltatoken') q.deltatoken = value;
    else if (key === '$skiptoken') q.skiptoken = value;
    else throw badRequest(`The query parameter '${raw}' is not supported with the delta function.`);
  }
  return q;
}

function syncStateNotFound(): GraphErrorResponse {
  return new GraphErrorResponse(
    410,
    'syncStateNotFound',
    `The delta token is not valid or has expired (delta tokens of directory objects last ${DELTA_TOKEN_TTL_MS / 86_400_000} days). Start a new round of delta queries.`,
  );
}

/** The users as a round tracks them: the selected properties, `id` always. */
function tracked(
  ctx: RouteContext,
  select: readonly string[] | undefined,
): Map<string, Record<string, unknown>> {
  const names = select ?? defaultUserProperties('v1.0');
  const withId = names.some((n) => n.toLowerCase() === 'id') ? names : [...names, 'id'];
  const out = new Map<string, Record<string, unknown>>();
  for (const u of ctx.tenant.users) out.set(u.id, project(fullUser(u, ctx.collectedAt), withId));
  return out;
}

function stateOf(
  users: Map<string, Record<string, unknown>>,
  select: readonly string[] | undefined,
  now: number,
): DeltaState {
  const hashes = new Map<string, string>();
  for (const [id, entity] of users) hashes.set(id, trackedHash(entity));
  return { select, users: hashes, issuedAt: now };
}

export const userDeltaRoute: Route = {
  name: '/users/delta',
  method: 'GET',
  versions: ['v1.0', 'beta'],
  match: template('users/delta'),
  access: directory(2, PERMISSIONS.users),
  handle: async (req: GraphRequest, _params, ctx): Promise<GraphResponse> => {
    const q = readDeltaQuery(req.search);
    const now = ctx.now();
    const base = `${ctx.baseUrl}/${req.version}/users/delta`;
    let select: string[] | undefined =
      q.select !== undefined ? resolveSelect(q.select, USER_PROPERTIES, USER_TYPE) : undefined;
    const fragment = select !== undefined ? `users(${select.join(',')})` : 'users';
    const deltaLink = (s: readonly string[] | undefined): string =>
      `${base}?$deltatoken=${ctx.deltas.issue(stateOf(tracked(ctx, s), s, now))}`;

    if (q.deltatoken?.toLowerCase() === 'latest' && q.skiptoken === undefined) {
      return ok({
        '@odata.context': contextUrl(ctx, req, fragment),
        value: [],
        '@odata.deltaLink': deltaLink(select),
      });
    }
    let from: DeltaState | undefined;
    if (q.deltatoken !== undefined) {
      from = ctx.deltas.get(q.deltatoken, now);
      if (from === undefined) throw syncStateNotFound();
      select = from.select === undefined ? undefined : [...from.select];
    }
    const open = function* (): Generator<Record<string, unknown>> {
      const current = tracked(ctx, select);
      if (from === undefined) {
        yield* current.values();
        return;
      }
      for (const [id, entity] of current) if (from.users.get(id) !== trackedHash(entity)) yield entity;
      for (const id of from.users.keys())
        if (!current.has(id)) yield { id, '@removed': { reason: 'changed' } };
    };
    const body = await ctx.pager.page({
      req,
      top: undefined,
      skiptoken: q.skiptoken,
      size: ctx.pageSizes.users,
      contextUrl: contextUrl(ctx, req, fragment),
      open: () => open(),
    });
    // The round's last page: where the next round starts (the state as this round leaves it).
    if (body['@odata.nextLink'] === undefined) body['@odata.deltaLink'] = deltaLink(select);
    return ok(body);
  },
};
