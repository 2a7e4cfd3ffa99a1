/**
 * Benchmark: assess one export folder several times (each in its own process, bench/assess-child.js)
 * and print every run and the median. Wall time on a shared 2-core machine varies by ±15 % from run
 * to run, so one figure says little; the median of several does.
 *
 *   npm run build && node --import tsx bench/assess-export.ts DIR [--runs N] [--now ISO]
 *
 * `--now` defaults to the folder's tenant.json `collectedAt` (what `mfa-ready audit --from` uses).
 * Keep a collected export with `bench/collect.ts … --keep`.
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
const flag = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i === -1 ? undefined : argv[i + 1];
};
const dir = argv.find((a, i) => !a.startsWith('--') && !['--runs', '--now'].includes(argv[i - 1] ?? ''));
if (dir === undefined) {
  console.error('usage: node --import tsx bench/assess-export.ts DIR [--runs N] [--now ISO]');
  process.exit(2);
}
const runs = Number(flag('--runs') ?? 5);
const now =
  flag('--now') ??
  (JSON.parse(readFileSync(path.join(dir, 'tenant.json'), 'utf8')) as { collectedAt: string }).collectedAt;

const results: AssessOut[] = [];
for (let i = 0; i < runs; i++) {
  const out = execFileSync(process.execPath, ['bench/assess-child.js', dir, now], { encoding: 'utf8' });
  const result = JSON.parse(out) as AssessOut;
  results.push(result);
  console.log(JSON.stringify(result));
}
const median = (pick: (r: AssessOut) => number): number => {
  const sorted = results.map(pick).sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : Number((((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2).toFixed(2));
};
const seconds = results.map((r) => r.seconds);
console.log(
  JSON.stringify({
    runs,
    users: results[0]?.users,
    medianSeconds: median((r) => r.seconds),
    minSeconds: Math.min(...seconds),
    maxSeconds: Math.max(...seconds),
    medianReadSeconds: median((r) => r.readSeconds),
    medianAssessSeconds: median((r) => r.assessSeconds),
    maxPeakRssMb: Math.max(...results.map((r) => r.peakRssMb)),
  }),
);
