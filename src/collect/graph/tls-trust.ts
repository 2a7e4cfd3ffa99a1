import type { ClientSecretCredentialOptions } from '@azure/identity';
import { GraphClientError } from '@microsoft/microsoft-graph-client';
import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import { CertificateUntrusted } from './errors.js';
import { endpointName } from './graph-url.js';

/**
 * A server certificate this machine refuses is a trust problem to fix where Node looks for CAs
 * (NODE_EXTRA_CA_CERTS), not a wrong secret nor a network blip to retry. The emulator's throwaway CA
 * and a TLS-inspecting proxy's CA are the usual causes. Node names the verification failures after
 * OpenSSL's X509 error codes: https://nodejs.org/api/tls.html#x509-certificate-error-codes
 */
const NOT_TRUSTED: ReadonlyMap<string, string> = new Map([
  ['SELF_SIGNED_CERT_IN_CHAIN', 'its chain ends at a certificate authority this machine does not trust'],
  ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'no certificate authority this machine trusts signed it'],
  [
    'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
    'its issuer is not among the certificate authorities this machine trusts',
  ],
  ['UNABLE_TO_GET_ISSUER_CERT', 'its issuer is not among the certificate authorities this machine trusts'],
  ['DEPTH_ZERO_SELF_SIGNED_CERT', 'it is self-signed'],
  ['CERT_UNTRUSTED', 'it is not trusted for this purpose'],
  ['CERT_SIGNATURE_FAILURE', 'its signature does not verify'],
  ['CERT_REJECTED', 'it is rejected'],
]);

/** Certificates that are trusted but not valid now, or not for this host. */
const NOT_VALID: ReadonlyMap<string, string> = new Map([
  ['CERT_HAS_EXPIRED', 'it has expired'],
  ['CERT_NOT_YET_VALID', 'it is not valid yet'],
  ['CERT_REVOKED', 'it has been revoked'],
  ['ERR_TLS_CERT_ALTNAME_INVALID', 'it was issued for another host name'],
  ['HOSTNAME_MISMATCH', 'it was issued for another host name'],
]);

export interface TlsFailure {
  /** Node's code, e.g. `SELF_SIGNED_CERT_IN_CHAIN`. */
  code: string;
  /** What it means, in a few words. */
  reason: string;
  /** Whether the certificate is untrusted (a CA to add) rather than invalid (expired, wrong host). */
  untrusted: boolean;
}

/**
 * The certificate failure behind an error, if any: the error itself, its `cause` (undici's and
 * node-http-transport's "fetch failed"), an AggregateError's `errors`, a few levels deep.
 */
export function tlsFailureOf(err: unknown, depth = 0): TlsFailure | undefined {
  if (depth > 5 || typeof err !== 'object' || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') {
    const untrusted = NOT_TRUSTED.get(code);
    if (untrusted !== undefined) return { code, reason: untrusted, untrusted: true };
    const invalid = NOT_VALID.get(code);
    if (invalid !== undefined) return { code, reason: invalid, untrusted: false };
  }
  const nested = [
    (err as { cause?: unknown }).cause,
    ...(Array.isArray((err as { errors?: unknown }).errors) ? (err as { errors: unknown[] }).errors : []),
  ];
  for (const inner of nested) {
    const found = tlsFailureOf(inner, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * The typed error for a refused certificate. `what` names the request (`sign-in at …`, `GET
 * /v1.0/users`); `url` gives the origin the admin must trust.
 */
export function certificateUntrusted(
  failure: TlsFailure,
  url: string,
  what: string,
  status: number,
): CertificateUntrusted {
  const origin = originOf(url);
  const message = failure.untrusted
    ? `the server's certificate is not trusted: ${origin} (${what}): ${failure.reason} (${failure.code})`
    : `the server's certificate is not valid: ${origin} (${what}): ${failure.reason} (${failure.code})`;
  const hint = failure.untrusted
    ? 'For the mfa-ready emulator, set NODE_EXTRA_CA_CERTS=<the CA file the emulator printed> on the command ' +
      '(Node reads it only when it starts; each emulator run makes a new CA). Behind a TLS-inspecting proxy, ' +
      "set NODE_EXTRA_CA_CERTS to the proxy's CA certificate (PEM)."
    : failure.code === 'CERT_HAS_EXPIRED' || failure.code === 'CERT_NOT_YET_VALID'
      ? "Check this machine's clock and date; for the mfa-ready emulator, start it again (its certificate is made for the run)."
      : 'Check that --graph-url and --login-url name the server itself, not an address it does not answer for.';
  return new CertificateUntrusted(message, { endpoint: what, status }, failure.code, hint);
}

/** `https://host:port` of a URL, for messages (no path: a token URL's path names the tenant). */
function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

type AdditionalPolicy = NonNullable<ClientSecretCredentialOptions['additionalPolicies']>[number];

/**
 * Sees the certificate failures of a credential's own requests (token, authority metadata). MSAL
 * reports a refused certificate as `endpoints_resolution_error` or a bare network error, with the
 * TLS code dropped, so the credential's pipeline gets this policy and the caller asks `take()` when
 * getToken fails.
 */
export class TlsFailureRecorder {
  private last: { failure: TlsFailure; url: string } | undefined;

  readonly additionalPolicy: AdditionalPolicy = {
    position: 'perRetry',
    policy: {
      name: 'mfaReadyTlsFailureRecorder',
      sendRequest: async (request, next) => {
        try {
          return await next(request);
        } catch (err) {
          const failure = tlsFailureOf(err);
          if (failure !== undefined) this.last = { failure, url: request.url };
          throw err;
        }
      },
    },
  };

  /** The certificate failure seen since the last call, if any (and forgets it). */
  take(): { failure: TlsFailure; url: string } | undefined {
    const last = this.last;
    this.last = undefined;
    return last;
  }
}

/**
 * Just before the Graph transport: a refused certificate becomes CertificateUntrusted, carried in a
 * GraphClientError (GraphRequest.send rethrows those untouched, see auth-provider.ts), so that it is
 * neither retried as a network error nor reported as "fetch failed".
 */
export class TlsTrustCheck implements Middleware {
  private next: Middleware | undefined;

  async execute(context: Context): Promise<void> {
    if (this.next === undefined) throw new Error('TlsTrustCheck needs a next middleware');
    try {
      await this.next.execute(context);
    } catch (err) {
      const failure = tlsFailureOf(err);
      if (failure === undefined) throw err;
      const request = context.request;
      const url = typeof request === 'string' ? request : request.url;
      const method =
        (context.options?.method ?? (typeof request === 'string' ? 'GET' : request.method)) || 'GET';
      const typed = certificateUntrusted(failure, url, endpointName(method, url), -1);
      const wrapper = new GraphClientError(typed.message);
      wrapper.customError = typed;
      throw wrapper;
    }
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}
