/**
 * Benchmark: assess one export folder several times (each in its own process, bench/assess-child.js)
 * and print every run and the median. Wall time on a shared 2-core machine varies by ±15 % from run
 * to run, and by more over an hour as the host's load changes, so one figure says little; the median
 * of several does, and a comparison of two builds says most when their runs alternate.
 *
 *   npm run build && node --import tsx bench/assess-export.ts DIR [--runs N] [--now ISO] [--against CHECKOUT]
 *
 * `--now` defaults to the folder's tenant.json `collectedAt` (what `mfa-ready audit --from` uses).
 * `--against CHECKOUT` also runs another built checkout's bench/assess-child.js (say a `git worktree`
 * of an older commit, with `npm run build` done there), alternating with this one's, and prints the
 * medians of both. Keep a collected export with `bench/collect.ts … --keep`.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface AssessOut {
  users: number;
  seconds: number;
  readSeconds: number;
  assessSeconds: number;
  readCpuSeconds: number;
  assessCpuSeconds: number;
  peakRssMb: number;
}

const argv = process.argv.slice(2);
const valued = ['--runs', '--now', '--against'];
const flag = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i === -1 ? undefined : argv[i + 1];
};
const dir = argv.find((a, i) => !a.startsWith('--') && !valued.includes(argv[i - 1] ?? ''));
if (dir === undefined) {
  console.error(
    'usage: node --import tsx bench/assess-export.ts DIR [--runs N] [--now ISO] [--against CHECKOUT]',
  );
  process.exit(2);
}
const runs = Number(flag('--runs') ?? 5);
const now =
  flag('--now') ??
  (JSON.parse(readFileSync(path.join(dir, 'tenant.json'), 'utf8')) as { collectedAt: string }).collectedAt;
const against = flag('--against');
const checkouts = against === undefined ? ['.'] : ['.', path.resolve(against)];

const results = new Map<string, AssessOut[]>(checkouts.map((c) => [c, []]));
for (let i = 0; i < runs; i++) {
  for (const checkout of checkouts) {
    const child = path.join(checkout, 'bench/assess-child.js');
    const out = execFileSync(process.execPath, [child, path.resolve(dir), now], {
      encoding: 'utf8',
      cwd: checkout,
    });
    const result = JSON.parse(out) as AssessOut;
    results.get(checkout)?.push(result);
    console.log(JSON.stringify(checkouts.length === 1 ? result : { checkout, ...result }));
  }
}

const median = (list: AssessOut[], pick: (r: AssessOut) => number): number => {
  const sorted = list.map(pick).sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : Number((((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2).toFixed(2));
};
for (const [checkout, list] of results) {
  const seconds = list.map((r) => r.seconds);
  console.log(
    JSON.stringify({
      ...(checkouts.length === 1 ? {} : { checkout }),
      runs,
      users: list[0]?.users,
      medianSeconds: median(list, (r) => r.seconds),
      minSeconds: Math.min(...seconds),
      maxSeconds: Math.max(...seconds),
      medianReadSeconds: median(list, (r) => r.readSeconds),
      medianAssessSeconds: median(list, (r) => r.assessSeconds),
      medianCpuSeconds: median(list, (r) => r.readCpuSeconds + r.assessCpuSeconds),
      maxPeakRssMb: Math.max(...list.map((r) => r.peakRssMb)),
    }),
  );
}
