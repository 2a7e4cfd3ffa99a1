/**
 * Per-user authentication methods (https://learn.microsoft.com/graph/api/resources/authenticationmethods-overview): the list of all methods, the per-type lists,
 * and the beta `requirements` (per-user MFA state) and `signInPreferences`. They belong to the
 * `authenticationMethod` resource, which https://learn.microsoft.com/graph/throttling-limits puts in the identity-and-access reports bucket
 * (5 requests / 10 s per app per tenant): walking 100,000 users this way is slow by design.
 */
import type { GraphAuthenticationMethod } from '../../demo/graph-types.js';
import { resourceNotFound } from '../graph/graph-error.js';
import type { GraphRequest, GraphVersion } from '../graph/graph-request.js';
import type { Route, RouteContext } from './route.js';
import { contextUrl, ok, PERMISSIONS, report, template } from './route.js';

/** Per-type collections (https://learn.microsoft.com/graph/api/resources/authenticationmethod) and the @odata.type they hold. */
const TYPED_LISTS: Record<string, string> = {
  passwordmethods: '#microsoft.graph.passwordAuthenticationMethod',
  phonemethods: '#microsoft.graph.phoneAuthenticationMethod',
  microsoftauthenticatormethods: '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod',
  fido2methods: '#microsoft.graph.fido2AuthenticationMethod',
  windowshelloforbusinessmethods: '#microsoft.graph.windowsHelloForBusinessAuthenticationMethod',
  softwareoathmethods: '#microsoft.graph.softwareOathAuthenticationMethod',
  emailmethods: '#microsoft.graph.emailAuthenticationMethod',
  temporaryaccesspassmethods: '#microsoft.graph.temporaryAccessPassAuthenticationMethod',
};

/** `clientAppName` on Authenticator methods is beta only (https://learn.microsoft.com/graph/api/resources/authenticationmethod). */
function methodFor(m: GraphAuthenticationMethod, version: GraphVersion): Record<string, unknown> {
  if (
    version === 'beta' ||
    m['@odata.type'] !== '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod'
  ) {
    return { ...m };
  }
  const { clientAppName: _beta, ...v1 } = m;
  return v1;
}

function methodsOf(ctx: RouteContext, idOrUpn: string): GraphAuthenticationMethod[] {
  const methods = ctx.directory.methodsOf(idOrUpn);
  if (methods === undefined) throw resourceNotFound(idOrUpn);
  return methods;
}

/** `users('{id}')`: the context Graph writes for a user addressed by id or UPN. */
function userContext(ctx: RouteContext, req: GraphRequest, idOrUpn: string, rest: string): string {
  return contextUrl(ctx, req, `users('${encodeURIComponent(idOrUpn)}')/authentication/${rest}`);
}

const methodsAccess = report(PERMISSIONS.methods, false);

export const methodRoutes: Route[] = [
  {
    // The v1.0 page says this method takes no optional query parameters (https://learn.microsoft.com/graph/api/authentication-list-methods): they are ignored.
    name: '/users/{id}/authentication/methods',
    method: 'GET',
    versions: ['v1.0', 'beta'],
    unavailableIn: ['china'],
    match: template('users/{id}/authentication/methods'),
    access: methodsAccess,
    handle: (req, params, ctx) => {
      const id = params[0] as string;
      return ok({
        '@odata.context': userContext(ctx, req, id, 'methods'),
        value: methodsOf(ctx, id).map((m) => methodFor(m, req.version)),
      });
    },
  },
  {
    name: '/users/{id}/authentication/{type}Methods',
    method: 'GET',
    versions: ['v1.0', 'beta'],
    unavailableIn: ['china'],
    match: (lower) =>
      lower.length === 4 &&
      lower[0] === 'users' &&
      lower[2] === 'authentication' &&
      TYPED_LISTS[lower[3] as string] !== undefined
        ? [1, 3]
        : undefined,
    access: methodsAccess,
    handle: (req, params, ctx) => {
      const [id, list] = params as [string, string];
      const type = TYPED_LISTS[list.toLowerCase()];
      // Elements of a collection of the declared type carry no @odata.type (odata.metadata=minimal).
      const value = methodsOf(ctx, id)
        .filter((m) => m['@odata.type'] === type)
        .map((m) => {
          const { '@odata.type': _type, ...rest } = methodFor(m, req.version);
          return rest;
        });
      return ok({ '@odata.context': userContext(ctx, req, id, list), value });
    },
  },
  {
    // Beta only (https://learn.microsoft.com/graph/api/resources/strongauthenticationrequirements?view=graph-rest-beta). The synthetic tenant enforces MFA through Conditional Access, not per user.
    name: '/users/{id}/authentication/requirements',
    method: 'GET',
    versions: ['beta'],
    match: template('users/{id}/authentication/requirements'),
    access: report(PERMISSIONS.requirements, false),
    handle: (req, params, ctx) => {
      const id = params[0] as string;
      methodsOf(ctx, id);
      return ok({
        '@odata.context': userContext(ctx, req, id, 'requirements/$entity'),
        perUserMfaState: 'disabled',
      });
    },
  },
  {
    // Beta only (https://learn.microsoft.com/graph/api/resources/strongauthenticationrequirements?view=graph-rest-beta): the user's default-method choice, as the registration report shows it.
    name: '/users/{id}/authentication/signInPreferences',
    method: 'GET',
    versions: ['beta'],
    match: template('users/{id}/authentication/signInPreferences'),
    access: methodsAccess,
    handle: (req, params, ctx) => {
      const id = params[0] as string;
      const user = ctx.directory.user(id);
      if (user === undefined) throw resourceNotFound(id);
      const row = ctx.directory.registration(user.id);
      const changes = ctx.directory.writes.methods(user.id);
      // What a PATCH wrote wins (a user without a report row keeps it too).
      const preferred =
        changes?.preferred !== undefined
          ? (changes.preferred ?? '')
          : (row?.userPreferredMethodForSecondaryAuthentication ?? '');
      return ok({
        '@odata.context': userContext(ctx, req, id, 'signInPreferences/$entity'),
        isSystemPreferredAuthenticationMethodEnabled:
          changes?.isSystemPreferredAuthenticationMethodEnabled ??
          row?.isSystemPreferredAuthenticationMethodEnabled ??
          true,
        // This enum has no `none` (https://learn.microsoft.com/graph/api/resources/strongauthenticationrequirements?view=graph-rest-beta): no choice is null.
        userPreferredMethodForSecondaryAuthentication:
          preferred === '' || preferred === 'none' ? null : preferred,
      });
    },
  },
];
