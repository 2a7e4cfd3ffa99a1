import type { RemediationPlan, RemediationStatusRow, WriteActionCode } from '../domain/remediation.js';
import type { AuditEvent, AuthMethod, SignIn, TenantSnapshot } from '../domain/tenant.js';
import type { JournalEntry } from '../store/journal.js';
import { plannedWrites } from './remediation.js';

/**
 * The sign-in log's name for a TAP step (`authenticationDetails[].authenticationMethod`):
 * https://learn.microsoft.com/entra/identity/monitoring-health/concept-sign-in-log-activity-details
 */
const TAP_METHOD_NAME = 'temporary access pass';
/** The security-info service's audit activity for a completed registration. */
const REGISTERED = 'user registered security info';

const ACTION_OF: Record<string, WriteActionCode> = {
  'create-tap': 'create-tap',
  'delete-method': 'delete-authenticator',
  'set-default-method': 'set-default-method',
};

/**
 * `remediate status`: what became of each write of the plan, judged on the latest stored run (its
 * sign-ins, methods lists and audits). A TAP is used when a sign-in used it, or when the user
 * registered a method after it was made (what the pass is for); it expired unused only when the run
 * was collected after it expired and shows neither. Evidence collected before a write says nothing
 * about it: `no-evidence-since`, never a guess.
 */
export function remediationStatus(
  plan: RemediationPlan,
  journal: readonly JournalEntry[],
  snapshot: TenantSnapshot | undefined,
): RemediationStatusRow[] {
  const upnOf = new Map(plan.users.map((u) => [u.userId.toLowerCase(), u.userPrincipalName]));
  const collectedAt = snapshot?.tenant.collectedAt ?? null;
  const index = indexEvents(snapshot);
  const journaled = new Set(journal.map((e) => e.key));
  // The plan's writes never attempted (no `remediate apply --apply` yet, or refused before sending).
  const notTried = plannedWrites(plan)
    .filter((w) => !journaled.has(w.key))
    .map((w): RemediationStatusRow => ({
      userId: w.userId,
      userPrincipalName: w.userPrincipalName,
      action: w.action,
      subject: w.subject,
      doneAt: null,
      state: 'not-done',
      evidence: null,
    }));
  const tried = journal.map((e): RemediationStatusRow => {
    const row = {
      userId: e.target,
      userPrincipalName: upnOf.get(e.target.toLowerCase()) ?? e.target,
      action: ACTION_OF[e.operation] ?? 'create-tap',
      subject: e.subject,
      doneAt: e.doneAt,
    };
    if (e.status === 'failed') return { ...row, state: 'failed', evidence: failure(e) };
    if (e.status !== 'done' || e.doneAt === null) return { ...row, state: 'not-done', evidence: null };
    if (e.operation === 'set-default-method')
      return { ...row, state: 'default-changed', evidence: e.subject };
    // A journaled "done" that found nothing to do (already set, not needed) made no change to follow.
    const since = e.doneAt;
    const registered = registeredSince(e.target, since, snapshot, index);
    if (e.operation === 'create-tap') {
      const signIn = tapSignIn(e.target, since, index);
      if (signIn !== undefined)
        return { ...row, state: 'tap-used', evidence: `sign-in ${signIn.id} at ${signIn.createdDateTime}` };
      if (registered !== null) return { ...row, state: 'tap-used', evidence: registered };
      if (collectedAt === null || time(collectedAt) < time(since))
        return { ...row, state: 'no-evidence-since', evidence: null };
      const expiresAt = typeof e.detail?.['expiresAt'] === 'string' ? e.detail['expiresAt'] : null;
      if (expiresAt !== null && time(collectedAt) >= time(expiresAt))
        return { ...row, state: 'tap-expired-unused', evidence: `expired ${expiresAt}` };
      return {
        ...row,
        state: 'tap-not-used-yet',
        evidence: expiresAt === null ? null : `expires ${expiresAt}`,
      };
    }
    if (registered !== null) return { ...row, state: 'deleted-registered-again', evidence: registered };
    if (collectedAt === null || time(collectedAt) < time(since))
      return { ...row, state: 'no-evidence-since', evidence: null };
    return { ...row, state: 'deleted-not-registered-yet', evidence: null };
  });
  return [...tried, ...notTried];
}

function failure(e: JournalEntry): string | null {
  const d = e.detail;
  if (d === null) return null;
  if (typeof d['refused'] === 'string') return d['refused'];
  const parts = [d['status'], d['code'], d['message']].filter((x) => x !== undefined);
  return parts.length > 0 ? parts.map(String).join(' ') : null;
}

const time = (iso: string) => Date.parse(iso);

function usedTap(s: SignIn): boolean {
  return (
    s.authenticationDetails?.some((d) => d.authenticationMethod?.toLowerCase() === TAP_METHOD_NAME) ===
      true ||
    s.authenticationMethodsUsed?.some((m) => m.toLowerCase() === TAP_METHOD_NAME) === true ||
    (s.facts?.mfa?.kind === 'direct' && s.facts.mfa.methods.some((m) => m.toLowerCase() === TAP_METHOD_NAME))
  );
}

/** The few events status looks at, by lower-case user id: read once, not once per write. */
interface EventIndex {
  tapSignIns: Map<string, SignIn[]>;
  registrations: Map<string, AuditEvent[]>;
}

function indexEvents(snapshot: TenantSnapshot | undefined): EventIndex {
  const tapSignIns = new Map<string, SignIn[]>();
  for (const s of snapshot?.signIns ?? []) {
    const id = s.userId?.toLowerCase();
    if (id !== undefined && usedTap(s)) tapSignIns.set(id, [...(tapSignIns.get(id) ?? []), s]);
  }
  const registrations = new Map<string, AuditEvent[]>();
  for (const a of snapshot?.audits ?? []) {
    if (a.activityDisplayName.toLowerCase() !== REGISTERED) continue;
    const ids = new Set<string>();
    const by = a.initiatedBy.user?.id?.toLowerCase();
    if (by !== undefined) ids.add(by);
    for (const t of a.targetResources) if (t.id !== undefined) ids.add(t.id.toLowerCase());
    for (const id of ids) registrations.set(id, [...(registrations.get(id) ?? []), a]);
  }
  return { tapSignIns, registrations };
}

function tapSignIn(userId: string, since: string, index: EventIndex): SignIn | undefined {
  return index.tapSignIns.get(userId.toLowerCase())?.find((s) => time(s.createdDateTime) >= time(since));
}

/** A method the user registered after `since`: in the methods list, or the audit log's registration event. */
function registeredSince(
  userId: string,
  since: string,
  snapshot: TenantSnapshot | undefined,
  index: EventIndex,
): string | null {
  const list: AuthMethod[] = snapshot?.methods?.get(userId)?.methods ?? [];
  const added = list.find(
    (m) =>
      m.createdDateTime !== undefined &&
      time(m.createdDateTime) >= time(since) &&
      m.kind !== 'temporaryAccessPass' &&
      m.kind !== 'password',
  );
  if (added !== undefined)
    return `method ${added.id} (${added.kind}) registered ${added.createdDateTime ?? ''}`;
  const audit = index.registrations
    .get(userId.toLowerCase())
    ?.find((a) => time(a.activityDateTime) >= time(since));
  return audit === undefined
    ? null
    : `audit ${audit.id}: registered security info at ${audit.activityDateTime}`;
}
