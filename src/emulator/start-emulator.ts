/**
 * `startEmulator(options)`: generates the synthetic tenant, makes a throwaway CA and server
 * certificate, and serves the tenant through Microsoft Graph's URL shapes (and the identity
 * platform's token endpoints) over HTTPS on 127.0.0.1. Everything is per instance: two emulators
 * in one process share nothing.
 */
import { X509Certificate } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { realClock, scaledClock } from '../collect/graph/clock.js';
import type { Clock } from '../collect/graph/clock.js';
import { DOMAINS } from '../demo/directory-objects.js';
import { generateTenant } from '../demo/generate-tenant.js';
import type { SyntheticTenant } from '../demo/generate-tenant.js';
import { DAY, isoSeconds } from '../demo/time.js';
import { AccessTokens, GRAPH_AUDIENCE } from './auth/access-tokens.js';
import { thumbprints } from './auth/client-assertion.js';
import { DirectoryIndex } from './entities/directory-index.js';
import { DirectoryWrites } from './entities/directory-writes.js';
import { UserDeltaStates } from './entities/user-delta-states.js';
import { FaultPlan } from './faults/fault-plan.js';
import { Dispatcher } from './graph/dispatch.js';
import type { WriteLogEntry } from './graph/dispatch.js';
import { StatsRecorder } from './graph/stats-recorder.js';
import type { EmulatorOptions, RunningEmulator } from './options.js';
import { resolveOptions } from './options.js';
import { LiveQueries } from './paging/live-queries.js';
import { Pager } from './paging/pager.js';
import { DEFAULT_PAGE_SIZES } from './routes/route.js';
import type { RouteContext } from './routes/route.js';
import { readBody, RequestPipeline } from './server/request-pipeline.js';
import { writeResponse } from './server/write-response.js';
import { ServerThrottle } from './throttle/server-throttle.js';
import { createThrowawayPki } from './tls/throwaway-ca.js';

/** Graph roots of the national clouds (https://learn.microsoft.com/graph/deployments): a `.default` scope may name any of them. */
const GRAPH_ROOTS = [
  GRAPH_AUDIENCE,
  '00000003-0000-0000-c000-000000000000',
  'https://graph.microsoft.us',
  'https://dod-graph.microsoft.us',
  'https://microsoftgraph.chinacloudapi.cn',
];

function clockFor(options: EmulatorOptions): Clock {
  if (options.clock !== undefined) return options.clock;
  const k = options.timeScale ?? 1;
  if (k === 1 && options.clockOrigin === undefined) return realClock();
  return scaledClock({
    timeScale: k,
    ...(options.clockOrigin !== undefined ? { origin: options.clockOrigin } : {}),
  });
}

