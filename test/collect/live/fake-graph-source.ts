/**
 * An in-memory GraphSource for the collector's tests. It serves a tenant's raw Graph entities through
 * the URL shapes the collector uses, pages them with absolute `@odata.nextLink`s, applies `$filter`
 * (odata-filter.ts) and `$select`, and can throw the Graph module's typed errors on chosen paths,
 * refuse saved nextLinks, or "die" (a plain Error, like a killed process) after some pages.
 */
import type {
  BatchRequest,
  BatchResponse,
  GraphSource,
  GraphStats,
  GraphVersion,
  Page,
  PagesOptions,
  RequestOptions,
} from '../../../src/collect/graph/index.js';
import {
  CredentialRejected,
  GraphFailure,
  GraphRequestFailed,
  LicenceRequired,
  NextLinkRejected,
  PermissionMissing,
  bucketFor,
  endpointName,
  requiredAccess,
} from '../../../src/collect/graph/index.js';
import { emptyStats } from '../../../src/collect/graph/stats.js';
import { compileFilter } from './odata-filter.js';

export const FAKE_HOST = 'https://graph.fake.test';

/** Raw Graph entities of one tenant (what Graph would return). */
export interface FakeTenant {
  organization?: { id: string; displayName: string };
  users: unknown[];
  registration: unknown[];
  /** By user id (any case). */
  methods: Map<string, unknown[]>;
  audits: unknown[];
  signIns: unknown[];
  groups: unknown[];
  /** Transitive members by group id. */
  members: Map<string, unknown[]>;
  conditionalAccess: unknown[];
  methodsPolicy?: unknown;
  securityDefaults?: unknown;
  domains: unknown[];
  /** GET /roleManagement/directory/roleAssignments (default: none assigned). */
  roleAssignments?: unknown[];
  /** A domain's federationConfiguration list, by lower-cased domain name (default: empty). */
  federation?: Record<string, unknown[]>;
}

export function emptyTenant(): FakeTenant {
  return {
    users: [],
    registration: [],
    methods: new Map(),
    audits: [],
    signIns: [],
    groups: [],
    members: new Map(),
    conditionalAccess: [],
    domains: [],
  };
}

/** A request the collector sent; `url` is `/{version}{path}` as given (nextLinks: the absolute link). */
export interface SeenRequest {
  kind: 'get' | 'page' | 'batch-inner';
  url: string;
  headers?: Readonly<Record<string, string>>;
}

/** Thrown by `dieAfter`: not a Graph failure, so the collector treats it like a crash. */
export class SimulatedKill extends Error {
  constructor(where: string) {
    super(`simulated kill ${where}`);
    this.name = 'SimulatedKill';
  }
}

interface FaultRule {
  match: (url: string) => boolean;
  error: (url: string) => Error;
  /** Let this many matching pages through first. */
  after: number;
  times: number;
  seen: number;
}

interface Route {
  /** A collection to page, or an object to return. */
  list?: unknown[];
  object?: unknown;
  /** For `/users?$count=true`. */
  count?: number;
  context: string;
}

