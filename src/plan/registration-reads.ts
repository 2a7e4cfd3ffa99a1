/**
 * Which registration-report rows a refresh reads again. The report is one bulk read of about a page
 * per 1,000 users in the reports bucket's 5 requests per 10 s
 * (https://learn.microsoft.com/graph/throttling-limits): 96 pages, over 3 minutes, at 100,000 users.
 * Graph offers no way to ask only for the rows that changed: `lastUpdatedDateTime` is when the report
 * (not the user) was refreshed (https://learn.microsoft.com/graph/api/resources/userregistrationdetails),
 * so a `$filter` on it selects every row of a refreshed report; but one row can be read by id
 * (https://learn.microsoft.com/graph/api/userregistrationdetails-get), 20 to a `$batch`.
 *
 * So a refresh reads in full when every row may have moved, and otherwise reads again only the rows of
 * users with a reason, carrying the others. Why a carried row still holds: a row is the user's
 * registered methods and what the policy makes of them (isMfaCapable, methodsRegistered,
 * defaultMfaMethod...). The methods change only through security-info registration and deletion, which
 * the audit log records for every user (src/plan/refresh-changes.ts: the audit log as change feed);
 * what the policy makes of them changes only with the methods policy or security defaults, compared
 * here; the user's type, name and state change only through the directory, which the users delta
 * reports. A user with none of these since the stored run has the row the stored run read. What no
 * feed covers (a role assignment's `isAdmin`, a change the log lost) is bounded by `--report-max-age`.
 */
import type {
  RegistrationReads,
  RegistrationReadsReason,
  RegistrationReadsRequest,
} from '../domain/methods-plan.js';
import { changesSince } from './refresh-changes.js';

const DAY_MS = 86_400_000;
export const DEFAULT_REPORT_MAX_AGE_DAYS = 7;
/** Rows per page of the report as Graph serves it (1,000 observed; the page size is not documented). */
const ROWS_PER_PAGE = 1000;

export function registrationReads(request: RegistrationReadsRequest): RegistrationReads {
  const { refresh } = request;
  const readAt =
    refresh.baseline.registrationReadAt === undefined ? NaN : Date.parse(refresh.baseline.registrationReadAt);
  const stored = [...refresh.baseline.users.values()].some((u) => u.registration !== null);
  if (Number.isNaN(readAt) || !stored) return { kind: 'full', why: 'no-stored-report' };
  if (refresh.policiesChanged) return { kind: 'full', why: 'policies-changed' };
  // Without the audit log, a security-info change cannot be seen: no row can be carried.
  if (request.bulk.audits === undefined) return { kind: 'full', why: 'no-audit-log' };
  if (!(request.now.getTime() - readAt <= request.reportMaxAgeDays * DAY_MS)) {
    return { kind: 'full', why: 'max-age' };
  }

  // The stored report's refresh: a user created after it may have a row by now.
  let refreshedMs = -Infinity;
  for (const u of refresh.baseline.users.values()) {
    const at = Date.parse(u.registration?.lastUpdatedDateTime ?? '');
    if (at > refreshedMs) refreshedMs = at;
  }
  // An unknown creation time counts as after.
  const mayHaveRowSince = (created: string | undefined): boolean =>
    !(Date.parse(created ?? '') <= refreshedMs);

  // The rows are not in the bulk yet: what moved is told by the other feeds.
  const changes = changesSince({ ...request.bulk, registration: undefined }, refresh);
  const ids: string[] = [];
  const waiting: string[] = [];
  let probe: string | undefined;
  const reasons: Partial<Record<RegistrationReadsReason, number>> = {};
  const pick = (id: string, reason: RegistrationReadsReason): void => {
    ids.push(id);
    reasons[reason] = (reasons[reason] ?? 0) + 1;
  };
  for (const user of request.bulk.users ?? []) {
    const key = user.id.toLowerCase();
    const stored = changes.baseline.get(key);
    if (stored === undefined) pick(user.id, 'new-user');
    else if (changes.changedUsers.has(key)) pick(user.id, 'user-changed');
    else if (changes.securityInfo.has(key)) pick(user.id, 'security-info-event');
    else if (changes.signals.has(key)) pick(user.id, 'registration-sign-in');
    // New users appear in the report late (the resource page above): one created after the stored
    // report's refresh may have a row once the report is refreshed. An older one the report left out
    // stays out (disabled or out of its scope) until the report is read in full again.
    else if (
      stored.registration === null &&
      user.accountEnabled !== false &&
      mayHaveRowSince(user.createdDateTime)
    ) {
      waiting.push(user.id);
    } else if (probe === undefined && stored.registration !== null) probe = user.id;
  }
  // Each row read by id is a request of the reports bucket; the whole report is about one per
  // ROWS_PER_PAGE rows. More rows to read than pages to page through: the full read is cheaper.
  const storedRows = [...refresh.baseline.users.values()].filter((u) => u.registration !== null).length;
  if (ids.length > Math.ceil(storedRows / ROWS_PER_PAGE)) return { kind: 'full', why: 'cheaper-in-full' };
  if (waiting.length === 0) return { kind: 'per-user', ids, reasons };
  // No user with a stored row to tell whether the report moved on: read them.
  if (probe === undefined) {
    for (const id of waiting) pick(id, 'no-row');
    return { kind: 'per-user', ids, reasons };
  }
  reasons['no-row'] = waiting.length;
  return { kind: 'per-user', ids, reasons, whenRefreshed: { probe, ids: waiting } };
}
