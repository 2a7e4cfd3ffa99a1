/**
 * Benchmark of the history database (src/store). Not part of `npm test`. Each step runs the compiled
 * code in a child process of its own, so each peak RSS is that step's alone.
 *
 *   npm run build && node --import tsx bench/store.ts growth [USERS]           (default 100000)
 *   npm run build && node --import tsx bench/store.ts read [USERS] [--runs N]  (default 100000, 3)
 *   npm run build && node --import tsx bench/store.ts same [USERS]             (default 10000)
 *   npm run build && node --import tsx bench/store.ts resume [USERS] [--kill-at-wal-mb MB] [--kill-after-ms MS]
 *        (default 1000 users, killed once its write has put 1 MB into the WAL)
 *
 * growth: imports the generator's export of USERS users (bench/assess.ts writes it to
 *   $TMPDIR/mfa-ready-bench-USERS) into a new database, then the same folder again (a refresh in which
 *   nothing changed); after each, `PRAGMA wal_checkpoint(TRUNCATE)`, then the size of the file and its
 *   WAL. Keeps the database ($TMPDIR/mfa-ready-bench-store-USERS.db) for `read`.
 * read: what `mfa-ready audit --db FILE` does (the latest run read back, then assessed;
 *   bench/store-child.js) alternating with what `audit --from DIR` does on the folder it came from
 *   (bench/assess-child.js), N runs each: wall time, CPU seconds, peak RSS, medians.
 * same: `audit --db FILE --format json` byte for byte against `audit --from DIR --format json`.
 * resume: a first run killed (SIGKILL) part-way and run again, against the same run never interrupted:
 *   the stored users' data hashes and verdicts compared. Today the run is `import`; once `collect`
 *   writes to the store, the same comparison applies to it (see resumeOnce).
 *
 * Every mode appends its figures to bench/results.json as objects with "bench": "store".
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';

const COLLECTED_AT = '2026-11-20T09:00:00Z';
const argv = process.argv.slice(2);
const mode = argv[0];
const flag = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i === -1 ? undefined : argv[i + 1];
};
const positional = argv
  .slice(1)
  .filter((a, i, all) => !a.startsWith('--') && !(all[i - 1] ?? '').startsWith('--'));
const defaults: Record<string, number> = { growth: 100_000, read: 100_000, same: 10_000, resume: 1_000 };
if (mode === undefined || !(mode in defaults)) {
  console.error('usage: node --import tsx bench/store.ts growth|read|same|resume [USERS] [--runs N]');
  process.exit(2);
}
const users = Number(positional[0] ?? defaults[mode]);

/** The generator's export of `n` users, written once by bench/assess.ts (which also assesses it). */
function exportOf(n: number): string {
  const dir = path.join(tmpdir(), `mfa-ready-bench-${n}`);
  if (!existsSync(path.join(dir, 'tenant.json')))
    execFileSync(process.execPath, ['--import', 'tsx', 'bench/assess.ts', String(n)], { stdio: 'inherit' });
  return dir;
}
const dbOf = (n: number, tag = '') => path.join(tmpdir(), `mfa-ready-bench-store-${n}${tag}.db`);
const removeDb = (db: string) => {
  for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
};

interface ImportOut {
  code: number;
  seconds: number;
  cpuSeconds: number;
  peakRssMb: number;
}
function importRun(dir: string, db: string, ...extra: string[]): ImportOut {
  const r = execFileSync(process.execPath, ['bench/store-import-child.js', dir, '--db', db, ...extra], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const out = JSON.parse(r) as ImportOut;
  if (out.code !== 0) throw new Error(`import exited ${out.code}`);
  return out;
}

/** File + WAL bytes after a TRUNCATE checkpoint: what the run left on disk. */
function dbBytes(db: string): { file: number; wal: number } {
  const conn = new Database(db);
  conn.pragma('wal_checkpoint(TRUNCATE)');
  conn.close();
  const wal = existsSync(`${db}-wal`) ? statSync(`${db}-wal`).size : 0;
  return { file: statSync(db).size, wal };
}
const mb = (bytes: number) => Number((bytes / 1024 / 1024).toFixed(2));

function record(result: Record<string, unknown>): void {
  const file = 'bench/results.json';
  const all = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>[];
  all.push({ bench: 'store', ...result });
  writeFileSync(file, `${JSON.stringify(all, null, 2)}\n`);
  console.log(JSON.stringify(result));
}

const gitHead = () => execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m]! : Number(((s[m - 1]! + s[m]!) / 2).toFixed(2));
};

