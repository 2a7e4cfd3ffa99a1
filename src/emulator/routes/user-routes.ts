/** `/users`, `/users/{id | userPrincipalName}` and `/users/$count`. */
import type { GraphRequest } from '../graph/graph-request.js';
import { badRequest, resourceNotFound } from '../graph/graph-error.js';
import { USER_FILTER } from '../entities/filter-schemas.js';
import {
  defaultUserProperties,
  fullUser,
  signInActivityOf,
  USER_PROPERTIES,
  USER_TYPE,
} from '../entities/user-entity.js';
import type { Entity } from './collection.js';
import { serveCollection, serveEntity } from './collection.js';
import type { Route, RouteAccess, RouteContext } from './route.js';
import { directoryCost, PERMISSIONS, template } from './route.js';

/** https://learn.microsoft.com/graph/throttling-limits: listing users with `signInActivity` selected or filtered has its own 10/min limit. */
function asksSignInActivity(req: GraphRequest): boolean {
  for (const [k, v] of req.search) {
    if (['$select', '$filter', '$orderby'].includes(k.toLowerCase()) && /signinactivity/i.test(v))
      return true;
  }
  return false;
}

function userAccess(req: GraphRequest): RouteAccess {
  if (asksSignInActivity(req)) {
    return { bucket: 'signInActivity', cost: 1, permissions: PERMISSIONS.signInActivity, premium: true };
  }
  return {
    bucket: 'directory',
    cost: directoryCost(2, req.search),
    permissions: PERMISSIONS.users,
    premium: false,
  };
}

function withActivity(ctx: RouteContext, req: GraphRequest, user: Entity): Entity {
  return asksSignInActivity(req)
    ? { ...user, signInActivity: signInActivityOf(ctx.tenant, String(user['id'])) }
    : user;
}

export const userRoutes: Route[] = [
  {
    name: '/users/$count',
    method: 'GET',
    versions: ['v1.0', 'beta'],
    match: (lower) => (lower.length === 2 && lower[0] === 'users' && lower[1] === '$count' ? [] : undefined),
    access: (req) => ({
      bucket: 'directory',
      cost: directoryCost(2, req.search),
      permissions: PERMISSIONS.users,
      premium: false,
    }),
    handle: (req, _params, ctx) => {
      // Advanced query: needs ConsistencyLevel: eventual, and answers text/plain.
      if (req.headers['consistencylevel']?.toLowerCase() !== 'eventual') {
        throw badRequest(
          "$count is not currently supported without the 'ConsistencyLevel: eventual' header.",
          'Request_BadRequest',
        );
      }
      return {
        status: 200,
        headers: { 'Content-Type': 'text/plain;charset=utf-8' },
        text: String(ctx.tenant.userCount),
      };
    },
  },
  {
    name: '/users',
    method: 'GET',
    versions: ['v1.0', 'beta'],
    match: template('users'),
    access: userAccess,
    handle: (req, _params, ctx) =>
      serveCollection(req, ctx, {
        typeName: USER_TYPE,
        filterSchema: USER_FILTER,
        properties: USER_PROPERTIES,
        defaults: defaultUserProperties(req.version),
        context: 'users',
        size: asksSignInActivity(req) ? ctx.pageSizes.usersWithSignInActivity : ctx.pageSizes.users,
        orderable: ['displayName', 'userPrincipalName'],
        count: 'eventual',
        entities: function* () {
          for (const u of ctx.tenant.users) yield withActivity(ctx, req, fullUser(u, ctx.collectedAt));
        },
      }),
  },
  {
    name: '/users/{id}',
    method: 'GET',
    versions: ['v1.0', 'beta'],
    match: template('users/{id}'),
    access: userAccess,
    handle: (req, params, ctx) => {
      const id = params[0] as string;
      const user = ctx.directory.user(id);
      if (user === undefined) throw resourceNotFound(id);
      return serveEntity(req, ctx, withActivity(ctx, req, fullUser(user, ctx.collectedAt)), {
        typeName: USER_TYPE,
        properties: USER_PROPERTIES,
        defaults: defaultUserProperties(req.version),
        context: 'users',
      });
    },
  },
];
