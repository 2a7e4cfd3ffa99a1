/**
 * Benchmark: collect emulated tenants of 1,000 / 10,000 / 100,000 users with the emulator's throttling
 * on, for our strategy (collectTenant with its defaults) and for the per-user strategy of the common
 * scripts (users + registration report + one /authentication/methods call per user), then assess the
 * collected export. Not part of `npm test`.
 *
 *   npm run build && node --import tsx bench/collect.ts [SIZES…] [--k K] [--strategies ours,per-user]
 *        [--per-user-max N] [--timeout-min M] [--refresh [--next-day]]
 *
 * `--refresh` (strategy ours): after the first collection, a refresh of the same emulated tenant with
 * the first folder's baseline (bench/refresh-baseline.js: what the history database hands over), and
 * both runs' Graph requests by bucket and elapsed time against the floor, with the refresh's ratios to
 * the first run. The tenant does not move between the two runs yet (the emulator has no "next day");
 * the refresh then reads the overlap's events and what the planner names. `--next-day` moves the
 * emulated tenant one day on first (its rollout goes on: registrations, sign-ins, new users) and runs
 * the refresh at that day's time: a daily refresh.
 *
 * Processes: the emulator runs in bench/emulator-child.js, the collector in bench/collect-child.js and
 * the assessment in bench/assess-child.js, so each peak RSS is that process's own. Emulator and
 * collector share one scaled clock (same K, same origin): every figure of time below is emulated
 * seconds unless it says wall. Writes bench/results.json (one object per size and strategy, merged
 * with the objects of earlier runs for other sizes) and prints a Markdown table.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { REALISTIC_VOLUME } from '../src/demo/generate-tenant.js';

type Bucket = 'reports' | 'signInActivity' | 'directory' | 'conditionalAccess';
type PerBucket = Record<Bucket, number>;

interface ChildOut {
  strategy: 'ours' | 'per-user';
  parts?: { part: string; state: string; rows: number; pages: number }[];
  methods?: {
    needs: number;
    reasons: Record<string, number>;
    planned: number;
    carried?: number;
    fetched: number;
    notFound: number;
    failed: number;
  };
  perUser?: { users: number; reportRows: number; methodsCalls: number; methods: number; failed: number };
  graph: {
    requestsByBucket: PerBucket;
    httpRoundTrips: number;
    batches: number;
    throttled: number;
    throttledByBucket: PerBucket;
    throttleWaitMs: number;
    backoffWaitMs: number;
    retries: number;
  };
  emulatedSeconds: number;
  wallSeconds: number;
  cpuSeconds: number;
  peakRssMb: number;
}

interface EmulatorStatsLine {
  graphRequests: number;
  httpRequests: number;
  batches: number;
  byBucket: PerBucket;
  throttled: number;
  throttledByBucket: PerBucket;
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

export interface BenchResult {
  users: number;
  strategy: 'ours' | 'per-user';
  /** True when the figures are scaled linearly from a smaller measured size, not measured. */
  extrapolated: boolean;
  extrapolatedFrom?: number;
  timeScale: number;
  volumePerUserPerDay: typeof REALISTIC_VOLUME;
  requestsByBucket: PerBucket;
  requests: number;
  httpRoundTrips: number;
  batches: number;
  throttled: number;
  throttledByBucket: PerBucket;
  throttledRatio: number;
  /** Emulated seconds of the collection (token excluded). */
  elapsedSeconds: number;
  floorSeconds: number;
  floorByBucket: PerBucket;
  elapsedOverFloor: number;
  collectorPeakRssMb: number | null;
  collectorWallSeconds: number | null;
  collectorCpuSeconds: number | null;
  emulatorPeakRssMb: number | null;
  emulatorSeen: { graphRequests: number; httpRequests: number; throttled: number } | null;
  methods?: ChildOut['methods'];
  parts?: ChildOut['parts'];
  assess?: AssessOut;
  /** `--refresh`: the refresh that followed, and its ratios to this (first) run. */
  refresh?: RefreshFigures;
}

export interface RefreshFigures {
  /** `same`: the tenant as the first run left it; `next`: one emulated day on (`--next-day`). */
  day?: 'same' | 'next';
  requestsByBucket: PerBucket;
  requests: number;
  elapsedSeconds: number;
  floorSeconds: number;
  floorByBucket: PerBucket;
  /** refresh / first run. */
  requestRatio: number;
  elapsedRatio: number;
  /** The refresh's elapsed time over the first run's floor. */
  elapsedOverFirstFloor: number;
  collectorWallSeconds: number;
  methods?: ChildOut['methods'];
  parts?: ChildOut['parts'];
}

