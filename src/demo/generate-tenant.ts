/**
 * The synthetic tenant generator: `generateTenant({users, seed, collectedAt})` returns raw Microsoft
 * Graph entities for every dataset of an export folder (src/domain/datasets.ts), for `audit --demo`
 * today and for the Graph emulator and the benchmark later (10 to 300,000 users).
 *
 * Deterministic: no Math.random and no clock reads; the same `{users, seed, collectedAt, volume}`
 * gives byte-identical output. Scalable: users, the report and methods lists are cheap (one small
 * record per user); sign-ins and audits are never held in memory unless asked for —
 * `iterateSignIns()` / `iterateAudits()` stream them newest first, one time slice at a time, and take
 * filters (window, user, interactive, appId) so the emulator can serve `$filter`s without generating
 * the rest. The `signIns` / `audits` properties materialise everything: for demo-sized tenants only.
 *
 * Who is in the tenant and what the spec says each user's verdict is: personas.ts.
 */
import { buildCast } from './cast.js';
import { APPS } from './catalog.js';
import {
  DOMAINS,
  GROUP_KEYS,
  renderConditionalAccess,
  renderDomains,
  renderGroups,
  renderMethodsPolicy,
  renderSecurityDefaults,
  TENANT_DISPLAY_NAME,
  tenantIds,
} from './directory-objects.js';
import type { TenantIds } from './directory-objects.js';
import { EventSource, GAP } from './event-iterator.js';
import type { EventQuery, Gap } from './event-iterator.js';
import type {
  AuthenticationMethodsPolicy,
  ConditionalAccessPolicy,
  DirectoryAudit,
  DirectoryObjectRef,
  GraphAuthenticationMethod,
  GraphDomain,
  GraphGroup,
  GraphUser,
  SecurityDefaultsPolicy,
  SignIn,
  TenantFile,
  UserRegistrationDetails,
} from './graph-types.js';
import type { AuditBeat, Clock, Member, SignInBeat } from './model.js';
import { expectationFor } from './personas.js';
import type { Expectation, PersonaKind } from './personas.js';
import { Random } from './random.js';
import { renderAudit } from './render-audit.js';
import type { AuditContext } from './render-audit.js';
import { renderMethods, renderRegistration, renderUser } from './render-directory.js';
import { renderSignIn } from './render-sign-in.js';
import { AUDIT_STREAMS, SIGN_IN_STREAMS } from './routine-streams.js';
import { DAY, HOUR, isoSeconds, isoTicks, MINUTE, parseIso } from './time.js';
import { resolveVolume } from './volume.js';
import type { VolumeOptions } from './volume.js';

export type { EventQuery, Gap } from './event-iterator.js';
export { GAP } from './event-iterator.js';
export type { VolumeOptions } from './volume.js';
export { DEMO_VOLUME, REALISTIC_VOLUME } from './volume.js';

export const MAX_USERS = 1_000_000;

export interface GenerateTenantOptions {
  users: number;
  /** Default 1. Any 32-bit integer. */
  seed?: number;
  /** ISO 8601: the moment the export is taken ("now" for every window). */
  collectedAt: string;
  /** Routine activity rates; default REALISTIC_VOLUME. */
  volume?: Partial<VolumeOptions>;
  /**
   * The named loop-risk student (the cast's fourth user) signed in to the Authenticator app once, this
   * many days before collectedAt, and not since: a phone set up weeks ago whose refreshes stopped.
   * Its verdict stays loop-risk, but only a collector that reads the app's sign-ins that far back
   * sees why. Must lie in the sign-in window (volume.signInDays). Default: 1 to 3 recent sign-ins.
   */
  staleAuthenticatorSignInDays?: number;
}

export interface ResolvedTenantOptions {
  users: number;
  seed: number;
  collectedAt: string;
  volume: VolumeOptions;
  staleAuthenticatorSignInDays?: number;
}

