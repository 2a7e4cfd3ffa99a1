import type { AccessToken, TokenCredential } from '@azure/identity';
import { GraphClientError } from '@microsoft/microsoft-graph-client';
import type { AuthenticationProvider } from '@microsoft/microsoft-graph-client';
import { CredentialRejected, GraphFailure } from './errors.js';

/** Refresh this long before expiry, so a token never expires between the cache check and Graph. */
const EXPIRY_MARGIN_MS = 2 * 60_000;

export interface TokenAuthProviderOptions {
  /** `${graphUrl}/.default`: app permissions (or the delegated consented ones) for this Graph root. */
  scope: string;
  /** Removes secrets from error text (from the credential choice). */
  redact?: (text: string) => string;
  /** Wall clock for token expiry; tokens expire in real time even when the collector runs on a fast clock. */
  wallNow?: () => number;
}

/**
 * Adapts an @azure/identity TokenCredential to the Graph client's AuthenticationProvider. Caches the
 * token (AzureCliCredential, for one, spawns `az` on every call) and shares one in-flight request.
 * A credential failure is thrown as a GraphClientError whose `customError` is a typed
 * CredentialRejected: GraphRequest.send rethrows GraphClientError untouched, whereas any other
 * error would come out as a GraphError with status -1, indistinguishable from a network error.
 */
export class TokenCredentialAuthProvider implements AuthenticationProvider {
  private cached: AccessToken | undefined;
  private inflight: Promise<AccessToken> | undefined;
  private readonly redact: (text: string) => string;
  private readonly wallNow: () => number;

  constructor(
    private readonly credential: TokenCredential,
    private readonly options: TokenAuthProviderOptions,
  ) {
    this.redact = options.redact ?? ((t) => t);
    this.wallNow = options.wallNow ?? Date.now;
  }

  async getAccessToken(): Promise<string> {
    const now = this.wallNow();
    if (this.cached !== undefined && this.cached.expiresOnTimestamp - EXPIRY_MARGIN_MS > now) {
      return this.cached.token;
    }
    this.inflight ??= this.fetchToken().finally(() => {
      this.inflight = undefined;
    });
    const token = await this.inflight;
    return token.token;
  }

  private async fetchToken(): Promise<AccessToken> {
    let token: AccessToken | null;
    try {
      token = await this.credential.getToken(this.options.scope);
    } catch (err) {
      throw this.rejected(err);
    }
    if (token === null || token.token === '')
      throw this.rejected(new Error('the credential returned no token'));
    this.cached = token;
    return token;
  }

  private rejected(err: unknown): GraphClientError {
    // Already typed by the credential (a refused server certificate, GuardedCredential): keep it.
    if (err instanceof GraphFailure) {
      const wrapper = new GraphClientError(err.message);
      wrapper.customError = err;
      return wrapper;
    }
    const detail = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    const typed = new CredentialRejected(
      `Could not get a token for ${this.options.scope}: ${this.redact(firstLines(detail))}`,
      { endpoint: `token ${this.options.scope}`, status: 0 },
      'Check the tenant id, client id and secret/certificate, the --cloud (tokens are not interchangeable between clouds), and for --azure-cli that `az login` was run.',
    );
    const wrapper = new GraphClientError(typed.message);
    wrapper.customError = typed;
    return wrapper;
  }
}

/** Identity errors can be long (troubleshooting links, correlation ids); keep the first lines. */
function firstLines(text: string): string {
  return text.split('\n').slice(0, 3).join(' ').trim();
}
