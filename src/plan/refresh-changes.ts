/**
 * What changed about each user since the stored run, as a refresh sees it: the users delta, the new
 * security-info audit events and sign-in signals, the report rows that moved. Pure.
 *
 * The audit log is the change feed of a user's security info: registering, deleting or changing the
 * default of a method is logged as "User registered security info", "User deleted security info",
 * "Admin deleted security info", "User changed default security info" and the like
 * (https://learn.microsoft.com/entra/identity/monitoring-health/reference-audit-activities, category
 * UserManagement, service Authentication Methods), and each lands in the log within minutes
 * (https://learn.microsoft.com/entra/identity/monitoring-health/reference-log-latency). A user with
 * none of these since the stored run has the security info the stored run saw.
 */
import { DIRECTORY_USER_FIELDS } from '../domain/tenant.js';
import { indexAuditFacts } from '../assess/audit-timeline.js';
import { indexSignIns } from '../assess/sign-in-index.js';
import { UserResolver } from '../assess/user-resolver.js';
import type { BaselineUser } from '../domain/baseline.js';
import { registrationKey } from '../domain/baseline.js';
import type { AuditFact } from '../domain/audit-facts.js';
import type { BulkEvidence, RefreshFacts } from '../domain/methods-plan.js';
import type { TenantSnapshot } from '../domain/tenant.js';

export interface RefreshChanges {
  /** The baseline's users by lower-case id. */
  baseline: ReadonlyMap<string, BaselineUser>;
  /** In this run's users, not in the baseline (lower-case ids). */
  newUsers: ReadonlySet<string>;
  /** The directory entry changed (the users delta named them, or the entry differs). */
  changedUsers: ReadonlySet<string>;
  /** New security-info audit facts; `true` when one of them can end readiness (a deletion, a change). */
  securityInfo: ReadonlyMap<string, boolean>;
  /** New registration interrupts, My Signins or Authenticator-app sign-ins. */
  signals: ReadonlySet<string>;
  /** Report rows that differ from the baseline's (registrationKey), appeared or went; empty without a report. */
  movedRows: ReadonlySet<string>;
}

/** A fact that can take a method away (or change which one is used): readiness may end. */
function canEndReadiness(fact: AuditFact): boolean {
  switch (fact.kind) {
    case 'deleted':
    case 'default-changed':
    case 'strong-auth-methods':
    case 'unknown-reason':
      return true;
    case 'phone-app-devices':
      return fact.removed.length > 0;
    default:
      return false;
  }
}

function sameUser(a: BaselineUser['user'], b: NonNullable<BulkEvidence['users']>[number]): boolean {
  if (a === null) return false;
  const fields = DIRECTORY_USER_FIELDS.filter((f) => f !== 'id');
  return fields.every((f) => String(a[f] ?? '').toLowerCase() === String(b[f] ?? '').toLowerCase());
}

export function baselineById(facts: RefreshFacts): Map<string, BaselineUser> {
  const byId = new Map<string, BaselineUser>();
  for (const [id, user] of facts.baseline.users) byId.set(id.toLowerCase(), user);
  return byId;
}

/** A UserResolver each user is added to once, by id in any letter case (users.json ∪ report ∪ …). */
function resolverOnce(): { resolver: UserResolver; add(id: string, upn: string | undefined): void } {
  const resolver = new UserResolver();
  const added = new Set<string>();
  const add = (id: string, upn: string | undefined): void => {
    const key = id.toLowerCase();
    if (added.has(key)) return;
    added.add(key);
    resolver.add(id, upn);
  };
  return { resolver, add };
}

