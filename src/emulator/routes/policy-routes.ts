/**
 * Policies: Conditional Access (its own bucket: 1 request / s per tenant and no Retry-After on 429,
 * https://learn.microsoft.com/graph/throttling-limits), the authentication methods policy and security defaults (directory bucket).
 */
import { tapConfiguration } from '../entities/method-writes.js';
import type { GraphRequest } from '../graph/graph-request.js';
import { POLICY_FILTER } from '../entities/filter-schemas.js';
import { readQueryOptions } from '../odata/query-options.js';
import { serveCollection } from './collection.js';
import type { Route, RouteContext } from './route.js';
import { contextUrl, directory, ok, PERMISSIONS, template } from './route.js';

const POLICY_PROPERTIES = [
  'id',
  'displayName',
  'createdDateTime',
  'modifiedDateTime',
  'state',
  'sessionControls',
  'conditions',
  'grantControls',
] as const;

/** Singletons take no query options here; reading them rejects any that would mean something. */
function noOptions(req: GraphRequest): void {
  readQueryOptions(req.search);
}

function methodsPolicy(req: GraphRequest, ctx: RouteContext): Record<string, unknown> {
  const {
    '@odata.context': _generated,
    authenticationMethodConfigurations,
    ...policy
  } = ctx.tenant.methodsPolicy;
  const body: Record<string, unknown> = {
    '@odata.context': contextUrl(ctx, req, 'authenticationMethodsPolicy'),
    ...policy,
  };
  // Beta-only properties (https://learn.microsoft.com/graph/api/resources/authenticationmethodspolicy), present in the doc example (whose context is beta).
  if (req.version === 'beta') {
    body['systemCredentialPreferences'] = {
      state: 'default',
      excludeTargets: [],
      includeTargets: [{ id: 'all_users', targetType: 'group' }],
    };
    body['reportSuspiciousActivitySettings'] = {
      state: 'default',
      voiceReportingCode: 0,
      includeTarget: { id: 'all_users', targetType: 'group' },
    };
  }
  // The configurations relationship is expanded by default on GET (https://learn.microsoft.com/graph/api/resources/authenticationmethodspolicy).
  body['authenticationMethodConfigurations@odata.context'] = contextUrl(
    ctx,
    req,
    'policies/authenticationMethodsPolicy/authenticationMethodConfigurations',
  );
  // The emulator's TAP policy override (EmulatorOptions.temporaryAccessPassPolicy) shows here as it applies to TAP creation.
  const tap = tapConfiguration(ctx.tenant.methodsPolicy, ctx.directory.writes.tapPolicy);
  body['authenticationMethodConfigurations'] = authenticationMethodConfigurations.map((c) =>
    c.id === tap.id ? tap : c,
  );
  return body;
}

export const policyRoutes: Route[] = [
  {
    name: '/identity/conditionalAccess/policies',
    method: 'GET',
    versions: ['v1.0', 'beta'],
    match: template('identity/conditionalAccess/policies'),
    access: () => ({
      bucket: 'conditionalAccess',
      cost: 1,
      permissions: PERMISSIONS.conditionalAccess,
      premium: false,
    }),
    handle: (req, _params, ctx) =>
      serveCollection(req, ctx, {
        typeName: 'microsoft.graph.conditionalAccessPolicy',
        filterSchema: POLICY_FILTER,
        properties: POLICY_PROPERTIES,
        context: 'identity/conditionalAccess/policies',
        size: ctx.pageSizes.policies,
        orderable: ['displayName', 'createdDateTime', 'modifiedDateTime'],
        entities: function* () {
          for (const p of ctx.tenant.conditionalAccess) yield { ...p };
        },
      }),
  },
  {
    name: '/policies/authenticationMethodsPolicy',
    method: 'GET',
    versions: ['v1.0', 'beta'],
    match: template('policies/authenticationMethodsPolicy'),
    access: directory(1, PERMISSIONS.methodsPolicy),
    handle: (req, _params, ctx) => {
      noOptions(req);
      return ok(methodsPolicy(req, ctx));
    },
  },
  {
    name: '/policies/identitySecurityDefaultsEnforcementPolicy',
    method: 'GET',
    versions: ['v1.0', 'beta'],
    match: template('policies/identitySecurityDefaultsEnforcementPolicy'),
    access: directory(1, PERMISSIONS.securityDefaults),
    handle: (req, _params, ctx) => {
      noOptions(req);
      const { '@odata.context': _generated, ...policy } = ctx.tenant.securityDefaults;
      return ok({
        '@odata.context': contextUrl(ctx, req, 'policies/identitySecurityDefaultsEnforcementPolicy/$entity'),
        ...policy,
      });
    },
  },
];
