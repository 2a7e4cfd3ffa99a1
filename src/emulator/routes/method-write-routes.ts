/**
 * Remediation writes on a user's authentication methods, with Graph's documented answers:
 * creating a Temporary Access Pass (https://learn.microsoft.com/graph/api/authentication-post-temporaryaccesspassmethods),
 * deleting a Microsoft Authenticator entry (https://learn.microsoft.com/graph/api/microsoftauthenticatorauthenticationmethod-delete)
 * and setting the preferred MFA method (beta signInPreferences,
 * https://learn.microsoft.com/graph/api/authentication-update?view=graph-rest-beta). They belong to the
 * `authenticationMethod` resource, throttled with the identity-and-access reports (5 requests / 10 s
 * per app per tenant, https://learn.microsoft.com/graph/throttling-limits), and need UserAuthenticationMethod.ReadWrite.All.
 * A TAP's value is in the create answer only: it is never stored, logged or served again.
 */
import { randomInt, randomUUID } from 'node:crypto';
import type { GraphUser } from '../../demo/graph-types.js';
import { isoSeconds } from '../../demo/time.js';
import type { StoredTap } from '../entities/directory-writes.js';
import {
  AUTHENTICATOR_TYPE,
  PREFERRED_METHODS,
  TAP_TYPE,
  canUsePreferred,
  configuredMethods,
  preferredOf,
  tapConfiguration,
  tapSettings,
  tapUsability,
} from '../entities/method-writes.js';
import type { TapSettings } from '../entities/method-writes.js';
import { GraphErrorResponse, resourceNotFound } from '../graph/graph-error.js';
import type { Route, RouteContext } from './route.js';
import { contextUrl, report, template } from './route.js';

/** https://learn.microsoft.com/graph/api/authentication-post-temporaryaccesspassmethods and the delete / update pages: acting on other users. */
export const METHODS_WRITE_PERMISSIONS = [['UserAuthenticationMethod.ReadWrite.All']] as const;

/**
 * Graph's refusal when the TAP policy is disabled or does not target the user, as reported in
 * https://github.com/glueckkanja/MyWorkID/issues/47 (the code is UNCONFIRMED; `badRequest` is Graph's usual one).
 */
export const TAP_POLICY_REFUSAL =
  'Converged UserCredentialPolicy does not allow creating or updating this authentication method. AuthMethodType [TemporaryAccessPass].';

/** https://github.com/microsoftgraph/microsoft-graph-docs-contrib/issues/2913. */
export const DEFAULT_METHOD_REFUSAL =
  'Cannot delete default method with other methods configured. Please change default method before deletion.';

/** Characters of an emulated TAP (Graph's passes mix letters, digits and symbols, e.g. `+drkzqAD`). */
const TAP_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789+-=@#%';

const bad = (message: string) => new GraphErrorResponse(400, 'badRequest', message);

function userOf(ctx: RouteContext, id: string): GraphUser {
  const user = ctx.directory.user(id);
  if (user === undefined) throw resourceNotFound(id);
  return user;
}

function targeted(ctx: RouteContext, settings: TapSettings, userId: string): boolean {
  const inTarget = (t: { targetType: string; id: string }) =>
    t.id === 'all_users' ||
    (t.targetType === 'user' && t.id.toLowerCase() === userId.toLowerCase()) ||
    (t.targetType === 'group' && ctx.directory.isTransitiveMember(t.id, userId));
  return settings.includeTargets.some(inTarget) && !settings.excludeTargets.some(inTarget);
}

function field<T>(body: Record<string, unknown>, name: string, check: (v: unknown) => v is T): T | undefined {
  const v = body[name];
  if (v === undefined) return undefined;
  // UNCONFIRMED: Graph's text for a property of the wrong type; the status (400) is what matters.
  if (!check(v)) throw bad(`Invalid value for property '${name}'.`);
  return v;
}
const isBool = (v: unknown): v is boolean => typeof v === 'boolean';
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const isString = (v: unknown): v is string => typeof v === 'string';

