/**
 * A small in-memory tenant answering remediation reads and writes as Graph documents, until the
 * emulator's write routes are merged: TAP creation (201 with the pass, once), Authenticator deletion
 * (204; 400 "Cannot delete default method…" while it is the default and the user has others; 404
 * when gone) and beta signInPreferences (GET, PATCH 204). Every request is logged, in order.
 */
import { randomBytes } from 'node:crypto';
import type { BatchRequest, BatchResponse, GraphSource, Page } from '../../src/collect/graph/graph-client.js';
import type {
  GraphWriter,
  WriteOptions,
  WriteRequest,
  WriteResponse,
} from '../../src/collect/graph/writes.js';

export interface FakeUser {
  id: string;
  userPrincipalName: string;
  userType?: 'Member' | 'Guest';
  /** Authenticator method ids. */
  authenticators?: string[];
  /** Other MFA methods (phones, OATH), by kind: what keeps a default from being deleted. */
  others?: string[];
  preferred?: string;
}

export class FakeGraph implements GraphWriter, GraphSource {
  readonly log: string[] = [];
  readonly issued: string[] = [];
  private readonly users = new Map<string, Required<FakeUser> & { taps: string[] }>();
  /** Throw (a crash) after this many `$batch`es were answered; the next ones are never sent. */
  crashAfterBatches: number | undefined;
  /** signInPreferences reads answer 403 (the permission missing). */
  preferencesUnreadable = false;
  batchSize = 20;
  /** Users the TAP policy does not target: creation answers Graph's policy refusal. */
  readonly tapRefused = new Set<string>();
  private batches = 0;
  private seq = 0;

  constructor(users: FakeUser[]) {
    for (const u of users)
      this.users.set(u.id, {
        userType: 'Member',
        authenticators: [],
        others: [],
        preferred: '',
        ...u,
        taps: [],
      });
  }

  user(id: string) {
    const u = this.users.get(id);
    if (u === undefined) throw new Error(`no fake user ${id}`);
    return u;
  }

  get writes(): string[] {
    return this.log.filter((l) => !l.startsWith('GET'));
  }

  async write(requests: readonly WriteRequest[], opts: WriteOptions = {}): Promise<WriteResponse[]> {
    const out: WriteResponse[] = [];
    for (let i = 0; i < requests.length; i += this.batchSize) {
      if (this.crashAfterBatches !== undefined && this.batches >= this.crashAfterBatches)
        throw new Error('simulated crash');
      const answers = requests.slice(i, i + this.batchSize).map((r) => this.answerWrite(r));
      this.batches += 1;
      opts.onAnswered?.(answers);
      out.push(...answers);
    }
    return Promise.resolve(out);
  }

  private answerWrite(r: WriteRequest): WriteResponse {
    this.log.push(`${r.method} ${r.url}`);
    const m = /^(\/beta)?\/users\/([^/]+)\/authentication\/([^/]+)(?:\/([^/]+))?$/.exec(r.url);
    const u = m === null ? undefined : this.users.get(m[2] as string);
    if (m === null || u === undefined)
      return fail(r.id, 404, 'Request_ResourceNotFound', 'Resource not found.');
    const [, , , segment, methodId] = m;
    if (r.method === 'POST' && segment === 'temporaryAccessPassMethods' && this.tapRefused.has(u.id))
      return fail(
        r.id,
        400,
        'badRequest',
        'Converged UserCredentialPolicy does not allow creating or updating this authentication method. AuthMethodType [TemporaryAccessPass].',
      );
    if (r.method === 'POST' && segment === 'temporaryAccessPassMethods') {
      const pass = `TAP-${randomBytes(9).toString('base64url')}`;
      this.issued.push(pass);
      const id = `tap-${++this.seq}`;
      u.taps = [id];
      const body = r.body as { lifetimeInMinutes?: number; isUsableOnce?: boolean; startDateTime?: string };
      return {
        id: r.id,
        status: 201,
        body: {
          '@odata.type': '#microsoft.graph.temporaryAccessPassAuthenticationMethod',
          id,
          temporaryAccessPass: pass,
          createdDateTime: '2025-06-10T12:00:00Z',
          startDateTime: body.startDateTime ?? '2025-06-10T12:00:00Z',
          lifetimeInMinutes: body.lifetimeInMinutes ?? 60,
          isUsableOnce: body.isUsableOnce ?? false,
          isUsable: true,
          methodUsabilityReason: 'EnabledByPolicy',
        },
      };
    }
    if (r.method === 'DELETE' && segment === 'microsoftAuthenticatorMethods') {
      if (!u.authenticators.includes(methodId as string))
        return fail(r.id, 404, 'itemNotFound', 'The requested item was not found.');
      const others = u.authenticators.length - 1 + u.others.length;
      if (u.preferred === 'push' && others > 0)
        return fail(
          r.id,
          400,
          'badRequest',
          'Cannot delete default method with other methods configured. Please change default method before deletion.',
        );
      u.authenticators = u.authenticators.filter((a) => a !== methodId);
      return { id: r.id, status: 204, body: null };
    }
    if (r.method === 'PATCH' && segment === 'signInPreferences' && m[1] === '/beta') {
      u.preferred = (
        r.body as { userPreferredMethodForSecondaryAuthentication: string }
      ).userPreferredMethodForSecondaryAuthentication;
      return { id: r.id, status: 204, body: null };
    }
    return fail(r.id, 400, 'BadRequest', 'Unsupported in the fake.');
  }

  get<T>(path: string): Promise<T> {
    throw new Error(`unexpected GET ${path}`);
  }

  // eslint-disable-next-line require-yield
  async *pages<T>(path: string): AsyncIterable<Page<T>> {
    throw new Error(`unexpected pages ${path}`);
  }

  batch(requests: readonly BatchRequest[], opts: { version?: string } = {}): Promise<BatchResponse[]> {
    const version = opts.version ?? 'v1.0';
    return Promise.resolve(
      requests.map((r): BatchResponse => {
        this.log.push(`GET /${version}${r.url}`);
        const path = r.url.split('?')[0] as string;
        const parts = path.split('/').filter((p) => p !== '');
        const u = this.users.get(parts[1] ?? '');
        const answer = (status: number, body: unknown): BatchResponse => ({
          id: r.id,
          status,
          headers: {},
          body,
        });
        if (u === undefined)
          return answer(404, { error: { code: 'Request_ResourceNotFound', message: 'Resource not found.' } });
        if (parts.length === 2) return answer(200, { id: u.id, userType: u.userType, accountEnabled: true });
        if (parts[3] === 'signInPreferences' && version === 'beta') {
          if (this.preferencesUnreadable)
            return answer(403, {
              error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges.' },
            });
          return answer(200, {
            isSystemPreferredAuthenticationMethodEnabled: false,
            userPreferredMethodForSecondaryAuthentication: u.preferred === '' ? null : u.preferred,
          });
        }
        if (parts[3] === 'microsoftAuthenticatorMethods' && parts[4] !== undefined)
          return u.authenticators.includes(parts[4])
            ? answer(200, { id: parts[4], displayName: 'iPhone 14 Pro Max' })
            : answer(404, { error: { code: 'itemNotFound', message: 'The requested item was not found.' } });
        return answer(400, { error: { code: 'BadRequest', message: 'Unsupported in the fake.' } });
      }),
    );
  }
}

function fail(id: string, status: number, code: string, message: string): WriteResponse {
  return { id, status, body: { error: { code, message } } };
}
