/**
 * `audit --demo`: the real live path (collect → assess → report) against the Graph emulator started
 * in this process with the demo tenant's parameters. Nothing in the collector knows it is an
 * emulator: it gets a Graph URL, a login URL and a client-secret credential like any other tenant.
 *
 * Why a ManualClock shared by both sides: the emulator enforces the documented throttling (5 report
 * requests per 10 s…), and the collector's limiter paces itself to it. On the real clock the demo's
 * per-user methods calls alone would take minutes; on a shared clock that jumps to the next timer
 * the same pacing happens in emulated time and costs no wall time.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ManualClock, chooseCredential, createGraphSource, resolveCloud } from '../collect/graph/index.js';
import { DEMO_OPTIONS } from '../demo/demo-tenant.js';
import { startEmulator } from '../emulator/index.js';
import { createCollectDisplay } from './collect-display.js';
import { DEFAULT_COLLECT_REQUEST } from './collect-flags.js';
import { runCollection } from './collection.js';
import type { Io } from './output.js';

/** Any values do: the emulator accepts every client id and secret. Not the user's AZURE_* variables. */
const DEMO_CLIENT = { clientId: 'mfa-ready-demo', clientSecret: 'demo-secret-accepted-by-the-emulator' };
const CLOCK_NOTE = 'emulated time';

export interface DemoOptions {
  quiet: boolean;
  color: boolean;
  /** `--scope-group` values: their members are collected too, as with a real tenant. */
  scopeGroups: string[];
}

/**
 * Collects the demo tenant into a fresh temporary folder, hands the folder and the demo's collection
 * time to `use`, and removes the folder and stops the emulator afterwards, whatever happens.
 */
export async function withDemoCollection<T>(
  io: Io,
  options: DemoOptions,
  use: (dir: string, collectedAt: string) => Promise<T>,
): Promise<T> {
  const clock = new ManualClock({ start: Date.parse(DEMO_OPTIONS.collectedAt) });
  const emulator = await startEmulator({
    users: DEMO_OPTIONS.users,
    seed: DEMO_OPTIONS.seed,
    collectedAt: DEMO_OPTIONS.collectedAt,
    volume: DEMO_OPTIONS.volume,
    clock,
  });
  const dir = await mkdtemp(path.join(tmpdir(), 'mfa-ready-demo-'));
  try {
    if (!options.quiet)
      io.stderr.write(
        `mfa-ready: --demo collects a generated ${DEMO_OPTIONS.users}-user tenant from the built-in Graph emulator (in-process, ${emulator.url}, throttled on an emulated clock) and assesses it; no Azure account is used.\n`,
      );
    const endpoints = resolveCloud({ graphUrl: emulator.url, loginUrl: emulator.loginUrl });
    // An empty environment: a real AZURE_CLIENT_SECRET must never be sent to the emulator.
    const choice = chooseCredential({ ...DEMO_CLIENT, tenant: emulator.tenantId }, {}, endpoints, {
      ca: emulator.caPem,
    });
    const source = createGraphSource({
      graphUrl: endpoints.graphUrl,
      credential: choice.credential,
      clock,
      ca: emulator.caPem,
      redact: choice.redact,
    });
    try {
      await runCollection(
        { tenantId: emulator.tenantId, endpoints, source, clock, redact: choice.redact },
        dir,
        { ...DEFAULT_COLLECT_REQUEST, scopeGroups: options.scopeGroups },
        new Date(DEMO_OPTIONS.collectedAt),
        io,
        {
          // Live lines on a terminal only: off a terminal the demo stays at its one line.
          display: createCollectDisplay(io, { quiet: options.quiet, plain: false, clockNote: CLOCK_NOTE }),
          summary: 'problems',
          color: options.color,
          clockNote: CLOCK_NOTE,
        },
      );
    } finally {
      source.close();
    }
    return await use(dir, DEMO_OPTIONS.collectedAt);
  } finally {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  }
}
