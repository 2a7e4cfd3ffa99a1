/**
 * Reading a stored run again at a later `now` without assessing every user again. The history stores
 * each user's assessment with the time until which it holds (assess/clock.ts): until then every
 * comparison it made with the clock answers the same, so it is the assessment a fresh run would make.
 * Only the users past that time are assessed again, from their own data and events; the rest are
 * taken as stored. The result is the Assessment `assess` makes of the whole run, key for key
 * (test/store/stored-assessment.test.ts compares the two at many clocks).
 */
import type { AuditEvent, SignIn, TenantSnapshot } from '../domain/tenant.js';
import type { AssessScope, Assessment, UserAssessment } from '../domain/verdict.js';
import { assembled, assessWithHorizons } from './assess.js';
import { auditFacts } from './audit-facts.js';
import { eventUser } from './audit-timeline.js';
import { GroupMembership } from './group-membership.js';
import { buildPopulation } from './population.js';
import { resolveScope } from './scope-resolution.js';
import { signInFacts } from './sign-in-facts.js';
import { sortUsers } from './summary.js';
import { toMs } from './time.js';
import { UserResolver } from './user-resolver.js';

/** The whole tenant, nobody excluded by an option: the scope the history assesses its runs in. */
export const HISTORY_SCOPE: AssessScope = {
  scopeGroups: [],
  excludeGroups: [],
  excludeUsers: [],
  excludeServiceAccounts: false,
};

/** What the history kept of a run's assessment that does not belong to one user. */
export interface StoredAssessmentFrame {
  /** The assessment's coverage (the report's refresh time and unknown MFA details included). */
  coverage: Assessment['coverage'];
}

/**
 * The run's Assessment at `now`: `partial` holds the run's tenant-wide datasets and only the users to
 * assess again (with their events); `kept` are the other users' stored assessments, each still holding
 * at `now`. Pure, as `assess` is.
 */
export function assessReusing(
  partial: TenantSnapshot,
  frame: StoredAssessmentFrame,
  kept: readonly UserAssessment[],
  now: Date,
): Assessment {
  const scope = resolveScope(partial, HISTORY_SCOPE);
  const fresh = assessWithHorizons(partial, { now, scope: scope.values }, scope).assessment.users;
  const users = sortUsers(kept.length === 0 ? fresh : [...kept, ...fresh]);
  return assembled(partial, scope, now, frame.coverage, users);
}

/** The owner the history filed an event under (store/write-run.ts): its `user_id` column. */
export interface FiledOwners {
  audit(event: AuditEvent): string | null;
  signIn(signIn: SignIn): string | null;
}

/**
 * Whether every event a rule reads is filed under the user the assessment gives it to (and an event
 * given to nobody under no user of the run): then a user's events are the ones filed under their id,
 * and a user can be assessed again from those alone. False when an event reaches its user another way
 * (by UPN, through its initiator, in another letter case): the run is then always assessed whole.
 */
export function eventsFiledByOwner(snapshot: TenantSnapshot, filed: FiledOwners): boolean {
  const groups = new GroupMembership(snapshot.groups);
  const scope = resolveScope(snapshot, HISTORY_SCOPE);
  const members = buildPopulation(snapshot, scope.values, groups);
  const resolver = new UserResolver();
  const ids = new Set<string>();
  for (const m of members) {
    resolver.add(m.id, m.userPrincipalName);
    ids.add(m.id);
  }
  const agrees = (position: number | undefined, owner: string | null): boolean =>
    position === undefined ? owner === null || !ids.has(owner) : owner === resolver.idAt(position);
  for (const s of snapshot.signIns ?? []) {
    if (signInFacts(s) === undefined || toMs(s.createdDateTime) === undefined) continue;
    const position = resolver.positionOf(s.userId) ?? resolver.positionOf(s.userPrincipalName);
    if (!agrees(position, filed.signIn(s))) return false;
  }
  for (const a of snapshot.audits ?? []) {
    if (auditFacts(a).length === 0 || toMs(a.activityDateTime) === undefined) continue;
    if (!agrees(eventUser(a, resolver), filed.audit(a))) return false;
  }
  return true;
}