const BUCKET_NAMES: Bucket[] = ['reports', 'signInActivity', 'directory', 'conditionalAccess'];
const COLLECTOR_VOLUME = REALISTIC_VOLUME;

// ---- arguments ----
const argv = process.argv.slice(2);
function flag(name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}
/**
 * The clock factor. A higher K saves wall time but multiplies by K everything that costs wall time
 * (HTTP latency and its jitter, page generation, JSON parsing, the collector's re-read of the folder),
 * which then shows as emulated seconds and as 429s. Defaults: the factors of the published figures.
 */
const fixedK = flag('--k') !== undefined ? Number(flag('--k')) : undefined;
function timeScaleFor(users: number, strategy: 'ours' | 'per-user'): number {
  if (fixedK !== undefined) return fixedK;
  // Ours pages big filtered collections side by side: its wall-time costs (page generation, parsing,
  // the re-read for the methods choice) are real work, kept small in emulated time by a low K.
  if (strategy === 'ours') return 2;
  // The per-user script is one cheap request after another, 2 s apart: latency stays far below that.
  if (users <= 1_000) return 10;
  if (users <= 10_000) return 50;
  return 200;
}
const strategies = (flag('--strategies') ?? 'ours,per-user').split(',') as ('ours' | 'per-user')[];
const perUserMax = Number(flag('--per-user-max') ?? 100_000);
const timeoutMs = Number(flag('--timeout-min') ?? 30) * 60_000;
const resultsFile = flag('--results') ?? 'bench/results.json';
const keep = argv.includes('--keep');
const refresh = argv.includes('--refresh');
const nextDay = argv.includes('--next-day');
const valued = new Set(['--k', '--strategies', '--per-user-max', '--timeout-min', '--results']);
const sizes = argv
  .filter((a, i) => !a.startsWith('--') && !valued.has(argv[i - 1] ?? ''))
  .map(Number)
  .filter((n) => n > 0);
const SIZES = sizes.length > 0 ? sizes : [1_000, 10_000, 100_000];

// ---- the floor: what the documented limits allow at best for the requests that were unavoidable ----
/**
 * Requests that succeeded (a 429'd attempt is avoidable by definition), per bucket:
 * - reports: 5 requests / 10 s → ceil(n/5) · 10 s;
 * - conditionalAccess: 1 / s → n s;
 * - signInActivity: 10 / minute → ceil(n/10) · 60 s;
 * - directory: 8,000 RU / 10 s token bucket that starts full; counted at 1 RU a request (the minimum,
 *   so this floor is a lower bound): max(0, ceil((n − 8,000) / 8,000)) · 10 s.
 * Lanes run concurrently, so the collection's floor is the largest bucket floor.
 */
function floorOf(requests: PerBucket, throttled: PerBucket): PerBucket {
  const n = (b: Bucket): number => Math.max(0, requests[b] - throttled[b]);
  return {
    reports: Math.ceil(n('reports') / 5) * 10,
    conditionalAccess: n('conditionalAccess'),
    signInActivity: Math.ceil(n('signInActivity') / 10) * 60,
    directory: Math.max(0, Math.ceil((n('directory') - 8_000) / 8_000)) * 10,
  };
}

// ---- child processes ----
function runJson<T>(script: string, args: string[], label: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => (out += d));
    const timer = setTimeout(() => {
      process.stderr.write(`${label}: over ${timeoutMs / 60_000} min of wall time, stopping it\n`);
      child.kill('SIGTERM');
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || line === '') reject(new Error(`${label} exited with ${code}`));
      else resolve(JSON.parse(line) as T);
    });
  });
}

interface Emulator {
  url: string;
  loginUrl: string;
  tenantId: string;
  caFile: string;
  /** Closes the emulator's stdin; resolves with its final stats and peak RSS. */
  stop(): Promise<{ stats: EmulatorStatsLine; peakRssMb: number }>;
  /** Moves the tenant one day on (its rollout goes on); resolves with its new collectedAt. */
  advance(): Promise<string>;
}

