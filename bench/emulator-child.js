// Child process of bench/collect.ts: runs the Graph emulator (compiled code) in its own process, so
// that the collector's peak RSS is not mixed with the emulator's. Throttling is on (the documented
// limits) and time runs on a scaled clock shared with the collector through `timeScale` + `clockOrigin`.
//
// Usage: node bench/emulator-child.js '{"users":1000,"seed":1,"collectedAt":"…","timeScale":50,"clockOrigin":…}'
// Prints one JSON line {url, loginUrl, tenantId, caPem, startSeconds} when listening; then each line
// `stats` on stdin is answered with one JSON line of EmulatorStats, `advance` moves the tenant one day on; when stdin closes it prints the
// final stats (plus its own peak RSS) as one JSON line and exits.
import { createInterface } from 'node:readline';
import { startEmulator } from '../dist/emulator/index.js';

const options = JSON.parse(process.argv[2] ?? '{}');
const started = performance.now();
const emulator = await startEmulator({
  users: options.users,
  seed: options.seed ?? 1,
  collectedAt: options.collectedAt,
  ...(options.volume !== undefined ? { volume: options.volume } : {}),
  timeScale: options.timeScale,
  clockOrigin: options.clockOrigin,
  throttling: true,
});
const write = (value) => process.stdout.write(`${JSON.stringify(value)}\n`);
write({
  url: emulator.url,
  loginUrl: emulator.loginUrl,
  tenantId: emulator.tenantId,
  caPem: emulator.caPem,
  startSeconds: Number(((performance.now() - started) / 1000).toFixed(2)),
});

let closing = false;
async function finish() {
  if (closing) return;
  closing = true;
  const stats = emulator.stats();
  await emulator.close();
  write({ final: true, stats, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) });
  process.exit(0);
}

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (line.trim() === 'stats') write({ stats: emulator.stats() });
  // The tenant one day later (its rollout goes on), for a daily refresh (bench/collect.ts --next-day).
  if (line.trim() === 'advance') write({ advanced: emulator.advanceDay() });
});
lines.on('close', () => void finish());
process.on('SIGTERM', () => void finish());
