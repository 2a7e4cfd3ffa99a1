// Child process of bench/collect.ts: one collection, with the compiled code, against an emulator that
// runs in another process. Kept in plain JS (no TS loader) so that the peak RSS it reports is the
// collector's own. Prints one JSON line of figures.
//
// Input (argv[2], JSON): { url, loginUrl, tenantId, caFile, timeScale, clockOrigin, now, outDir, strategy,
//   baselineFrom? }
// - `baselineFrom`: a refresh, handed the baseline of that earlier export folder (built before the
//   measured window, as the history database would hand it over); `now` is then the shared clock's.
// - strategy `ours`: collectTenant with its defaults (bulk first, per-user methods only where open).
// - strategy `per-user`: what the common scripts do: list the users, read the registration report,
//   then one GET /users/{id}/authentication/methods per user, sequentially, through the same
//   GraphSource (so it paces on the same client-side limiter and retries the same way).
import { readFileSync } from 'node:fs';
import {
  chooseCredential,
  createGraphSource,
  resolveCloud,
  scaledClock,
} from '../dist/collect/graph/index.js';
import { collectTenant, graphQueries } from '../dist/collect/live/index.js';
import { collectPlanner } from '../dist/plan/index.js';
import { baselineFromFolder } from './refresh-baseline.js';

const input = JSON.parse(process.argv[2] ?? '{}');
const ca = readFileSync(input.caFile, 'utf8');
const clock = scaledClock({ timeScale: input.timeScale, origin: input.clockOrigin });
const endpoints = resolveCloud({ graphUrl: input.url, loginUrl: input.loginUrl });
// Any client id and secret: the emulator accepts them. An empty environment, never the user's AZURE_*.
const choice = chooseCredential(
  {
    clientId: 'mfa-ready-bench',
    clientSecret: 'bench-secret-accepted-by-the-emulator',
    tenant: input.tenantId,
  },
  {},
  endpoints,
  { ca },
);
const source = createGraphSource({
  graphUrl: endpoints.graphUrl,
  credential: choice.credential,
  clock,
  ca,
  redact: choice.redact,
});

const baseline =
  input.baselineFrom === undefined ? undefined : await baselineFromFolder(input.baselineFrom, 1);

// A token first, outside the measured window: both strategies pay it once, and it is not Graph.
await source.get(graphQueries.ORGANIZATION.path, { version: graphQueries.ORGANIZATION.version });
const before = source.stats();

const wallStarted = performance.now();
const emulatedStarted = clock.now();
const out = { strategy: input.strategy };
if (input.strategy === 'ours') {
  const result = await collectTenant(source, {
    outDir: input.outDir,
    tenantId: input.tenantId,
    endpoints,
    clock,
    now:
      baseline === undefined || input.fixedNow === true
        ? new Date(input.now)
        : new Date(Math.floor(clock.now() / 1000) * 1000),
    planner: collectPlanner,
    ...(baseline !== undefined ? { baseline } : {}),
  });
  out.parts = result.parts.map((p) => ({
    part: p.part,
    state: p.status.state,
    rows: p.rows,
    pages: p.pages,
  }));
  if (result.methods !== undefined) {
    out.methods = {
      needs: result.methods.needs.length,
      reasons: result.methods.reasons,
      planned: result.methods.planned,
      carried: result.methods.carried,
      fetched: result.methods.fetched,
      notFound: result.methods.notFound.length,
      failed: result.methods.failed.length,
    };
  }
} else if (input.strategy === 'per-user') {
  const ids = [];
  for await (const page of source.pages(graphQueries.USERS.path, { version: graphQueries.USERS.version })) {
    for (const user of page.items) ids.push(user.id);
  }
  let reportRows = 0;
  for await (const page of source.pages(graphQueries.REGISTRATION.path, {
    version: graphQueries.REGISTRATION.version,
  })) {
    reportRows += page.items.length;
  }
  const limit = input.perUserLimit ?? ids.length;
  let methods = 0;
  let failed = 0;
  for (const id of ids.slice(0, limit)) {
    const q = graphQueries.userMethods(id);
    try {
      const body = await source.get(q.path, { version: q.version });
      methods += Array.isArray(body.value) ? body.value.length : 0;
    } catch {
      failed++;
    }
  }
  out.perUser = { users: ids.length, reportRows, methodsCalls: Math.min(limit, ids.length), methods, failed };
} else {
  throw new Error(`unknown strategy ${input.strategy}`);
}
const emulatedMs = clock.now() - emulatedStarted;
const wallSeconds = (performance.now() - wallStarted) / 1000;
source.close();

const after = source.stats();
const diff = (a, b) => Object.fromEntries(Object.keys(a).map((k) => [k, a[k] - (b[k] ?? 0)]));
out.graph = {
  requestsByBucket: diff(after.requestsByBucket, before.requestsByBucket),
  httpRoundTrips: after.httpRoundTrips - before.httpRoundTrips,
  batches: after.batches - before.batches,
  throttled: after.throttled - before.throttled,
  throttledByBucket: diff(after.throttledByBucket, before.throttledByBucket),
  throttleWaitMs: Math.round(after.throttleWaitMs - before.throttleWaitMs),
  backoffWaitMs: Math.round(after.backoffWaitMs - before.backoffWaitMs),
  retries: after.retries - before.retries,
};
out.emulatedSeconds = Number((emulatedMs / 1000).toFixed(1));
out.wallSeconds = Number(wallSeconds.toFixed(1));
out.cpuSeconds = Number(((process.cpuUsage().user + process.cpuUsage().system) / 1e6).toFixed(1));
out.peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
process.stdout.write(`${JSON.stringify(out)}\n`);
