/**
 * The synthetic tenant generator: `generateTenant({users, seed, collectedAt})` returns raw Microsoft
 * Graph entities for every dataset of an export folder (src/domain/datasets.ts), for `audit --demo`
 * today and for the Graph emulator and the benchmark later (10 to 300,000 users).
 *
 * Deterministic: no Math.random and no clock reads; the same `{users, seed, collectedAt, volume,
 * rolloutStart}` gives byte-identical output. Scalable: users, the report and methods lists are cheap (one small
 * record per user); sign-ins and audits are never held in memory unless asked for —
 * `iterateSignIns()` / `iterateAudits()` stream them newest first, one time slice at a time, and take
 * filters (window, user, interactive, appId) so the emulator can serve `$filter`s without generating
 * the rest. The `signIns` / `audits` properties materialise everything: for demo-sized tenants only.
 *
 * Who is in the tenant and what the spec says each user's verdict is: personas.ts.
 *
 * Several days of one tenant: with `rolloutStart` (default: collectedAt), the tenant is the one cast.ts
 * builds as of rolloutStart, plus every day of the rollout (rollout.ts) up to collectedAt, which must
 * be a whole number of days (0 to MAX_ROLLOUT_DAYS) after it. Generating for collectedAt = D and for
 * D + 1 day with the same seed, users, volume and rolloutStart agrees on everything before D: the
 * same audit events and sign-ins (ids, times, contents) where both windows hold them, the same users
 * (plus the day's new hires), the same methods lists unless the user changed them that day. What
 * moves with collectedAt is only what Graph itself recomputes: the windows, the registration report
 * (refreshed every day at the same hour), a Temporary Access Pass's isUsable.
 */
import { buildCast } from './cast.js';
import { APPS, ROLE_TEMPLATES } from './catalog.js';
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
  GraphRoleAssignment,
  GraphUser,
  SecurityDefaultsPolicy,
  SignIn,
  TenantFile,
  UserRegistrationDetails,
} from './graph-types.js';
import type { AuditBeat, Clock, Member, RolloutChange, SignInBeat } from './model.js';
import { expectationFor } from './personas.js';
import type { Expectation, PersonaKind } from './personas.js';
import { Random } from './random.js';
import { renderAudit } from './render-audit.js';
import type { AuditContext } from './render-audit.js';
import { renderMethods, renderRegistration, renderUser } from './render-directory.js';
import { renderSignIn } from './render-sign-in.js';
import { AUDIT_STREAMS, SIGN_IN_STREAMS } from './routine-streams.js';
import { DAY, HOUR, isoSeconds, isoTicks, MINUTE, parseIso } from './time.js';
import { applyRollout, MAX_ROLLOUT_DAYS } from './rollout.js';
import type { RolloutContext } from './rollout.js';
import { resolveVolume } from './volume.js';
import type { VolumeOptions } from './volume.js';

export type { EventQuery, Gap } from './event-iterator.js';
export { GAP } from './event-iterator.js';
export type { VolumeOptions } from './volume.js';
export { DEMO_VOLUME, REALISTIC_VOLUME } from './volume.js';
export { MAX_ROLLOUT_DAYS } from './rollout.js';
export type { RolloutChange } from './model.js';

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
   * many days before rolloutStart, and not since: a phone set up weeks ago whose refreshes stopped.
   * Its verdict stays loop-risk, but only a collector that reads the app's sign-ins that far back
   * sees why. Must lie in the sign-in window (volume.signInDays) of collectedAt. Default: 1 to 3 recent
   * sign-ins.
   */
  staleAuthenticatorSignInDays?: number;
  /**
   * ISO 8601: day 0 of the rollout (default: collectedAt, a single-day tenant). collectedAt must be
   * 0 to MAX_ROLLOUT_DAYS whole days after it; the tenant then holds every day of the rollout up to
   * collectedAt (rollout.ts). Keep it fixed to generate consecutive days of one tenant.
   */
  rolloutStart?: string;
}

export interface ResolvedTenantOptions {
  users: number;
  seed: number;
  collectedAt: string;
  volume: VolumeOptions;
  staleAuthenticatorSignInDays?: number;
  /** Present only when collectedAt is after it (a tenant of day 0 is the single-day tenant). */
  rolloutStart?: string;
}

/** One user of the answer key: the persona and what the spec implies for it, as of collectedAt. */
export interface ExpectedUser extends Expectation {
  id: string;
  userPrincipalName: string;
  persona: PersonaKind;
  /** The user's latest change in the rollout (rollout.ts), when the verdict comes from it rather than the persona. */
  change?: RolloutChange;
  /** When that change happened (ISO 8601). */
  changedAt?: string;
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
  /** Tenant-wide Global Administrator assignments of the users the registration report flags isAdmin. */
  readonly roleAssignments: readonly GraphRoleAssignment[];

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
  const base = validateBase(options);
  if (options.rolloutStart === undefined) return base;
  const start = parseIso(options.rolloutStart, 'rolloutStart');
  const days = (Date.parse(base.collectedAt) - start) / DAY;
  if (!Number.isInteger(days) || days < 0 || days > MAX_ROLLOUT_DAYS) {
    throw new RangeError(
      `collectedAt must be 0 to ${MAX_ROLLOUT_DAYS} whole days after rolloutStart, got ${base.collectedAt} and ${options.rolloutStart}`,
    );
  }
  const stale = base.staleAuthenticatorSignInDays;
  if (stale !== undefined && !(stale + days < base.volume.signInDays)) {
    throw new RangeError(
      `staleAuthenticatorSignInDays (${stale}, counted from rolloutStart) plus the ${days} days of the rollout must lie inside the sign-in window (${base.volume.signInDays} days)`,
    );
  }
  return days === 0 ? base : { ...base, rolloutStart: isoSeconds(start) };
}

