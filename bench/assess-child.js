// Child process of bench/assess.ts: reads one export folder and assesses it with the compiled code,
// then prints wall time and peak RSS as JSON. Kept in plain JS so its RSS is not inflated by a TS loader.
import { load } from '../dist/load/index.js';
import { assess, EVIDENCE_RULES } from '../dist/assess/index.js';

const [dir, now] = process.argv.slice(2);
const started = performance.now();
const cpuStarted = process.cpuUsage();
const snapshot = await load({ kind: 'folder', dir }, 'assess', { rules: EVIDENCE_RULES });
const read = performance.now();
const readCpu = process.cpuUsage(cpuStarted);
const assessment = assess(snapshot, { now: new Date(now) });
const done = performance.now();
const cpu = process.cpuUsage(cpuStarted);
// CPU seconds (user + system) as well as wall time: on a shared machine wall time varies with load.
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
