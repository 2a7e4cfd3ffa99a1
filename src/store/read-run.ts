import type Database from 'better-sqlite3';
import { REFRESH_OVERLAP_MS, type BaselineUser, type CollectBaseline } from '../domain/baseline.js';
import type { Coverage } from '../domain/datasets.js';
import type { RunInfo, RunSummary } from '../domain/history.js';
import type {
  AuditEvent,
  SignIn,
  SignInFacts,
  TenantInfo,
  TenantSnapshot,
  UserMethods,
} from '../domain/tenant.js';
import type { UserAssessment, Verdict } from '../domain/verdict.js';
import type { Store } from './open-store.js';
import {
  POLICY_FINGERPRINTS,
  readRunDatasets,
  REPORT_REFRESHED_AT,
  type PolicyFingerprints,
} from './run-datasets.js';
import { methodsList, userRowDecoder, type StoredUser } from './user-rows.js';
import { verdictRowReader } from './verdict-rows.js';
import { widenSpan, type TimeSpan } from '../domain/time-span.js';

interface RunRow {
  id: number;
  started_at: string;
  finished_at: string;
  source: 'import' | 'collect';
  tool_version: string;
  tenant_id: string | null;
  collected_at: string | null;
  coverage: string;
  summary: string | null;
}

const toRunInfo = (r: RunRow): RunInfo => ({
  id: r.id,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  source: r.source,
  toolVersion: r.tool_version,
  tenantId: r.tenant_id,
  collectedAt: r.collected_at,
  coverage: JSON.parse(r.coverage) as Coverage,
  summary: r.summary === null ? null : (JSON.parse(r.summary) as RunSummary),
});

/** Every complete run, oldest first. A run that never finished (killed mid-write) is not one. */
export function listRuns(store: Store): RunInfo[] {
  const rows = store.db
    .prepare('SELECT * FROM runs WHERE finished_at IS NOT NULL ORDER BY id')
    .all() as RunRow[];
  return rows.map(toRunInfo);
}

/** The newest complete run, or undefined for an empty history. */
export function latestRun(store: Store): RunInfo | undefined {
  const row = store.db
    .prepare('SELECT * FROM runs WHERE finished_at IS NOT NULL ORDER BY id DESC LIMIT 1')
    .get() as RunRow | undefined;
  return row === undefined ? undefined : toRunInfo(row);
}

/** Every user of a run as stored (users.json ∪ the report), by id. */
export function readRunUsers(
  store: Store,
  runId: number,
  datasets: ReadonlyMap<string, unknown> = readRunDatasets(store.db, runId),
  /** Only these users (ids as stored): each found through the table's key. */
  only?: Iterable<string>,
): Map<string, StoredUser> {
  const refreshedAt = (datasets.get(REPORT_REFRESHED_AT) as string | undefined) ?? null;
  const out = new Map<string, StoredUser>();
  const decode = userRowDecoder(refreshedAt);
  if (only !== undefined) {
    const one = store.db
      .prepare('SELECT data FROM user_versions WHERE user_id = ? AND first_run <= ? AND last_run >= ?')
      .pluck();
    for (const id of only) {
      const data = one.get(id, runId, runId) as string | undefined;
      if (data !== undefined) out.set(id, decode(data));
    }
    return out;
  }
  const rows = store.db
    .prepare('SELECT user_id, data FROM user_versions WHERE first_run <= ? AND last_run >= ?')
    .raw()
    .iterate(runId, runId) as IterableIterator<[string, string]>;
  for (const [id, data] of rows) out.set(id, decode(data));
  return out;
}

/** Each user's assessment as stored with a run (empty for a run stored without one). */
export function readRunVerdicts(store: Store, runId: number): Map<string, UserAssessment> {
  const out = new Map<string, UserAssessment>();
  const rows = store.db
    .prepare('SELECT user_id, data, covered_by FROM verdict_versions WHERE first_run <= ? AND last_run >= ?')
    .raw()
    .iterate(runId, runId) as IterableIterator<[string, string, string | null]>;
  const read = verdictRowReader(store.db);
  for (const [id, data, coveredBy] of rows) out.set(id, read(data, coveredBy));
  return out;
}

/** A run's stored assessments split at a clock (src/assess/reuse.ts). */
export interface HoldingVerdicts {
  /** The assessments that still hold at the clock. */
  kept: UserAssessment[];
  /** The users whose assessment may not: past its stable-until, or stored without one. */
  expired: string[];
}

