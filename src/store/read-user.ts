import type { UserAssessment } from '../domain/verdict.js';
import type { Store } from './open-store.js';
import { verdictRowReader } from './verdict-rows.js';

/*
 * One user across the history, for `mfa-ready user UPN --history`: read by the user's id from the
 * versioned rows, never by reading every user of every run. A UPN is matched inside SQLite
 * (json_extract, https://www.sqlite.org/json1.html#jex) with the value bound as a parameter.
 */

/** Ids of stored users whose id or UPN is `value` (case-insensitive), newest stored first. */
export function findStoredUserIds(store: Store, value: string): string[] {
  const rows = store.db
    .prepare(
      `SELECT user_id FROM verdict_versions
       WHERE lower(user_id) = lower(?) OR lower(json_extract(data, '$.userPrincipalName')) = lower(?)
       GROUP BY user_id ORDER BY max(last_run) DESC`,
    )
    .raw()
    .all(value, value) as [string][];
  return rows.map(([id]) => id);
}

/** Every stored user's id, UPN and display name, as last stored: the candidates for "closest". */
export function storedUserNames(
  store: Store,
): { id: string; userPrincipalName: string; displayName: string | undefined }[] {
  const rows = store.db
    .prepare(
      `SELECT v.user_id, json_extract(v.data, '$.userPrincipalName'), json_extract(v.data, '$.displayName')
       FROM verdict_versions v
       WHERE v.last_run = (SELECT max(last_run) FROM verdict_versions w WHERE w.user_id = v.user_id)`,
    )
    .raw()
    .all() as [string, string | null, string | null][];
  return rows.map(([id, upn, name]) => ({
    id,
    userPrincipalName: upn ?? id,
    displayName: name ?? undefined,
  }));
}

/** One user's stored assessments, each with the stretch of runs it held for, oldest first. */
export function readUserVerdicts(
  store: Store,
  userId: string,
): { firstRun: number; lastRun: number; assessment: UserAssessment }[] {
  const rows = store.db
    .prepare(
      'SELECT first_run, last_run, data, covered_by FROM verdict_versions WHERE user_id = ? ORDER BY first_run',
    )
    .raw()
    .all(userId) as [number, number, string, string | null][];
  const read = verdictRowReader(store.db);
  return rows.map(([firstRun, lastRun, data, coveredBy]) => ({
    firstRun,
    lastRun,
    assessment: read(data, coveredBy),
  }));
}

/** How many audit events and sign-ins the history holds about a user, and the oldest one's time. */
export function countUserEvents(
  store: Store,
  userId: string,
): { audits: number; signIns: number; oldest: string | null } {
  const rows = store.db
    .prepare('SELECT kind, count(*), min(at) FROM events WHERE user_id = ? GROUP BY kind')
    .raw()
    .all(userId) as ['audit' | 'signIn', number, string][];
  let oldest: string | null = null;
  const out = { audits: 0, signIns: 0 };
  for (const [kind, n, at] of rows) {
    if (kind === 'audit') out.audits = n;
    else out.signIns = n;
    if (oldest === null || at < oldest) oldest = at;
  }
  return { ...out, oldest };
}
