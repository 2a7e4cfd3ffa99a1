/** Every Graph route the emulator serves, and how a request finds its route. */
import type { GraphVersion } from '../graph/graph-request.js';
import { auditLogRoutes } from './audit-log-routes.js';
import { groupRoutes } from './group-routes.js';
import { methodRoutes } from './method-routes.js';
import { methodWriteRoutes } from './method-write-routes.js';
import { policyRoutes } from './policy-routes.js';
import { reportRoutes } from './report-routes.js';
import { roleRoutes } from './role-routes.js';
import type { Route } from './route.js';
import { tenantRoutes } from './tenant-routes.js';
import { userDeltaRoute } from './user-delta-route.js';
import { userRoutes } from './user-routes.js';

export const ROUTES: readonly Route[] = [
  // Before /users/{id}, which would take `delta` for an id.
  userDeltaRoute,
  ...userRoutes,
  ...methodRoutes,
  ...reportRoutes,
  ...auditLogRoutes,
  ...groupRoutes,
  ...policyRoutes,
  ...tenantRoutes,
  ...methodWriteRoutes,
  ...roleRoutes,
];

export type RouteMatch =
  | { kind: 'found'; route: Route; params: string[] }
  /** The path exists, but not for this method (405) or not in this version (a missing segment). */
  | { kind: 'wrongMethod'; route: Route }
  | { kind: 'wrongVersion'; route: Route }
  | { kind: 'none' };

export function findRoute(method: string, version: GraphVersion, segments: readonly string[]): RouteMatch {
  const lower = segments.map((s) => s.toLowerCase());
  let fallback: RouteMatch = { kind: 'none' };
  for (const route of ROUTES) {
    const indexes = route.match(lower);
    if (indexes === undefined) continue;
    if (!route.versions.includes(version)) {
      fallback = { kind: 'wrongVersion', route };
      continue;
    }
    if (route.method !== method.toUpperCase()) {
      fallback = { kind: 'wrongMethod', route };
      continue;
    }
    return { kind: 'found', route, params: indexes.map((i) => segments[i] as string) };
  }
  return fallback;
}
