import { createHash } from 'node:crypto';
import type { AuthMethod, DirectoryUser, RegistrationDetail, TenantSnapshot } from '../domain/tenant.js';

/**
 * What the history keeps of one user per run: the directory entry, the registration report row, the
 * methods list and when it was read. A user known only from the report has `user: null`; one whose
 * list was never read has `methods: null`.
 *
 * The row's `lastUpdatedDateTime` says when the report was refreshed, not when the user changed
 * (https://learn.microsoft.com/graph/api/resources/userregistrationdetails). It is kept once per run
 * (`reportRefreshedAt`, the value most rows share) and per user only when it differs, so that a report
 * refresh in which nobody changed adds no row for anyone.
 */
export interface StoredUser {
  user: DirectoryUser | null;
  registration: RegistrationDetail | null;
  methods: AuthMethod[] | null;
  methodsReadAt: string | null;
}

export const hashOf = (text: string): string => createHash('sha256').update(text).digest('base64');

/** The value most report rows share as their `lastUpdatedDateTime` (ties: the latest). */
export function commonRefreshTime(rows: readonly RegistrationDetail[] | undefined): string | null {
  const counts = new Map<string, number>();
  for (const row of rows ?? []) {
    const at = row.lastUpdatedDateTime;
    if (at !== undefined) counts.set(at, (counts.get(at) ?? 0) + 1);
  }
  let best: string | null = null;
  let bestCount = 0;
  for (const [at, n] of counts)
    if (n > bestCount || (n === bestCount && best !== null && at > best)) [best, bestCount] = [at, n];
  return best;
}

/** Encodes a user for storage: the refresh time dropped when it is the run's common one. */
export function encodeUser(stored: StoredUser, refreshedAt: string | null): string {
  let registration = stored.registration;
  if (registration !== null && registration.lastUpdatedDateTime === refreshedAt) {
    const { lastUpdatedDateTime: _common, ...rest } = registration;
    registration = rest;
  }
  return JSON.stringify({ ...stored, registration });
}

/** The inverse of encodeUser: a row without its own refresh time gets the run's. */
export function decodeUser(json: string, refreshedAt: string | null): StoredUser {
  const stored = JSON.parse(json) as StoredUser;
  if (
    stored.registration !== null &&
    stored.registration.lastUpdatedDateTime === undefined &&
    refreshedAt !== null
  )
    stored.registration.lastUpdatedDateTime = refreshedAt;
  return stored;
}

/**
 * Every user of a snapshot as stored: users.json ∪ the report, with the methods list the snapshot
 * holds for them (by id, else by lower-case UPN, as export folders name the files).
 */
export function storedUsers(snapshot: TenantSnapshot, readAtDefault: string | null): Map<string, StoredUser> {
  const registration = new Map((snapshot.registration ?? []).map((r) => [r.id, r]));
  const listOf = (id: string, upn: string | undefined) =>
    snapshot.methods?.get(id) ?? (upn !== undefined ? snapshot.methods?.get(upn.toLowerCase()) : undefined);
  const out = new Map<string, StoredUser>();
  const add = (id: string, user: DirectoryUser | null, row: RegistrationDetail | null, upn?: string) => {
    const list = listOf(id, upn);
    out.set(id, {
      user,
      registration: row,
      methods: list?.methods ?? null,
      methodsReadAt: list === undefined ? null : (list.readAt ?? readAtDefault),
    });
  };
  for (const user of snapshot.users ?? [])
    add(user.id, user, registration.get(user.id) ?? null, user.userPrincipalName);
  for (const row of registration.values())
    if (!out.has(row.id)) add(row.id, null, row, row.userPrincipalName);
  return out;
}