function validateBase(options: GenerateTenantOptions): ResolvedTenantOptions {
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
  /** collectedAt's clock: the windows every dataset is read through. */
  private readonly clock: Clock;
  /** The clock the cast was built on: rolloutStart's (the tenant's fixed past). */
  private readonly storyClock: Clock;
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
    const start = options.rolloutStart === undefined ? now : Date.parse(options.rolloutStart);
    // The report refreshes on a schedule; its last run was 3 to 5 hours before the export, at the same
    // hour every day.
    const rollout: RolloutContext = {
      seed,
      start,
      reportLag: 3 * HOUR + Random.from(seed, 'report-lag').int(0, 120) * MINUTE,
      volume,
    };
    const clockAt = (at: number): Clock => ({
      now: at,
      reportAt: at - rollout.reportLag,
      auditFrom: at - volume.auditDays * DAY,
      signInFrom: at - volume.signInDays * DAY,
    });
    this.clock = clockAt(now);
    this.storyClock = clockAt(start);
    const reportAt = this.clock.reportAt;
    this.ids = tenantIds(seed);
    const members = buildCast({
      users: options.users,
      seed,
      clock: this.storyClock,
      auditDays: volume.auditDays,
    });
    if (options.staleAuthenticatorSignInDays !== undefined)
      makeAuthenticatorSignInStale(members, start, options.staleAuthenticatorSignInDays, seed);
    applyRollout(members, rollout, Math.round((now - start) / DAY));
    this.members = members;
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
    // Every row's lastUpdatedDateTime (render-directory.ts renderRegistration).
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
    return this.once('conditionalAccess', () => renderConditionalAccess(this.ids, this.storyClock.now));
  }

  get methodsPolicy(): AuthenticationMethodsPolicy {
    return this.once('methodsPolicy', () => renderMethodsPolicy(this.ids, this.storyClock.now));
  }

  get securityDefaults(): SecurityDefaultsPolicy {
    return this.once('securityDefaults', renderSecurityDefaults);
  }

  get domains(): readonly GraphDomain[] {
    return this.once('domains', renderDomains);
  }

  get roleAssignments(): readonly GraphRoleAssignment[] {
    // No random draw: the other datasets stay as they were. Admins hold Global Administrator directly.
    return this.once('roleAssignments', () =>
      this.members
        .filter((m) => m.isAdmin)
        .map((m) => ({
          id: `ra-${m.id}`,
          principalId: m.id,
          roleDefinitionId: ROLE_TEMPLATES.globalAdministrator,
          directoryScopeId: '/',
          principal: { '@odata.type': '#microsoft.graph.user', id: m.id },
        })),
    );
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
      const user: ExpectedUser = {
        id: m.id,
        userPrincipalName: m.upn,
        persona: m.persona,
        ...expectationAt(m, this.clock),
      };
      if (m.rollout !== undefined) {
        user.change = m.rollout.change;
        user.changedAt = isoSeconds(m.rollout.at);
      }
      yield user;
    }
  }
}

/**
 * A member's expected verdict as of `clock.now`: its rollout change's if it had one, else its
 * persona's; and `registered` confidence falls back to `reported` once the completed registration
 * that supported it is older than the audit window (the methods list and the report still show the
 * method; the evidence of its registration has aged out, as it does in Entra after 30 days).
 */
function expectationAt(m: Member, clock: Clock): Expectation {
  const persona = expectationFor(m.persona);
  const r = m.rollout;
  const e: Expectation =
    r === undefined ? persona : { ...persona, verdict: r.verdict, confidence: r.confidence, weak: r.weak };
  if (e.confidence === 'registered' && latestRegistration(m) < clock.auditFrom) e.confidence = 'reported';
  return e;
}

const APP_METHOD_TYPES: ReadonlySet<string> = new Set(['PhoneAppNotification', 'PhoneAppOTP']);

/** The newest audit event that shows a completed registration (what `registered` confidence rests on). */
function latestRegistration(m: Member): number {
  for (const beat of m.audits) {
    const done =
      (beat.type === 'securityInfo' &&
        beat.result === 'success' &&
        (beat.activity === 'User registered security info' ||
          beat.activity === 'User registered all required security info')) ||
      (beat.type === 'strongAuthMethods' && beat.after.some((e) => APP_METHOD_TYPES.has(e.type)));
    if (done) return beat.at; // audits are newest first
  }
  return -Infinity;
}
