/**
 * Which users' per-user methods lists to fetch. Microsoft advises against walking
 * `/users/{id}/authentication/methods` over a whole tenant (https://learn.microsoft.com/graph/api/authentication-list-methods), and those calls share
 * the reports bucket's 5 requests per 10 s (https://learn.microsoft.com/graph/throttling-limits): 100,000 users would take 55 hours. The registration
 * report covers everyone, so only users whose verdict it leaves open are fetched; in a refresh, only
 * those of them whose evidence changed since the stored run (or whose stored list is old).
 *
 * Pure: bulk evidence in, users and reasons out. It uses the verdict engine's own classifiers (how an
 * audit event or a sign-in is attributed and what it says, what a `methodsRegistered` string means) so
 * that "open" is decided by the same reading the verdicts will get.
 */
import { indexAuditFacts } from '../assess/audit-timeline.js';
import { FederatedDomains } from '../assess/federated-domains.js';
import { isMfaKind } from '../assess/method-kinds.js';
import { isAuthenticatorCodeOf, reportMethod } from '../assess/report-methods.js';
import { hasNoDefaultMfaMethod, reportRefreshedAt } from '../assess/report-row.js';
import { indexSignIns, isFederatedClaim } from '../assess/sign-in-index.js';
import { UserResolver } from '../assess/user-resolver.js';
import type {
  BulkEvidence,
  MethodsMode,
  MethodsNeed,
  MethodsPlan,
  MethodsReason,
  MethodsReads,
  MethodsReadsRequest,
  ReportAbsence,
} from '../domain/methods-plan.js';
import type { DirectoryUser, RegistrationDetail } from '../domain/tenant.js';
import { changesSince } from './refresh-changes.js';

export { isMethodsMode, METHODS_MODES, METHODS_REASONS } from '../domain/methods-plan.js';
export type {
  BulkEvidence,
  MethodsMode,
  MethodsNeed,
  MethodsPlan,
  MethodsReason,
  ReportAbsence,
} from '../domain/methods-plan.js';

/** The open users worth a call: all but those whose only reason is `phone-only`. */
export function fetchedByDefault(need: MethodsNeed): boolean {
  return need.reasons.some((r) => r !== 'phone-only');
}

/**
 * Whether a need can change readiness, not only refine a not-ready verdict. With the audit log, the
 * report's gaps are visible: a registration or removal since the refresh is in it (the engine weighs
 * it above the row), and so is a half-finished registration of the last 30 days. Without it, nothing
 * says whether a "not registered" row is still true, so every sign of registration activity counts.
 */
function decidesReadiness(
  reasons: readonly MethodsReason[],
  absence: ReportAbsence | undefined,
  bulk: BulkEvidence,
): boolean {
  if (reasons.includes('authenticator-without-default')) return true;
  if (absence === 'no-report' || absence === 'not-in-report') return true;
  if (bulk.audits !== undefined) return false;
  if (absence === 'created-after-report') return true;
  return reasons.some(
    (r) =>
      r === 'report-not-registered' || r === 'registration-sign-ins' || r === 'authenticator-app-sign-in',
  );
}

interface Candidate {
  id: string;
  upn: string | undefined;
  user?: DirectoryUser;
  row?: RegistrationDetail;
}

function isGuest(c: Candidate): boolean {
  const type = c.user?.userType ?? c.row?.userType;
  if (type !== undefined) return type.toLowerCase() === 'guest';
  return (c.upn ?? '').toUpperCase().includes('#EXT#');
}

/** users.json ∪ report, as the verdict engine builds its population (ids compared without case). */
function candidates(bulk: BulkEvidence): Candidate[] {
  const byId = new Map<string, Candidate>();
  for (const user of bulk.users ?? []) {
    const key = user.id.toLowerCase();
    if (!byId.has(key)) byId.set(key, { id: user.id, upn: user.userPrincipalName, user });
  }
  for (const row of bulk.registration ?? []) {
    const known = byId.get(row.id.toLowerCase());
    if (known !== undefined) known.row ??= row;
    else byId.set(row.id.toLowerCase(), { id: row.id, upn: row.userPrincipalName, row });
  }
  return [...byId.values()];
}

function absenceOf(c: Candidate, bulk: BulkEvidence, refreshedMs: number | undefined): ReportAbsence {
  if (bulk.registration === undefined) return 'no-report';
  if (c.user?.accountEnabled === false) return 'disabled';
  const created = c.user?.createdDateTime === undefined ? NaN : Date.parse(c.user.createdDateTime);
  if (refreshedMs !== undefined && created > refreshedMs) return 'created-after-report';
  return 'not-in-report';
}