function splitQuery(pathAndQuery: string): { path: string; params: Map<string, string> } {
  const q = pathAndQuery.indexOf('?');
  const path = q < 0 ? pathAndQuery : pathAndQuery.slice(0, q);
  const params = new Map<string, string>();
  if (q >= 0) {
    // As the Graph client library splits them: on `&`, then on the first `=`; no decoding.
    for (const pair of pathAndQuery.slice(q + 1).split('&')) {
      const eq = pair.indexOf('=');
      if (eq > 0) params.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
  }
  return { path, params };
}

function select(item: unknown, fields: string | undefined): unknown {
  if (fields === undefined || typeof item !== 'object' || item === null) return item;
  const keep = new Set(fields.split(',').concat('@odata.type'));
  return Object.fromEntries(Object.entries(item).filter(([k]) => keep.has(k)));
}

export function permissionMissing(url: string): PermissionMissing {
  const access = requiredAccess(url);
  return new PermissionMissing(
    `Microsoft Graph refused ${endpointName('GET', url)} (403): grant ${access.permissions.join(' + ')}`,
    { endpoint: endpointName('GET', url), status: 403, code: 'Authorization_RequestDenied' },
    access.permissions,
    access.delegatedRoles,
    `Add the Microsoft Graph application permission ${access.permissions.join(' and ')}.`,
  );
}

export function licenceRequired(url: string): LicenceRequired {
  return new LicenceRequired(
    `${endpointName('GET', url)} needs a Microsoft Entra ID P1 or P2 licence in this tenant (Graph answered 403 Authentication_RequestFromNonPremiumTenantOrB2CTenant).`,
    {
      endpoint: endpointName('GET', url),
      status: 403,
      code: 'Authentication_RequestFromNonPremiumTenantOrB2CTenant',
    },
  );
}

export function credentialRejected(url: string): CredentialRejected {
  return new CredentialRejected(
    `Microsoft Graph rejected the credential (401) for ${endpointName('GET', url)}`,
    {
      endpoint: endpointName('GET', url),
      status: 401,
      code: 'InvalidAuthenticationToken',
    },
  );
}

export function badRequest(url: string): GraphRequestFailed {
  return new GraphRequestFailed(`${endpointName('GET', url)} failed (400 BadRequest)`, {
    endpoint: endpointName('GET', url),
    status: 400,
    code: 'BadRequest',
  });
}

export interface FakeOptions {
  /** Entities per page (Graph's own page sizes are not assumed by the collector). */
  pageSize?: number;
  /** Called for every request (inner batch requests included), e.g. to move a test clock. */
  onRequest?: (url: string) => void;
  /** Origin of the nextLinks it hands out (default FAKE_HOST). */
  host?: string;
}

export class FakeGraphSource implements GraphSource {
  readonly seen: SeenRequest[] = [];
  /** Saved nextLinks passed as `startLink` are refused with NextLinkRejected (expired skip tokens). */
  rejectStartLinks = false;
  private readonly rules: FaultRule[] = [];
  private readonly counters: GraphStats = emptyStats();
  private readonly pageSize: number;
  private readonly onRequest: (url: string) => void;
  private readonly host: string;

  constructor(
    readonly tenant: FakeTenant,
    options: FakeOptions = {},
  ) {
    this.pageSize = options.pageSize ?? 3;
    this.onRequest = options.onRequest ?? (() => {});
    this.host = options.host ?? FAKE_HOST;
  }

  /** Pretends the Graph module waited for throttling (what LiveGraphSource's stats would show). */
  addThrottle(waitMs: number): void {
    this.counters.throttled++;
    this.counters.throttleWaitMs += waitMs;
  }

  /** Throws `error(url)` for requests whose `/{version}{path}` matches, after `after` pages, `times` times. */
  failOn(
    match: RegExp | string,
    error: (url: string) => Error,
    options: { after?: number; times?: number } = {},
  ): this {
    const test = typeof match === 'string' ? (u: string) => u.includes(match) : (u: string) => match.test(u);
    this.rules.push({
      match: test,
      error,
      after: options.after ?? 0,
      times: options.times ?? Infinity,
      seen: 0,
    });
    return this;
  }

  /** Dies (SimulatedKill) on the request for page `pages + 1` of collections whose URL matches. */
  dieAfter(match: RegExp | string, pages: number): this {
    return this.failOn(match, (u) => new SimulatedKill(`before ${u}`), { after: pages, times: 1 });
  }

  stats(): GraphStats {
    return structuredClone(this.counters);
  }

  /** The URLs seen of one kind, in order. */
  urls(kind?: SeenRequest['kind']): string[] {
    return this.seen.filter((s) => kind === undefined || s.kind === kind).map((s) => s.url);
  }

  async get<T>(path: string, opts: RequestOptions = {}): Promise<T> {
    const url = this.versioned(path, opts.version);
    this.note('get', url, opts.headers);
    this.fault(url);
    const { body } = this.answer(url);
    return body as T;
  }

  async *pages<T>(path: string, opts: PagesOptions = {}): AsyncIterable<Page<T>> {
    let url = opts.startLink ?? this.versioned(path, opts.version);
    if (opts.startLink !== undefined && this.rejectStartLinks) {
      this.note('page', url, opts.headers);
      throw new NextLinkRejected(`Graph refused the saved nextLink for ${endpointName('GET', url)} (400).`, {
        endpoint: endpointName('GET', url),
        status: 400,
      });
    }
    for (;;) {
      this.note('page', url, opts.headers);
      this.fault(url);
      const { body } = this.answer(url);
      const page = body as { value: T[]; '@odata.nextLink'?: string };
      const out: Page<T> = { items: page.value };
      if (page['@odata.nextLink'] !== undefined) out.nextLink = page['@odata.nextLink'];
      yield out;
      if (out.nextLink === undefined) return;
      url = out.nextLink;
    }
  }

  async batch(requests: readonly BatchRequest[], opts: RequestOptions = {}): Promise<BatchResponse[]> {
    this.counters.batches++;
    this.counters.httpRoundTrips++;
    return requests.map((r) => {
      const url = this.versioned(r.url, opts.version);
      this.seen.push({ kind: 'batch-inner', url });
      this.onRequest(url);
      const { bucket } = bucketFor('GET', url);
      this.counters.requestsByBucket[bucket]++;
      try {
        this.fault(url);
        const { body } = this.answer(url);
        return { id: r.id, status: 200, headers: {}, body };
      } catch (err) {
        if (!(err instanceof GraphFailure)) throw err;
        return {
          id: r.id,
          status: err.status,
          headers: {},
          body: { error: { code: err.data.code } },
          error: err,
        };
      }
    });
  }

  private versioned(path: string, version: GraphVersion | undefined): string {
    if (/^https?:\/\//.test(path)) return path;
    if (/^\/(v1\.0|beta)\//.test(path)) return path;
    return `/${version ?? 'v1.0'}${path.startsWith('/') ? '' : '/'}${path}`;
  }

  private note(kind: 'get' | 'page', url: string, headers?: Readonly<Record<string, string>>): void {
    this.seen.push(headers === undefined ? { kind, url } : { kind, url, headers });
    this.onRequest(url);
    this.counters.httpRoundTrips++;
    this.counters.requestsByBucket[bucketFor('GET', url).bucket]++;
  }

  private fault(url: string): void {
    for (const rule of this.rules) {
      if (!rule.match(url) || rule.times <= 0) continue;
      rule.seen++;
      if (rule.seen <= rule.after) continue;
      rule.times--;
      throw rule.error(url);
    }
  }

  /**
   * Serves `url` (relative `/{version}/…` or an absolute nextLink) without recording it: for an HTTP
   * front end in tests of the real Graph module. Throws the typed error Graph's answer would become.
   */
  answer(url: string): { body: unknown } {
    const relative = url.startsWith(this.host) ? url.slice(this.host.length) : url;
    const m = /^\/(v1\.0|beta)(\/.*)$/.exec(relative);
    if (m === null) throw badRequest(url);
    const version = m[1] as GraphVersion;
    const { path, params } = splitQuery(m[2]!);
    const route = this.route(version, path, params, url);
    if (route.object !== undefined) return { body: route.object };
    let items = route.list ?? [];
    const filter = params.get('$filter');
    if (filter !== undefined) {
      let test: (e: unknown) => boolean;
      try {
        test = compileFilter(filter);
      } catch {
        throw badRequest(url);
      }
      items = items.filter(test);
    }
    if (version === 'beta' && path === '/auditLogs/signIns' && !(filter ?? '').includes('signInEventTypes')) {
      // https://learn.microsoft.com/graph/api/signin-list: beta lists interactive sign-ins only unless the filter names the event types.
      items = items.filter((s) =>
        ((s as { signInEventTypes?: string[] }).signInEventTypes ?? ['interactiveUser']).includes(
          'interactiveUser',
        ),
      );
    }
    const selected = params.get('$select');
    const top = Number(params.get('$top') ?? Infinity);
    const size = Math.min(this.pageSize, top);
    const skip = Number(params.get('$skiptoken') ?? 0);
    const value = items.slice(skip, skip + size).map((i) => select(i, selected));
    const body: Record<string, unknown> = { '@odata.context': route.context, value };
    if (route.count !== undefined && params.get('$count') === 'true') body['@odata.count'] = route.count;
    if (skip + size < items.length && params.get('$top') !== '1') {
      params.set('$skiptoken', String(skip + size));
      const query = [...params].map(([k, v]) => `${k}=${v}`).join('&');
      body['@odata.nextLink'] = `${this.host}/${version}${path}?${query}`;
    }
    return { body };
  }

  private route(version: GraphVersion, path: string, _params: Map<string, string>, url: string): Route {
    const t = this.tenant;
    const context = `${this.host}/${version}/$metadata#${path.slice(1)}`;
    const segments = path
      .split('/')
      .filter((s) => s !== '')
      .map(decodeURIComponent);
    const [a, b, c, d] = segments;
    const notFound = (): never => {
      throw new GraphRequestFailed(`${endpointName('GET', url)} failed (404 Request_ResourceNotFound)`, {
        endpoint: endpointName('GET', url),
        status: 404,
        code: 'Request_ResourceNotFound',
      });
    };
    if (a === 'organization' && b === undefined) {
      return { list: t.organization === undefined ? [] : [t.organization], context };
    }
    if (a === 'users' && b === undefined) return { list: t.users, count: t.users.length, context };
    if (a === 'users' && b === 'delta' && _params.get('$deltatoken') === 'latest') {
      // "Sync from now" (https://learn.microsoft.com/graph/delta-query-overview): a deltaLink, no users.
      return {
        object: {
          '@odata.context': context,
          value: [],
          '@odata.deltaLink': `${this.host}/v1.0/users/delta?$deltatoken=fake-latest`,
        },
        context,
      };
    }
    if (a === 'users' && b !== undefined && c === 'authentication' && d === 'methods') {
      const list = [...t.methods].find(([id]) => id.toLowerCase() === b.toLowerCase())?.[1];
      if (
        list === undefined &&
        !t.users.some((u) => (u as { id: string }).id.toLowerCase() === b.toLowerCase())
      ) {
        return notFound();
      }
      return {
        object: {
          '@odata.context': `${this.host}/beta/$metadata#users('${b}')/authentication/methods`,
          value: list ?? [],
        },
        context,
      };
    }
    if (a === 'reports' && b === 'authenticationMethods' && c === 'userRegistrationDetails') {
      return { list: t.registration, context };
    }
    if (a === 'groups' && b === undefined) return { list: t.groups, context };
    if (a === 'groups' && b !== undefined && c === 'transitiveMembers') {
      const list = [...t.members].find(([id]) => id.toLowerCase() === b.toLowerCase())?.[1];
      return list === undefined ? notFound() : { list, context };
    }
    if (a === 'identity' && b === 'conditionalAccess' && c === 'policies')
      return { list: t.conditionalAccess, context };
    if (a === 'policies' && b === 'authenticationMethodsPolicy') {
      return t.methodsPolicy === undefined ? notFound() : { object: t.methodsPolicy, context };
    }
    if (a === 'policies' && b === 'identitySecurityDefaultsEnforcementPolicy') {
      return t.securityDefaults === undefined ? notFound() : { object: t.securityDefaults, context };
    }
    if (a === 'domains' && b === undefined) return { list: t.domains, context };
    if (a === 'roleManagement' && b === 'directory' && c === 'roleAssignments')
      return { list: t.roleAssignments ?? [], context };
    if (a === 'domains' && b !== undefined && c === 'federationConfiguration') {
      const domain = t.domains.find((x) => (x as { id?: string }).id?.toLowerCase() === b.toLowerCase());
      if (domain === undefined) return notFound();
      return { list: t.federation?.[b.toLowerCase()] ?? [], context };
    }
    if (a === 'auditLogs' && b === 'directoryAudits') return { list: t.audits, context };
    if (a === 'auditLogs' && b === 'signIns') return { list: t.signIns, context };
    return notFound();
  }
}