/** One user of the answer key: the persona and what the spec implies for it. */
export interface ExpectedUser extends Expectation {
  id: string;
  userPrincipalName: string;
  persona: PersonaKind;
}

export interface SyntheticTenant {
  readonly options: ResolvedTenantOptions;
  readonly tenant: TenantFile;
  /** When the registration report was last refreshed (every row's lastUpdatedDateTime). */
  readonly reportRefreshedAt: string;
  readonly userCount: number;

  // Directory-scale datasets, built on first read (one small record per user).
  readonly users: readonly GraphUser[];
  /** Disabled users and users created after the report's refresh have no row, as in Entra. */
  readonly registration: readonly UserRegistrationDetails[];
  readonly methods: ReadonlyMap<string, readonly GraphAuthenticationMethod[]>;
  readonly groups: readonly GraphGroup[];
  readonly groupMembers: ReadonlyMap<string, readonly DirectoryObjectRef[]>;
  readonly conditionalAccess: readonly ConditionalAccessPolicy[];
  readonly methodsPolicy: AuthenticationMethodsPolicy;
  readonly securityDefaults: SecurityDefaultsPolicy;
  readonly domains: readonly GraphDomain[];

  /** Every audit event / sign-in, newest first, materialised on first read: small tenants only. */
  readonly audits: readonly DirectoryAudit[];
  readonly signIns: readonly SignIn[];

  // Streaming access, for large tenants and the emulator.
  iterateUsers(): Generator<GraphUser>;
  iterateRegistration(): Generator<UserRegistrationDetails>;
  /** `[userId, methods]` for every user. */
  iterateMethods(): Generator<[string, GraphAuthenticationMethod[]]>;
  /** One user's methods list by id or UPN (case-insensitive); undefined for an unknown user. */
  methodsOf(userIdOrUpn: string): GraphAuthenticationMethod[] | undefined;
  /** Sign-ins newest first; memory stays at one hour of sign-ins whatever the tenant size. */
  iterateSignIns(query?: EventQuery & { gaps?: false }): Generator<SignIn>;
  /** With `gaps`: GAP now and then while a time slice is built (event-iterator.ts). */
  iterateSignIns(query: EventQuery & { gaps: true }): Generator<SignIn | Gap>;
  /** Directory audits newest first; memory stays at one day of audits. */
  iterateAudits(query?: EventQuery & { gaps?: false }): Generator<DirectoryAudit>;
  iterateAudits(query: EventQuery & { gaps: true }): Generator<DirectoryAudit | Gap>;
  /** The answer key: each user's persona and the verdict the spec implies. */
  expectations(): Generator<ExpectedUser>;
}

function validate(options: GenerateTenantOptions): ResolvedTenantOptions {
  const { users, seed = 1, collectedAt } = options;
  if (!Number.isInteger(users) || users < 1 || users > MAX_USERS) {
    throw new RangeError(`users must be an integer from 1 to ${MAX_USERS}, got ${users}`);
  }
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  // Whole seconds, Graph's style: `2026-11-20T09:00:00Z`.
  const now = parseIso(collectedAt, 'collectedAt');
  const volume = resolveVolume(options.volume);
  const stale = options.staleAuthenticatorSignInDays;
  if (stale === undefined) return { users, seed, collectedAt: isoSeconds(now), volume };
  if (!(stale > 0 && stale < volume.signInDays)) {
    throw new RangeError(
      `staleAuthenticatorSignInDays must lie inside the sign-in window (0 to ${volume.signInDays} days), got ${stale}`,
    );
  }
  return { users, seed, collectedAt: isoSeconds(now), volume, staleAuthenticatorSignInDays: stale };
}

