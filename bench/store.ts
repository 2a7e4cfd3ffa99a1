/**
 * Benchmark of the history database (src/store). Not part of `npm test`. Each step runs the compiled
 * code in a child process of its own, so each peak RSS is that step's alone.
 *
 *   npm run build && node --import tsx bench/store.ts growth [USERS]           (default 100000)
 *   npm run build && node --import tsx bench/store.ts read [USERS] [--runs N] [--at H,H…]  (default 100000, 3)
 *   npm run build && node --import tsx bench/store.ts same [USERS]             (default 10000)
 *   npm run build && node --import tsx bench/store.ts resume [USERS] [--k K] [--seed N]
 *        [--kill-after-s S | --kill-at-complete N | --kill-at-wal-mb MB] [--compare | --no-compare] [--keep]
 *        (default 1000 users, K 20, killed once half the parts are complete and one is under way)
 *
 * growth: imports the generator's export of USERS users (bench/assess.ts writes it to
 *   $TMPDIR/mfa-ready-bench-USERS) into a new database, then the same folder again (a refresh in which
 *   nothing changed); after each, `PRAGMA wal_checkpoint(TRUNCATE)`, then the size of the file and its
 *   WAL. Keeps the database ($TMPDIR/mfa-ready-bench-store-USERS.db) for `read`.
 * read: what `mfa-ready audit --db FILE` does (bench/store-child.js: the latest run's stored
 *   assessments used where they hold at the clock, the other users assessed again) at clocks H hours
 *   after the run's collection (default 0, 8, 24, 168, 744), alternating with the run read back and
 *   assessed whole (what it did before, and still does with a scope option), N runs each: wall time,
 *   CPU seconds, peak RSS, medians.
 * same: `audit --db FILE --format json` byte for byte against `audit --from DIR --format json`.
 * resume: a first `mfa-ready collect --tenant … --db DB` against the Graph emulator
 *   (bench/emulator-child.js, realistic volume, seed fixed, throttling on, clock ×K) killed with SIGKILL
 *   part-way (after S wall seconds, once the staging folder's checkpoint shows N parts complete, or once
 *   the store's write has put MB into the WAL: the collection done, its run being written), then
 *   the same command again, which continues the staging folder and stores the run. The CLI runs in
 *   bench/cli-child.js (run() with the emulator's CA and the shared scaled clock). Per leg: wall time
 *   and Graph requests (the emulator's own count); then the stored run (users, verdict counts from its
 *   summary, event count, integrity_check). With --compare (default up to 10,000 users) an
 *   uninterrupted collection into another database, and the two runs compared: per-user data hashes
 *   (user_versions), verdict hashes (verdict_versions), event ids, and the run's other datasets.
 *
 * Every mode appends its figures to bench/results.json as objects with "bench": "store".
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { REALISTIC_VOLUME } from '../src/demo/generate-tenant.js';

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
  console.error(
    'usage: node --import tsx bench/store.ts growth|read|same|resume [USERS] [--runs N] (see the top of bench/store.ts)',
  );
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

interface ReadOut {
  users: number;
  how: 'reused' | 'whole';
  assessedAgain: number;
  seconds: number;
  cpuSeconds: number;
  peakRssMb: number;
}

if (mode === 'read') {
  const dir = exportOf(users);
  const db = dbOf(users);
  if (!existsSync(db)) importRun(dir, db);
  const runs = Number(flag('--runs') ?? 3);
  // Hours after the run's collection: at once, the next morning (collect at night, audit at 08:00), a
  // day, a week, and past Entra's 30 days.
  const hours = (flag('--at') ?? '0,8,24,168,744').split(',').map(Number);
  const sides: Record<string, string[]> = {};
  for (const h of hours) sides[`reuse+${h}h`] = ['bench/store-child.js', db, 'reuse', String(h)];
  sides['whole+8h'] = ['bench/store-child.js', db, 'whole', '8'];
  const results: Record<string, ReadOut[]> = Object.fromEntries(Object.keys(sides).map((k) => [k, []]));
  for (let i = 0; i < runs; i++)
    for (const [side, args] of Object.entries(sides)) {
      const out = JSON.parse(
        execFileSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }),
      ) as ReadOut;
      results[side]!.push(out);
      console.log(JSON.stringify({ side, ...out }));
    }
  const summary = (list: ReadOut[]) => ({
    how: list[0]!.how,
    assessedAgain: list[0]!.assessedAgain,
    medianSeconds: median(list.map((r) => r.seconds)),
    minSeconds: Math.min(...list.map((r) => r.seconds)),
    maxSeconds: Math.max(...list.map((r) => r.seconds)),
    medianCpuSeconds: median(list.map((r) => r.cpuSeconds)),
    maxPeakRssMb: Math.max(...list.map((r) => r.peakRssMb)),
  });
  record({
    mode: 'read',
    build: gitHead(),
    users,
    runs,
    dbMb: mb(statSync(db).size),
    load: Number(loadavg()[0]!.toFixed(1)),
    sides: Object.fromEntries(Object.entries(results).map(([k, v]) => [k, summary(v)])),
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

const differing = (a: Map<string, string>, b: Map<string, string>) =>
  [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k)).length;

// ---- resume: a first `collect --db` killed part-way (SIGKILL), then the same command again ----

type PerBucket = Record<string, number>;
interface EmulatorStats {
  graphRequests: number;
  httpRequests: number;
  batches: number;
  byBucket: PerBucket;
  throttled: number;
  throttledByBucket: PerBucket;
  tokensIssued: number;
}
interface EmulatorChild {
  url: string;
  loginUrl: string;
  tenantId: string;
  caFile: string;
  stats(): Promise<EmulatorStats>;
  /** Closes the emulator's stdin; resolves with its final stats and peak RSS. */
  stop(): Promise<{ stats: EmulatorStats; peakRssMb: number }>;
}