function objectBody(body: unknown): Record<string, unknown> {
  if (body === undefined) return {};
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw bad('The request body must be a JSON object.');
  return body as Record<string, unknown>;
}

function createTap(ctx: RouteContext, userId: string, rawBody: unknown): Record<string, unknown> {
  const user = userOf(ctx, userId);
  const body = objectBody(rawBody);
  // https://learn.microsoft.com/entra/identity/authentication/howto-authentication-temporary-access-pass: a TAP is not
  // for guests. UNCONFIRMED: Graph's exact answer to a create for a guest; a 400 that says why.
  if (user.userType === 'Guest')
    throw bad('A Temporary Access Pass cannot be created for a guest user (userType Guest).');
  const settings = tapSettings(tapConfiguration(ctx.tenant.methodsPolicy, ctx.directory.writes.tapPolicy));
  if (settings.state !== 'enabled' || !targeted(ctx, settings, user.id)) throw bad(TAP_POLICY_REFUSAL);
  const lifetime = field(body, 'lifetimeInMinutes', isInt) ?? settings.defaultLifetimeInMinutes;
  // https://learn.microsoft.com/graph/api/resources/temporaryaccesspassauthenticationmethodconfiguration: within the policy's bounds.
  // UNCONFIRMED: the exact text of this refusal.
  if (lifetime < settings.minimumLifetimeInMinutes || lifetime > settings.maximumLifetimeInMinutes) {
    throw bad(
      `lifetimeInMinutes must be between ${settings.minimumLifetimeInMinutes} and ${settings.maximumLifetimeInMinutes} (the Temporary Access Pass policy).`,
    );
  }
  const usableOnce = field(body, 'isUsableOnce', isBool) ?? settings.isUsableOnce;
  // A multi-use pass needs the policy to allow it (policy isUsableOnce forces one-time passes). UNCONFIRMED text.
  if (settings.isUsableOnce && !usableOnce)
    throw bad('The Temporary Access Pass policy only allows one-time passes (isUsableOnce must be true).');
  const now = ctx.directory.now();
  const startText = field(body, 'startDateTime', isString);
  const start = startText === undefined ? now : Date.parse(startText);
  if (Number.isNaN(start)) throw bad(`Invalid value for property 'startDateTime'.`);
  const tap: StoredTap = {
    id: randomUUID(),
    createdDateTime: new Date(now).toISOString(),
    startDateTime: isoSeconds(start),
    lifetimeInMinutes: lifetime,
    isUsableOnce: usableOnce,
  };
  const changes = ctx.directory.writes.methodsForWrite(user.id);
  // https://learn.microsoft.com/graph/api/authentication-post-temporaryaccesspassmethods: a user has one TAP; a new one replaces it.
  changes.tap = tap;
  let value = '';
  for (let i = 0; i < settings.defaultLength; i++) value += TAP_ALPHABET[randomInt(TAP_ALPHABET.length)];
  return {
    '@odata.type': TAP_TYPE,
    id: tap.id,
    temporaryAccessPass: value,
    createdDateTime: tap.createdDateTime,
    startDateTime: tap.startDateTime,
    lifetimeInMinutes: tap.lifetimeInMinutes,
    isUsableOnce: tap.isUsableOnce,
    ...tapUsability(tap, now),
  };
}

