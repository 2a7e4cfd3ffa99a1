import type { AuditEvent } from '../domain/tenant.js';
import type { AuditFact } from './audit-facts.js';
import { auditFacts } from './audit-facts.js';
import { isMfaKind } from './method-kinds.js';
import { toMs } from './time.js';
import { groupByUser, sortMostlySorted } from './user-groups.js';
import type { UserResolver } from './user-resolver.js';

/** One fact from one audit event, placed in time. */
export interface TimedAuditFact {
  event: AuditEvent;
  /** Epoch ms of `event.activityDateTime`. */
  at: number;
  fact: AuditFact;
}

/**
 * The user an event is about: its User target (by id, then UPN). Only when no target resolves, the user
 * who initiated it, since self-service security-info events may carry no target; an admin's action on
 * someone else always names that someone as the target.
 */
export function eventUser(a: AuditEvent, users: UserResolver): number | undefined {
  for (const t of a.targetResources) {
    if (t.type !== undefined && t.type.toLowerCase() !== 'user') continue;
    const position = users.positionOf(t.id) ?? users.positionOf(t.userPrincipalName);
    if (position !== undefined) return position;
  }
  const initiator = a.initiatedBy.user;
  if (initiator === undefined) return undefined;
  return users.positionOf(initiator.id) ?? users.positionOf(initiator.userPrincipalName);
}

function byTime(x: TimedAuditFact, y: TimedAuditFact): number {
  if (x.at !== y.at) return x.at - y.at;
  return x.event.id < y.event.id ? -1 : x.event.id > y.event.id ? 1 : 0;
}

/**
 * Every MFA-registration fact in the audit log, grouped by user and in time order (ties broken by event
 * id so the result never depends on file order). One pass over the events.
 */
export function indexAuditFacts(
  audits: readonly AuditEvent[] | undefined,
  users: UserResolver,
): Map<string, TimedAuditFact[]> {
  if (audits === undefined) return new Map();
  const owners: number[] = [];
  const times: number[] = [];
  const events: AuditEvent[] = [];
  const kept: AuditFact[] = [];
  for (let i = 0; i < audits.length; i++) {
    const event = audits[i]!;
    const facts = auditFacts(event);
    if (facts.length === 0) continue;
    const at = toMs(event.activityDateTime);
    if (at === undefined) continue;
    const owner = eventUser(event, users);
    if (owner === undefined) continue;
    for (const fact of facts) {
      owners.push(owner);
      times.push(at);
      events.push(event);
      kept.push(fact);
    }
  }
  const byUser = groupByUser(owners, kept.length, users, (j) => ({
    event: events[j]!,
    at: times[j]!,
    fact: kept[j]!,
  }));
  byUser.forEach((list) => sortMostlySorted(list, byTime));
  return byUser;
}

/**
 * When the user last completed an MFA security-info registration (user or admin). A registration ends
 * any registration loop begun before it; registering SSPR-only info (email, questions) does not.
 */
export function lastMfaRegistrationAt(facts: readonly TimedAuditFact[]): number | undefined {
  let last: number | undefined;
  for (const { fact, at } of facts) {
    if (fact.kind !== 'registered' || fact.method?.notMfa === true) continue;
    if (fact.method !== undefined && !isMfaKind(fact.method.kind)) continue;
    last = at;
  }
  return last;
}
