/** `/groups`, `/groups/{id}`, and the group's `members` / `transitiveMembers` (directory bucket, https://learn.microsoft.com/graph/throttling-limits costs). */
import { DIRECTORY_OBJECT_FILTER, GROUP_FILTER } from '../entities/filter-schemas.js';
import { fullGroup, GROUP_PROPERTIES, GROUP_TYPE } from '../entities/group-entity.js';
import { fullUser, USER_DEFAULT_V1, USER_PROPERTIES } from '../entities/user-entity.js';
import { resourceNotFound } from '../graph/graph-error.js';
import type { GraphRequest, GraphResponse } from '../graph/graph-request.js';
import { serveCollection, serveEntity } from './collection.js';
import type { Route, RouteContext } from './route.js';
import { directory, PERMISSIONS, template } from './route.js';

function members(req: GraphRequest, params: readonly string[], ctx: RouteContext): Promise<GraphResponse> {
  const id = params[0] as string;
  const group = ctx.directory.group(id);
  if (group === undefined) throw resourceNotFound(id);
  return serveCollection(req, ctx, {
    typeName: 'microsoft.graph.directoryObject',
    filterSchema: DIRECTORY_OBJECT_FILTER,
    properties: USER_PROPERTIES.filter((p) => p !== 'signInActivity'),
    defaults: USER_DEFAULT_V1,
    context: 'directoryObjects',
    size: ctx.pageSizes.groupMembers,
    count: 'eventual',
    entities: function* () {
      for (const ref of ctx.directory.members(group.id)) {
        const user = ctx.directory.user(ref.id);
        yield user === undefined
          ? { ...ref }
          : { '@odata.type': ref['@odata.type'], ...fullUser(user, ctx.collectedAt) };
      }
    },
  });
}

export const groupRoutes: Route[] = [
  {
    name: '/groups',
    method: 'GET',
    versions: ['v1.0', 'beta'],
    match: template('groups'),
    access: directory(1, PERMISSIONS.groups),
    handle: (req, _params, ctx) =>
      serveCollection(req, ctx, {
        typeName: GROUP_TYPE,
        filterSchema: GROUP_FILTER,
        properties: GROUP_PROPERTIES,
        context: 'groups',
        size: ctx.pageSizes.groups,
        orderable: ['displayName'],
        count: 'eventual',
        entities: function* () {
          for (const g of ctx.tenant.groups) yield fullGroup(g, ctx.rolloutStart);
        },
      }),
  },
  {
    name: '/groups/{id}',
    method: 'GET',
    versions: ['v1.0', 'beta'],
    match: template('groups/{id}'),
    access: directory(1, PERMISSIONS.groups),
    handle: (req, params, ctx) => {
      const id = params[0] as string;
      const group = ctx.directory.group(id);
      if (group === undefined) throw resourceNotFound(id);
      return serveEntity(req, ctx, fullGroup(group, ctx.rolloutStart), {
        typeName: GROUP_TYPE,
        properties: GROUP_PROPERTIES,
        context: 'groups',
      });
    },
  },
  {
    name: '/groups/{id}/members',
    method: 'GET',
    versions: ['v1.0', 'beta'],
    match: template('groups/{id}/members'),
    access: directory(3, PERMISSIONS.groups),
    handle: (req, params, ctx) => members(req, params, ctx),
  },
  {
    name: '/groups/{id}/transitiveMembers',
    method: 'GET',
    versions: ['v1.0', 'beta'],
    match: template('groups/{id}/transitiveMembers'),
    access: directory(5, PERMISSIONS.groups),
    handle: (req, params, ctx) => members(req, params, ctx),
  },
];
