/** `/groups`, `/groups/{id}`, and the group's `members` / `transitiveMembers` (directory bucket, https://learn.microsoft.com/graph/throttling-limits costs). */
import { DIRECTORY_OBJECT_FILTER, GROUP_FILTER } from '../entities/filter-schemas.js';
import { fullGroup, GROUP_PROPERTIES, GROUP_TYPE } from '../entities/group-entity.js';
import { fullUser, USER_DEFAULT_V1, USER_PROPERTIES } from '../entities/user-entity.js';
import { badRequest, GraphErrorResponse, resourceNotFound } from '../graph/graph-error.js';
import type { GraphRequest, GraphResponse } from '../graph/graph-request.js';
import { serveCollection, serveEntity } from './collection.js';
import type { Route, RouteContext } from './route.js';
import { directory, directoryWrite, PERMISSIONS, template } from './route.js';

/** Direct members, or with `transitive` the members of nested groups too (and those groups). */
function members(
  req: GraphRequest,
  params: readonly string[],
  ctx: RouteContext,
  transitive = false,
): Promise<GraphResponse> {
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
      const refs = transitive ? ctx.directory.transitiveMembers(group.id) : ctx.directory.members(group.id);
      for (const ref of refs) {
        if (ref['@odata.type'] === '#microsoft.graph.group') {
          const nested = ctx.directory.group(ref.id);
          yield nested === undefined
            ? { ...ref }
            : { '@odata.type': ref['@odata.type'], ...fullGroup(nested, ctx.rolloutStart) };
          continue;
        }
        const user = ctx.directory.user(ref.id);
        yield user === undefined
          ? { ...ref }
          : { '@odata.type': ref['@odata.type'], ...fullUser(user, ctx.collectedAt) };
      }
    },
  });
}

/** https://learn.microsoft.com/graph/api/group-post-members: adding an object that is already a member is a 400. */
export const ALREADY_MEMBER_MESSAGE =
  "One or more added object references already exist for the following modified properties: 'members'.";

/**
 * Graph refuses writes to objects synced from on-premises AD ("can only be managed on-premises",
 * https://learn.microsoft.com/entra/fundamentals/concept-learn-about-groups); the text is the one Graph gives for
 * directory-synced objects (https://github.com/microsoftgraph/microsoft-graph-docs/issues/7301).
 */
export const SYNCED_OBJECT_MESSAGE =
  'Unable to update the specified properties for on-premises mastered Directory Sync objects or objects currently undergoing migration.';

const DIRECTORY_OBJECT_URL =
  /^https?:\/\/[^/]+\/(?:v1\.0|beta)\/(?:directoryObjects|users|groups)\/([^/?#]+)$/i;

/** The object id of `{"@odata.id": "https://graph.microsoft.com/v1.0/directoryObjects/{id}"}` (or `…/users/{id}`). */
function referencedId(body: unknown): string {
  const odataId =
    body !== null && typeof body === 'object' ? (body as Record<string, unknown>)['@odata.id'] : undefined;
  const m = typeof odataId === 'string' ? DIRECTORY_OBJECT_URL.exec(odataId.trim()) : null;
  // UNCONFIRMED: Graph's exact text for a malformed reference body; the status (400) is what matters.
  if (m === null)
    throw badRequest(
      'Invalid object reference: the body must be {"@odata.id": "https://graph.microsoft.com/v1.0/directoryObjects/{id}"}.',
      'Request_BadRequest',
    );
  return decodeURIComponent(m[1] as string);
}

/** The group a membership write targets: 404 when unknown, 400 when it is mastered on-premises. */
function writableGroup(id: string, ctx: RouteContext): { id: string } {
  const group = ctx.directory.group(id);
  if (group === undefined) throw resourceNotFound(id);
  if (group.onPremisesSyncEnabled === true)
    throw new GraphErrorResponse(400, 'Request_BadRequest', SYNCED_OBJECT_MESSAGE);
  return group;
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
          for (const g of ctx.directory.groups()) yield fullGroup(g, ctx.rolloutStart);
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
    handle: (req, params, ctx) => members(req, params, ctx, true),
  },
  {
    name: '/groups/{id}/members/$ref',
    method: 'POST',
    versions: ['v1.0', 'beta'],
    match: template('groups/{id}/members/$ref'),
    access: directoryWrite(PERMISSIONS.groupMembersWrite),
    handle: (req, params, ctx) => {
      const objectId = referencedId(req.body);
      const group = ctx.directory.group(params[0] as string);
      if (group === undefined) throw resourceNotFound(params[0] as string);
      const ref = ctx.directory.directoryObject(objectId);
      if (ref === undefined) throw resourceNotFound(objectId);
      writableGroup(group.id, ctx);
      if (ctx.directory.isMember(group.id, ref.id))
        throw new GraphErrorResponse(400, 'Request_BadRequest', ALREADY_MEMBER_MESSAGE);
      ctx.directory.writes.add(group.id, ref);
      return { status: 204, headers: {} };
    },
  },
  {
    name: '/groups/{id}/members/{id}/$ref',
    method: 'DELETE',
    versions: ['v1.0', 'beta'],
    match: template('groups/{id}/members/{memberId}/$ref'),
    access: directoryWrite(PERMISSIONS.groupMembersWrite),
    handle: (_req, params, ctx) => {
      const memberId = params[1] as string;
      const group = writableGroup(params[0] as string, ctx);
      // https://learn.microsoft.com/graph/api/group-delete-members: an object that is not a member is not found.
      if (!ctx.directory.isMember(group.id, memberId)) throw resourceNotFound(memberId);
      ctx.directory.writes.remove(group.id, memberId);
      return { status: 204, headers: {} };
    },
  },
];
