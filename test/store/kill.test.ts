/**
 * kill -9 in the middle of writing a run: a child process (test/store/kill-child.ts) imports a large
 * export into a history that already holds one complete run, and is killed with SIGKILL while its one
 * write transaction is open and has already spilled pages into the WAL. SQLite ignores WAL frames
 * without a commit frame when it next opens the file (https://www.sqlite.org/wal.html), so the earlier
 * run must read as before, the killed run must not exist, and a clean re-run must store exactly what an
 * uninterrupted import stores.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runCli } from '../support/cli.js';
import { generateTenant, DEMO_VOLUME } from '../../src/demo/generate-tenant.js';
import { writeExportFolder } from '../../src/demo/write-export-folder.js';
import { listRuns, openStore } from '../../src/store/index.js';

const USERS = 3000;
const MARK_AT = 2500;
const DAY1 = '2026-11-19T09:00:00Z';
const DAY2 = '2026-11-20T09:00:00Z';

let tmp: string;
let before: string;
let large: string;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'mfa-ready-kill-'));
  before = join(tmp, 'day1');
  large = join(tmp, 'day2');
  // The same tenant on two days: the second import rewrites most users (every time moved a day).
  for (const [dir, collectedAt] of [
    [before, DAY1],
    [large, DAY2],
  ] as const)
    await writeExportFolder(dir, generateTenant({ users: USERS, seed: 5, collectedAt, volume: DEMO_VOLUME }));
}, 120_000);
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** Rows of a read-only connection: what another process sees in the file. */
function rows<T>(file: string, sql: string, ...params: unknown[]): T[] {
  const conn = new Database(file, { readonly: true });
  try {
    return conn.prepare(sql).all(...params) as T[];
  } finally {
    conn.close();
  }
}

/** Everything stored for one run, without the clock values an import takes from the wall clock. */
function runContent(file: string, runId: number) {
  const at = [runId, runId];
  return {
    run: rows(
      file,
      'SELECT id, source, tenant_id, coverage, collected_at, summary FROM runs WHERE id = ?',
      runId,
    ),
    users: rows(
      file,
      'SELECT user_id, data_hash FROM user_versions WHERE first_run <= ? AND last_run >= ? ORDER BY user_id',
      ...at,
    ),
    verdicts: rows(
      file,
      'SELECT user_id, verdict, data_hash FROM verdict_versions WHERE first_run <= ? AND last_run >= ? ORDER BY user_id',
      ...at,
    ),
    datasets: rows(file, 'SELECT dataset, hash FROM run_datasets WHERE run_id = ? ORDER BY dataset', runId),
    events: rows(file, 'SELECT kind, id, at, user_id, data FROM events ORDER BY kind, id'),
  };
}

const auditJson = async (file: string) => {
  const r = await runCli(['audit', '--db', file, '--now', DAY2, '--format', 'json']);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
};

/** Starts the child, resolves once it has written MARK_AT user rows of its open transaction. */
function startKilledImport(db: string) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/store/kill-child.ts', db, large, String(MARK_AT)],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const marked = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no mark within 90 s; stderr: ${err}`)), 90_000);
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes(`MARK ${MARK_AT}`)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`child exited (${code ?? signal}) before the mark: ${out} ${err}`));
    });
  });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_c, s) => resolve(s)));
  return { child, marked, exited };
}

describe('kill -9 during the write of a run', () => {
  it('leaves the earlier run intact, the killed run absent, the file sound; a clean re-run equals an uninterrupted import', async () => {
    const killed = join(tmp, 'killed.db');
    const clean = join(tmp, 'clean.db');
    for (const db of [killed, clean])
      expect((await runCli(['import', '-q', before, '--db', db])).code).toBe(0);
    const firstRun = runContent(killed, 1);
    const firstAudit = await auditJson(killed);
    expect(firstRun.users).toHaveLength(USERS);
    // The first import closed its connection: SQLite checkpointed and removed the WAL.
    expect(existsSync(`${killed}-wal`)).toBe(false);

    const { child, marked, exited } = startKilledImport(killed);
    await marked;
    // Mid-transaction, with uncommitted pages already in the WAL (the page cache spilled).
    const walBytes = statSync(`${killed}-wal`).size;
    expect(walBytes).toBeGreaterThan(1024 * 1024);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    // A fresh connection recovers: only complete, committed runs; the first one as it was.
    const store = openStore(killed);
    try {
      expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(listRuns(store).map((r) => r.id)).toEqual([1]);
    } finally {
      store.close();
    }
    expect(rows(killed, 'SELECT id FROM runs')).toEqual([{ id: 1 }]);
    expect(runContent(killed, 1)).toEqual(firstRun);
    expect(await auditJson(killed)).toBe(firstAudit);

    // The clean re-run, and the same import never interrupted: the same second run, byte for byte.
    const rerun = await runCli(['import', '-q', large, '--db', killed]);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect((await runCli(['import', '-q', large, '--db', clean])).code).toBe(0);
    const resumed = runContent(killed, 2);
    expect(resumed.users).toHaveLength(USERS);
    expect(resumed).toEqual(runContent(clean, 2));
    expect(runContent(killed, 1)).toEqual(runContent(clean, 1));
    const after = await auditJson(killed);
    expect(after).toBe(await auditJson(clean));
    expect(after).not.toBe(firstAudit);
  }, 240_000);
});
