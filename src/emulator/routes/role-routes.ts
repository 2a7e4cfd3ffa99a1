/**
 * `/roleManagement/directory/roleAssignments`: who holds which directory role
 * (https://learn.microsoft.com/graph/api/rbacapplication-list-roleassignments), for Conditional
 * Access role conditions. `$filter` (eq) on principalId, roleDefinitionId and directoryScopeId, and
 * `$expand=principal`, as the reference's examples use them.
 */
import { badRequest } from '../graph/graph-error.js';
import type { GraphRequest } from '../graph/graph-request.js';
import { flat } from '../odata/filter-schema.js';
import { serveCollection } from './collection.js';
import type { Route } from './route.js';
import { directory, PERMISSIONS, template } from './route.js';

const ROLE_ASSIGNMENT_FILTER = flat('microsoft.graph.unifiedRoleAssignment', {
  id: 'string',
  principalId: 'string',
  roleDefinitionId: 'string',
  directoryScopeId: 'string',
});

/** Whether `$expand=principal` was asked for; any other expansion is refused, as Graph does for an unknown navigation property. */
function expandsPrincipal(req: GraphRequest): boolean {
  let expand: string | undefined;
  for (const [k, v] of req.search) if (k.toLowerCase() === '$expand') expand = v;
  if (expand === undefined) return false;
  if (expand.trim().toLowerCase() !== 'principal')
    throw badRequest(
      `Could not find a property named '${expand.trim()}' on type 'microsoft.graph.unifiedRoleAssignment'.`,
    );
  return true;
}

export const roleRoutes: Route[] = [
  {
    name: '/roleManagement/directory/roleAssignments',
    method: 'GET',
    versions: ['v1.0', 'beta'],
    match: template('roleManagement/directory/roleAssignments'),
    access: directory(1, PERMISSIONS.roleAssignments),
    handle: (req, _params, ctx) => {
      const expand = expandsPrincipal(req);
      const search = new URLSearchParams([...req.search].filter(([k]) => k.toLowerCase() !== '$expand'));
      return serveCollection({ ...req, search }, ctx, {
        typeName: 'microsoft.graph.unifiedRoleAssignment',
        filterSchema: ROLE_ASSIGNMENT_FILTER,
        properties: ['id', 'principalId', 'roleDefinitionId', 'directoryScopeId', 'principal'],
        context: expand
          ? 'roleManagement/directory/roleAssignments(principal())'
          : 'roleManagement/directory/roleAssignments',
        size: ctx.pageSizes.roleAssignments,
        entities: function* () {
          for (const a of ctx.tenant.roleAssignments) {
            const { principal, ...rest } = a;
            yield expand ? { ...rest, principal: { ...principal } } : { ...rest };
          }
        },
      });
    },
  },
];