if (mode === 'growth') {
  const dir = exportOf(users);
  const db = dbOf(users);
  removeDb(db);
  const first = importRun(dir, db);
  const afterFirst = dbBytes(db);
  const second = importRun(dir, db);
  const afterSecond = dbBytes(db);
  record({
    mode: 'growth',
    build: gitHead(),
    users,
    export: dir,
    firstRun: { ...first, fileMb: mb(afterFirst.file), walMb: mb(afterFirst.wal) },
    noChangeRun: { ...second, fileMb: mb(afterSecond.file), walMb: mb(afterSecond.wal) },
    growthMb: mb(afterSecond.file + afterSecond.wal - afterFirst.file - afterFirst.wal),
  });
}

interface AssessOut {
  users: number;
  seconds: number;
  readSeconds: number;
  assessSeconds: number;
  readCpuSeconds: number;
  assessCpuSeconds: number;
  peakRssMb: number;
}

if (mode === 'read') {
  const dir = exportOf(users);
  const db = dbOf(users);
  if (!existsSync(db)) importRun(dir, db);
  const runs = Number(flag('--runs') ?? 3);
  const sides = {
    store: ['bench/store-child.js', db, COLLECTED_AT],
    folder: ['bench/assess-child.js', dir, COLLECTED_AT],
  };
  const results: Record<keyof typeof sides, AssessOut[]> = { store: [], folder: [] };
  for (let i = 0; i < runs; i++)
    for (const side of ['store', 'folder'] as const) {
      const out = JSON.parse(
        execFileSync(process.execPath, sides[side], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }),
      ) as AssessOut;
      results[side].push(out);
      console.log(JSON.stringify({ side, ...out }));
    }
  const summary = (list: AssessOut[]) => ({
    medianSeconds: median(list.map((r) => r.seconds)),
    minSeconds: Math.min(...list.map((r) => r.seconds)),
    maxSeconds: Math.max(...list.map((r) => r.seconds)),
    medianReadSeconds: median(list.map((r) => r.readSeconds)),
    medianAssessSeconds: median(list.map((r) => r.assessSeconds)),
    medianCpuSeconds: median(list.map((r) => r.readCpuSeconds + r.assessCpuSeconds)),
    maxPeakRssMb: Math.max(...list.map((r) => r.peakRssMb)),
  });
  record({
    mode: 'read',
    build: gitHead(),
    users,
    runs,
    dbMb: mb(statSync(db).size),
    store: summary(results.store),
    folder: summary(results.folder),
  });
}

/** `mfa-ready audit … --format json` with the compiled CLI. */
const auditJson = (...args: string[]) =>
  execFileSync(
    process.execPath,
    ['bin/mfa-ready.js', 'audit', ...args, '--now', COLLECTED_AT, '--format', 'json'],
    {
      encoding: 'utf8',
      maxBuffer: 1024 * 1024 * 1024,
      env: { ...process.env, NO_COLOR: '1' },
    },
  );

if (mode === 'same') {
  const dir = exportOf(users);
  const db = dbOf(users);
  if (!existsSync(db)) importRun(dir, db);
  const stored = auditJson('--db', db);
  const folder = auditJson('--from', dir);
  // Users whose assessment differs, when the two outputs do.
  const byId = (text: string) =>
    new Map((JSON.parse(text) as { users: { id: string }[] }).users.map((u) => [u.id, JSON.stringify(u)]));
  const a = byId(stored);
  const b = byId(folder);
  const usersDiffering = [...new Set([...a.keys(), ...b.keys()])].filter((id) => a.get(id) !== b.get(id));
  record({
    mode: 'same',
    build: gitHead(),
    users,
    identical: stored === folder,
    bytes: stored.length,
    usersDiffering: usersDiffering.length,
    ...(usersDiffering.length > 0 ? { firstDiffering: usersDiffering.slice(0, 5) } : {}),
  });
  if (stored !== folder) process.exitCode = 1;
}

