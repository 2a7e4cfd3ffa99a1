/** The emulator's options, their defaults, and what a running emulator offers. */
import type { Clock } from '../collect/graph/clock.js';
import type { CloudName } from '../collect/graph/clouds.js';
import type { SyntheticTenant, VolumeOptions } from '../demo/generate-tenant.js';
import type { ExtraGroup, TapPolicyOverride } from './entities/directory-writes.js';
import type { FaultKind } from './faults/fault-plan.js';
import type { WriteLogEntry } from './graph/dispatch.js';
import { FAULT_KINDS } from './faults/fault-plan.js';
import type { PageSize } from './paging/pager.js';
import type { FederatedIdpMfaBehavior, PagedCollection } from './routes/route.js';
import type { EmulatorStats } from './stats.js';

/** The read-only permission set the README asks admins to grant. */
export const DEFAULT_PERMISSIONS: readonly string[] = [
  'User.Read.All',
  'AuditLog.Read.All',
  'Directory.Read.All',
  'Domain.Read.All',
  'Policy.Read.All',
  'UserAuthenticationMethod.Read.All',
];

export interface EmulatorOptions {
  /** Users in the synthetic tenant (10 to 300,000 in practice; the generator allows 1 to 1,000,000). */
  users: number;
  /** Tenant seed (default 1): the same seed is the same tenant. */
  seed?: number;
  /** The tenant's "now", ISO 8601 (default: the current time, whole seconds). */
  collectedAt?: string;
  /** Routine activity rates of the generator (default REALISTIC_VOLUME). */
  volume?: Partial<VolumeOptions>;
  /** The generator's knob of the same name (GenerateTenantOptions): one Authenticator-app sign-in, weeks old. */
  staleAuthenticatorSignInDays?: number;
  /**
   * Day 0 of the tenant's rollout, ISO 8601 (GenerateTenantOptions.rolloutStart; default collectedAt).
   * To restart an emulator on a later day of the same tenant, pass the first run's collectedAt here
   * and collectedAt = that + N days: it serves exactly what `advanceDay()` N times would.
   */
  rolloutStart?: string;
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** The emulator binds 127.0.0.1 only. */
  host?: '127.0.0.1';
  /** Fraction of responses that fail (0–1, default 0). */
  faultRate?: number;
  /** Which faults to inject (default all of FAULT_KINDS). */
  faultKinds?: readonly FaultKind[];
  /** Let faults hit the token endpoint too (default false). */
  faultTokenEndpoint?: boolean;
  /** Delay of a `slow` fault, in emulated ms (default 5,000 to 15,000). */
  slowResponseMs?: { min: number; max: number };
  /** Emulated time runs K times faster than wall time (default 1). Ignored when `clock` is given. */
  timeScale?: number;
  /** Real epoch ms at which emulated and wall time coincide (share it with a collector process). */
  clockOrigin?: number;
  /** A clock to run on instead (tests: ManualClock; in-process: the collector's). */
  clock?: Clock;
  /** Enforce the documented throttling limits (default true). */
  throttling?: boolean;
  /** `free`: the P1/P2-only reports and sign-ins answer Graph's licence error (default `p1`). */
  licence?: 'p1' | 'free';
  /**
   * `federatedIdpMfaBehavior` of every federated domain's federationConfiguration (default
   * `acceptIfMfaDoneByFederatedIdp`, as the demo's answer key assumes).
   */
  federatedIdpMfaBehavior?: FederatedIdpMfaBehavior;
  /** Application permissions put in issued tokens' `roles` (default DEFAULT_PERMISSIONS). */
  grantedPermissions?: readonly string[];
  /** National cloud to behave as (default global): `china` lacks directory audits and per-user methods. */
  cloud?: CloudName;
  /** Client certificates (PEM) registered on the "app": assertions without `x5c` must use one of them. */
  clientCertificates?: readonly string[];
  /** Override page sizes (tests use small pages to exercise paging on small tenants). */
  pageSizes?: Partial<Record<PagedCollection, PageSize>>;
  /** A `$skiptoken` unused for this long (emulated ms) expires (default 15 minutes). */
  skiptokenTtlMs?: number;
  /** Live `$skiptoken`s kept at most (default 64; the least recently used go first). */
  maxLiveQueries?: number;
  /** Wall ms one page may spend generating before it is returned short, with a nextLink (default 5,000). */
  pageTimeBudgetMs?: number;
  /** Keep a log of every Graph request (RunningEmulator.requests(); tests check the `$filter`s sent). */
  logRequests?: boolean;
  /**
   * Groups added to the generated tenant, kept across advanceDay() (e.g. CLOUD_ROLLOUT_GROUPS: empty
   * cloud groups to roll out with; a group listing another's id as a member nests it). Off by
   * default, so that the demo tenant, and the bundled demo's output, stay as they are.
   */
  extraGroups?: readonly ExtraGroup[];
  /**
   * Overrides of the tenant's Temporary Access Pass policy (state, targeted groups, lifetimes…), served
   * by GET /policies/authenticationMethodsPolicy and applied when a TAP is created. Default: the demo's.
   */
  temporaryAccessPassPolicy?: TapPolicyOverride;
}