/**
 * Each user's stored assessment of a run that holds at `nowMs` (its stable-until is later), and the ids
 * of the others, which are not parsed.
 */
export function readHoldingVerdicts(store: Store, runId: number, nowMs: number): HoldingVerdicts {
  const kept: UserAssessment[] = [];
  const expired: string[] = [];
  const rows = store.db
    .prepare(
      'SELECT user_id, stable_until, data, covered_by FROM verdict_versions WHERE first_run <= ? AND last_run >= ?',
    )
    .raw()
    .iterate(runId, runId) as IterableIterator<[string, number | null, string, string | null]>;
  const read = verdictRowReader(store.db);
  for (const [id, until, data, coveredBy] of rows) {
    if (until === null || until <= nowMs) expired.push(id);
    else kept.push(read(data, coveredBy));
  }
  return { kept, expired };
}

export interface EventRange {
  /** Only events at or after this time (ISO 8601 UTC): `--retain`. */
  from?: string;
  /** Only events at or before this time: a past run sees no event that happened after it. */
  to?: string;
}

function eventQuery(kind: 'audit' | 'signIn', range: EventRange): [string, string[]] {
  const where = ['kind = ?'];
  const params: string[] = [kind];
  // `+at`: the time range is not looked up through the (kind, at) index, so SQLite walks the table in
  // key order instead of one B-tree lookup per row through that index, 5 × the CPU at 43,000 sign-ins
  // (https://www.sqlite.org/optoverview.html#disqualifying_where_clause_terms_using_unary_).
  if (range.from !== undefined) {
    where.push('+at >= ?');
    params.push(range.from);
  }
  if (range.to !== undefined) {
    where.push('+at <= ?');
    params.push(range.to);
  }
  // The order is made by SQLite's sorter (the `+` keeps it off the index for the same reason): at
  // 428,000 sign-ins it costs half what sorting the parsed objects did, and no {id, at} wrapper per
  // event. readEvents checks it against JavaScript's string order.
  return [`SELECT data FROM events WHERE ${where.join(' AND ')} ORDER BY +at DESC, +id DESC`, params];
}

const FACTS_KEY = ',"facts":';

/**
 * A parser of stored slim sign-ins that shares what repeats among 428,000 of them at 100,000 users,
 * as the export reader's pool does (src/assess/sign-in-facts.ts SignInFactsPool): each distinct
 * `facts` value (a few hundred) is kept once, found by its text, and so is each user id, UPN, app id,
 * app name and token issuer (JSON.parse makes a new string for every value: some 90 MB at 100,000
 * users). `facts` is the last key of a slim sign-in (slimSignIn adds it last); `,"facts":` cannot
 * occur inside a JSON string (its quotes would be escaped); a row where it is not the last key keeps
 * the facts it was parsed with.
 */
function signInParser(): (data: string) => unknown {
  const facts = new Map<string, unknown>();
  // Hashing each fresh string for a Map look-up was a third of the read: a user id is looked up once
  // and brings the UPN last seen with it; the few apps and issuers are compared with those seen.
  const users = new Map<string, { id: string; upn: string | undefined }>();
  const apps = new FewStrings();
  const appNames = new FewStrings();
  const issuers = new FewStrings();
  return (data) => {
    const event = JSON.parse(data) as SignIn;
    if (typeof event !== 'object' || event === null) return event;
    const at = data.lastIndexOf(FACTS_KEY);
    if (at !== -1 && data.charCodeAt(data.length - 1) === 125 /* } */ && event.facts !== undefined) {
      const text = data.slice(at + FACTS_KEY.length, -1);
      const known = facts.get(text);
      if (known === undefined) facts.set(text, event.facts);
      else event.facts = known as SignInFacts | null;
    }
    // Only string values are shared: anything else stays as parsed.
    const { userId, userPrincipalName: upn } = event;
    if (typeof userId === 'string') {
      let user = users.get(userId);
      if (user === undefined) users.set(userId, (user = { id: userId, upn }));
      else event.userId = user.id;
      if (typeof upn === 'string') {
        if (upn === user.upn) event.userPrincipalName = user.upn;
        else user.upn = upn;
      }
    }
    if (typeof event.appId === 'string') event.appId = apps.shared(event.appId);
    if (typeof event.appDisplayName === 'string')
      event.appDisplayName = appNames.shared(event.appDisplayName);
    if (typeof event.tokenIssuerType === 'string')
      event.tokenIssuerType = issuers.shared(event.tokenIssuerType);
    return event;
  };
}

