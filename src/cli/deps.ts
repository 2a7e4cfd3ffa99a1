import type { Clock } from '../collect/graph/index.js';

/**
 * What tests (and embedders) may pass instead of the process defaults, through `run(argv, io, deps)`
 * rather than globals: an in-process emulator's CA (NODE_EXTRA_CA_CERTS is read only when the process
 * starts), a clock shared with that emulator (so its throttling costs no wall time), and the
 * collection's reference time (the emulator's tenant has its own "now").
 */
export interface CliDeps {
  /** Extra CA certificate (PEM) to trust for sign-in and Graph. */
  ca?: string;
  /** Clock for pacing, retries and ETAs; default the real clock. */
  clock?: Clock;
  /** The current time, for the collection window and `audit --tenant`; default the system time. */
  now?: () => Date;
}