export interface RunningEmulator {
  /** Graph root for `--graph-url`: `https://127.0.0.1:PORT` (no version). */
  url: string;
  /** Authority host for `--login-url` (the same origin). */
  loginUrl: string;
  port: number;
  /** The synthetic tenant's id (`--tenant`); its domain names are accepted too. */
  tenantId: string;
  /** The throwaway CA (PEM) to trust: NODE_EXTRA_CA_CERTS, or `ca` of the in-process clients. */
  caPem: string;
  /** The clock the emulator throttles on (emulated time). */
  clock: Clock;
  /** The generated tenant being served (for answer keys in tests and the demo); a new one after advanceDay(). */
  readonly tenant: SyntheticTenant;
  /**
   * Moves the tenant's "now" forward `days` whole days (default 1): from the next request on, the
   * emulator serves the same tenant (same seed, users, volume, rolloutStart) generated for collectedAt
   * + days, i.e. with those days of the rollout added (src/demo/rollout.ts). Everything before the old
   * collectedAt reads as before; the events of the new days are new. Stats, tokens, certificates and
   * the throttle carry on; a `$skiptoken` issued before the move keeps paging the tenant it started on.
   * Generation is synchronous (seconds at 100,000 users): call it between two collections. Returns the
   * new collectedAt.
   */
  advanceDay(days?: number): string;
  stats(): EmulatorStats;
  /** The Graph requests served, in order, decoded (`GET /beta/auditLogs/signIns?$filter=…`); empty unless `logRequests`. */
  requests(): readonly string[];
  /** Every write answered (any method but GET, inner `$batch` requests included), in order, with its status; always kept. */
  writes(): readonly WriteLogEntry[];
  /** Registers a client certificate (PEM) as if uploaded to the app registration. */
  registerCertificate(pem: string): void;
  close(): Promise<void>;
}

export interface ResolvedOptions {
  users: number;
  seed: number;
  collectedAt: string;
  faultRate: number;
  faultKinds: readonly FaultKind[];
  slow: { minMs: number; maxMs: number };
  throttling: boolean;
  licence: 'p1' | 'free';
  federatedIdpMfaBehavior: FederatedIdpMfaBehavior;
  grantedPermissions: readonly string[];
  cloud: CloudName;
  skiptokenTtlMs: number;
  maxLiveQueries: number;
  pageTimeBudgetMs: number;
}

export function resolveOptions(options: EmulatorOptions): ResolvedOptions {
  if ((options.host ?? '127.0.0.1') !== '127.0.0.1')
    throw new RangeError('the emulator binds 127.0.0.1 only');
  const slow = options.slowResponseMs ?? { min: 5_000, max: 15_000 };
  if (!(slow.min >= 0 && slow.max >= slow.min)) throw new RangeError('slowResponseMs needs 0 <= min <= max');
  return {
    users: options.users,
    seed: options.seed ?? 1,
    collectedAt: options.collectedAt ?? new Date(Math.floor(Date.now() / 1000) * 1000).toISOString(),
    faultRate: options.faultRate ?? 0,
    faultKinds: options.faultKinds ?? FAULT_KINDS,
    slow: { minMs: slow.min, maxMs: slow.max },
    throttling: options.throttling ?? true,
    licence: options.licence ?? 'p1',
    federatedIdpMfaBehavior: options.federatedIdpMfaBehavior ?? 'acceptIfMfaDoneByFederatedIdp',
    grantedPermissions: options.grantedPermissions ?? DEFAULT_PERMISSIONS,
    cloud: options.cloud ?? 'global',
    skiptokenTtlMs: options.skiptokenTtlMs ?? 15 * 60_000,
    maxLiveQueries: options.maxLiveQueries ?? 64,
    pageTimeBudgetMs: options.pageTimeBudgetMs ?? 5_000,
  };
}