/** bench/emulator-child.js, as bench/collect.ts starts it: one JSON line per answer on stdout. */
async function startEmulatorChild(options: object, caFile: string): Promise<EmulatorChild> {
  const child = spawn(process.execPath, ['bench/emulator-child.js', JSON.stringify(options)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const queue: string[] = [];
  let waiting: ((line: string) => void) | undefined;
  lines.on('line', (line) => {
    if (waiting === undefined) return void queue.push(line);
    const w = waiting;
    waiting = undefined;
    w(line);
  });
  const next = (): Promise<string> =>
    new Promise((resolve, reject) => {
      const queued = queue.shift();
      if (queued !== undefined) return resolve(queued);
      waiting = resolve;
      child.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
    });
  const ready = JSON.parse(await next()) as {
    url: string;
    loginUrl: string;
    tenantId: string;
    caPem: string;
  };
  writeFileSync(caFile, ready.caPem);
  return {
    url: ready.url,
    loginUrl: ready.loginUrl,
    tenantId: ready.tenantId,
    caFile,
    async stats() {
      child.stdin.write('stats\n');
      return (JSON.parse(await next()) as { stats: EmulatorStats }).stats;
    },
    async stop() {
      child.stdin.end();
      for (;;) {
        const parsed = JSON.parse(await next()) as {
          final?: boolean;
          stats: EmulatorStats;
          peakRssMb: number;
        };
        if (parsed.final === true) return parsed;
      }
    },
  };
}

interface CheckpointView {
  selected: number;
  complete: string[];
  inProgress: { part: string; pages: number; rows: number }[];
  pages: number;
}
/** What the staging folder's checkpoint says is durably collected (undefined: none yet). */
function checkpointOf(db: string): CheckpointView | undefined {
  try {
    const state = JSON.parse(readFileSync(path.join(`${db}.collecting`, '.collect-state.json'), 'utf8')) as {
      selected?: string[];
      parts: Record<string, { phase: string; pages: number; rows: number }>;
    };
    const parts = Object.entries(state.parts);
    return {
      selected: state.selected?.length ?? parts.length,
      complete: parts.filter(([, p]) => p.phase === 'complete').map(([name]) => name),
      inProgress: parts
        .filter(([, p]) => p.phase === 'in-progress')
        .map(([part, p]) => ({ part, pages: p.pages, rows: p.rows })),
      pages: parts.reduce((n, [, p]) => n + p.pages, 0),
    };
  } catch {
    return undefined;
  }
}

interface Leg {
  exit: string;
  wallSeconds: number;
  graph: { requests: number; httpRequests: number; batches: number; throttled: number; byBucket: PerBucket };
  /** The second leg's "continuing the collection that was interrupted" line. */
  saidContinuing: boolean;
  storedLine?: string;
  cliPeakRssMb?: number;
  checkpointAtKill?: CheckpointView;
  log: string;
}

/**
 * One `mfa-ready collect --tenant … --db DB` against the emulator child, through bench/cli-child.js
 * (the CLI's run() with the emulator's CA and the shared scaled clock). `killWhen`, polled every
 * 20 ms: SIGKILL once it says so.
 */
async function collectLeg(
  emulator: EmulatorChild,
  db: string,
  clock: { timeScale: number; clockOrigin: number; now: string },
  name: string,
  killWhen?: (elapsedMs: number, checkpoint: CheckpointView | undefined) => boolean,
): Promise<Leg> {
  const log = `${db}.${name}.log`;
  const before = await emulator.stats();
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      'bench/cli-child.js',
      JSON.stringify({ caFile: emulator.caFile, ...clock }),
      'collect',
      '--tenant',
      emulator.tenantId,
      '--graph-url',
      emulator.url,
      '--login-url',
      emulator.loginUrl,
      '--client-id',
      'mfa-ready-bench',
      '--client-secret',
      'bench-secret-accepted-by-the-emulator',
      '--db',
      db,
    ],
    // No AZURE_* or MFA_READY_DB of the caller's: the flags say everything.
    { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' } },
  );
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<string>((resolve) => child.on('exit', (c, s) => resolve(String(s ?? c))));
  let checkpointAtKill: CheckpointView | undefined;
  if (killWhen !== undefined) {
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const checkpoint = checkpointOf(db);
        if (killWhen(performance.now() - started, checkpoint)) {
          checkpointAtKill = checkpoint;
          clearInterval(timer);
          child.kill('SIGKILL');
          resolve();
        }
      }, 20);
      void exited.then(() => {
        clearInterval(timer);
        resolve();
      });
    });
  }
  const exit = await exited;
  const wallSeconds = Number(((performance.now() - started) / 1000).toFixed(1));
  const after = await emulator.stats();
  writeFileSync(log, stderr);
  const lines = stderr.split('\n');
  const rss = /^bench: peak RSS (\d+) MB$/m.exec(stderr);
  const byBucket = Object.fromEntries(
    Object.keys(after.byBucket).map((b) => [b, after.byBucket[b]! - (before.byBucket[b] ?? 0)]),
  );
  return {
    exit,
    wallSeconds,
    graph: {
      requests: after.graphRequests - before.graphRequests,
      httpRequests: after.httpRequests - before.httpRequests,
      batches: after.batches - before.batches,
      throttled: after.throttled - before.throttled,
      byBucket,
    },
    saidContinuing: stderr.includes('continuing the collection that was interrupted'),
    ...(lines.find((l) => l.includes('stored as run')) !== undefined
      ? { storedLine: lines.find((l) => l.includes('stored as run'))!.trim() }
      : {}),
    ...(rss !== null ? { cliPeakRssMb: Number(rss[1]) } : {}),
    ...(checkpointAtKill !== undefined ? { checkpointAtKill } : {}),
    log,
  };
}