/** What a run stored, as the comparison of two runs needs it: per user, the data's and verdict's hashes. */
function storedRun(db: string): { runs: number; users: Map<string, string>; verdicts: Map<string, string> } {
  const conn = new Database(db, { readonly: true });
  try {
    const run = (
      conn.prepare('SELECT max(id) AS id FROM runs WHERE finished_at IS NOT NULL').get() as { id: number }
    ).id;
    const pairs = (table: string) =>
      new Map(
        (
          conn
            .prepare(`SELECT user_id, data_hash FROM ${table} WHERE first_run <= ? AND last_run >= ?`)
            .raw()
            .all(run, run) as [string, string][]
        ).map(([u, h]) => [u, h]),
      );
    const runs = (conn.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n;
    return { runs, users: pairs('user_versions'), verdicts: pairs('verdict_versions') };
  } finally {
    conn.close();
  }
}
const differing = (a: Map<string, string>, b: Map<string, string>) =>
  [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k)).length;

/**
 * One first run killed part-way: the import child is started, killed with SIGKILL once its write has
 * put `killAtWalBytes` into the WAL and `killAfterMs` have passed, then run again to the end.
 * When `collect` writes to the store, the child becomes `mfa-ready collect --tenant … --db DB` against
 * bench/emulator-child.js (as bench/collect.ts starts it) and "run again" is the same command resuming
 * from its checkpoint; the comparison below stays as it is.
 */
async function resumeOnce(dir: string, db: string, killAfterMs: number, killAtWalBytes: number) {
  removeDb(db);
  const child = spawn(process.execPath, ['bench/store-import-child.js', dir, '--db', db], {
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  const started = performance.now();
  const exited = new Promise<string>((resolve) => child.on('exit', (c, s) => resolve(String(s ?? c))));
  let walAtKill = 0;
  const killed = await new Promise<boolean>((resolve) => {
    const timer = setInterval(() => {
      const wal = existsSync(`${db}-wal`) ? statSync(`${db}-wal`).size : 0;
      if (performance.now() - started >= killAfterMs && wal >= killAtWalBytes) {
        walAtKill = wal;
        clearInterval(timer);
        resolve(child.kill('SIGKILL'));
      }
    }, 5);
    void exited.then(() => {
      clearInterval(timer);
      resolve(false);
    });
  });
  const how = await exited;
  const before = existsSync(db) ? storedRun(db) : { runs: 0 };
  if (how !== 'SIGKILL') console.error(`the first run ended (${how}) before it was killed`);
  const resumed = importRun(dir, db);
  return {
    killed: killed && how === 'SIGKILL',
    walAtKillMb: mb(walAtKill),
    runsAfterKill: before.runs,
    resumed,
  };
}

if (mode === 'resume') {
  const dir = exportOf(users);
  const clean = dbOf(users, '-clean');
  removeDb(clean);
  importRun(dir, clean);
  const reference = storedRun(clean);
  const killAfterMs = Number(flag('--kill-after-ms') ?? 0);
  const db = dbOf(users, '-resumed');
  const killAtWalBytes = Number(flag('--kill-at-wal-mb') ?? 1) * 1024 * 1024;
  const r = await resumeOnce(dir, db, killAfterMs, killAtWalBytes);
  const after = storedRun(db);
  const result = {
    mode: 'resume',
    via: 'import',
    build: gitHead(),
    users,
    ...r,
    runsAfterResume: after.runs,
    usersStored: after.users.size,
    usersDiffering: differing(after.users, reference.users),
    verdictsDiffering: differing(after.verdicts, reference.verdicts),
  };
  record(result);
  if (!r.killed || r.runsAfterKill !== 0 || result.usersDiffering + result.verdictsDiffering > 0)
    process.exitCode = 1;
}