/**
 * Shares the strings of a field with few distinct values (a tenant's apps, the token issuers): the
 * first few are found by comparison, without hashing the fresh string; any more through a Map.
 */
class FewStrings {
  private readonly first: string[] = [];
  private readonly more = new Map<string, string>();

  shared(s: string): string {
    const first = this.first;
    for (let i = 0; i < first.length; i++) if (first[i] === s) return first[i] as string;
    if (first.length < 16) {
      first.push(s);
      return s;
    }
    const known = this.more.get(s);
    if (known !== undefined) return known;
    this.more.set(s, s);
    return s;
  }
}

/**
 * A parser of stored audit events that keeps each repeated string once (activity names, categories,
 * the initiating app, target types and ids, the facts' method types…), as signInParser does for
 * sign-ins: 59,000 audit events at 100,000 users held some 70 MB. Each event's own id, time and
 * correlation id are left as parsed; values are only replaced by equal strings.
 */
function auditParser(): (data: string) => unknown {
  const pool = new Map<string, string>();
  const share = (value: unknown): unknown => {
    if (typeof value === 'string') {
      const known = pool.get(value);
      if (known !== undefined) return known;
      pool.set(value, value);
      return value;
    }
    if (typeof value === 'object' && value !== null) {
      if (Array.isArray(value)) for (let i = 0; i < value.length; i++) value[i] = share(value[i]);
      else {
        const o = value as Record<string, unknown>;
        for (const key in o) o[key] = share(o[key]);
      }
    }
    return value;
  };
  return (data) => {
    const event = JSON.parse(data) as unknown;
    if (typeof event !== 'object' || event === null || Array.isArray(event)) return event;
    const o = event as Record<string, unknown>;
    for (const key in o)
      if (key !== 'id' && key !== 'activityDateTime' && key !== 'correlationId') o[key] = share(o[key]);
    return event;
  };
}

/**
 * Only the events filed under some users (the `user_id` column), both logs in one statement through
 * events_by_user (user_id, at): a few thousand users' events without a walk of the whole log. The
 * index is named, or the planner may take the (kind, at) index and walk a log's whole range. One
 * statement rather than one per user and log: at 3,000 users, 0.2 s rather than 0.4.
 */
function readUserEvents(
  db: Database.Database,
  range: EventRange,
  only: readonly string[],
): { audits: AuditEvent[]; signIns: SignIn[] } {
  const where = ['user_id IN (SELECT value FROM json_each(?))'];
  if (range.from !== undefined) where.push('at >= ?');
  if (range.to !== undefined) where.push('at <= ?');
  const bounds = [range.from, range.to].filter((b): b is string => b !== undefined);
  const rows = db
    .prepare(`SELECT kind, data FROM events INDEXED BY events_by_user WHERE ${where.join(' AND ')}`)
    .raw()
    .iterate(JSON.stringify(only), ...bounds) as IterableIterator<['audit' | 'signIn', string]>;
  const parseAudit = auditParser();
  const parseSignIn = signInParser();
  const audits: AuditEvent[] = [];
  const signIns: SignIn[] = [];
  for (const [kind, data] of rows) {
    if (kind === 'audit') audits.push(parseAudit(data) as AuditEvent);
    else signIns.push(parseSignIn(data) as SignIn);
  }
  return {
    audits: sortedNewestFirst(audits, (e) => e.activityDateTime),
    signIns: sortedNewestFirst(signIns, (e) => e.createdDateTime),
  };
}

/** Whether any event of a log lies in the range: a partial read keeps the log's presence as a whole read has it. */
function anyEvent(db: Database.Database, kind: 'audit' | 'signIn', range: EventRange): boolean {
  const [sql, params] = eventQuery(kind, range);
  return (
    db
      .prepare(`SELECT EXISTS (${sql.replace(/ ORDER BY .*$/, '')})`)
      .pluck()
      .get(...params) === 1
  );
}

/** readEvents' order: newest first, among equal times the greater id first (JavaScript string order). */
const newestFirst = (a: { at: string; id: string }, b: { at: string; id: string }): number =>
  a.at < b.at ? 1 : a.at > b.at ? -1 : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;

/** Events in readEvents' order, each one's time read once. */
function sortedNewestFirst<E extends { id: string }>(events: readonly E[], timeOf: (e: E) => string): E[] {
  return events
    .map((event) => ({ at: timeOf(event), id: event.id, event }))
    .sort(newestFirst)
    .map((e) => e.event);
}

