/**
 * Benchmark: read an export folder and assess it, at 1,000 / 10,000 / 100,000 users.
 * Run with `npm run bench:assess` (builds first). Not part of `npm test`: speed is measured here, not asserted.
 *
 * Each size is generated once by the demo generator (cached in the OS temp folder) and then assessed in a
 * child process, so the peak RSS reported is the assessment's alone.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateTenant } from '../src/demo/generate-tenant.js';
import { writeExportFolder } from '../src/demo/write-export-folder.js';
import type { VolumeOptions } from '../src/demo/volume.js';

/**
 * A heavier export than the collector writes: every interactive sign-in of 7 days (2 a day, the
 * single-factor ones too, as an export from another tool would hold them; the collector asks Graph
 * for those that needed MFA only), the Authenticator app's non-interactive sign-ins (1 a day for users
 * signed into it), and 30 days of audits with 0.12 noise events per user per day. The collected
 * export's own figures come from bench/collect.ts.
 */
const VOLUME: VolumeOptions = {
  signInDays: 7,
  auditDays: 30,
  interactivePerUserPerDay: 2,
  nonInteractivePerUserPerDay: 0,
  authenticatorAppPerUserPerDay: 1,
  auditNoisePerUserPerDay: 0.12,
};
const COLLECTED_AT = '2026-11-20T09:00:00Z';

async function prepare(users: number): Promise<string> {
  const dir = join(tmpdir(), `mfa-ready-bench-${users}`);
  if (existsSync(join(dir, 'tenant.json'))) return dir;
  const started = performance.now();
  const tenant = generateTenant({ users, seed: 1, collectedAt: COLLECTED_AT, volume: VOLUME });
  const result = await writeExportFolder(dir, tenant, { eventFormat: 'ndjson', overwrite: true });
  const secs = ((performance.now() - started) / 1000).toFixed(1);
  process.stderr.write(`generated ${users} users in ${secs} s: ${JSON.stringify(result.rows)}\n`);
  return dir;
}

function measure(dir: string): { seconds: number; peakRssMb: number; users: number } {
  const out = execFileSync(process.execPath, ['bench/assess-child.js', dir, COLLECTED_AT], {
    encoding: 'utf8',
  });
  return JSON.parse(out) as { seconds: number; peakRssMb: number; users: number };
}

const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
for (const users of sizes.length > 0 ? sizes : [1_000, 10_000, 100_000]) {
  const dir = await prepare(users);
  const m = measure(dir);
  console.log(JSON.stringify({ strategy: 'assess-export', ...m }));
}
