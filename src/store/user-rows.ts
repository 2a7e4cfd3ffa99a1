import { createHash } from 'node:crypto';
import { DATASET_FILES } from '../domain/datasets.js';
import type {
  AuthMethod,
  DirectoryUser,
  RegistrationDetail,
  TenantSnapshot,
  UserMethods,
} from '../domain/tenant.js';

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
 * decodeUser for every row of a run: the same users, with the values that repeat among users (user
 * types, method kinds and types, registered method names, device names, app versions, the read time)
 * kept once, and a registration row's id, UPN and name the directory entry's own string when equal.
 * JSON.parse makes a new string for every value: at 100,000 users these copies were some 40 MB.
 */
export function userRowDecoder(refreshedAt: string | null): (json: string) => StoredUser {
  const pool = new Map<string, string>();
  const shared = <T>(value: T): T => {
    if (typeof value !== 'string') return value;
    const known = pool.get(value);
    if (known !== undefined) return known as T;
    pool.set(value, value);
    return value;
  };
  const sharedEach = (list: unknown): void => {
    if (Array.isArray(list)) for (let i = 0; i < list.length; i++) list[i] = shared(list[i] as unknown);
  };
  return (json) => {
    const stored = decodeUser(json, refreshedAt);
    const { user, registration, methods } = stored;
    if (typeof user === 'object' && user !== null && user.userType !== undefined)
      user.userType = shared(user.userType);
    if (typeof registration === 'object' && registration !== null) {
      if (user !== null && typeof user === 'object') {
        if (registration.id === user.id) registration.id = user.id;
        if (registration.userPrincipalName === user.userPrincipalName)
          registration.userPrincipalName = user.userPrincipalName;
        if (registration.userDisplayName !== undefined && registration.userDisplayName === user.displayName)
          registration.userDisplayName = user.displayName;
      }
      if (registration.userType !== undefined) registration.userType = shared(registration.userType);
      sharedEach(registration.methodsRegistered);
      sharedEach(registration.systemPreferredAuthenticationMethods);
      if (registration.defaultMfaMethod !== undefined)
        registration.defaultMfaMethod = shared(registration.defaultMfaMethod);
      if (registration.userPreferredMethodForSecondaryAuthentication !== undefined)
        registration.userPreferredMethodForSecondaryAuthentication = shared(
          registration.userPreferredMethodForSecondaryAuthentication,
        );
    }
    if (Array.isArray(methods))
      for (const m of methods) {
        if (typeof m !== 'object' || m === null) continue;
        m.kind = shared(m.kind);
        m.odataType = shared(m.odataType);
        if (m.displayName !== undefined) m.displayName = shared(m.displayName);
        if (m.deviceTag !== undefined) m.deviceTag = shared(m.deviceTag);
        if (m.phoneAppVersion !== undefined) m.phoneAppVersion = shared(m.phoneAppVersion);
        if (m.clientAppName !== undefined) m.clientAppName = shared(m.clientAppName);
        if (m.phoneType !== undefined) m.phoneType = shared(m.phoneType);
        if (m.smsSignInState !== undefined) m.smsSignInState = shared(m.smsSignInState);
        if (m.createdDateTime !== undefined && user !== null && m.createdDateTime === user.createdDateTime)
          m.createdDateTime = user.createdDateTime;
      }
    if (stored.methodsReadAt !== null) stored.methodsReadAt = shared(stored.methodsReadAt);
    return stored;
  };
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

/** A stored user's methods list as the snapshot holds it (none when it was never read). */
export function methodsList(id: string, stored: StoredUser): UserMethods | undefined {
  if (stored.methods === null) return undefined;
  return {
    key: id,
    source: `${DATASET_FILES.methods}/${id}.json`,
    methods: stored.methods,
    ...(stored.methodsReadAt !== null ? { readAt: stored.methodsReadAt } : {}),
  };
}