/** The latest complete run, as far as two runs are compared, plus what the report shows of it. */
function storedDetail(db: string) {
  const conn = new Database(db, { readonly: true });
  try {
    const run = conn
      .prepare(
        'SELECT id, summary, collected_at FROM runs WHERE finished_at IS NOT NULL ORDER BY id DESC LIMIT 1',
      )
      .get() as { id: number; summary: string | null; collected_at: string | null } | undefined;
    const runs = conn.prepare('SELECT count(*) AS n, count(finished_at) AS finished FROM runs').get() as {
      n: number;
      finished: number;
    };
    const integrity = (conn.pragma('integrity_check') as { integrity_check: string }[])
      .map((r) => r.integrity_check)
      .join('; ');
    if (run === undefined) return { runs, integrity, run: undefined };
    const pairs = (table: string) =>
      new Map(
        conn
          .prepare(`SELECT user_id, data_hash FROM ${table} WHERE first_run <= ? AND last_run >= ?`)
          .raw()
          .all(run.id, run.id) as [string, string][],
      );
    const eventIds = conn.prepare('SELECT kind, id FROM events ORDER BY kind, id').raw().all() as [
      string,
      string,
    ][];
    const eventsHash = createHash('sha256');
    for (const [kind, id] of eventIds) eventsHash.update(`${kind}\t${id}\n`);
    const datasets = new Map(
      conn.prepare('SELECT dataset, hash FROM run_datasets WHERE run_id = ?').raw().all(run.id) as [
        string,
        string,
      ][],
    );
    const summary =
      run.summary === null ? null : (JSON.parse(run.summary) as { counts: Record<string, number> });
    return {
      runs,
      integrity,
      run: {
        id: run.id,
        collectedAt: run.collected_at,
        verdictCounts: summary?.counts ?? null,
        users: pairs('user_versions'),
        verdicts: pairs('verdict_versions'),
        events: { count: eventIds.length, sha256: eventsHash.digest('hex') },
        datasets,
      },
    };
  } finally {
    conn.close();
  }
}
/** A stored dataset blob (JSON text), parsed. */
function blobOf(db: string, hash: string | undefined): Record<string, unknown> {
  const conn = new Database(db, { readonly: true });
  try {
    const row = conn.prepare('SELECT data FROM blobs WHERE hash = ?').get(hash) as
      { data: string } | undefined;
    return row === undefined ? {} : (JSON.parse(row.data) as Record<string, unknown>);
  } finally {
    conn.close();
  }
}
const differingFields = (a: Record<string, unknown>, b: Record<string, unknown>) =>
  [...new Set([...Object.keys(a), ...Object.keys(b)])].filter(
    (k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]),
  );
