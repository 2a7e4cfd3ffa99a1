// Child process of bench/store.ts: `mfa-ready import DIR --db FILE [--retain DAYS]` with the compiled
// CLI, then wall time, CPU and peak RSS as JSON on stdout (the CLI's own words on stderr).
import { run } from '../dist/cli/run.js';

const args = process.argv.slice(2);
const started = performance.now();
const cpuStarted = process.cpuUsage();
const code = await run(['import', ...args], {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
const cpu = process.cpuUsage(cpuStarted);
process.stdout.write(
  JSON.stringify({
    code,
    seconds: Number(((performance.now() - started) / 1000).toFixed(2)),
    cpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(2)),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
