/**
 * The Microsoft identity platform endpoints MSAL (inside @azure/identity) calls for app-only
 * tokens, at `{loginUrl}/{tenant}/…`:
 * - `GET v2.0/.well-known/openid-configuration`: fetched first; its issuer must share the
 *   authority's origin (MSAL validates it) and its token_endpoint is where MSAL posts;
 * - `POST oauth2/v2.0/token`: `client_credentials` with a client secret (any id and secret are
 *   accepted) or a certificate's JWT client assertion (verified, see client-assertion.ts);
 * - `GET discovery/v2.0/keys`: the key the emulator signs access tokens with.
 */
import type { X509Certificate } from 'node:crypto';
import type { AccessTokens } from './access-tokens.js';
import { verifyClientAssertion } from './client-assertion.js';
import { invalidClient, invalidRequest, TokenError } from './token-errors.js';

export interface LoginDeps {
  /** `https://127.0.0.1:PORT`: the authority host and Graph root. */
  baseUrl: string;
  tenantId: string;
  /** Domain names the tenant may also be addressed by. */
  tenantDomains: readonly string[];
  tokens: AccessTokens;
  certificates: ReadonlyMap<string, X509Certificate>;
  /** Application permissions put in every token's `roles`. */
  roles: readonly string[];
  /** Resources a `.default` scope may name besides the emulator's own root. */
  graphResources: readonly string[];
  wallNow: () => number;
}

export interface LoginResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  /** For stats: a token was issued (true), refused (false), or this was not a token request. */
  issued?: boolean;
}

const JSON_HEADERS = {
  'Content-Type': 'application/json; charset=utf-8',
  'Cache-Control': 'no-store, no-cache',
};

function openIdConfiguration(deps: LoginDeps, tenant: string): Record<string, unknown> {
  const base = `${deps.baseUrl}/${tenant}`;
  const host = new URL(deps.baseUrl).host;
  return {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${deps.baseUrl}/${deps.tenantId}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${deps.baseUrl}/oidc/userinfo`,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'tid', 'ver', 'oid'],
    tenant_region_scope: 'EU',
    cloud_instance_name: host,
    cloud_graph_host_name: host,
    msgraph_host: host,
  };
}

function knownTenant(deps: LoginDeps, tenant: string): boolean {
  const t = tenant.toLowerCase();
  return t === deps.tenantId.toLowerCase() || deps.tenantDomains.some((d) => d.toLowerCase() === t);
}

/** Handles a request whose path does not start with a Graph version; undefined when it is not a login path. */
export function handleLogin(
  method: string,
  segments: readonly string[],
  rawBody: string,
  deps: LoginDeps,
): LoginResponse | undefined {
  const lower = segments.map((s) => s.toLowerCase());
  const [tenant = '', ...rest] = segments;
  const path = lower.slice(1).join('/');
  const known = ['v2.0/.well-known/openid-configuration', 'discovery/v2.0/keys', 'oauth2/v2.0/token'];
  if (!known.includes(path)) return undefined;
  try {
    if (!knownTenant(deps, tenant)) {
      throw invalidRequest(
        90002,
        `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
      );
    }
    if (path === 'oauth2/v2.0/token') {
      if (method !== 'POST') throw invalidRequest(900561, 'The endpoint only accepts POST requests.');
      return token(tenant, rawBody, deps);
    }
    if (method !== 'GET')
      throw invalidRequest(900561, `The endpoint only accepts GET requests (${rest.join('/')}).`);
    return {
      status: 200,
      headers: JSON_HEADERS,
      body: path === 'discovery/v2.0/keys' ? deps.tokens.jwks() : openIdConfiguration(deps, tenant),
    };
  } catch (err) {
    if (!(err instanceof TokenError)) throw err;
    return {
      status: err.status,
      headers: JSON_HEADERS,
      body: err.body(new Date(deps.wallNow())),
      ...(path === 'oauth2/v2.0/token' ? { issued: false } : {}),
    };
  }
}

function token(tenant: string, rawBody: string, deps: LoginDeps): LoginResponse {
  const form = new URLSearchParams(rawBody);
  const grantType = form.get('grant_type');
  if (grantType === null)
    throw invalidRequest(900144, "The request body must contain the following parameter: 'grant_type'.");
  if (grantType !== 'client_credentials') {
    throw new TokenError(
      400,
      'unsupported_grant_type',
      70003,
      `The app requested an unsupported grant type '${grantType}'.`,
    );
  }
  const clientId = form.get('client_id');
  if (clientId === null || clientId === '') {
    throw invalidRequest(900144, "The request body must contain the following parameter: 'client_id'.");
  }
  checkScope(form.get('scope'), deps);

  let appidacr: '1' | '2';
  const secret = form.get('client_secret');
  const assertion = form.get('client_assertion');
  if (assertion !== null) {
    if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') {
      throw invalidRequest(
        700024,
        "client_assertion_type must be 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'.",
      );
    }
    verifyClientAssertion(assertion, {
      clientId,
      tokenEndpoint: `${deps.baseUrl}/${tenant}/oauth2/v2.0/token`,
      registered: deps.certificates,
      wallNow: deps.wallNow(),
    });
    appidacr = '2';
  } else if (secret !== null && secret !== '') {
    appidacr = '1'; // Any client id and secret: the emulator has no app registrations to check against.
  } else {
    throw invalidClient(
      7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    );
  }
  const issued = deps.tokens.issue({ appId: clientId, roles: deps.roles, appidacr });
  return {
    status: 200,
    headers: JSON_HEADERS,
    body: {
      token_type: 'Bearer',
      expires_in: issued.expiresIn,
      ext_expires_in: issued.expiresIn,
      access_token: issued.token,
    },
    issued: true,
  };
}

/** Client credentials need `{resource}/.default` (AADSTS1002012), for a resource that exists (AADSTS500011). */
function checkScope(scope: string | null, deps: LoginDeps): void {
  const scopes = (scope ?? '')
    .split(' ')
    .filter((s) => s !== '' && !['openid', 'profile', 'offline_access'].includes(s));
  const defaults = scopes.filter((s) => s.endsWith('/.default'));
  if (defaults.length !== 1 || scopes.length !== 1) {
    throw new TokenError(
      400,
      'invalid_scope',
      1002012,
      `The provided value for scope ${scope ?? ''} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    );
  }
  const resource = (defaults[0] as string).slice(0, -'/.default'.length).replace(/\/+$/, '').toLowerCase();
  const accepted = [deps.baseUrl, ...deps.graphResources].map((r) => r.replace(/\/+$/, '').toLowerCase());
  if (!accepted.includes(resource)) {
    throw invalidRequest(500011, `The resource principal named ${resource} was not found in the tenant.`);
  }
}