/** See GenerateTenantOptions.staleAuthenticatorSignInDays. */
function makeAuthenticatorSignInStale(
  members: readonly Member[],
  now: number,
  days: number,
  seed: number,
): void {
  const m = members.find((x) => x.named && x.persona === 'loop-risk-app-signed-in');
  if (m === undefined) return;
  const at = now - days * DAY;
  m.signIns = m.signIns.filter((b) => b.app.appId !== APPS.authenticator.appId);
  m.signIns.push({
    at,
    seed: Random.from(seed, 'stale-authenticator-sign-in').u32(),
    kind: 'single',
    app: APPS.authenticator,
    interactive: false,
  });
  m.signIns.sort((x, y) => y.at - x.at || y.seed - x.seed);
  // No routine refreshes since: the app stopped signing in.
  m.authenticatorAppSignedIn = false;
  m.createdAt = Math.min(m.createdAt, at - DAY);
}

export function generateTenant(options: GenerateTenantOptions): SyntheticTenant {
  return new GeneratedTenant(validate(options));
}

class GeneratedTenant implements SyntheticTenant {
  readonly tenant: TenantFile;
  readonly reportRefreshedAt: string;
  readonly userCount: number;
  private readonly clock: Clock;
  private readonly ids: TenantIds;
  private readonly members: readonly Member[];
  private readonly byId: Map<string, Member>;
  private readonly byUpn: Map<string, Member>;
  private readonly events: EventSource;
  private readonly auditContext: AuditContext;
  private readonly memo = new Map<string, unknown>();

  constructor(readonly options: ResolvedTenantOptions) {
    const { seed, volume } = options;
    const now = Date.parse(options.collectedAt);
    // The report refreshes every few hours; its last run was 3 to 5 hours before the export.
    const reportAt = now - 3 * HOUR - Random.from(seed, 'report-lag').int(0, 120) * MINUTE;
    this.clock = {
      now,
      reportAt,
      auditFrom: now - volume.auditDays * DAY,
      signInFrom: now - volume.signInDays * DAY,
    };
    this.ids = tenantIds(seed);
    this.members = buildCast({ users: options.users, seed, clock: this.clock, auditDays: volume.auditDays });
    if (options.staleAuthenticatorSignInDays !== undefined)
      makeAuthenticatorSignInStale(this.members, now, options.staleAuthenticatorSignInDays, seed);
    this.byId = new Map(this.members.map((m) => [m.id, m]));
    this.byUpn = new Map(this.members.map((m) => [m.upn.toLowerCase(), m]));
    this.events = new EventSource(seed, this.members, now, volume, this.byId);
    this.userCount = this.members.length;
    this.tenant = {
      tenantId: this.ids.tenantId,
      displayName: TENANT_DISPLAY_NAME,
      collectedAt: options.collectedAt,
      cloud: 'global',
    };
    this.reportRefreshedAt = isoTicks(reportAt, 1833);

    // Admin-side changes are made by the first admin of the cast, or by a helpdesk account that has
    // since left (not in /users) when the tenant is too small to have one.
    const admin = this.members.find((m) => m.persona === 'ready-admin');
    const helpdeskRng = Random.from(seed, 'helpdesk');
    this.auditContext = {
      ids: this.ids,
      helpdesk: admin
        ? { id: admin.id, userPrincipalName: admin.upn, displayName: admin.displayName }
        : {
            id: helpdeskRng.uuid(),
            userPrincipalName: `helpdesk@${DOMAINS.managed}`,
            displayName: 'Helpdesk',
          },
    };
  }

  private once<T>(key: string, make: () => T): T {
    if (!this.memo.has(key)) this.memo.set(key, make());
    return this.memo.get(key) as T;
  }

  get users(): readonly GraphUser[] {
    return this.once('users', () => [...this.iterateUsers()]);
  }

  get registration(): readonly UserRegistrationDetails[] {
    return this.once('registration', () => [...this.iterateRegistration()]);
  }

  get methods(): ReadonlyMap<string, readonly GraphAuthenticationMethod[]> {
    return this.once('methods', () => new Map(this.iterateMethods()));
  }

  get groups(): readonly GraphGroup[] {
    return this.once('groups', () => renderGroups(this.ids));
  }

