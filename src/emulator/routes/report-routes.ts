/**
 * The authentication-methods registration reports (https://learn.microsoft.com/graph/api/resources/userregistrationdetails): userRegistrationDetails (list
 * and one row) and the usersRegisteredByFeature / usersRegisteredByMethod summaries. All need P1/P2,
 * and all are identity-and-access reports for throttling (https://learn.microsoft.com/graph/throttling-limits; userRegistrationDetails is not
 * named there, UNCONFIRMED, and treated as one like the collector does).
 */
import type { UserRegistrationDetails } from '../../demo/graph-types.js';
import { REGISTRATION_FILTER } from '../entities/filter-schemas.js';
import {
  REGISTRATION_PROPERTIES,
  REGISTRATION_TYPE,
  registrationFor,
} from '../entities/registration-entity.js';
import { badRequest, resourceNotFound } from '../graph/graph-error.js';
import type { GraphRequest } from '../graph/graph-request.js';
import { serveCollection, serveEntity } from './collection.js';
import type { Route, RouteContext } from './route.js';
import { contextUrl, ok, PERMISSIONS, report, template } from './route.js';

const access = report(PERMISSIONS.registration, true);

/** `name(includedUserTypes='all',includedUserRoles='all')`, parameters optional. */
function functionCall(name: string) {
  return (lower: readonly string[]): number[] | undefined => {
    if (lower.length !== 3 || lower[0] !== 'reports' || lower[1] !== 'authenticationmethods')
      return undefined;
    const seg = lower[2] as string;
    return seg === name || seg.startsWith(`${name}(`) ? [2] : undefined;
  };
}

interface SummaryScope {
  userTypes: 'all' | 'member' | 'guest';
  userRoles: 'all' | 'privilegedAdmin' | 'admin' | 'user';
}

function parseScope(segment: string): SummaryScope {
  const args = /\((.*)\)$/.exec(segment)?.[1] ?? '';
  const values = new Map<string, string>();
  for (const part of args.split(',').filter((p) => p.trim() !== '')) {
    const m = /^\s*(\w+)\s*=\s*'([^']*)'\s*$/.exec(part);
    if (m === null) throw badRequest(`Invalid function parameter '${part}'.`);
    values.set((m[1] as string).toLowerCase(), m[2] as string);
  }
  const userTypes = values.get('includedusertypes') ?? 'all';
  const userRoles = values.get('includeduserroles') ?? 'all';
  if (!['all', 'member', 'guest'].includes(userTypes))
    throw badRequest(`Invalid includedUserTypes '${userTypes}'.`);
  if (!['all', 'privilegedAdmin', 'admin', 'user'].includes(userRoles)) {
    throw badRequest(`Invalid includedUserRoles '${userRoles}'.`);
  }
  return { userTypes, userRoles } as SummaryScope;
}

/** The rows a summary counts. The synthetic tenant's admins are all privileged-role holders. */
function inScope(ctx: RouteContext, scope: SummaryScope): UserRegistrationDetails[] {
  return [...ctx.directory.registrationRows()].filter(
    (r) =>
      (scope.userTypes === 'all' || r.userType === scope.userTypes) &&
      (scope.userRoles === 'all' || (scope.userRoles === 'user' ? !r.isAdmin : r.isAdmin)),
  );
}

function summaryContext(ctx: RouteContext, req: GraphRequest, type: string): string {
  return contextUrl(ctx, req, `microsoft.graph.${type}`);
}

export const reportRoutes: Route[] = [
  {
    name: '/reports/authenticationMethods/userRegistrationDetails',
    method: 'GET',
    versions: ['v1.0', 'beta'],
    match: template('reports/authenticationMethods/userRegistrationDetails'),
    access,
    handle: (req, _params, ctx) =>
      serveCollection(req, ctx, {
        typeName: REGISTRATION_TYPE,
        filterSchema: REGISTRATION_FILTER(req.version),
        properties: REGISTRATION_PROPERTIES(req.version),
        context: 'reports/authenticationMethods/userRegistrationDetails',
        size: ctx.pageSizes.registration,
        orderable: ['userDisplayName', 'userPrincipalName'],
        entities: function* () {
          for (const row of ctx.directory.registrationRows()) yield registrationFor(row, req.version);
        },
      }),
  },
  {
    name: '/reports/authenticationMethods/userRegistrationDetails/{id}',
    method: 'GET',
    versions: ['v1.0', 'beta'],
    match: template('reports/authenticationMethods/userRegistrationDetails/{id}'),
    access,
    handle: (req, params, ctx) => {
      const id = params[0] as string;
      const row = ctx.directory.registration(id);
      // Disabled users and users newer than the report have no row (https://learn.microsoft.com/graph/api/resources/userregistrationdetails).
      if (row === undefined) throw resourceNotFound(id);
      return serveEntity(req, ctx, registrationFor(row, req.version), {
        typeName: REGISTRATION_TYPE,
        properties: REGISTRATION_PROPERTIES(req.version),
        context: 'reports/authenticationMethods/userRegistrationDetails',
      });
    },
  },
  {
    name: '/reports/authenticationMethods/usersRegisteredByFeature()',
    method: 'GET',
    versions: ['v1.0', 'beta'],
    match: functionCall('usersregisteredbyfeature'),
    access,
    handle: (req, params, ctx) => {
      const scope = parseScope(params[0] as string);
      const rows = inScope(ctx, scope);
      const count = (test: (r: UserRegistrationDetails) => boolean) => rows.filter(test).length;
      return ok({
        '@odata.context': summaryContext(ctx, req, 'userRegistrationFeatureSummary'),
        '@odata.type': '#microsoft.graph.userRegistrationFeatureSummary',
        totalUserCount: rows.length,
        userTypes: scope.userTypes,
        userRoles: scope.userRoles,
        userRegistrationFeatureCounts: [
          { feature: 'ssprRegistered', userCount: count((r) => r.isSsprRegistered) },
          { feature: 'ssprEnabled', userCount: count((r) => r.isSsprEnabled) },
          { feature: 'ssprCapable', userCount: count((r) => r.isSsprCapable) },
          { feature: 'passwordlessCapable', userCount: count((r) => r.isPasswordlessCapable) },
          { feature: 'mfaCapable', userCount: count((r) => r.isMfaCapable) },
        ],
      });
    },
  },
  {
    name: '/reports/authenticationMethods/usersRegisteredByMethod()',
    method: 'GET',
    versions: ['v1.0', 'beta'],
    match: functionCall('usersregisteredbymethod'),
    access,
    handle: (req, params, ctx) => {
      const scope = parseScope(params[0] as string);
      const rows = inScope(ctx, scope);
      const counts = new Map<string, number>([['password', rows.length]]);
      for (const r of rows) for (const m of r.methodsRegistered) counts.set(m, (counts.get(m) ?? 0) + 1);
      return ok({
        '@odata.context': summaryContext(ctx, req, 'userRegistrationMethodSummary'),
        '@odata.type': '#microsoft.graph.userRegistrationMethodSummary',
        userTypes: scope.userTypes,
        userRoles: scope.userRoles,
        userRegistrationMethodCounts: [...counts].map(([authenticationMethod, userCount]) => ({
          authenticationMethod,
          userCount,
        })),
      });
    },
  },
];
