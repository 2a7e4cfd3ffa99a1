import type { AuditEvent, SignIn, TenantSnapshot } from '../domain/tenant.js';
import type { Assessment } from '../domain/verdict.js';
import type { RunSummary } from '../domain/history.js';
import { withWriteLock, type Store } from './open-store.js';
import {
  ASSESSMENT_FRAME,
  BLOB_DATASETS,
  type AssessmentFrame,
  POLICY_FINGERPRINTS,
  REPORT_REFRESHED_AT,
  writeRunDatasets,
  type PolicyFingerprints,
} from './run-datasets.js';
import { commonRefreshTime, encodeUser, hashOf, storedUsers } from './user-rows.js';
import { verdictRowParts } from './verdict-rows.js';

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
  /**
   * The snapshot's assessment and its summary: stored per user (by change) and for `history`; with
   * each user's stable-until time (src/assess/clock.ts) and the frame, for reading it again later.
   */
  assessment?: {
    assessment: Assessment;
    summary: RunSummary;
    stableUntil?: ReadonlyMap<string, number>;
    frame?: AssessmentFrame;
  };
  /**
   * The events to store (default: the snapshot's). A snapshot already merged with the stored history
   * (withStoredHistory) passes the fresh ones only: the others are stored already.
   */
  events?: { audits: readonly AuditEvent[]; signIns: readonly SignIn[] };
  /** `--retain DAYS`: events before this time (ISO 8601 UTC) are deleted in the same transaction. */
  retainAfter?: string;
  /** The policies' fingerprints, for the next refresh (run-datasets.ts POLICY_FINGERPRINTS). */
  policyFingerprints?: PolicyFingerprints;
}

export interface WrittenRun {
  runId: number;
  users: number;
  /** Users whose data differed from the previous complete run (or who are new): rows added. */
  changedUsers: number;
  /** Users whose verdict, confidence, methods or evidence differed from the previous run's. */
  changedVerdicts: number;
  /** Events not stored before. */
  newEvents: number;
  /** Events deleted by `--retain`. */
  expiredEvents: number;
}

/** Code-unit order, as SQLite's BINARY collation compares keys. */
const byKey = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The user an audit event is about: its first target of type User, as the audit rules read it. */
export function auditUserId(event: AuditEvent): string | null {
  const target = event.targetResources.find((t) => t.type?.toLowerCase() === 'user');
  return target?.id ?? null;
}

/** The user a sign-in is about: its userId. */
export function signInUserId(signIn: SignIn): string | null {
  return signIn.userId ?? null;
}

/** The user each event is filed under (the events table's `user_id`). */
export const FILED_OWNERS = { audit: auditUserId, signIn: signInUserId };

/**
 * Stable-until as stored: epoch ms, with "never" as the largest time a Date holds (an INTEGER column
 * has no infinity), and NULL when the run was stored without it.
 */
const NEVER_MS = 8.64e15;
const stableUntilColumn = (ms: number | undefined): number | null =>
  ms === undefined ? null : Math.min(ms, NEVER_MS);

/**
 * Versioned per-user rows (user_versions, verdict_versions): a row per stretch of runs without change.
 * `columns` are a table's own columns beyond the key, hash and data, written with a new row; `kept`
 * the ones of them an unchanged later run sets again (a verdict's stable-until is its last run's).
 * Column names are this file's constants, never input.
 */
function versionWriter(
  store: Store,
  table: 'user_versions' | 'verdict_versions',
  columns: readonly string[] = [],
  kept: readonly string[] = [],
) {
  const { db } = store;
  const before = db.prepare(`SELECT first_run, data_hash FROM ${table} WHERE user_id = ? AND last_run = ?`);
  const extend = db.prepare(
    `UPDATE ${table} SET ${['last_run', ...kept].map((c) => `${c} = ?`).join(', ')} WHERE user_id = ? AND first_run = ?`,
  );
  const all = ['user_id', 'first_run', 'last_run', 'data_hash', 'data', ...columns];
  const insert = db.prepare(
    `INSERT INTO ${table} (${all.join(', ')}) VALUES (${all.map(() => '?').join(', ')})`,
  );
  const keptAt = kept.map((c) => columns.indexOf(c));
  /** Writes one user's data for runId; true when it is a new row (changed or new user). */
  return (
    runId: number,
    previous: number | null,
    userId: string,
    data: string,
    hash: string = hashOf(data),
    values: readonly unknown[] = [],
  ): boolean => {
    const prior =
      previous === null
        ? undefined
        : (before.get(userId, previous) as { first_run: number; data_hash: string } | undefined);
    if (prior !== undefined && prior.data_hash === hash) {
      extend.run(runId, ...keptAt.map((i) => values[i]), userId, prior.first_run);
      return false;
    }
    insert.run(userId, runId, runId, hash, data, ...values);
    return true;
  };
}

