import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runCli } from '../support/cli.js';
import { load } from '../../src/load/index.js';
import { EVIDENCE_RULES } from '../../src/assess/index.js';
import { StoreBusy } from '../../src/domain/errors.js';
import {
  listRuns,
  openStore,
  readRunSnapshot,
  readRunUsers,
  SCHEMA_VERSION,
  writeRun,
} from '../../src/store/index.js';
import { MIGRATIONS } from '../../src/store/migrations.js';

const SMALL = 'test/fixtures/inputs/export-small';
const ALICE = '11111111-1111-4111-8111-111111111111';

let tmp: string;
let db: string;
beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'mfa-ready-store-'));
  db = join(tmp, 'history.db');
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const importDir = (dir: string, file = db) => runCli(['import', dir, '--db', file]);

/** Runs a query on the database file through a fresh read-only connection. */
function query<T>(sql: string, ...params: unknown[]): T[] {
  const conn = new Database(db, { readonly: true });
  try {
    return conn.prepare(sql).all(...params) as T[];
  } finally {
    conn.close();
  }
}
const count = (table: 'runs' | 'user_versions' | 'events' | 'verdict_versions' | 'blobs'): number =>
  query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`)[0]!.n;

/** A copy of the small export whose users.json has Alice's display name replaced. */
async function withAliceNamed(name: string): Promise<string> {
  const dir = join(tmp, `export-${count.length}-${Math.random().toString(36).slice(2)}`);
  await cp(SMALL, dir, { recursive: true });
  const file = join(dir, 'users.json');
  const text = await readFile(file, 'utf8');
  expect(text).toContain('"Alice Anders"');
  await writeFile(file, text.replace('"Alice Anders"', JSON.stringify(name)));
  return dir;
}

describe('the history database: opening and migrations', () => {
  it('creates a fresh file at the current schema, in WAL mode, with the run tables', () => {
    const store = openStore(db);
    try {
      expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
      const tables = store.db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .all()
        .map((r) => (r as { name: string }).name);
      expect(tables).toEqual([
        'blobs',
        'events',
        'journal',
        'plans',
        'run_datasets',
        'runs',
        'user_versions',
        'verdict_versions',
      ]);
    } finally {
      store.close();
    }
    // Opening again does not migrate twice (the CREATE TABLEs would fail).
    openStore(db).close();
  });

  it('migrates a schema-1 database in place: its runs and users stay readable, new runs store the rest', async () => {
    // A database as the first release of the store wrote it: migration 1 only, one run with one user.
    const old = new Database(db);
    old.exec(MIGRATIONS[0] as string);
    old.pragma('user_version = 1');
    old
      .prepare(
        `INSERT INTO runs (started_at, finished_at, tool_version, source, tenant_id, coverage)
         VALUES ('2026-11-01T00:00:00Z', '2026-11-01T00:01:00Z', '0.1.0', 'import', 't', '{}')`,
      )
      .run();
    old
      .prepare(
        "INSERT INTO user_versions (user_id, first_run, last_run, data_hash, data) VALUES ('u1', 1, 1, 'h', ?)",
      )
      .run(
        JSON.stringify({
          user: { id: 'u1', userPrincipalName: 'u1@contoso.com' },
          registration: null,
          methods: null,
        }),
      );
    old.close();

    const store = openStore(db);
    try {
      expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      const runs = listRuns(store);
      expect(runs.map((r) => [r.id, r.collectedAt, r.summary])).toEqual([[1, null, null]]);
      expect([...readRunUsers(store, 1).keys()]).toEqual(['u1']);
      const snapshot = await load({ kind: 'folder', dir: SMALL }, 'store', { rules: EVIDENCE_RULES });
      const written = writeRun(store, snapshot, {
        source: 'import',
        toolVersion: 't',
        startedAt: '2026-11-02T00:00:00Z',
      });
      expect(written.runId).toBe(2);
      expect(readRunSnapshot(store, listRuns(store)[1]!).conditionalAccess).toEqual(
        snapshot.conditionalAccess,
      );
    } finally {
      store.close();
    }
  });

  it('refuses a database written by a newer mfa-ready with exit 2, and leaves the file byte-for-byte untouched', async () => {
    const newer = new Database(db);
    newer.exec('CREATE TABLE from_the_future (x TEXT)');
    newer.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    newer.close();
    const before = await readFile(db);

    const r = await importDir(SMALL);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${db} was written by a newer mfa-ready`);
    expect(r.stderr).toContain('Upgrade mfa-ready');
    expect(r.stderr).not.toContain('internal error');
    expect(Buffer.compare(await readFile(db), before)).toBe(0);
    expect(existsSync(`${db}-wal`)).toBe(false);
  });

  it('a file that is not SQLite is refused with exit 2 naming it', async () => {
    await writeFile(db, 'this is a text file, not a database, and long enough to have a header\n'.repeat(4));
    const r = await importDir(SMALL);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${db} is not an mfa-ready history database`);
  });
});

describe('mfa-ready import', () => {
  it('writes one complete run with the users, their methods and the evidence events', async () => {
    const r = await importDir(SMALL);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('as run 1');
    const runs = query<{
      id: number;
      finished_at: string | null;
      source: string;
      tenant_id: string;
      coverage: string;
    }>('SELECT * FROM runs');
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      id: 1,
      source: 'import',
      tenant_id: 'aaaaaaaa-0000-4000-8000-000000000001',
    });
    expect(runs[0]!.finished_at).not.toBeNull();
    expect(JSON.parse(runs[0]!.coverage)).toMatchObject({ users: { present: true } });
    const alice = query<{ data: string }>('SELECT data FROM user_versions WHERE user_id = ?', ALICE);
    expect(alice).toHaveLength(1);
    const data = JSON.parse(alice[0]!.data) as {
      user: { userPrincipalName: string };
      methods: { kind: string }[];
    };
    expect(data.user.userPrincipalName).toBe('alice@contoso.com');
    expect(data.methods.map((m) => m.kind)).toContain('temporaryAccessPass');
    expect(count('events')).toBeGreaterThan(0);
  });

  it('an export with only the registration report (no users.json) still stores its users', async () => {
    const dir = join(tmp, 'registration-only');
    await cp(SMALL, dir, { recursive: true });
    await rm(join(dir, 'users.json'));
    const registration = await readFile(join(SMALL, 'userRegistrationDetails.json'), 'utf8');
    expect(registration).toContain(ALICE);
    expect((await importDir(dir)).code).toBe(0);
    const alice = query<{ data: string }>('SELECT data FROM user_versions WHERE user_id = ?', ALICE);
    expect(alice).toHaveLength(1);
    const data = JSON.parse(alice[0]!.data) as {
      user: null;
      registration: { id: string };
      methods: unknown[];
    };
    expect(data.user).toBeNull();
    expect(data.registration.id).toBe(ALICE);
    expect(data.methods.length).toBeGreaterThan(0);
  });

  it('a second import with nothing changed adds a run but no user rows, no verdict rows, no blobs and no events', async () => {
    expect((await importDir(SMALL)).code).toBe(0);
    const users = count('user_versions');
    const verdicts = count('verdict_versions');
    const blobs = count('blobs');
    const events = count('events');
    expect(users).toBeGreaterThan(0);
    expect(verdicts).toBe(users);

    const r = await importDir(SMALL);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('(0 new or changed, 0 verdicts changed), 0 new events');
    expect(count('runs')).toBe(2);
    expect(count('user_versions')).toBe(users);
    expect(count('verdict_versions')).toBe(verdicts);
    expect(count('blobs')).toBe(blobs);
    expect(count('events')).toBe(events);
    // Every unchanged user now reaches the second run.
    expect(query('SELECT * FROM user_versions WHERE first_run = 1 AND last_run = 2')).toHaveLength(users);
  });

  it('an event seen in two imports is stored once; only the new ones are added', async () => {
    const fresh = join(tmp, 'fresh.db');
    expect((await importDir(SMALL, fresh)).code).toBe(0);
    const conn = new Database(fresh, { readonly: true });
    const all = conn.prepare('SELECT kind, id FROM events ORDER BY kind, id').all();
    conn.close();
    const signIns = all.filter((e) => (e as { kind: string }).kind === 'signIn').length;
    expect(signIns).toBeGreaterThan(0);

    const noSignIns = join(tmp, 'no-sign-ins');
    await cp(SMALL, noSignIns, { recursive: true });
    await writeFile(join(noSignIns, 'signIns.json'), JSON.stringify({ value: [] }));
    expect((await importDir(noSignIns)).code).toBe(0);
    expect(count('events')).toBe(all.length - signIns);

    const r = await importDir(SMALL);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`${signIns} new events`);
    expect(query('SELECT kind, id FROM events ORDER BY kind, id')).toEqual(all);
  });

  it('a changed user gets a new row; the others only reach the new run', async () => {
    expect((await importDir(SMALL)).code).toBe(0);
    const users = count('user_versions');
    expect((await importDir(await withAliceNamed('Alice Anders-Berg'))).code).toBe(0);
    expect(count('user_versions')).toBe(users + 1);
    const alice = query<{ first_run: number; last_run: number }>(
      'SELECT first_run, last_run FROM user_versions WHERE user_id = ? ORDER BY first_run',
      ALICE,
    );
    expect(alice).toEqual([
      { first_run: 1, last_run: 1 },
      { first_run: 2, last_run: 2 },
    ]);
  });

  it('a display name that looks like SQL is stored and read back as text', async () => {
    const name = "Robert'); DROP TABLE users;--";
    const r = await importDir(await withAliceNamed(name));
    expect(r.code).toBe(0);
    const row = query<{ data: string }>('SELECT data FROM user_versions WHERE user_id = ?', ALICE)[0]!;
    expect((JSON.parse(row.data) as { user: { displayName: string } }).user.displayName).toBe(name);
    expect(count('runs')).toBe(1);
  });

  it('a group name and a Conditional Access policy name that look like SQL are stored and read back as text', async () => {
    const group = "MFA'); DELETE FROM runs; --";
    const policy = "x' OR '1'='1'; DROP TABLE user_versions; --";
    const dir = join(tmp, 'sql-names');
    await cp(SMALL, dir, { recursive: true });
    for (const [file, from, to] of [
      ['groups.json', 'MFA_Required', group],
      ['conditionalAccessPolicies.json', 'Require MFA for MFA_Required', policy],
    ] as const) {
      const text = await readFile(join(dir, file), 'utf8');
      expect(text).toContain(`"${from}"`);
      await writeFile(join(dir, file), text.replace(`"${from}"`, JSON.stringify(to)));
    }
    expect((await importDir(dir)).code).toBe(0);
    expect((await importDir(dir)).code).toBe(0);
    const store = openStore(db);
    try {
      const runs = listRuns(store);
      expect(runs.map((r) => r.id)).toEqual([1, 2]);
      const snapshot = readRunSnapshot(store, runs[1]!);
      expect(snapshot.groups?.map((g) => g.displayName)).toContain(group);
      expect(snapshot.conditionalAccess?.map((p) => p.displayName)).toContain(policy);
    } finally {
      store.close();
    }
    expect(count('user_versions')).toBeGreaterThan(0);
    // And shown as text: the report names the group as it is.
    const r = await runCli(['audit', '--db', db, '--scope-group', group, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).population.scopeGroups).toEqual([
      { id: '99999999-0000-4000-8000-000000000001', displayName: group },
    ]);
  });

  it('secrets never enter the store: the TAP value, phone number and e-mail are not in the file bytes', async () => {
    const methods = await readFile(join(SMALL, 'authenticationMethods', `${ALICE}.json`), 'utf8');
    // The fixture does carry them, so the grep below can fail.
    for (const secret of ['Tap-SECRET-9f3k', '+1 2065550123', 'alice.private@example.org'])
      expect(methods).toContain(secret);
    expect((await importDir(SMALL)).code).toBe(0);
    const store = openStore(db);
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    store.close();
    for (const file of [db, `${db}-wal`]) {
      if (!existsSync(file)) continue;
      const bytes = await readFile(file);
      expect(bytes.length).toBeGreaterThan(0);
      for (const secret of ['Tap-SECRET-9f3k', '2065550123', 'alice.private@example.org'])
        expect(bytes.includes(Buffer.from(secret)), `${secret} in ${file}`).toBe(false);
    }
    // The method itself is there (a TAP exists), only its value is not.
    expect((await readFile(db)).includes(Buffer.from('temporaryAccessPass'))).toBe(true);
  });

  it('an import stopped half-way leaves nothing of itself; the earlier complete run is intact and the next import works', async () => {
    expect((await importDir(SMALL)).code).toBe(0);
    const before = query('SELECT * FROM user_versions ORDER BY user_id');
    const eventsBefore = count('events');

    const changed = await load({ kind: 'folder', dir: await withAliceNamed('Alice Changed') }, 'store', {
      rules: EVIDENCE_RULES,
    });
    changed.signIns = [...(changed.signIns ?? []), { ...changed.signIns![0]!, id: 'si-new-one' }];
    const store = openStore(db);
    try {
      expect(() =>
        writeRun(store, changed, {
          source: 'import',
          toolVersion: 'test',
          startedAt: '2024-05-11T00:00:00Z',
          afterUser: (n) => {
            if (n === 2) throw new Error('killed');
          },
        }),
      ).toThrow('killed');
    } finally {
      store.close();
    }
    expect(query<{ id: number }>('SELECT id FROM runs')).toEqual([{ id: 1 }]);
    expect(query('SELECT * FROM user_versions ORDER BY user_id')).toEqual(before);
    expect(count('events')).toBe(eventsBefore);

    const r = await importDir(SMALL);
    expect(r.code).toBe(0);
    expect(query<{ id: number }>('SELECT id FROM runs WHERE finished_at IS NOT NULL')).toHaveLength(2);
  });

  it('refuses an unfinished collection folder with exit 2, writing nothing', async () => {
    const dir = join(tmp, 'unfinished');
    await cp(SMALL, dir, { recursive: true });
    // The collector's state file: the sign-ins part stopped half-way.
    await writeFile(
      join(dir, '.collect-state.json'),
      JSON.stringify({
        version: 1,
        parts: {
          users: { phase: 'complete', rows: 2, pages: 1 },
          signInsInteractive: { phase: 'in-progress', rows: 1, pages: 1 },
        },
      }),
    );
    const r = await importDir(dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the collection in this folder did not finish');
    expect(existsSync(db)).toBe(false);
  });
});

describe('one writer at a time', () => {
  it('a second writer gets StoreBusy naming the file', () => {
    openStore(db).close();
    const holder = new Database(db);
    holder.prepare('BEGIN IMMEDIATE').run();
    const store = openStore(db, { busyTimeoutMs: 50 });
    try {
      const error = (() => {
        try {
          writeRun(store, { tenant: {}, coverage: {} } as never, {
            source: 'import',
            toolVersion: 't',
            startedAt: 'x',
          });
        } catch (err) {
          return err;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(StoreBusy);
      expect((error as StoreBusy).exitCode).toBe(3);
    } finally {
      store.close();
      holder.prepare('ROLLBACK').run();
      holder.close();
    }
  });

  it('mfa-ready import while another run writes: exit 3 and the words to act on', async () => {
    openStore(db).close();
    const holder = new Database(db);
    holder.prepare('BEGIN IMMEDIATE').run();
    try {
      const r = await importDir(SMALL);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(`another mfa-ready run is writing to ${db}; wait for it or use --db`);
      expect(r.stderr).not.toContain('internal error');
    } finally {
      holder.prepare('ROLLBACK').run();
      holder.close();
    }
    expect(count('runs')).toBe(0);
  }, 20_000);
});
