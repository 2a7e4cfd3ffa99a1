// Child process of bench/store.ts: what `mfa-ready audit --db FILE` does with the compiled code, then
// prints wall time, CPU and peak RSS as JSON. Plain JS so its RSS is not inflated by a TS loader.
//
//   node bench/store-child.js DB reuse HOURS   the latest run at its collection time + HOURS, as audit
//                                              does now: stored assessments that hold are used, the
//                                              other users assessed again (src/cli/stored-assessment.ts)
//   node bench/store-child.js DB whole HOURS   the run read back whole and assessed whole (audit --db
//                                              before stored assessments were used; still its path with
//                                              --scope-group or --exclude-*)
import { readLatestSnapshot } from '../dist/cli/stored-snapshot.js';
import { assessStoredRun } from '../dist/cli/stored-assessment.js';
import { assess } from '../dist/assess/index.js';
import { latestRun, openStore } from '../dist/store/index.js';

const [db, how = 'reuse', hours = '0'] = process.argv.slice(2);
const started = performance.now();
const cpuStarted = process.cpuUsage();
const cpuSeconds = (usage) => Number(((usage.user + usage.system) / 1e6).toFixed(2));
let users;
let info;
if (how === 'reuse') {
  const store = openStore(db);
  const run = latestRun(store);
  const now = new Date(Date.parse(run.collectedAt) + Number(hours) * 3_600_000);
  const out = await assessStoredRun(store, run, now);
  store.close();
  users = out.assessment.users.length;
  info = out.info;
} else {
  const { snapshot } = await readLatestSnapshot(db, {});
  const now = new Date(Date.parse(snapshot.tenant.collectedAt) + Number(hours) * 3_600_000);
  users = assess(snapshot, { now }).users.length;
  info = { how: 'whole', assessedAgain: users };
}
const done = performance.now();
process.stdout.write(
  JSON.stringify({
    users,
    ...info,
    seconds: Number(((done - started) / 1000).toFixed(2)),
    cpuSeconds: cpuSeconds(process.cpuUsage(cpuStarted)),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
