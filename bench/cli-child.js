// Child process of bench/store.ts `resume`: the CLI as bin/mfa-ready.js runs it (run() of
// dist/cli/run.js with the process's stdio and the same argv), plus the two things a separate process
// cannot take from flags: the emulator's CA (deps.ca, what NODE_EXTRA_CA_CERTS would do) and the clock
// shared with the emulator child (timeScale + clockOrigin), so that the collector's pacing, waits and
// Retry-After run K times faster in wall time, as the emulator's throttling windows do. `now` is the
// emulated tenant's time (the collection window's end), as bench/collect-child.js passes it.
//
// Usage: node bench/cli-child.js '{"caFile":"…","timeScale":20,"clockOrigin":…,"now":"…"}' collect --tenant …
import { readFileSync } from 'node:fs';
import { run } from '../dist/cli/run.js';
import { processIo } from '../dist/cli/output.js';
import { scaledClock } from '../dist/collect/graph/index.js';

const options = JSON.parse(process.argv[2] ?? '{}');
const deps = {
  ca: readFileSync(options.caFile, 'utf8'),
  clock: scaledClock({ timeScale: options.timeScale, origin: options.clockOrigin }),
  ...(options.now !== undefined ? { now: () => new Date(options.now) } : {}),
};
process.exitCode = await run(process.argv.slice(3), processIo, deps);
// For the bench's figures: this process's peak RSS (a SIGKILLed leg prints nothing).
process.on('exit', () =>
  process.stderr.write(`bench: peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB\n`),
);
