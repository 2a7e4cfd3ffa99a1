import type Database from 'better-sqlite3';

/**
 * The schema, one migration per version: migration N takes a database at `user_version` N-1 to N.
 * Append only: a released migration is never edited, a change is a new one.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: runs, per-user versions that grow with change only, events stored once by id.
  `
  CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    -- NULL until every row of the run is written: readers only trust complete runs.
    finished_at TEXT,
    tool_version TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('import', 'collect')),
    tenant_id TEXT,
    coverage TEXT NOT NULL
  );
  -- One row per stretch of complete runs in which a user's data did not change: a refresh that
  -- changes nothing moves last_run forward and adds no row.
  CREATE TABLE user_versions (
    user_id TEXT NOT NULL,
    first_run INTEGER NOT NULL REFERENCES runs (id),
    last_run INTEGER NOT NULL REFERENCES runs (id),
    data_hash TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (user_id, first_run)
  ) WITHOUT ROWID;
  CREATE INDEX user_versions_by_last_run ON user_versions (last_run, user_id);
  -- Audit events and sign-ins, once by id however many runs saw them. Keyed by (kind, id): the two
  -- logs are separate id spaces.
  CREATE TABLE events (
    kind TEXT NOT NULL CHECK (kind IN ('audit', 'signIn')),
    id TEXT NOT NULL,
    at TEXT NOT NULL,
    user_id TEXT,
    data TEXT NOT NULL,
    PRIMARY KEY (kind, id)
  ) WITHOUT ROWID;
  CREATE INDEX events_by_user ON events (user_id, at);
  `,
  // 2: a run's whole snapshot and its assessment. Datasets other than the per-user ones (tenant,
  // groups and members, policies, domains) are stored once by content: an unchanged policy adds nothing.
  // Verdicts grow with change like user_versions. The summary (counts, funnel, scope) is what `history`
  // reads, without touching the per-user tables.
  `
  ALTER TABLE runs ADD COLUMN collected_at TEXT;
  ALTER TABLE runs ADD COLUMN summary TEXT;
  CREATE TABLE blobs (
    hash TEXT PRIMARY KEY,
    data TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE run_datasets (
    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    dataset TEXT NOT NULL,
    hash TEXT NOT NULL REFERENCES blobs (hash),
    PRIMARY KEY (run_id, dataset)
  ) WITHOUT ROWID;
  CREATE TABLE verdict_versions (
    user_id TEXT NOT NULL,
    first_run INTEGER NOT NULL REFERENCES runs (id),
    last_run INTEGER NOT NULL REFERENCES runs (id),
    data_hash TEXT NOT NULL,
    verdict TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (user_id, first_run)
  ) WITHOUT ROWID;
  CREATE INDEX verdict_versions_by_last_run ON verdict_versions (last_run, user_id);
  CREATE INDEX events_by_at ON events (kind, at);
  `,
  // 3: the plans mfa-ready acts on (a rollout, a remediation), each version kept, and the journal of
  // every write they make: a change is journaled before it is sent and marked once Graph answered, so a
  // re-run after a crash sends nothing already done. Never a secret: a Temporary Access Pass value goes
  // only to the owner-only file the remediation writes.
  `
  CREATE TABLE plans (
    kind TEXT NOT NULL CHECK (kind IN ('rollout', 'remediation')),
    name TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    -- active, paused, rolled-back, done: set on the plan's latest version.
    state TEXT NOT NULL DEFAULT 'active',
    data TEXT NOT NULL,
    PRIMARY KEY (kind, name, version)
  ) WITHOUT ROWID;
  CREATE TABLE journal (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('rollout', 'remediation')),
    plan_name TEXT NOT NULL,
    plan_version INTEGER NOT NULL,
    -- The change's identity, the same every time the plan asks for it (e.g. add:<group>:<user>:wave-2).
    change_key TEXT NOT NULL,
    operation TEXT NOT NULL,
    target TEXT NOT NULL,
    subject TEXT,
    -- pending: journaled, maybe sent; done: Graph answered success (or "already so"); failed: Graph
    -- refused (detail says why); scripted: written to a script for an on-premises group.
    status TEXT NOT NULL CHECK (status IN ('pending', 'done', 'failed', 'scripted')),
    attempted_at TEXT NOT NULL,
    done_at TEXT,
    detail TEXT,
    UNIQUE (kind, plan_name, change_key)
  );
  CREATE INDEX journal_by_target ON journal (target, subject);
  `,
  // 4: until when each stored assessment holds (epoch ms; src/assess/clock.ts): a run read again at a
  // later clock assesses again only the users past it. NULL (rows written before): assess again. And
  // the user's covering policies, stored once by content (src/store/verdict-rows.ts).
  `
  ALTER TABLE verdict_versions ADD COLUMN stable_until INTEGER;
  ALTER TABLE verdict_versions ADD COLUMN covered_by TEXT REFERENCES blobs (hash);
  `,
];

/** The schema version this build writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

export function userVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the database to SCHEMA_VERSION in one immediate transaction (all migrations or none). The
 * caller has already refused a database newer than this build.
 */
export function migrate(db: Database.Database): void {
  if (userVersion(db) === SCHEMA_VERSION) return;
  db.transaction(() => {
    // Read again inside the write lock: another process may have migrated meanwhile.
    const from = userVersion(db);
    for (let v = from; v < SCHEMA_VERSION; v++) db.exec(MIGRATIONS[v] as string);
    // PRAGMA takes no bound parameters; SCHEMA_VERSION is a number of this build, not input.
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}