/** What the report row alone leaves open. */
function rowReasons(row: RegistrationDetail): MethodsReason[] {
  const reasons: MethodsReason[] = [];
  const kinds = row.methodsRegistered
    .filter((name) => !isAuthenticatorCodeOf(name, row.methodsRegistered))
    .map((name) => reportMethod(name).kind);
  if (kinds.includes('microsoftAuthenticator') && hasNoDefaultMfaMethod(row) === true) {
    reasons.push('authenticator-without-default');
  }
  const mfa = kinds.filter(isMfaKind);
  if (row.isMfaRegistered === false || (row.isMfaRegistered === undefined && mfa.length === 0)) {
    reasons.push('report-not-registered');
  }
  if (row.isMfaRegistered === true && row.isMfaCapable === false) reasons.push('registered-not-capable');
  if (mfa.length > 0 && mfa.every((k) => k === 'phone')) reasons.push('phone-only');
  return reasons;
}

/**
 * The users whose per-user methods list could change their verdict, each with the reasons, in
 * population order (users.json first, then report-only rows). Left out: guests (`excluded` whatever
 * their methods) and federated users whose sign-ins show MFA satisfied by a claim (`ready` whatever
 * their Entra methods). Disabled users are kept (they are never in the report, and an admin
 * re-enabling one wants to know), under `missing-from-report`.
 */
export function usersNeedingMethods(bulk: BulkEvidence): MethodsNeed[] {
  const people = candidates(bulk);
  const resolver = new UserResolver();
  for (const c of people) resolver.add(c.id, c.upn);
  const facts = indexAuditFacts(bulk.audits, resolver);
  const signIns = indexSignIns(bulk.signIns, resolver);
  const federation = new FederatedDomains(bulk.domains);
  const refreshed = reportRefreshedAt(bulk.registration);
  const refreshedMs = refreshed === undefined ? undefined : Date.parse(refreshed);

  const needs: MethodsNeed[] = [];
  for (const c of people) {
    if (isGuest(c)) continue;
    const classified = signIns.get(c.id) ?? [];
    const domain = c.upn === undefined ? undefined : federation.entryOf(c.upn);
    if (classified.some((s) => isFederatedClaim(s, domain))) continue;
    const reasons: MethodsReason[] = [];
    let absence: ReportAbsence | undefined;
    const row = c.row;
    if (row === undefined) {
      reasons.push('missing-from-report');
      absence = absenceOf(c, bulk, refreshedMs);
    } else {
      reasons.push(...rowReasons(row));
      const asOf = row.lastUpdatedDateTime === undefined ? NaN : Date.parse(row.lastUpdatedDateTime);
      // Same test as the engine's report-stale finding: any MFA fact after the row's refresh.
      if ((facts.get(c.id) ?? []).some((f) => f.at > asOf)) reasons.push('report-stale');
    }
    // Sign-in signals only matter while the report does not already say the user can do MFA.
    if (row?.isMfaCapable !== true) {
      if (classified.some((s) => s.facts.registrationInterrupt || s.facts.securityInfoApp)) {
        reasons.push('registration-sign-ins');
      }
      if (classified.some((s) => s.facts.authenticatorApp)) reasons.push('authenticator-app-sign-in');
    }
    if (reasons.length === 0) continue;
    const need: MethodsNeed = {
      id: c.id,
      reasons,
      decidesReadiness: decidesReadiness(reasons, absence, bulk),
    };
    if (c.upn !== undefined) need.userPrincipalName = c.upn;
    if (absence !== undefined) need.absence = absence;
    needs.push(need);
  }
  return needs;
}

/** How many users each reason named. */
export function countReasons(needs: readonly MethodsNeed[]): Partial<Record<MethodsReason, number>> {
  const counts: Partial<Record<MethodsReason, number>> = {};
  for (const n of needs) for (const r of n.reasons) counts[r] = (counts[r] ?? 0) + 1;
  return counts;
}

/**
 * `budgetRequests`: how many calls `auto` may spend on the open users. `pick`, when given, is an exact
 * choice that replaces the mode's (tests, callers with their own rule).
 */
export function planMethods(
  needs: readonly MethodsNeed[],
  requested: MethodsMode,
  budgetRequests: number,
  pick?: (need: MethodsNeed) => boolean,
): MethodsPlan {
  const open = needs.filter(fetchedByDefault);
  let mode: MethodsPlan['mode'];
  let chosen: MethodsNeed[];
  if (pick !== undefined) {
    [requested, mode, chosen] = ['open', 'open', needs.filter(pick)];
  } else {
    mode = requested === 'auto' ? (open.length <= budgetRequests ? 'open' : 'needed') : requested;
    chosen = mode === 'open' ? open : mode === 'needed' ? needs.filter((n) => n.decidesReadiness) : [];
  }
  const picked = new Set(chosen);
  return { requested, mode, chosen, deferred: open.filter((n) => !picked.has(n)).length };
}

