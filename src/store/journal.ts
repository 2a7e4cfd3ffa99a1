import type { PlanKind } from './plans.js';
import type { Store } from './open-store.js';
import { withWriteLock } from './open-store.js';

export type JournalStatus = 'pending' | 'done' | 'failed' | 'scripted';

/** One write a plan asked for, and what became of it. */
export interface JournalEntry {
  kind: PlanKind;
  plan: string;
  planVersion: number;
  /** The change's identity: the same key every time the plan asks for the same change. */
  key: string;
  /** e.g. add-member, remove-member, create-tap, delete-method, set-default-method. */
  operation: string;
  /** The object written to: a group id, a user id. */
  target: string;
  /** The member added or removed, the method deleted… */
  subject: string | null;
  status: JournalStatus;
  attemptedAt: string;
  doneAt: string | null;
  /** What Graph answered (status, error code and message), as JSON data; never a secret. */
  detail: Record<string, unknown> | null;
}

export type NewJournalEntry = Pick<JournalEntry, 'key' | 'operation' | 'target' | 'subject'>;

interface JournalRow {
  kind: PlanKind;
  plan_name: string;
  plan_version: number;
  change_key: string;
  operation: string;
  target: string;
  subject: string | null;
  status: JournalStatus;
  attempted_at: string;
  done_at: string | null;
  detail: string | null;
}

function toEntry(row: JournalRow): JournalEntry {
  return {
    kind: row.kind,
    plan: row.plan_name,
    planVersion: row.plan_version,
    key: row.change_key,
    operation: row.operation,
    target: row.target,
    subject: row.subject,
    status: row.status,
    attemptedAt: row.attempted_at,
    doneAt: row.done_at,
    detail: row.detail === null ? null : (JSON.parse(row.detail) as Record<string, unknown>),
  };
}

/**
 * Journals changes as `pending` before they are sent, in one transaction. A change already journaled
 * (same kind, plan and key) keeps its row: the caller reads it back and sends only what is not done.
 */
export function journalPending(
  store: Store,
  kind: PlanKind,
  plan: string,
  planVersion: number,
  changes: readonly NewJournalEntry[],
  now: Date,
): void {
  const at = now.toISOString();
  withWriteLock(store.file, () => {
    const insert = store.db.prepare(
      `INSERT INTO journal (kind, plan_name, plan_version, change_key, operation, target, subject, status, attempted_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?)
       ON CONFLICT (kind, plan_name, change_key) DO UPDATE SET attempted_at = excluded.attempted_at
       WHERE journal.status IN ('pending', 'failed')`,
    );
    store.db
      .transaction(() => {
        for (const c of changes)
          insert.run(kind, plan, planVersion, c.key, c.operation, c.target, c.subject, at);
      })
      .immediate();
  });
}

/** Records Graph's answers: each key's new status and detail, in one transaction. */
export function journalOutcomes(
  store: Store,
  kind: PlanKind,
  plan: string,
  outcomes: readonly { key: string; status: JournalStatus; detail?: Record<string, unknown> }[],
  now: Date,
): void {
  const at = now.toISOString();
  withWriteLock(store.file, () => {
    const update = store.db.prepare(
      `UPDATE journal SET status = ?, done_at = ?, detail = ? WHERE kind = ? AND plan_name = ? AND change_key = ?`,
    );
    store.db
      .transaction(() => {
        for (const o of outcomes) {
          const doneAt = o.status === 'pending' ? null : at;
          update.run(
            o.status,
            doneAt,
            o.detail === undefined ? null : JSON.stringify(o.detail),
            kind,
            plan,
            o.key,
          );
        }
      })
      .immediate();
  });
}

/** A plan's journal, oldest first. */
export function readJournal(store: Store, kind: PlanKind, plan: string): JournalEntry[] {
  return store.db
    .prepare<[PlanKind, string], JournalRow>(
      'SELECT * FROM journal WHERE kind = ? AND plan_name = ? ORDER BY id',
    )
    .all(kind, plan)
    .map(toEntry);
}