export function changesSince(bulk: BulkEvidence, facts: RefreshFacts): RefreshChanges {
  const baseline = baselineById(facts);
  const { resolver, add } = resolverOnce();
  for (const u of bulk.users ?? []) add(u.id, u.userPrincipalName);
  for (const row of bulk.registration ?? []) add(row.id, row.userPrincipalName);
  for (const [id, b] of facts.baseline.users) {
    add(id, b.user?.userPrincipalName ?? b.registration?.userPrincipalName);
  }

  const newUsers = new Set<string>();
  const changedUsers = new Set<string>();
  for (const u of bulk.users ?? []) {
    const key = u.id.toLowerCase();
    const b = baseline.get(key);
    if (b === undefined) newUsers.add(key);
    else if (facts.changedUsers?.has(key) === true || !sameUser(b.user, u)) changedUsers.add(key);
  }

  // Events of the overlap the stored run already had are not news (CollectBaseline.overlapEventIds).
  const known = facts.baseline.overlapEventIds;
  const audits = known === undefined ? bulk.audits : bulk.audits?.filter((e) => !known.has(e.id));
  const signIns = known === undefined ? bulk.signIns : bulk.signIns?.filter((e) => !known.has(e.id));
  const securityInfo = new Map<string, boolean>();
  for (const [owner, list] of indexAuditFacts(audits, resolver)) {
    securityInfo.set(
      owner.toLowerCase(),
      list.some((f) => canEndReadiness(f.fact)),
    );
  }
  const signals = new Set<string>();
  for (const [owner, list] of indexSignIns(signIns, resolver)) {
    const f = list.map((s) => s.facts);
    if (f.some((x) => x.registrationInterrupt || x.securityInfoApp || x.authenticatorApp)) {
      signals.add(owner.toLowerCase());
    }
  }

  const movedRows = new Set<string>();
  if (bulk.registration !== undefined) {
    const rows = new Map(bulk.registration.map((r) => [r.id.toLowerCase(), r]));
    for (const [key, row] of rows) {
      const before = baseline.get(key)?.registration ?? null;
      if (before === null || registrationKey(before) !== registrationKey(row)) movedRows.add(key);
    }
    for (const [key, b] of baseline) {
      if (b.registration !== null && !rows.has(key)) movedRows.add(key);
    }
  }
  return { baseline, newUsers, changedUsers, securityInfo, signals, movedRows };
}

/**
 * The carried methods lists that no longer hold: lists the history carried into a refresh (those with
 * a `readAt`: a list read by this run has none) of users with a security-info audit fact after the
 * list was read. Such a list is the user's methods before a registration or a deletion the audit log
 * records (https://learn.microsoft.com/entra/identity/monitoring-health/reference-audit-activities):
 * a list of "password only" would hide an Authenticator registered since (the user looks
 * not-registered), a list naming a method deleted since would make them look ready. The refresh reads
 * again only the lists of the users the bulk data leaves open (src/plan/methods-reads.ts); one who
 * registered is no longer open, so without this their old list would be carried for ever. Left out,
 * the user is assessed from the report row and the audit events, as a full collection that did not
 * read their list assesses them. A list whose date is unknown or unreadable counts as stale. Pure.
 */
export function staleCarriedLists(snapshot: TenantSnapshot): Set<string> {
  const stale = new Set<string>();
  const methods = snapshot.methods;
  if (methods === undefined || methods.size === 0) return stale;
  const carried = [...methods].filter(([, list]) => list.readAt !== undefined);
  if (carried.length === 0) return stale;
  const { resolver, add } = resolverOnce();
  for (const u of snapshot.users ?? []) add(u.id, u.userPrincipalName);
  for (const row of snapshot.registration ?? []) add(row.id, row.userPrincipalName);
  const latest = new Map<string, number>();
  for (const [owner, list] of indexAuditFacts(snapshot.audits, resolver)) {
    let last = -Infinity;
    for (const f of list) if (f.at > last) last = f.at;
    latest.set(owner.toLowerCase(), last);
  }
  const upnToId = new Map<string, string>();
  for (const u of snapshot.users ?? []) upnToId.set(u.userPrincipalName.toLowerCase(), u.id.toLowerCase());
  for (const [key, list] of carried) {
    const readAt = Date.parse(list.readAt ?? '');
    const owner = upnToId.get(key.toLowerCase()) ?? key.toLowerCase();
    const last = latest.get(owner);
    if (Number.isNaN(readAt) || (last !== undefined && last > readAt)) stale.add(key);
  }
  return stale;
}