/**
 * Stored events of one log within a time range, newest first as Graph lists both logs (among equal
 * times the greater id first, as the (kind, at) index gave them). SQLite sorts them; its byte order
 * of UTF-8 text is JavaScript's order of UTF-16 strings except between characters past U+FFFF and
 * U+E000–U+FFFF, so the order is checked as the rows are parsed and, where it differs, sorted again.
 * Each row is parsed as it is read: a string held until a later parse costs twice the CPU at
 * 428,000 sign-ins.
 */
export function readEvents<K extends 'audit' | 'signIn'>(
  db: Database.Database,
  kind: K,
  range: EventRange,
): (K extends 'audit' ? AuditEvent : SignIn)[] {
  type Event = K extends 'audit' ? AuditEvent : SignIn;
  const [sql, params] = eventQuery(kind, range);
  const out: Event[] = [];
  const parse = kind === 'signIn' ? signInParser() : auditParser();
  const timeOf =
    kind === 'audit'
      ? (e: Event) => (e as AuditEvent).activityDateTime
      : (e: Event) => (e as SignIn).createdDateTime;
  let lastAt: string | undefined;
  let lastId = '';
  let ordered = true;
  for (const data of db
    .prepare(sql)
    .pluck()
    .iterate(...params) as IterableIterator<string>) {
    const event = parse(data) as Event;
    out.push(event);
    if (ordered) {
      const at = timeOf(event);
      const id = event.id;
      if (lastAt !== undefined && newestFirst({ at: lastAt, id: lastId }, { at, id }) > 0) ordered = false;
      lastAt = at;
      lastId = id;
    }
  }
  return ordered ? out : sortedNewestFirst(out, timeOf);
}

export interface ReadSnapshotOptions {
  /** `--retain`: events before this time do not count. */
  retainAfter?: string;
  /**
   * Only these users, and the events filed under them (src/assess/reuse.ts: the users a stored
   * assessment no longer holds for). Every other dataset, and the logs' presence, as a whole read.
   */
  only?: readonly string[];
}

/**
 * One stored run as the snapshot `assess` reads: its users, report rows and methods lists as they
 * were, its datasets, and every stored event up to its collection time (from earlier runs too: that
 * is what outlives Entra's 30-day logs).
 */
export function readRunSnapshot(
  store: Store,
  run: RunInfo,
  options: ReadSnapshotOptions = {},
): TenantSnapshot {
  const datasets = readRunDatasets(store.db, run.id);
  const { only } = options;
  const users = readRunUsers(store, run.id, datasets, only);
  const coverage = structuredClone(run.coverage);
  // Runs stored before role assignments were collected have no coverage entry for them: not collected.
  coverage.roleAssignments ??= { present: false, rows: 0 };
  const directory: NonNullable<TenantSnapshot['users']> = [];
  const registration: NonNullable<TenantSnapshot['registration']> = [];
  const methods = new Map<string, UserMethods>();
  for (const [id, u] of users) {
    if (u.user !== null) directory.push(u.user);
    if (u.registration !== null) registration.push(u.registration);
    const list = methodsList(id, u);
    if (list !== undefined) methods.set(id, list);
  }
  const range: EventRange = {
    ...(options.retainAfter !== undefined ? { from: options.retainAfter } : {}),
    ...(run.collectedAt !== null ? { to: run.collectedAt } : {}),
  };
  const { audits, signIns } =
    only === undefined
      ? { audits: readEvents(store.db, 'audit', range), signIns: readEvents(store.db, 'signIn', range) }
      : readUserEvents(store.db, range, only);
  const present = (kind: 'audit' | 'signIn', read: readonly unknown[]): boolean =>
    read.length > 0 || (only !== undefined && anyEvent(store.db, kind, range));
  // The run's coverage was worked out when it was written, the history's older events included.
  const tenant = (datasets.get('tenant') as TenantInfo | undefined) ?? {};
  return {
    tenant: clampWindows(tenant, options.retainAfter),
    users: coverage.users.present ? directory : undefined,
    registration: coverage.registration.present ? registration : undefined,
    methods: coverage.methods.present || methods.size > 0 ? methods : undefined,
    audits: coverage.audits.present || present('audit', audits) ? audits : undefined,
    signIns: coverage.signIns.present || present('signIn', signIns) ? signIns : undefined,
    groups: datasets.get('groups') as TenantSnapshot['groups'],
    conditionalAccess: datasets.get('conditionalAccess') as TenantSnapshot['conditionalAccess'],
    methodsPolicy: datasets.get('methodsPolicy') as TenantSnapshot['methodsPolicy'],
    securityDefaults: datasets.get('securityDefaults') as TenantSnapshot['securityDefaults'],
    domains: datasets.get('domains') as TenantSnapshot['domains'],
    roleAssignments: datasets.get('roleAssignments') as TenantSnapshot['roleAssignments'],
    coverage,
  };
}