export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const resolved = resolveOptions(options);
  // Day 0 of the tenant: later days (advanceDay) are the same tenant with the rollout's days added.
  const rolloutStart = options.rolloutStart ?? resolved.collectedAt;
  // What Graph writes changed: outlives the tenant generated for each day.
  const writes = new DirectoryWrites(options.extraGroups ?? [], options.temporaryAccessPassPolicy ?? {});
  const generate = (collectedAt: string): { tenant: SyntheticTenant; directory: DirectoryIndex } => {
    const generated = generateTenant({
      users: resolved.users,
      seed: resolved.seed,
      collectedAt,
      rolloutStart,
      ...(options.volume !== undefined ? { volume: options.volume } : {}),
      ...(options.staleAuthenticatorSignInDays !== undefined
        ? { staleAuthenticatorSignInDays: options.staleAuthenticatorSignInDays }
        : {}),
    });
    // Built now, not on the first request that needs them: at 100,000 users the first read of the users
    // or the report would otherwise hold the event loop for most of a second, while requests arriving
    // meanwhile wait to be stamped by the throttle (real Graph has no such cold start).
    const index = new DirectoryIndex(generated, writes);
    index.warm();
    return { tenant: generated, directory: index };
  };
  const { tenant, directory } = generate(resolved.collectedAt);
  const tenantId = tenant.tenant.tenantId;
  const clock = clockFor(options);
  const pki = createThrowawayPki();
  const stats = new StatsRecorder();
  const certificates = new Map<string, X509Certificate>();
  const registerCertificate = (pem: string) => {
    const cert = new X509Certificate(pem);
    const t = thumbprints(cert);
    certificates.set(t.sha1, cert);
    certificates.set(t.sha256, cert);
  };
  for (const pem of options.clientCertificates ?? []) registerCertificate(pem);

  // Listen first (the port is part of every URL the pipeline writes), then attach the handler.
  const server = createServer({ cert: pki.serverCertPem, key: pki.serverKeyPem });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `https://127.0.0.1:${port}`;

  const tokens = new AccessTokens(tenantId);
  const pager = new Pager(
    new LiveQueries(clock, { ttlMs: resolved.skiptokenTtlMs, max: resolved.maxLiveQueries }),
    url,
    resolved.pageTimeBudgetMs,
  );
  // One context object for every route: advanceDay() swaps the tenant in it between two requests.
  const ctx: RouteContext = {
    tenant,
    tenantId,
    directory,
    pager,
    baseUrl: url,
    licence: resolved.licence,
    federatedIdpMfaBehavior: resolved.federatedIdpMfaBehavior,
    collectedAt: Date.parse(tenant.options.collectedAt),
    rolloutStart: Date.parse(rolloutStart),
    now: () => clock.now(),
    deltas: new UserDeltaStates(),
    pageSizes: { ...DEFAULT_PAGE_SIZES, ...options.pageSizes },
  };
  const advanceDay = (days = 1): string => {
    if (!Number.isInteger(days) || days < 1)
      throw new RangeError(`advanceDay needs a whole number of days ≥ 1, got ${days}`);
    const next = generate(isoSeconds(ctx.collectedAt + days * DAY));
    ctx.tenant = next.tenant;
    ctx.directory = next.directory;
    ctx.collectedAt = Date.parse(next.tenant.options.collectedAt);
    return next.tenant.options.collectedAt;
  };
  const log: string[] = [];
  const writeLog: WriteLogEntry[] = [];
  const dispatcher = new Dispatcher({
    ctx,
    throttle: new ServerThrottle(clock, tenant.userCount, resolved.throttling),
    stats,
    clock,
    cloud: resolved.cloud,
    ...(options.logRequests === true ? { log } : {}),
    writeLog,
  });
  const pipeline = new RequestPipeline({
    login: {
      baseUrl: url,
      tenantId,
      tenantDomains: [DOMAINS.initial, DOMAINS.managed, DOMAINS.federated],
      tokens,
      certificates,
      roles: resolved.grantedPermissions,
      graphResources: GRAPH_ROOTS,
      wallNow: Date.now,
    },
    tokens,
    dispatcher,
    faults: new FaultPlan({ seed: resolved.seed, rate: resolved.faultRate, kinds: resolved.faultKinds }),
    stats,
    clock,
    slow: resolved.slow,
    faultTokenEndpoint: options.faultTokenEndpoint ?? false,
  });

  server.on('request', (raw: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const body = await readBody(raw);
      if (body === undefined) {
        writeResponse(res, {
          status: 413,
          headers: { 'Content-Type': 'text/plain' },
          text: 'Request body too large',
        });
        return;
      }
      try {
        await pipeline.handle(raw, res, body);
      } catch (err) {
        writeResponse(res, {
          status: 500,
          headers: { 'Content-Type': 'text/plain' },
          text: `Emulator error: ${err instanceof Error ? err.message : String(err)}`,
        });
      }
    })();
  });

  return {
    url,
    loginUrl: url,
    port,
    tenantId,
    caPem: pki.caPem,
    clock,
    get tenant() {
      return ctx.tenant;
    },
    advanceDay,
    stats: () => stats.snapshot(),
    requests: () => [...log],
    writes: () => [...writeLog],
    registerCertificate,
    close: () =>
      new Promise<void>((resolve) => {
        pager.close(); // pages being read stop at their next turn
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
