/**
 * The Graph emulator: a local HTTPS server that serves a synthetic tenant through Microsoft Graph's
 * URL shapes, limits and faults, for the collector's tests, the demo and the benchmark.
 *
 * Wiring a client to it: `--graph-url <url> --login-url <loginUrl> --tenant <tenantId>` with any
 * client id and secret (or a certificate: sent in x5c, or registered). The CA is throwaway, so the
 * client must trust `caPem`: a child process through NODE_EXTRA_CA_CERTS (read at process start
 * only), an in-process client through `chooseCredential(…, { ca })` and `createGraphSource({ ca })`.
 * To run collector and emulator on one faster clock in two processes, give both the same
 * `timeScale` and `clockOrigin` (scaledClock in src/collect/graph/clock.ts).
 *
 * A simulated day between two collections (incremental collection): `advanceDay()` on the running
 * emulator serves the same tenant a day later (src/demo/rollout.ts); a fresh emulator started with
 * `rolloutStart` = the first run's collectedAt and `collectedAt` = N days later serves the same.
 */
export type { EmulatorOptions, RunningEmulator } from './options.js';
export { DEFAULT_PERMISSIONS } from './options.js';
export type { ExtraGroup } from './entities/directory-writes.js';
export { CLOUD_ROLLOUT_GROUPS, extraGroupId } from './entities/directory-writes.js';
export type { WriteLogEntry } from './graph/dispatch.js';
export { startEmulator } from './start-emulator.js';
export type { EmulatorStats } from './stats.js';
export type { FaultKind } from './faults/fault-plan.js';
export { FAULT_KINDS } from './faults/fault-plan.js';
export type { PageSize } from './paging/pager.js';
export type { PagedCollection } from './routes/route.js';
export { DEFAULT_PAGE_SIZES, PAGED_COLLECTIONS } from './routes/route.js';
export type { ClientCertificate } from './tls/client-certificate.js';
export { createClientCertificate } from './tls/client-certificate.js';