const DAY_MS = 86_400_000;
export const DEFAULT_METHODS_MAX_AGE_DAYS = 30;

/**
 * A refresh's needs: of the users the bulk data leaves open, those whose list may say something the
 * stored one does not. Never a false-ready: a user the stored run found `ready` is a need again when a
 * security-info deletion or change, or a report row that moved, may have ended it ('ready-changed'),
 * weighed as a first collection weighs it (`decidesReadiness`: the re-read row and the audit event
 * decide the verdict; the list refines it).
 * - not in the stored run: read (nothing is stored);
 * - stored verdict `ready`: read only after such a change or any other security-info event (the
 *   stored list is not carried past one); otherwise the stored list still holds;
 * A stored list is carried only while it holds: the run's store step leaves out a list older than a
 * security-info event of its user or whose report row moved (src/store/with-history.ts), so a user
 * not read again here is assessed from the row and the events, as a first collection assesses one
 * whose list it did not read.
 * - `excluded` (a guest, a sync account): read only when the directory entry changed;
 * - any other verdict: read when something about the user changed (a new audit event, a new
 *   registration or Authenticator sign-in, a report row that moved, the directory entry) or the stored
 *   list is older than `maxAgeDays` (or was never read); otherwise the stored list is carried.
 */
function refreshNeeds(
  needs: readonly MethodsNeed[],
  bulk: BulkEvidence,
  request: MethodsReadsRequest & { refresh: NonNullable<MethodsReadsRequest['refresh']> },
): { needs: MethodsNeed[]; carried: number } {
  const changes = changesSince(bulk, request.refresh);
  const maxAgeMs = (request.methodsMaxAgeDays ?? DEFAULT_METHODS_MAX_AGE_DAYS) * DAY_MS;
  const now = request.now.getTime();
  const endsReadiness = (key: string): boolean =>
    changes.securityInfo.get(key) === true || changes.movedRows.has(key);
  const touched = (key: string): boolean =>
    changes.changedUsers.has(key) ||
    changes.securityInfo.has(key) ||
    changes.signals.has(key) ||
    changes.movedRows.has(key);

  const out: MethodsNeed[] = [];
  const listed = new Set<string>();
  let carried = 0;
  for (const need of needs) {
    const key = need.id.toLowerCase();
    listed.add(key);
    const stored = changes.baseline.get(key);
    if (stored === undefined) {
      out.push(need);
      continue;
    }
    const verdict = stored.verdict;
    if (verdict === 'ready') {
      // Whether the list decides readiness is judged as in a first collection: with the audit log,
      // the engine amends the (re-read) report row with the newer deletion and no longer trusts a row
      // older than it (src/assess/method-inventory.ts, readiness.ts), so `needed` need not read it.
      // Any security-info event (a registration too) is read again: the stored list predates it and
      // is not carried into the run (src/plan/refresh-changes.ts staleCarriedLists), so an open user
      // would otherwise lose the list a first collection reads.
      if (endsReadiness(key) || changes.securityInfo.has(key))
        out.push({ ...need, reasons: [...need.reasons, 'ready-changed'] });
      continue;
    }
    if (verdict === 'excluded') {
      if (changes.changedUsers.has(key)) out.push(need);
      continue;
    }
    const readAt = stored.methodsReadAt === null ? NaN : Date.parse(stored.methodsReadAt);
    const old = !(now - readAt <= maxAgeMs);
    if (touched(key) || old) out.push(need);
    else carried++;
  }
  // Ready users the bulk data no longer leaves open (the row says capable) but whose methods may be
  // gone: the row and the audit event decide their verdict as they would in a first collection (a
  // deletion newer than the row removes that slot; a row older than a change is stale), so the list
  // only refines it and is read within the budget (`open`), not by `needed`.
  for (const user of bulk.users ?? []) {
    const key = user.id.toLowerCase();
    if (listed.has(key) || changes.baseline.get(key)?.verdict !== 'ready' || !endsReadiness(key)) continue;
    out.push({
      id: user.id,
      userPrincipalName: user.userPrincipalName,
      reasons: ['ready-changed'],
      decidesReadiness: false,
    });
  }
  return { needs: out, carried };
}

/** The planner's methods choice (CollectPlanner.methodsReads): the open users, then the mode's pick. */
export function methodsReads(request: MethodsReadsRequest): MethodsReads {
  const open = usersNeedingMethods(request.bulk);
  // Without the audit log a change cannot be seen: choose as a first collection does.
  if (request.refresh === undefined || request.bulk.audits === undefined) {
    return { needs: open, plan: planMethods(open, request.mode, request.budgetRequests, request.pick) };
  }
  const { needs, carried } = refreshNeeds(open, request.bulk, { ...request, refresh: request.refresh });
  return { needs, plan: planMethods(needs, request.mode, request.budgetRequests, request.pick), carried };
}