async function startEmulatorChild(options: object, caFile: string): Promise<Emulator> {
  const child = spawn(process.execPath, ['bench/emulator-child.js', JSON.stringify(options)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const queue: string[] = [];
  let waiting: ((line: string) => void) | undefined;
  lines.on('line', (line) => {
    if (waiting !== undefined) {
      const w = waiting;
      waiting = undefined;
      w(line);
    } else queue.push(line);
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
  await writeFile(caFile, ready.caPem);
  return {
    url: ready.url,
    loginUrl: ready.loginUrl,
    tenantId: ready.tenantId,
    caFile,
    async advance() {
      child.stdin.write('advance\n');
      for (;;) {
        const parsed = JSON.parse(await next()) as { advanced?: string };
        if (parsed.advanced !== undefined) return parsed.advanced;
      }
    },
    async stop() {
      child.stdin.end();
      for (;;) {
        const parsed = JSON.parse(await next()) as {
          final?: boolean;
          stats: EmulatorStatsLine;
          peakRssMb: number;
        };
        if (parsed.final === true) return parsed;
      }
    },
  };
}

// ---- one measured run ----
async function measure(users: number, strategy: 'ours' | 'per-user'): Promise<BenchResult> {
  const K = timeScaleFor(users, strategy);
  const work = await mkdtemp(path.join(tmpdir(), `mfa-ready-bench-collect-${users}-`));
  const origin = Date.now();
  // The tenant's "now" is the shared clock's start: emulated and real time coincide there.
  const collectedAt = new Date(Math.floor(origin / 1000) * 1000).toISOString();
  const emulator = await startEmulatorChild(
    { users, seed: 1, collectedAt, volume: COLLECTOR_VOLUME, timeScale: K, clockOrigin: origin },
    path.join(work, 'ca.pem'),
  );
  const outDir = path.join(work, 'export');
  let child: ChildOut | undefined;
  let failure: unknown;
  try {
    child = await runJson<ChildOut>(
      'bench/collect-child.js',
      [
        JSON.stringify({
          url: emulator.url,
          loginUrl: emulator.loginUrl,
          tenantId: emulator.tenantId,
          caFile: emulator.caFile,
          timeScale: K,
          clockOrigin: origin,
          now: collectedAt,
          outDir,
          strategy,
        }),
      ],
      `collect ${users} ${strategy}`,
    );
  } catch (err) {
    failure = err;
  }
  let again: ChildOut | undefined;
  if (child !== undefined && refresh && strategy === 'ours') {
    try {
      // `--next-day`: the tenant and the refresh's clock one day later, as a daily job sees them.
      const refreshNow = nextDay ? await emulator.advance() : collectedAt;
      again = await runJson<ChildOut>(
        'bench/collect-child.js',
        [
          JSON.stringify({
            url: emulator.url,
            loginUrl: emulator.loginUrl,
            tenantId: emulator.tenantId,
            caFile: emulator.caFile,
            timeScale: K,
            clockOrigin: origin,
            now: refreshNow,
            fixedNow: nextDay,
            outDir: path.join(work, 'refresh'),
            strategy,
            baselineFrom: outDir,
          }),
        ],
        `refresh ${users}`,
      );
    } catch (err) {
      failure = err;
    }
  }
  const emu = await emulator.stop();
  if (child === undefined || (refresh && strategy === 'ours' && again === undefined)) {
    await rm(work, { recursive: true, force: true });
    throw failure;
  }
  let assess: AssessOut | undefined;
  if (strategy === 'ours') {
    assess = await runJson<AssessOut>('bench/assess-child.js', [outDir, collectedAt], `assess ${users}`);
  }
  // `--keep`: leave the collected export for a closer look (its path is printed).
  if (keep) console.log(`kept ${outDir}`);
  else await rm(work, { recursive: true, force: true });

  const g = child.graph;
  const requests = BUCKET_NAMES.reduce((n, b) => n + g.requestsByBucket[b], 0);
  const floorByBucket = floorOf(g.requestsByBucket, g.throttledByBucket);
  const floorSeconds = Math.max(...BUCKET_NAMES.map((b) => floorByBucket[b]));
  const result: BenchResult = {
    users,
    strategy,
    extrapolated: false,
    timeScale: K,
    volumePerUserPerDay: COLLECTOR_VOLUME,
    requestsByBucket: g.requestsByBucket,
    requests,
    httpRoundTrips: g.httpRoundTrips,
    batches: g.batches,
    throttled: g.throttled,
    throttledByBucket: g.throttledByBucket,
    throttledRatio: requests > 0 ? round(g.throttled / requests, 5) : 0,
    elapsedSeconds: child.emulatedSeconds,
    floorSeconds,
    floorByBucket,
    elapsedOverFloor: floorSeconds > 0 ? round(child.emulatedSeconds / floorSeconds, 3) : 0,
    collectorPeakRssMb: child.peakRssMb,
    collectorWallSeconds: child.wallSeconds,
    collectorCpuSeconds: child.cpuSeconds,
    emulatorPeakRssMb: emu.peakRssMb,
    emulatorSeen: {
      graphRequests: emu.stats.graphRequests,
      httpRequests: emu.stats.httpRequests,
      throttled: emu.stats.throttled,
    },
  };
  if (again !== undefined) {
    const a = again.graph;
    const againRequests = BUCKET_NAMES.reduce((n, b) => n + a.requestsByBucket[b], 0);
    const againFloorByBucket = floorOf(a.requestsByBucket, a.throttledByBucket);
    const againFloor = Math.max(...BUCKET_NAMES.map((b) => againFloorByBucket[b]));
    result.refresh = {
      day: nextDay ? 'next' : 'same',
      requestsByBucket: a.requestsByBucket,
      requests: againRequests,
      elapsedSeconds: again.emulatedSeconds,
      floorSeconds: againFloor,
      floorByBucket: againFloorByBucket,
      requestRatio: requests > 0 ? round(againRequests / requests, 4) : 0,
      elapsedRatio: child.emulatedSeconds > 0 ? round(again.emulatedSeconds / child.emulatedSeconds, 4) : 0,
      elapsedOverFirstFloor: floorSeconds > 0 ? round(again.emulatedSeconds / floorSeconds, 4) : 0,
      collectorWallSeconds: again.wallSeconds,
      ...(again.methods !== undefined ? { methods: again.methods } : {}),
      ...(again.parts !== undefined ? { parts: again.parts } : {}),
    };
  }
  if (child.methods !== undefined) result.methods = child.methods;
  if (child.parts !== undefined) result.parts = child.parts;
  if (assess !== undefined) result.assess = assess;
  return result;
}

/**
 * The per-user strategy at a size too long to run in wall time: every count scales with the users
 * (one methods call each, users and report pages per 999/1000 rows), and so does the elapsed time at
 * the measured elapsed/floor ratio. Marked `extrapolated`.
 */
function extrapolate(from: BenchResult, users: number): BenchResult {
  const f = users / from.users;
  const scale = (b: PerBucket): PerBucket =>
    Object.fromEntries(BUCKET_NAMES.map((k) => [k, Math.round(b[k] * f)])) as PerBucket;
  const requestsByBucket = scale(from.requestsByBucket);
  const requests = BUCKET_NAMES.reduce((n, b) => n + requestsByBucket[b], 0);
  const throttled = Math.round(from.throttled * f);
  const floorByBucket = floorOf(requestsByBucket, scale(from.throttledByBucket));
  const floorSeconds = Math.max(...BUCKET_NAMES.map((b) => floorByBucket[b]));
  return {
    ...from,
    users,
    extrapolated: true,
    extrapolatedFrom: from.users,
    requestsByBucket,
    requests,
    httpRoundTrips: Math.round(from.httpRoundTrips * f),
    batches: Math.round(from.batches * f),
    throttled,
    floorByBucket,
    floorSeconds,
    elapsedSeconds: Math.round(floorSeconds * from.elapsedOverFloor),
    collectorPeakRssMb: null,
    collectorWallSeconds: null,
    collectorCpuSeconds: null,
    emulatorPeakRssMb: null,
    emulatorSeen: null,
  };
}

function round(x: number, digits: number): number {
  return Number(x.toFixed(digits));
}

// ---- output ----
function loadPrevious(): BenchResult[] {
  if (!existsSync(resultsFile)) return [];
  try {
    return JSON.parse(readFileSync(resultsFile, 'utf8')) as BenchResult[];
  } catch {
    return [];
  }
}

function saveResults(results: BenchResult[]): void {
  // A same-day and a next-day refresh of one size are two results.
  const key = (r: BenchResult): string => `${r.users}/${r.strategy}/${r.refresh?.day ?? ''}`;
  const fresh = new Set(results.map(key));
  // The file also holds other benchmarks' objects ("bench": "store", "dashboard"…): kept as they are.
  const previous = loadPrevious();
  const ours = (r: BenchResult): boolean => typeof r.strategy === 'string' && typeof r.users === 'number';
  const merged = [...previous.filter((r) => ours(r) && !fresh.has(key(r))), ...results].sort(
    (a, b) => a.users - b.users || a.strategy.localeCompare(b.strategy),
  );
  const others = previous.filter((r) => !ours(r));
  writeFileSync(resultsFile, `${JSON.stringify([...merged, ...others], null, 2)}\n`);
}

const fmt = (n: number): string => n.toLocaleString('en-US');
export function markdownTable(results: readonly BenchResult[]): string {
  const rows = [
    '| users | strategy | K | Graph requests (reports / directory / CA) | HTTP round trips | 429s | elapsed (emulated s) | floor (s) | elapsed / floor | collector peak RSS | assess wall / peak RSS |',
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of results) {
    const b = r.requestsByBucket;
    const assess = r.assess !== undefined ? `${r.assess.seconds} s / ${r.assess.peakRssMb} MB` : '—';
    rows.push(
      `| ${fmt(r.users)} | ${r.strategy}${r.extrapolated ? ` (extrapolated from ${fmt(r.extrapolatedFrom ?? 0)})` : ''} | ${r.timeScale} | ${fmt(r.requests)} (${fmt(b.reports)} / ${fmt(b.directory)} / ${fmt(b.conditionalAccess)}) | ${fmt(r.httpRoundTrips)} | ${fmt(r.throttled)} (${(r.throttledRatio * 100).toFixed(2)} %) | ${fmt(Math.round(r.elapsedSeconds))} | ${fmt(r.floorSeconds)} | ${r.elapsedOverFloor.toFixed(2)} | ${r.collectorPeakRssMb === null ? '—' : `${r.collectorPeakRssMb} MB`} | ${assess} |`,
    );
  }
  return rows.join('\n');
}

/** `--refresh`: the first run and its refresh side by side. */
export function refreshTable(results: readonly BenchResult[]): string {
  const rows = [
    '| users | run | Graph requests (reports / directory / CA / signInActivity) | elapsed (emulated s) | floor (s) | refresh / first: requests | elapsed | elapsed / first floor |',
    '|---:|---|---:|---:|---:|---:|---:|---:|',
  ];
  const by = (b: PerBucket): string =>
    `${fmt(b.reports)} / ${fmt(b.directory)} / ${fmt(b.conditionalAccess)} / ${fmt(b.signInActivity)}`;
  for (const r of results) {
    const x = r.refresh;
    if (x === undefined) continue;
    rows.push(
      `| ${fmt(r.users)} | first | ${fmt(r.requests)} (${by(r.requestsByBucket)}) | ${fmt(Math.round(r.elapsedSeconds))} | ${fmt(r.floorSeconds)} | | | |`,
    );
    rows.push(
      `| ${fmt(r.users)} | refresh | ${fmt(x.requests)} (${by(x.requestsByBucket)}) | ${fmt(Math.round(x.elapsedSeconds))} | ${fmt(x.floorSeconds)} | ${(x.requestRatio * 100).toFixed(1)} % | ${(x.elapsedRatio * 100).toFixed(1)} % | ${(x.elapsedOverFirstFloor * 100).toFixed(1)} % |`,
    );
  }
  return rows.join('\n');
}

// ---- main ----
if (argv.includes('--table')) {
  // Only print the table of what bench/results.json holds (all sizes of earlier runs).
  console.log(markdownTable(loadPrevious()));
  process.exit(0);
}
const results: BenchResult[] = [];
process.stderr.write(
  `collection benchmark: sizes ${SIZES.join(', ')}, strategies ${strategies.join(', ')}, clock ×${fixedK ?? 'K: ours 2, per-user 10 / 50 / 200 by size'} (emulated seconds), volume ${JSON.stringify(COLLECTOR_VOLUME)}\n`,
);
for (const users of SIZES) {
  for (const strategy of strategies) {
    if (strategy === 'per-user' && users > perUserMax) {
      const base = [...results, ...loadPrevious()]
        .filter((r) => r.strategy === 'per-user' && !r.extrapolated && r.users < users)
        .sort((a, b) => b.users - a.users)[0];
      if (base === undefined) {
        process.stderr.write(
          `per-user at ${users}: above --per-user-max and nothing measured to scale from\n`,
        );
        continue;
      }
      results.push(extrapolate(base, users));
      saveResults(results);
      continue;
    }
    const wall = performance.now();
    const r = await measure(users, strategy);
    process.stderr.write(
      `${users} ${strategy}: ${r.requests} requests, ${r.elapsedSeconds} emulated s (floor ${r.floorSeconds}), ${((performance.now() - wall) / 1000).toFixed(0)} s wall\n`,
    );
    results.push(r);
    saveResults(results);
  }
}
console.log(markdownTable(results));
if (results.some((r) => r.refresh !== undefined)) console.log(`\n${refreshTable(results)}`);
process.stderr.write(`(all sizes measured so far: node --import tsx bench/collect.ts --table)\n`);
