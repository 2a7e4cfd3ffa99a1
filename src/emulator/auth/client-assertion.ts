/**
 * Verifies the JWT client assertion of the certificate credential (RFC 7523), as MSAL builds it:
 * RS256 (`x5t`, SHA-1 thumbprint) or PS256 (`x5t#S256`), with the certificate itself in `x5c`
 * when the app sends its chain. Any otherwise-valid certificate is accepted when it comes in
 * `x5c`; without `x5c` the thumbprint must name a certificate registered with the emulator (as
 * Entra needs it uploaded to the app). A bad signature is always refused.
 */
import { constants, createHash, verify, X509Certificate } from 'node:crypto';
import { invalidClient, invalidRequest } from './token-errors.js';

export interface AssertionContext {
  clientId: string;
  /** The token endpoint URL: the assertion's audience. */
  tokenEndpoint: string;
  /** Registered certificates by upper-case hex thumbprint (SHA-1 and SHA-256 both indexed). */
  registered: ReadonlyMap<string, X509Certificate>;
  wallNow: number;
}

const SKEW_SECONDS = 300;

function decode(part: string, what: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    if (value !== null && typeof value === 'object' && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw invalidRequest(50027, `JWT token is invalid or malformed (${what}).`);
}

/** base64url thumbprint from the header → upper-case hex. */
const hexOf = (b64url: string) => Buffer.from(b64url, 'base64url').toString('hex').toUpperCase();

export function thumbprints(cert: X509Certificate): { sha1: string; sha256: string } {
  return {
    sha1: createHash('sha1').update(cert.raw).digest('hex').toUpperCase(),
    sha256: createHash('sha256').update(cert.raw).digest('hex').toUpperCase(),
  };
}

/** Returns the certificate's SHA-256 thumbprint when the assertion is valid; throws a TokenError otherwise. */
export function verifyClientAssertion(assertion: string, ctx: AssertionContext): string {
  const parts = assertion.split('.');
  if (parts.length !== 3) throw invalidRequest(50027, 'JWT token is invalid or malformed.');
  const [h, p, s] = parts as [string, string, string];
  const header = decode(h, 'header');
  const claims = decode(p, 'payload');

  const alg = header['alg'];
  if (alg !== 'RS256' && alg !== 'PS256' && alg !== 'ES256') {
    throw invalidClient(
      5002738,
      `Invalid JWT token. '${String(alg)}' is not a supported signature algorithm.`,
    );
  }
  const x5tS256 = typeof header['x5t#S256'] === 'string' ? hexOf(header['x5t#S256']) : undefined;
  const x5t = typeof header['x5t'] === 'string' ? hexOf(header['x5t']) : undefined;
  const x5c = Array.isArray(header['x5c']) ? header['x5c'] : undefined;

  let cert: X509Certificate | undefined;
  if (x5c !== undefined && typeof x5c[0] === 'string') {
    try {
      cert = new X509Certificate(Buffer.from(x5c[0], 'base64'));
    } catch {
      throw invalidClient(700027, 'The certificate in the x5c header could not be parsed.');
    }
    const own = thumbprints(cert);
    if ((x5tS256 !== undefined && x5tS256 !== own.sha256) || (x5t !== undefined && x5t !== own.sha1)) {
      throw invalidClient(700027, 'The x5t thumbprint does not match the certificate in x5c.');
    }
  } else {
    const thumbprint = x5tS256 ?? x5t;
    cert = thumbprint !== undefined ? ctx.registered.get(thumbprint) : undefined;
    if (cert === undefined) {
      throw invalidClient(
        700027,
        `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${thumbprint ?? 'none'}']`,
      );
    }
  }

  const now = ctx.wallNow / 1000;
  if (Date.parse(cert.validTo) / 1000 < now || Date.parse(cert.validFrom) / 1000 > now + SKEW_SECONDS) {
    throw invalidClient(
      700027,
      'The certificate used to sign the client assertion is expired or not yet valid.',
    );
  }
  const data = Buffer.from(`${h}.${p}`);
  const signature = Buffer.from(s, 'base64url');
  const key = cert.publicKey;
  const ok =
    alg === 'PS256'
      ? verify(
          'sha256',
          data,
          { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO },
          signature,
        )
      : alg === 'ES256'
        ? verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature)
        : verify('sha256', data, key, signature);
  if (!ok) throw invalidClient(700027, 'Client assertion failed signature validation.');

  const audience = String(claims['aud'] ?? '')
    .replace(/\/+$/, '')
    .toLowerCase();
  if (audience !== ctx.tokenEndpoint.replace(/\/+$/, '').toLowerCase()) {
    throw invalidClient(700021, 'Client assertion audience claim does not match Realm issuer.');
  }
  if (claims['iss'] !== ctx.clientId || claims['sub'] !== ctx.clientId) {
    throw invalidClient(700023, 'Client assertion iss and sub must both be the client id.');
  }
  const exp = Number(claims['exp']);
  const nbf = claims['nbf'] === undefined ? -Infinity : Number(claims['nbf']);
  if (!(exp > now - SKEW_SECONDS) || nbf > now + SKEW_SECONDS) {
    throw invalidClient(700024, 'Client assertion is not within its valid time range.');
  }
  return thumbprints(cert).sha256;
}