/**
 * Adds the events the history holds beyond a snapshot's own to its coverage: counted in `rows`, and
 * moving `oldest`/`newest` out to theirs.
 */
export function extendSpan(
  coverage: Coverage,
  dataset: 'audits' | 'signIns',
  added: readonly string[],
): void {
  if (added.length === 0) return;
  const c = coverage[dataset];
  const span: TimeSpan = {
    ...(c.oldest !== undefined ? { oldest: c.oldest } : {}),
    ...(c.newest !== undefined ? { newest: c.newest } : {}),
  };
  for (const at of added) widenSpan(span, at);
  coverage[dataset] = { ...c, ...span, present: true, rows: c.rows + added.length };
}

/** Evidence windows never reach before the retention cut: what is older was deleted. */
export function clampWindows(tenant: TenantInfo, retainAfter: string | undefined): TenantInfo {
  if (retainAfter === undefined || tenant.windows === undefined) return tenant;
  const windows = { ...tenant.windows };
  for (const key of ['signIns', 'appSignIns', 'audits'] as const) {
    const start = windows[key];
    if (start !== undefined && start < retainAfter) windows[key] = retainAfter;
  }
  return { ...tenant, windows };
}

/** What the latest run knows, for a refresh that asks Graph only for what is new. */
export function readBaseline(store: Store): CollectBaseline | undefined {
  const run = latestRun(store);
  if (run === undefined || run.collectedAt === null) return undefined;
  const datasets = readRunDatasets(store.db, run.id);
  const tenant = (datasets.get('tenant') as TenantInfo | undefined) ?? {};
  const verdicts = new Map<string, Verdict>();
  const rows = store.db
    .prepare('SELECT user_id, verdict FROM verdict_versions WHERE first_run <= ? AND last_run >= ?')
    .raw()
    .iterate(run.id, run.id) as IterableIterator<[string, Verdict]>;
  for (const [id, verdict] of rows) verdicts.set(id, verdict);
  const users = new Map<string, BaselineUser>();
  for (const [id, u] of readRunUsers(store, run.id, datasets))
    users.set(id, {
      user: u.user,
      registration: u.registration,
      verdict: verdicts.get(id) ?? null,
      methodsReadAt: u.methodsReadAt,
    });
  const fingerprints = (datasets.get(POLICY_FINGERPRINTS) as PolicyFingerprints | undefined) ?? {};
  // The refresh reads again from the run's collection time less the overlap (the logs' delay);
  // what it finds there with a stored id is no news.
  const overlapFrom = new Date(Date.parse(run.collectedAt) - REFRESH_OVERLAP_MS).toISOString();
  // Per log, so that the (kind, at) index finds the last hours' rows instead of scanning every event.
  const overlapIds = store.db.prepare('SELECT id FROM events WHERE kind = ? AND at >= ?').raw();
  const overlapEventIds = new Set<string>();
  for (const kind of ['audit', 'signIn'])
    for (const [id] of overlapIds.all(kind, overlapFrom) as [string][]) overlapEventIds.add(id);
  const newest = (kind: string) =>
    (store.db.prepare('SELECT max(at) AS at FROM events WHERE kind = ?').get(kind) as { at: string | null })
      .at;
  const newestAudit = newest('audit');
  const newestSignIn = newest('signIn');
  return {
    runId: run.id,
    collectedAt: run.collectedAt,
    overlapEventIds,
    ...(tenant.usersDeltaLink !== undefined ? { usersDeltaLink: tenant.usersDeltaLink } : {}),
    ...(tenant.registrationReadAt !== undefined ? { registrationReadAt: tenant.registrationReadAt } : {}),
    ...(fingerprints.methodsPolicy !== undefined ? { methodsPolicy: fingerprints.methodsPolicy } : {}),
    ...(fingerprints.securityDefaults !== undefined
      ? { securityDefaults: fingerprints.securityDefaults }
      : {}),
    ...(tenant.windows !== undefined ? { windows: tenant.windows } : {}),
    ...(newestAudit !== null ? { newestAudit } : {}),
    ...(newestSignIn !== null ? { newestSignIn } : {}),
    users,
  };
}
