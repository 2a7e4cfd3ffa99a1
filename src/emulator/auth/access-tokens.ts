/**
 * Access tokens the emulator issues and checks: JWTs signed with a key made at start (ES256), with
 * the claims of an Entra app-only token for Graph (`tid`, `appid`, `roles`, `idtyp: app`).
 * Lifetimes run on the wall clock, like real tokens, whatever the emulated clock's speed.
 */
import { generateKeyPairSync, randomUUID, sign, verify } from 'node:crypto';
import type { JsonWebKey, KeyObject } from 'node:crypto';
import type { Caller } from '../graph/graph-request.js';

/** Graph's resource identifier, the `aud` of tokens for Microsoft Graph. */
export const GRAPH_AUDIENCE = 'https://graph.microsoft.com';
export const TOKEN_LIFETIME_SECONDS = 3599;

export interface IssueRequest {
  appId: string;
  roles: readonly string[];
  /** `1` client secret, `2` certificate (Entra's appidacr). */
  appidacr: '1' | '2';
}

export type TokenCheck = { ok: true; caller: Caller } | { ok: false; message: string };

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export class AccessTokens {
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  readonly keyId = randomUUID();

  constructor(
    private readonly tenantId: string,
    private readonly wallNow: () => number = Date.now,
  ) {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey;
  }

  /** The signing key as a JWKS, for the openid-configuration's jwks_uri. */
  jwks(): { keys: JsonWebKey[] } {
    return {
      keys: [{ ...this.publicKey.export({ format: 'jwk' }), kid: this.keyId, use: 'sig', alg: 'ES256' }],
    };
  }

  issue(request: IssueRequest): { token: string; expiresIn: number } {
    const now = Math.floor(this.wallNow() / 1000);
    const header = { typ: 'JWT', alg: 'ES256', kid: this.keyId };
    const payload = {
      aud: GRAPH_AUDIENCE,
      iss: `https://sts.windows.net/${this.tenantId}/`,
      iat: now,
      nbf: now,
      exp: now + TOKEN_LIFETIME_SECONDS,
      appid: request.appId,
      appidacr: request.appidacr,
      idp: `https://sts.windows.net/${this.tenantId}/`,
      idtyp: 'app',
      oid: request.appId,
      roles: [...request.roles],
      sub: request.appId,
      tid: this.tenantId,
      ver: '1.0',
    };
    const data = `${b64(header)}.${b64(payload)}`;
    const signature = sign('sha256', Buffer.from(data), { key: this.privateKey, dsaEncoding: 'ieee-p1363' });
    return { token: `${data}.${signature.toString('base64url')}`, expiresIn: TOKEN_LIFETIME_SECONDS };
  }

  /** Checks a bearer token: ours (signature), not expired, for this tenant and for Graph. */
  check(token: string): TokenCheck {
    const parts = token.split('.');
    if (parts.length !== 3)
      return { ok: false, message: 'IDX14100: JWT is not well formed, there are no dots (.).' };
    const [h, p, s] = parts as [string, string, string];
    let header: { alg?: unknown; kid?: unknown };
    let payload: Record<string, unknown>;
    try {
      header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as typeof header;
      payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>;
    } catch {
      return { ok: false, message: 'IDX14102: Unable to decode the token.' };
    }
    if (header.alg !== 'ES256' || header.kid !== this.keyId) {
      return { ok: false, message: 'Access token validation failure. Invalid signing key.' };
    }
    const valid = verify(
      'sha256',
      Buffer.from(`${h}.${p}`),
      { key: this.publicKey, dsaEncoding: 'ieee-p1363' },
      Buffer.from(s, 'base64url'),
    );
    if (!valid) return { ok: false, message: 'Access token validation failure. Invalid signature.' };
    const now = this.wallNow() / 1000;
    if (typeof payload['exp'] !== 'number' || payload['exp'] <= now) {
      return { ok: false, message: 'Lifetime validation failed, the token is expired.' };
    }
    if (payload['tid'] !== this.tenantId)
      return { ok: false, message: 'Access token validation failure. Invalid tenant.' };
    if (payload['aud'] !== GRAPH_AUDIENCE)
      return { ok: false, message: 'Access token validation failure. Invalid audience.' };
    const roles = Array.isArray(payload['roles'])
      ? payload['roles'].filter((r): r is string => typeof r === 'string')
      : [];
    return { ok: true, caller: { appId: String(payload['appid'] ?? ''), roles: new Set(roles) } };
  }
}