const dbMb = (db: string) =>
  mb(statSync(db).size + (existsSync(`${db}-wal`) ? statSync(`${db}-wal`).size : 0));

if (mode === 'resume') {
  const K = Number(flag('--k') ?? 20);
  const seed = Number(flag('--seed') ?? 1);
  const killAfterS = flag('--kill-after-s') === undefined ? undefined : Number(flag('--kill-after-s'));
  const killAtComplete =
    flag('--kill-at-complete') === undefined ? undefined : Number(flag('--kill-at-complete'));
  const killAtWalMb = flag('--kill-at-wal-mb') === undefined ? undefined : Number(flag('--kill-at-wal-mb'));
  const compare = argv.includes('--compare') || (!argv.includes('--no-compare') && users <= 10_000);
  const work = mkdtempSync(path.join(tmpdir(), `mfa-ready-bench-resume-${users}-`));
  const db = path.join(work, 'resumed.db');
  const cleanDb = path.join(work, 'uninterrupted.db');
  const origin = Date.now();
  // The tenant's "now" is the shared clock's start (as in bench/collect.ts); every leg collects up to it.
  const now = new Date(Math.floor(origin / 1000) * 1000).toISOString();
  const clock = { timeScale: K, clockOrigin: origin, now };
  const emulatorStarted = performance.now();
  const emulator = await startEmulatorChild(
    { users, seed, collectedAt: now, volume: REALISTIC_VOLUME, timeScale: K, clockOrigin: origin },
    path.join(work, 'ca.pem'),
  );
  const emulatorStartSeconds = Number(((performance.now() - emulatorStarted) / 1000).toFixed(1));
  console.error(`resume ${users}: emulator up in ${emulatorStartSeconds} s, K ${K}, work ${work}`);
  // Default: killed once the checkpoint shows half the selected parts complete and one still under way.
  const killWhen = (elapsedMs: number, cp: CheckpointView | undefined): boolean => {
    if (killAfterS !== undefined) return elapsedMs >= killAfterS * 1000;
    // In the store's write: the collection finished, the run's transaction under way in the WAL.
    if (killAtWalMb !== undefined)
      return existsSync(`${db}-wal`) && statSync(`${db}-wal`).size >= killAtWalMb * 1024 * 1024;
    if (cp === undefined) return false;
    const want = killAtComplete ?? Math.ceil(cp.selected / 2);
    return cp.complete.length >= want && cp.inProgress.some((p) => p.pages > 0);
  };
  const killed = await collectLeg(emulator, db, clock, 'killed', killWhen);
  const afterKill = storedDetail(db);
  const stagingLeft = existsSync(`${db}.collecting`);
  console.error(`resume ${users}: first leg ${killed.exit} after ${killed.wallSeconds} s`);
  const resumed = await collectLeg(emulator, db, clock, 'resumed');
  console.error(`resume ${users}: second leg ${resumed.exit} after ${resumed.wallSeconds} s`);
  const stored = storedDetail(db);
  let comparison: Record<string, unknown> | undefined;
  let clean: Leg | undefined;
  if (compare) {
    clean = await collectLeg(emulator, cleanDb, clock, 'uninterrupted');
    console.error(`resume ${users}: uninterrupted run ${clean.exit} after ${clean.wallSeconds} s`);
    const reference = storedDetail(cleanDb);
    const a = stored.run;
    const b = reference.run;
    if (a === undefined || b === undefined)
      comparison = { identical: false, missing: a === undefined ? 'resumed' : 'uninterrupted' };
    else {
      const datasetsDiffering = [...new Set([...a.datasets.keys(), ...b.datasets.keys()])].filter(
        (k) => a.datasets.get(k) !== b.datasets.get(k),
      );
      // The users delta's deltaLink is a fresh token each time Graph hands one out (and the emulator
      // does the same): two collections never share it. Any other difference in tenant.json counts.
      const tenantFields = datasetsDiffering.includes('tenant')
        ? differingFields(blobOf(db, a.datasets.get('tenant')), blobOf(cleanDb, b.datasets.get('tenant')))
        : [];
      if (tenantFields.length === 1 && tenantFields[0] === 'usersDeltaLink')
        datasetsDiffering.splice(datasetsDiffering.indexOf('tenant'), 1);
      const c = {
        usersCompared: Math.max(a.users.size, b.users.size),
        usersDiffering: differing(a.users, b.users),
        verdictsDiffering: differing(a.verdicts, b.verdicts),
        eventsResumed: a.events,
        eventsUninterrupted: b.events,
        datasetsDiffering,
        tenantFieldsDiffering: tenantFields,
        verdictCountsUninterrupted: b.verdictCounts,
        uninterruptedIntegrity: reference.integrity,
      };
      comparison = {
        identical:
          c.usersDiffering === 0 &&
          c.verdictsDiffering === 0 &&
          a.events.sha256 === b.events.sha256 &&
          datasetsDiffering.length === 0 &&
          JSON.stringify(a.verdictCounts) === JSON.stringify(b.verdictCounts),
        ...c,
      };
    }
  }
  const emu = await emulator.stop();
  const legOut = (leg: Leg) => {
    const { log: _log, ...rest } = leg;
    return rest;
  };
  const result = {
    mode: 'resume',
    via: 'collect',
    build: gitHead(),
    users,
    seed,
    timeScale: K,
    volumePerUserPerDay: REALISTIC_VOLUME,
    emulatorStartSeconds,
    emulatorPeakRssMb: emu.peakRssMb,
    kill:
      killAfterS !== undefined
        ? `after ${killAfterS} s`
        : killAtWalMb !== undefined
          ? `in the store's write, at ${killAtWalMb} MB in the WAL`
          : `at ${killAtComplete ?? 'half the'} parts complete`,
    killedLeg: {
      ...legOut(killed),
      runsAfterKill: afterKill.runs,
      stagingLeft,
      integrityAfterKill: afterKill.integrity,
    },
    resumedLeg: legOut(resumed),
    totalWallSeconds: Number((killed.wallSeconds + resumed.wallSeconds).toFixed(1)),
    totalGraphRequests: killed.graph.requests + resumed.graph.requests,
    stored:
      stored.run === undefined
        ? { runs: stored.runs, integrity: stored.integrity }
        : {
            runs: stored.runs,
            runId: stored.run.id,
            users: stored.run.users.size,
            verdictCounts: stored.run.verdictCounts,
            events: stored.run.events.count,
            dbMb: dbMb(db),
            integrity: stored.integrity,
          },
    ...(clean !== undefined ? { uninterruptedLeg: legOut(clean) } : {}),
    ...(comparison !== undefined ? { comparison } : {}),
  };
  record(result);
  const ok =
    killed.exit === 'SIGKILL' &&
    afterKill.runs.finished === 0 &&
    resumed.exit === '0' &&
    resumed.saidContinuing &&
    stored.integrity === 'ok' &&
    (comparison === undefined || comparison['identical'] === true);
  if (!ok) process.exitCode = 1;
  if (argv.includes('--keep')) console.error(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