/**
 * Writes one run in ONE transaction and marks it complete as the transaction's last statement: a run
 * stopped at any point (an exception, kill -9) leaves nothing of itself, and every earlier run intact.
 * A user whose data equals their row in the previous complete run only moves that row's last_run;
 * datasets are stored once by content; events once by id. Every value goes through bound parameters.
 */
export function writeRun(store: Store, snapshot: TenantSnapshot, options: WriteRunOptions): WrittenRun {
  const { db } = store;
  const refreshedAt = commonRefreshTime(snapshot.registration);
  const collectedAt = snapshot.tenant.collectedAt ?? null;
  const users = storedUsers(snapshot, collectedAt ?? options.startedAt);
  const insertRun = db.prepare(
    `INSERT INTO runs (started_at, finished_at, tool_version, source, tenant_id, coverage, collected_at, summary)
     VALUES (?, NULL, ?, ?, ?, ?, ?, ?)`,
  );
  const previousRun = db.prepare('SELECT max(id) AS id FROM runs WHERE finished_at IS NOT NULL AND id < ?');
  const insertEvent = db.prepare(
    'INSERT OR IGNORE INTO events (kind, id, at, user_id, data) VALUES (?, ?, ?, ?, ?)',
  );
  const expire = db.prepare('DELETE FROM events WHERE at < ?');
  const finish = db.prepare('UPDATE runs SET finished_at = ? WHERE id = ?');
  const writeUser = versionWriter(store, 'user_versions');
  const writeVerdict = versionWriter(
    store,
    'verdict_versions',
    ['verdict', 'stable_until', 'covered_by'],
    ['stable_until'],
  );
  const putBlob = db.prepare('INSERT OR IGNORE INTO blobs (hash, data) VALUES (?, ?)');

  const write = db.transaction((): WrittenRun => {
    const runId = Number(
      insertRun.run(
        options.startedAt,
        options.toolVersion,
        options.source,
        snapshot.tenant.tenantId ?? null,
        JSON.stringify(snapshot.coverage),
        collectedAt,
        options.assessment === undefined ? null : JSON.stringify(options.assessment.summary),
      ).lastInsertRowid,
    );
    const previous = (previousRun.get(runId) as { id: number | null }).id;

    const datasets = new Map<string, unknown>(BLOB_DATASETS.map((d) => [d, snapshot[d]]));
    datasets.set(REPORT_REFRESHED_AT, refreshedAt ?? undefined);
    datasets.set(POLICY_FINGERPRINTS, options.policyFingerprints);
    datasets.set(ASSESSMENT_FRAME, options.assessment?.frame);
    writeRunDatasets(db, runId, datasets);

    let written = 0;
    let changedUsers = 0;
    // In key order: SQLite then appends to its B-trees and fills their pages, where random GUID order
    // splits pages and leaves them half empty (a 100,000-user first run took 3.4 × its data's size).
    for (const userId of [...users.keys()].sort()) {
      const stored = users.get(userId)!;
      if (writeUser(runId, previous, userId, encodeUser(stored, refreshedAt))) changedUsers++;
      written++;
      options.afterUser?.(written);
    }
    let changedVerdicts = 0;
    const assessed = [...(options.assessment?.assessment.users ?? [])].sort((a, b) => byKey(a.id, b.id));
    const stableUntil = options.assessment?.stableUntil;
    // Each distinct coverage once: a statement per user that finds it stored is 100,000 of them.
    const blobsPut = new Set<string>();
    for (const u of assessed) {
      const { data, hash, coveredBy } = verdictRowParts(u);
      if (coveredBy !== null && !blobsPut.has(coveredBy.hash)) {
        putBlob.run(coveredBy.hash, coveredBy.json);
        blobsPut.add(coveredBy.hash);
      }
      const values = [u.verdict, stableUntilColumn(stableUntil?.get(u.id)), coveredBy?.hash ?? null];
      if (writeVerdict(runId, previous, u.id, data, hash, values)) changedVerdicts++;
    }
    let newEvents = 0;
    const events = options.events ?? { audits: snapshot.audits ?? [], signIns: snapshot.signIns ?? [] };
    for (const event of [...events.audits].sort((a, b) => byKey(a.id, b.id)))
      newEvents += insertEvent.run(
        'audit',
        event.id,
        event.activityDateTime,
        auditUserId(event),
        JSON.stringify(event),
      ).changes;
    for (const signIn of [...events.signIns].sort((a, b) => byKey(a.id, b.id)))
      newEvents += insertEvent.run(
        'signIn',
        signIn.id,
        signIn.createdDateTime,
        signInUserId(signIn),
        JSON.stringify(signIn),
      ).changes;
    const expiredEvents = options.retainAfter === undefined ? 0 : expire.run(options.retainAfter).changes;
    finish.run((options.finishedAt ?? (() => new Date().toISOString()))(), runId);
    return { runId, users: users.size, changedUsers, changedVerdicts, newEvents, expiredEvents };
  });
  return withWriteLock(store.file, () => write.immediate());
}
