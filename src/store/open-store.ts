import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { InputError, StoreBusy } from '../domain/errors.js';
import { migrate, SCHEMA_VERSION, userVersion } from './migrations.js';

/** An open history database and the file it is. */
export interface Store {
  db: Database.Database;
  file: string;
  close(): void;
}

export interface OpenStoreOptions {
  /** How long a write waits for another writer before StoreBusy (default 5 s). */
  busyTimeoutMs?: number;
}

/** SQLite's "the database is locked by another connection" results (https://www.sqlite.org/rescode.html#busy). */
function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/** Runs `write` and turns SQLite's busy answer into the typed StoreBusy naming the file. */
export function withWriteLock<T>(file: string, write: () => T): T {
  try {
    return write();
  } catch (err) {
    if (isBusy(err)) throw new StoreBusy(file);
    throw err;
  }
}

/**
 * Opens (creating when missing) the history database: refuses one written by a newer mfa-ready before
 * changing anything in it, then WAL mode, a busy timeout and the migrations. Writes take SQLite's
 * single write lock (BEGIN IMMEDIATE); a second writer waits busyTimeoutMs, then gets StoreBusy.
 */
export function openStore(file: string, options: OpenStoreOptions = {}): Store {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  let db: Database.Database;
  try {
    db = new Database(file);
  } catch (err) {
    throw new InputError(
      `cannot open the history database ${file}: ${(err as Error).message}`,
      undefined,
      'Choose another file with --db FILE.',
    );
  }
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
    let found: number;
    try {
      found = withWriteLock(file, () => userVersion(db));
    } catch (err) {
      if ((err as { code?: unknown }).code === 'SQLITE_NOTADB')
        throw new InputError(
          `${file} is not an mfa-ready history database (not SQLite)`,
          undefined,
          'Choose another file with --db FILE.',
        );
      throw err;
    }
    if (found > SCHEMA_VERSION)
      throw new InputError(
        `${file} was written by a newer mfa-ready (schema ${found}; this version reads up to ${SCHEMA_VERSION}); it was left untouched`,
        undefined,
        'Upgrade mfa-ready, or choose another file with --db FILE.',
      );
    // 16 KiB pages, set before a new file's first write (no effect on an existing one): a user's row
    // (1 to 2 KB of JSON) then fits in its B-tree page. With the default 4 KiB, a WITHOUT ROWID row over
    // about 1 KB spills into an overflow page of its own (https://www.sqlite.org/withoutrowid.html#when_to_use_without_rowid,
    // https://www.sqlite.org/fileformat2.html#b_tree_pages): a 100,000-user first run took 3.4 × its size.
    db.pragma('page_size = 16384');
    // WAL: readers (an audit) never wait for the writer (https://www.sqlite.org/wal.html).
    withWriteLock(file, () => db.pragma('journal_mode = WAL'));
    db.pragma('foreign_keys = ON');
    withWriteLock(file, () => migrate(db));
  } catch (err) {
    db.close();
    throw err;
  }
  return { db, file, close: () => db.close() };
}

/**
 * Takes the database's write lock for a whole collection (BEGIN IMMEDIATE) and keeps it until
 * `commit` or `rollback`: a second collect or import waits busyTimeoutMs, then gets StoreBusy, instead
 * of collecting the same tenant side by side. Readers are not blocked (WAL). A process killed while
 * holding it leaves nothing: SQLite rolls the open transaction back on the next open.
 * The run itself is written inside it (writeRun's transaction becomes a savepoint).
 */
export function holdWriteLock(store: Store): { commit(): void; rollback(): void } {
  withWriteLock(store.file, () => store.db.exec('BEGIN IMMEDIATE'));
  let open = true;
  const end = (sql: string) => {
    if (!open) return;
    open = false;
    if (store.db.inTransaction) store.db.exec(sql);
  };
  return { commit: () => end('COMMIT'), rollback: () => end('ROLLBACK') };
}