function deleteAuthenticator(ctx: RouteContext, userId: string, methodId: string): void {
  const user = userOf(ctx, userId);
  const methods = ctx.directory.methodsOf(user.id) ?? [];
  const target = methods.find(
    (m) => m['@odata.type'] === AUTHENTICATOR_TYPE && m.id.toLowerCase() === methodId.toLowerCase(),
  );
  // UNCONFIRMED: Graph's code and text for an unknown method id; 404 is the documented status family.
  if (target === undefined)
    throw new GraphErrorResponse(
      404,
      'itemNotFound',
      `The authentication method '${methodId}' was not found.`,
    );
  const changes = ctx.directory.writes.methods(user.id);
  const preferred = preferredOf(ctx.directory.registration(user.id), changes);
  const otherAuthenticators = methods.filter((m) => m['@odata.type'] === AUTHENTICATOR_TYPE && m !== target);
  const isDefault = preferred === 'push' && otherAuthenticators.length === 0;
  const others = configuredMethods(methods).filter((m) => m !== target);
  if (isDefault && others.length > 0) throw bad(DEFAULT_METHOD_REFUSAL);
  const write = ctx.directory.writes.methodsForWrite(user.id);
  write.removed.add(target.id.toLowerCase());
  if (isDefault) write.preferred = null;
}

function updateSignInPreferences(ctx: RouteContext, userId: string, rawBody: unknown): void {
  const user = userOf(ctx, userId);
  const body = objectBody(rawBody);
  for (const key of Object.keys(body)) {
    if (
      key !== 'userPreferredMethodForSecondaryAuthentication' &&
      key !== 'isSystemPreferredAuthenticationMethodEnabled' &&
      !key.startsWith('@odata.')
    ) {
      throw bad(`Property '${key}' does not exist on type 'microsoft.graph.signInPreferences'.`);
    }
  }
  const preferred = field(body, 'userPreferredMethodForSecondaryAuthentication', isString);
  const system = field(body, 'isSystemPreferredAuthenticationMethodEnabled', isBool);
  if (preferred !== undefined) {
    if (!(PREFERRED_METHODS as readonly string[]).includes(preferred))
      throw bad(`Invalid value '${preferred}' for property 'userPreferredMethodForSecondaryAuthentication'.`);
    // UNCONFIRMED: Graph's text when the user has no method of that kind; it refuses with a 400.
    if (!canUsePreferred(preferred, ctx.directory.methodsOf(user.id) ?? []))
      throw bad(`The user has no registered method for '${preferred}'.`);
  }
  const write = ctx.directory.writes.methodsForWrite(user.id);
  if (preferred !== undefined) write.preferred = preferred;
  if (system !== undefined) write.isSystemPreferredAuthenticationMethodEnabled = system;
}

const writeAccess = report(METHODS_WRITE_PERMISSIONS, false);

export const methodWriteRoutes: Route[] = [
  {
    name: '/users/{id}/authentication/temporaryAccessPassMethods',
    method: 'POST',
    versions: ['v1.0', 'beta'],
    unavailableIn: ['china'],
    match: template('users/{id}/authentication/temporaryAccessPassMethods'),
    access: writeAccess,
    handle: (req, params, ctx) => {
      const id = params[0] as string;
      const created = createTap(ctx, id, req.body);
      return {
        status: 201,
        headers: {},
        body: {
          '@odata.context': contextUrl(
            ctx,
            req,
            `users('${encodeURIComponent(id)}')/authentication/temporaryAccessPassMethods/$entity`,
          ),
          ...created,
        },
      };
    },
  },
  {
    name: '/users/{id}/authentication/microsoftAuthenticatorMethods/{id}',
    method: 'DELETE',
    versions: ['v1.0', 'beta'],
    unavailableIn: ['china'],
    match: template('users/{id}/authentication/microsoftAuthenticatorMethods/{methodId}'),
    access: writeAccess,
    handle: (_req, params, ctx) => {
      deleteAuthenticator(ctx, params[0] as string, params[1] as string);
      return { status: 204, headers: {} };
    },
  },
  {
    name: '/users/{id}/authentication/signInPreferences',
    method: 'PATCH',
    versions: ['beta'],
    match: template('users/{id}/authentication/signInPreferences'),
    access: writeAccess,
    handle: (req, params, ctx) => {
      updateSignInPreferences(ctx, params[0] as string, req.body);
      return { status: 204, headers: {} };
    },
  },
];