  get groupMembers(): ReadonlyMap<string, readonly DirectoryObjectRef[]> {
    return this.once('groupMembers', () => {
      const map = new Map<string, DirectoryObjectRef[]>(GROUP_KEYS.map((key) => [this.ids.groups[key], []]));
      for (const m of this.members) {
        for (const key of m.groups)
          map.get(this.ids.groups[key])?.push({ '@odata.type': '#microsoft.graph.user', id: m.id });
      }
      return map;
    });
  }

  get conditionalAccess(): readonly ConditionalAccessPolicy[] {
    return this.once('conditionalAccess', () => renderConditionalAccess(this.ids, this.clock.now));
  }

  get methodsPolicy(): AuthenticationMethodsPolicy {
    return this.once('methodsPolicy', () => renderMethodsPolicy(this.ids, this.clock.now));
  }

  get securityDefaults(): SecurityDefaultsPolicy {
    return this.once('securityDefaults', renderSecurityDefaults);
  }

  get domains(): readonly GraphDomain[] {
    return this.once('domains', renderDomains);
  }

  get audits(): readonly DirectoryAudit[] {
    return this.once('audits', () => [...this.iterateAudits()]);
  }

  get signIns(): readonly SignIn[] {
    return this.once('signIns', () => [...this.iterateSignIns()]);
  }

  *iterateUsers(): Generator<GraphUser> {
    for (const m of this.members) yield renderUser(m);
  }

  *iterateRegistration(): Generator<UserRegistrationDetails> {
    for (const m of this.members) {
      const row = renderRegistration(m, this.clock);
      if (row !== null) yield row;
    }
  }

  *iterateMethods(): Generator<[string, GraphAuthenticationMethod[]]> {
    for (const m of this.members) yield [m.id, renderMethods(m, this.clock)];
  }

  methodsOf(userIdOrUpn: string): GraphAuthenticationMethod[] | undefined {
    const m = this.byId.get(userIdOrUpn) ?? this.byUpn.get(userIdOrUpn.toLowerCase());
    return m === undefined ? undefined : renderMethods(m, this.clock);
  }

  iterateSignIns(query?: EventQuery & { gaps?: false }): Generator<SignIn>;
  iterateSignIns(query: EventQuery & { gaps: true }): Generator<SignIn | Gap>;
  *iterateSignIns(query: EventQuery = {}): Generator<SignIn | Gap> {
    const { interactive, appId, appIds } = query;
    const app = (id: string) =>
      (appId === undefined || id === appId) && (appIds === undefined || appIds.includes(id));
    const events = this.events.iterate<SignInBeat>(
      'signIns',
      {
        streams: SIGN_IN_STREAMS,
        from: this.clock.signInFrom,
        slice: HOUR,
        matches: (b) => (interactive === undefined || b.interactive === interactive) && app(b.app.appId),
        streamMatches: (s) =>
          (interactive === undefined || s.interactive === undefined || s.interactive === interactive) &&
          (s.appIds === undefined || s.appIds.some(app)),
      },
      query,
    );
    for (const e of events) yield e === GAP ? e : renderSignIn(e.member, e.beat);
  }

  iterateAudits(query?: EventQuery & { gaps?: false }): Generator<DirectoryAudit>;
  iterateAudits(query: EventQuery & { gaps: true }): Generator<DirectoryAudit | Gap>;
  *iterateAudits(query: EventQuery = {}): Generator<DirectoryAudit | Gap> {
    const events = this.events.iterate<AuditBeat>(
      'audits',
      {
        streams: AUDIT_STREAMS,
        from: this.clock.auditFrom,
        slice: DAY,
        matches: () => true,
        streamMatches: () => true,
      },
      query, // interactive/appId only filter sign-ins; the audit family ignores them
    );
    for (const e of events) yield e === GAP ? e : renderAudit(e.member, e.beat, this.auditContext);
  }

  *expectations(): Generator<ExpectedUser> {
    for (const m of this.members) {
      yield { id: m.id, userPrincipalName: m.upn, persona: m.persona, ...expectationFor(m.persona) };
    }
  }
}
