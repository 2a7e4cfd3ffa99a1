import type { Store } from './open-store.js';
import { withWriteLock } from './open-store.js';

/** What a stored plan is for: a readiness-gated rollout, or a helpdesk remediation. */
export type PlanKind = 'rollout' | 'remediation';
export type PlanState = 'active' | 'paused' | 'rolled-back' | 'done';

/** One stored version of a plan; `data` is the plan itself, as the command that made it wrote it. */
export interface StoredPlan<T = unknown> {
  kind: PlanKind;
  name: string;
  version: number;
  createdAt: string;
  state: PlanState;
  data: T;
}

interface PlanRow {
  kind: PlanKind;
  name: string;
  version: number;
  created_at: string;
  state: PlanState;
  data: string;
}

function toPlan<T>(row: PlanRow): StoredPlan<T> {
  return {
    kind: row.kind,
    name: row.name,
    version: row.version,
    createdAt: row.created_at,
    state: row.state,
    data: JSON.parse(row.data) as T,
  };
}

/**
 * Stores `data` as the next version of the plan (version 1 for a new name) and returns it. Every
 * version is kept: the journal names the version each change came from.
 */
export function savePlan<T>(store: Store, kind: PlanKind, name: string, data: T, now: Date): StoredPlan<T> {
  return withWriteLock(store.file, () =>
    store.db
      .transaction(() => {
        const last = store.db
          .prepare<[PlanKind, string], { v: number | null }>(
            'SELECT MAX(version) AS v FROM plans WHERE kind = ? AND name = ?',
          )
          .get(kind, name);
        const version = (last?.v ?? 0) + 1;
        const createdAt = now.toISOString();
        store.db
          .prepare(
            "INSERT INTO plans (kind, name, version, created_at, state, data) VALUES (?, ?, ?, ?, 'active', ?)",
          )
          .run(kind, name, version, createdAt, JSON.stringify(data));
        return { kind, name, version, createdAt, state: 'active' as const, data };
      })
      .immediate(),
  );
}

/** The plan's latest version, or undefined when no plan has that name. */
export function readPlan<T>(store: Store, kind: PlanKind, name: string): StoredPlan<T> | undefined {
  const row = store.db
    .prepare<[PlanKind, string], PlanRow>(
      'SELECT * FROM plans WHERE kind = ? AND name = ? ORDER BY version DESC LIMIT 1',
    )
    .get(kind, name);
  return row === undefined ? undefined : toPlan<T>(row);
}

/** Every plan of a kind, latest version of each, by name. */
export function listPlans<T>(store: Store, kind: PlanKind): StoredPlan<T>[] {
  const rows = store.db
    .prepare<[PlanKind, PlanKind], PlanRow>(
      `SELECT p.* FROM plans p
       JOIN (SELECT name, MAX(version) AS version FROM plans WHERE kind = ? GROUP BY name) l
         ON l.name = p.name AND l.version = p.version
       WHERE p.kind = ? ORDER BY p.name`,
    )
    .all(kind, kind);
  return rows.map((r) => toPlan<T>(r));
}

/** Sets the state of the plan's latest version (pause, resume, roll back, finish). */
export function setPlanState(store: Store, kind: PlanKind, name: string, state: PlanState): boolean {
  return withWriteLock(store.file, () => {
    const info = store.db
      .prepare(
        `UPDATE plans SET state = ? WHERE kind = ? AND name = ?
         AND version = (SELECT MAX(version) FROM plans WHERE kind = ? AND name = ?)`,
      )
      .run(state, kind, name, kind, name);
    return info.changes > 0;
  });
}
