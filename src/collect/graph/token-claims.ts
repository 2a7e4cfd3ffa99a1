/**
 * What an access token says about its own rights, read without verifying it (Graph verifies; we only
 * look): `roles` (application permissions of an app-only token), `scp` (delegated scopes), `wids`
 * (directory role template ids of the signed-in user, when the app's manifest asks for them) and
 * `idtyp` (https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference).
 * Microsoft warns that Graph tokens are not meant for clients to parse and may change format, so a
 * token that does not decode gives `undefined`, which callers must report as "unknown", never as granted.
 */
export interface TokenClaims {
  /** 'app' for an app-only token, 'user' for a delegated one. */
  kind: 'app' | 'user';
  /** Application permissions (app-only). */
  roles: string[];
  /** Delegated scopes (delegated). */
  scopes: string[];
  /** Directory role template ids of the signed-in user; undefined when the token does not carry them. */
  wids?: string[];
}

export function decodeTokenClaims(token: string): TokenClaims | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[1] === undefined) return undefined;
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return undefined;
  const p = payload as Record<string, unknown>;
  const strings = (v: unknown): string[] =>
    Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  const scopes = typeof p['scp'] === 'string' ? p['scp'].split(' ').filter((s) => s !== '') : [];
  const roles = strings(p['roles']);
  // idtyp is optional; a token with scopes is delegated, one with only roles is app-only.
  const kind = p['idtyp'] === 'app' ? 'app' : p['idtyp'] === 'user' || scopes.length > 0 ? 'user' : 'app';
  const claims: TokenClaims = { kind, roles, scopes };
  if (Array.isArray(p['wids'])) claims.wids = strings(p['wids']);
  return claims;
}
