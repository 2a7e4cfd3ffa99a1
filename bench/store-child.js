// Child process of bench/store.ts: what `mfa-ready audit --db FILE --format json` does with the
// compiled code (the latest stored run read back, then assessed as of its collection time), then
// prints wall time, CPU and peak RSS as JSON. Plain JS so its RSS is not inflated by a TS loader.
import { readLatestSnapshot } from '../dist/cli/stored-snapshot.js';
import { assess } from '../dist/assess/index.js';

const [db, now] = process.argv.slice(2);
const started = performance.now();
const cpuStarted = process.cpuUsage();
const { snapshot } = await readLatestSnapshot(db, {});
const read = performance.now();
const readCpu = process.cpuUsage(cpuStarted);
const assessment = assess(snapshot, { now: new Date(now ?? snapshot.tenant.collectedAt) });
const done = performance.now();
const cpu = process.cpuUsage(cpuStarted);
const cpuSeconds = (usage) => Number(((usage.user + usage.system) / 1e6).toFixed(2));
process.stdout.write(
  JSON.stringify({
    users: assessment.users.length,
    seconds: Number(((done - started) / 1000).toFixed(2)),
    readSeconds: Number(((read - started) / 1000).toFixed(2)),
    assessSeconds: Number(((done - read) / 1000).toFixed(2)),
    readCpuSeconds: cpuSeconds(readCpu),
    assessCpuSeconds: Number((cpuSeconds(cpu) - cpuSeconds(readCpu)).toFixed(2)),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
