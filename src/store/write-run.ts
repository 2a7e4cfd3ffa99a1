import { createHash } from 'node:crypto';
import type { AuditEvent, SignIn, TenantSnapshot } from '../domain/tenant.js';
import { withWriteLock, type Store } from './open-store.js';

export type RunSource = 'import' | 'collect';

export interface WriteRunOptions {
  source: RunSource;
  toolVersion: string;
  /** When the run started (ISO 8601 UTC). */
  startedAt: string;
  /** The clock the run is marked complete by; a parameter so tests are exact. */
  finishedAt?: () => string;
  /** Called after each user row is written; tests use it to stop a write half-way. */
  afterUser?: (written: number) => void;
}

export interface WrittenRun {
  runId: number;
  users: number;
  /** Users whose data differed from the previous complete run (or who are new): rows added. */
  changedUsers: number;
  /** Events not stored before. */
  newEvents: number;
}

/**
 * What is kept of one user per run: the directory entry, the registration row, the methods list. A
 * user known only from the registration report (an export without users.json) is kept too, with
 * `user: null`.
 */
function userData(snapshot: TenantSnapshot): Map<string, string> {
  const registration = new Map((snapshot.registration ?? []).map((r) => [r.id, r]));
  const methodsOf = (id: string, upn: string | undefined) =>
    (snapshot.methods?.get(id) ?? (upn !== undefined ? snapshot.methods?.get(upn.toLowerCase()) : undefined))
      ?.methods ?? null;
  const data = new Map<string, string>();
  for (const user of snapshot.users ?? []) {
    const row = registration.get(user.id) ?? null;
    data.set(
      user.id,
      JSON.stringify({ user, registration: row, methods: methodsOf(user.id, user.userPrincipalName) }),
    );
  }
  for (const row of registration.values()) {
    if (data.has(row.id)) continue;
    data.set(
      row.id,
      JSON.stringify({ user: null, registration: row, methods: methodsOf(row.id, row.userPrincipalName) }),
    );
  }
  return data;
}

/** The user an audit event is about: its first target of type User, as the audit rules read it. */
function auditUserId(event: AuditEvent): string | null {
  const target = event.targetResources.find((t) => t.type?.toLowerCase() === 'user');
  return target?.id ?? null;
}

const hashOf = (text: string): string => createHash('sha256').update(text).digest('base64');

/**
 * Writes one run in ONE transaction and marks it complete as the transaction's last statement: a run
 * stopped at any point (an exception, kill -9) leaves nothing of itself, and every earlier run intact.
 * A user whose data equals their row in the previous complete run only moves that row's last_run;
 * events are stored once by id. Every value goes through bound parameters.
 */
export function writeRun(store: Store, snapshot: TenantSnapshot, options: WriteRunOptions): WrittenRun {
  const { db } = store;
  const data = userData(snapshot);
  const insertRun = db.prepare(
    `INSERT INTO runs (started_at, finished_at, tool_version, source, tenant_id, coverage)
     VALUES (?, NULL, ?, ?, ?, ?)`,
  );
  const previousRun = db.prepare('SELECT max(id) AS id FROM runs WHERE finished_at IS NOT NULL AND id < ?');
  const previousVersion = db.prepare(
    'SELECT first_run, data_hash FROM user_versions WHERE user_id = ? AND last_run = ?',
  );
  const extend = db.prepare('UPDATE user_versions SET last_run = ? WHERE user_id = ? AND first_run = ?');
  const insertVersion = db.prepare(
    'INSERT INTO user_versions (user_id, first_run, last_run, data_hash, data) VALUES (?, ?, ?, ?, ?)',
  );
  const insertEvent = db.prepare(
    'INSERT OR IGNORE INTO events (kind, id, at, user_id, data) VALUES (?, ?, ?, ?, ?)',
  );
  const finish = db.prepare('UPDATE runs SET finished_at = ? WHERE id = ?');

  const write = db.transaction((): WrittenRun => {
    const runId = Number(
      insertRun.run(
        options.startedAt,
        options.toolVersion,
        options.source,
        snapshot.tenant.tenantId ?? null,
        JSON.stringify(snapshot.coverage),
      ).lastInsertRowid,
    );
    const previous = (previousRun.get(runId) as { id: number | null }).id;
    let written = 0;
    let changedUsers = 0;
    for (const [userId, json] of data) {
      const hash = hashOf(json);
      const before =
        previous === null
          ? undefined
          : (previousVersion.get(userId, previous) as { first_run: number; data_hash: string } | undefined);
      if (before !== undefined && before.data_hash === hash) extend.run(runId, userId, before.first_run);
      else {
        insertVersion.run(userId, runId, runId, hash, json);
        changedUsers++;
      }
      written++;
      options.afterUser?.(written);
    }
    let newEvents = 0;
    for (const event of snapshot.audits ?? [])
      newEvents += insertEvent.run(
        'audit',
        event.id,
        event.activityDateTime,
        auditUserId(event),
        JSON.stringify(event),
      ).changes;
    for (const signIn of snapshot.signIns ?? [])
      newEvents += insertEvent.run(
        'signIn',
        signIn.id,
        signIn.createdDateTime,
        signInUserId(signIn),
        JSON.stringify(signIn),
      ).changes;
    finish.run((options.finishedAt ?? (() => new Date().toISOString()))(), runId);
    return { runId, users: data.size, changedUsers, newEvents };
  });
  return withWriteLock(store.file, () => write.immediate());
}

const signInUserId = (signIn: SignIn): string | null => signIn.userId ?? null;
