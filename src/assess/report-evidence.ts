import type { RegistrationDetail } from '../domain/tenant.js';
import type { Evidence, EvidenceFieldsByCode } from '../domain/verdict.js';
import type { TimedAuditFact } from './audit-timeline.js';
import type { FieldsInput } from './evidence.js';
import { evidence } from './evidence.js';
import type { Member } from './population.js';
import { toMs } from './time.js';

/** The same for the three report findings (one entry each in domain/evidence.ts, from one shape). */
type RowFields = FieldsInput<EvidenceFieldsByCode['report-mfa-capable']>;

function rowFields(row: RegistrationDetail): RowFields {
  return {
    methodsRegistered: row.methodsRegistered,
    isMfaRegistered: row.isMfaRegistered,
    isMfaCapable: row.isMfaCapable,
    defaultMfaMethod: row.defaultMfaMethod,
    lastUpdatedDateTime: row.lastUpdatedDateTime,
  };
}

/** What the registration report says about the user, as one finding resting on the user's row. */
export function reportFlagsEvidence(member: Member): Evidence | undefined {
  const row = member.row;
  if (row === undefined) return undefined;
  const at = row.lastUpdatedDateTime;
  if (row.isMfaCapable === true)
    return evidence('report-mfa-capable', 'registration', row.id, at, rowFields(row));
  if (row.isMfaRegistered === true) {
    return evidence('report-mfa-registered-not-capable', 'registration', row.id, at, rowFields(row));
  }
  if (row.isMfaRegistered === false)
    return evidence('report-not-registered', 'registration', row.id, at, rowFields(row));
  return undefined;
}

/** Whether the user was created after the registration report's refresh (so is not in it yet). */
export function createdAfterReport(member: Member, reportRefreshedAt: string | undefined): boolean {
  const created = toMs(member.user?.createdDateTime);
  const refreshed = toMs(reportRefreshedAt);
  return created !== undefined && refreshed !== undefined && created > refreshed;
}

/**
 * Why a user is absent from a collected report: disabled users are never in it, users created after
 * its refresh are not in it yet. Either way they are assessed from users.json and their methods.
 */
export function reportMissingEvidence(member: Member, reportRefreshedAt: string | undefined): Evidence {
  const created = member.user?.createdDateTime;
  const reason =
    member.user?.accountEnabled === false
      ? 'disabled'
      : createdAfterReport(member, reportRefreshedAt)
        ? 'created-after-report'
        : 'unknown';
  return evidence('report-missing-user', 'registration', member.id, null, {
    reason,
    createdDateTime: created,
    reportRefreshedAt,
  });
}

/**
 * The report lags (hours) and its `lastUpdatedDateTime` is a refresh time: MFA audit events for the
 * user after it mean the row no longer describes the user, and the newer evidence wins.
 */
export function reportStaleEvidence(member: Member, facts: readonly TimedAuditFact[]): Evidence | undefined {
  // Most users have no audit facts: no need to read their row's time (nor facts[-1], a slow lookup).
  if (facts.length === 0 || member.row === undefined) return undefined;
  const newest = facts[facts.length - 1]!;
  const refreshedAt = member.row.lastUpdatedDateTime;
  const refreshed = toMs(refreshedAt);
  if (refreshedAt === undefined || refreshed === undefined || newest.at <= refreshed) return undefined;
  return evidence('report-stale', 'registration', member.row.id, newest.event.activityDateTime, {
    lastUpdatedDateTime: refreshedAt,
    newerAt: newest.event.activityDateTime,
    newerEvidence: newest.event.activityDisplayName,
    newerEventId: newest.event.id,
    newerEvents: new Set(facts.filter((f) => f.at > refreshed).map((f) => f.event.id)).size,
  });
}
