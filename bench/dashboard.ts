/**
 * The dashboard and the HTML report in Chromium at 100,000 users. Not part of `npm test`.
 *
 *   npm run bench:dashboard -- [DB] [--runs N]
 *
 * DB: a history database (default $TMPDIR/mfa-ready-bench-store-100000.db, which `npm run bench:store
 * -- growth 100000` leaves). Measured through playwright-core with Debian's Chromium, from performance
 * marks the pages set (src/web: `mfa-ready:overview` when the overview has rendered its data,
 * `mfa-ready:users` each time the users table has rendered an answer):
 * - serve: first render (navigation start → the overview's mark), the users page, a verdict filter and a
 *   sort (click → the table's next mark), each N times in fresh pages; the server's start (data read,
 *   assessed and indexed) separately;
 * - report: `report --html` time and file size, then time to interactive opened from file:// with the
 *   network off (navigation start → the overview's mark: inflating, parsing and indexing included).
 * Appends its figures to bench/results.json with "bench": "dashboard".
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import type { openDashboard as OpenDashboardFn } from '../src/cli/commands/serve.js';
import { launchChromium } from '../test/support/browser.js';

const argv = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i === -1 ? undefined : argv[i + 1];
};
const db =
  argv.find((a, i) => !a.startsWith('--') && argv[i - 1] !== '--runs') ??
  path.join(tmpdir(), 'mfa-ready-bench-store-100000.db');
const runs = Number(flag('--runs') ?? '3');
if (!existsSync(db)) {
  console.error(`no database at ${db}: run npm run bench:store -- growth 100000 first, or name one`);
  process.exit(2);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (ms: number) => Math.round(ms);

// The compiled code, as an admin runs it.
const compiled: string = '../dist/cli/commands/serve.js';
const { openDashboard } = (await import(compiled)) as { openDashboard: typeof OpenDashboardFn };
const io = { stdout: process.stdout, stderr: process.stderr, env: process.env };

/** Milliseconds from navigation start to the named mark (waits for it). */
async function markAt(page: Page, name: string): Promise<number> {
  await page.waitForFunction((n) => performance.getEntriesByName(n).length > 0, name, { timeout: 120_000 });
  return page.evaluate((n) => performance.getEntriesByName(n)[0]!.startTime, name);
}

/** Clicks in the page (or, with a `#…` selector, opens that view) and times until the users table marks its next render. */
async function timedClick(page: Page, selector: string): Promise<number> {
  return page.evaluate(async (sel) => {
    const before = performance.getEntriesByName('mfa-ready:users').length;
    const t0 = performance.now();
    if (sel.startsWith('#')) (globalThis as unknown as { location: { hash: string } }).location.hash = sel;
    else
      (globalThis as unknown as { document: { querySelector(s: string): { click(): void } } }).document
        .querySelector(sel)
        .click();
    for (;;) {
      const marks = performance.getEntriesByName('mfa-ready:users');
      if (marks.length > before) return marks[marks.length - 1]!.startTime - t0;
      if (performance.now() - t0 > 60_000) throw new Error(`no new render after clicking ${sel}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }, selector);
}

const started = Date.now();
const dashboard = await openDashboard({ db, host: '127.0.0.1', port: '0' }, io);
const serverStartMs = Date.now() - started;
// The server's share of a filter: the API call alone, from Node (the session cookie from the first visit).
const visit = await fetch(dashboard.url, { redirect: 'manual' });
const cookie = (visit.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
const apiMs: number[] = [];
for (let i = 0; i < 5; i++) {
  const t = performance.now();
  const res = await fetch(`${dashboard.origin}/api/users?verdict=not-registered&limit=100`, {
    headers: { cookie },
  });
  await res.json();
  apiMs.push(performance.now() - t);
}
const browser = await launchChromium();
const serve = {
  firstRender: [] as number[],
  usersPage: [] as number[],
  filter: [] as number[],
  sort: [] as number[],
};
try {
  for (let i = 0; i < runs; i++) {
    const page = await browser.newPage();
    await page.goto(dashboard.url);
    serve.firstRender.push(await markAt(page, 'mfa-ready:overview'));
    serve.usersPage.push(await timedClick(page, '#/users'));
    serve.filter.push(await timedClick(page, 'input[name=verdict][value=not-registered]'));
    serve.sort.push(await timedClick(page, 'th button.sort'));
    await page.close();
  }
} finally {
  await dashboard.close();
}

const dir = mkdtempSync(path.join(tmpdir(), 'mfa-ready-bench-report-'));
const file = path.join(dir, 'report.html');
const t0 = Date.now();
execFileSync(process.execPath, ['bin/mfa-ready.js', 'report', '--db', db, '--html', file, '-q'], {
  stdio: 'inherit',
});
const reportBuildMs = Date.now() - t0;
const reportBytes = statSync(file).size;
const report = {
  interactive: [] as number[],
  inflated: [] as number[],
  parsed: [] as number[],
  usersPage: [] as number[],
  filter: [] as number[],
};
try {
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({ offline: true });
    const page = await context.newPage();
    await page.goto(pathToFileURL(file).href);
    report.interactive.push(await markAt(page, 'mfa-ready:overview'));
    report.usersPage.push(await timedClick(page, '#/users'));
    report.inflated.push(await markAt(page, 'mfa-ready:users-inflated'));
    report.parsed.push(await markAt(page, 'mfa-ready:users-parsed'));
    report.filter.push(await timedClick(page, 'input[name=verdict][value=not-registered]'));
    await context.close();
  }
} finally {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
}

const result = {
  bench: 'dashboard',
  at: new Date().toISOString(),
  commit: execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim(),
  db,
  loadAverage: loadavg().map((x) => Number(x.toFixed(1))),
  runs,
  serve: {
    serverStartMs,
    firstRenderMs: round(median(serve.firstRender)),
    usersPageMs: round(median(serve.usersPage)),
    filterMs: round(median(serve.filter)),
    sortMs: round(median(serve.sort)),
    apiFilterMs: round(median(apiMs)),
    all: serve,
  },
  report: {
    buildMs: reportBuildMs,
    megabytes: Number((reportBytes / 1e6).toFixed(2)),
    interactiveMs: round(median(report.interactive)),
    inflatedMs: round(median(report.inflated)),
    parsedMs: round(median(report.parsed)),
    usersPageMs: round(median(report.usersPage)),
    filterMs: round(median(report.filter)),
    all: report,
  },
};
const results = JSON.parse(readFileSync('bench/results.json', 'utf8')) as unknown[];
results.push(result);
writeFileSync('bench/results.json', `${JSON.stringify(results, null, 2)}\n`);
console.log(JSON.stringify(result, null, 2));
