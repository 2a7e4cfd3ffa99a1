/**
 * Helpers for the CLI's live-path tests: an in-process Graph emulator on a ManualClock, and the CLI
 * run in-process against it with that clock and the emulator's CA passed through `run(…, deps)`
 * (NODE_EXTRA_CA_CERTS is read only at process start, so an in-process client must be given the CA).
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Capture, scratchDb } from '../support/cli.js';
import { ManualClock } from '../../src/collect/graph/index.js';
import type { CliDeps } from '../../src/cli/deps.js';
import type { Io } from '../../src/cli/output.js';
import { run } from '../../src/cli/run.js';
import { DEMO_VOLUME } from '../../src/demo/generate-tenant.js';
import { startEmulator } from '../../src/emulator/index.js';
import type { EmulatorOptions, RunningEmulator } from '../../src/emulator/index.js';
import type { CliResult } from '../support/cli.js';

export const COLLECTED_AT = '2026-11-20T09:00:00Z';

/** A secret value that must never show up in any output or file. */
export const SECRET = 'S3cr3t-value';

export interface TestEmulator {
  em: RunningEmulator;
  clock: ManualClock;
  /** `--tenant --graph-url --login-url --client-id --client-secret` for this emulator. */
  args: string[];
  /** What the CLI needs to reach it in-process. */
  deps: CliDeps;
  close(): Promise<void>;
}

/**
 * A small emulated tenant (60 users, demo volume: every verdict occurs) on a ManualClock that jumps to
 * the next timer, shared by emulator and CLI: the documented throttling is enforced, in no wall time.
 */
export async function startTestEmulator(options: Partial<EmulatorOptions> = {}): Promise<TestEmulator> {
  const clock = new ManualClock({ start: Date.parse(COLLECTED_AT) });
  const em = await startEmulator({
    users: 60,
    seed: 7,
    collectedAt: COLLECTED_AT,
    volume: DEMO_VOLUME,
    clock,
    ...options,
  });
  return {
    em,
    clock,
    args: [
      '--tenant',
      em.tenantId,
      '--graph-url',
      em.url,
      '--login-url',
      em.loginUrl,
      '--client-id',
      'test-app',
      '--client-secret',
      SECRET,
    ],
    deps: { ca: em.caPem, clock, now: () => new Date(COLLECTED_AT) },
    close: () => em.close(),
  };
}

export interface LiveRunOptions {
  tty?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Throws (synchronously, as a crash would) on the first stderr write that matches. */
  crashOn?: RegExp;
}

/** The CLI in-process, with captured streams and the emulator's deps. */
export async function runLive(args: string[], deps: CliDeps, opts: LiveRunOptions = {}): Promise<CliResult> {
  const stdout = new Capture(opts.tty ?? false);
  const stderr = new Capture(opts.tty ?? false);
  const crashOn = opts.crashOn;
  if (crashOn !== undefined) {
    const write = stderr.write.bind(stderr);
    stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
      if (crashOn.test(String(chunk))) throw new Error('simulated crash');
      return write(chunk, ...rest);
    }) as typeof stderr.write;
  }
  // A history database of its own unless the test names one (as runCli).
  const io: Io = { stdout, stderr, env: { MFA_READY_DB: scratchDb(), ...opts.env } };
  const code = await run(args, io, deps);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** Temporary folders for one test file; `cleanup()` in afterAll/afterEach. */
export function tempDirs(): { make: () => Promise<string>; cleanup: () => Promise<void> } {
  const made: string[] = [];
  return {
    async make() {
      const dir = await mkdtemp(path.join(tmpdir(), 'mfa-ready-cli-live-'));
      made.push(dir);
      return dir;
    },
    async cleanup() {
      await Promise.all(made.splice(0).map((d) => rm(d, { recursive: true, force: true })));
    },
  };
}

/** Every file's text under `dir` (the checkpoint included), for looking for what must not be there. */
export async function allText(dir: string): Promise<string> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
  return (await Promise.all(files.map((f) => readFile(f, 'utf8')))).join('\n');
}

/**
 * File → text under `dir`, without the checkpoint (which records how the run went, not the data).
 * tenant.json's users deltaLink carries a token Graph issues afresh on every run: masked.
 */
export async function exportFiles(dir: string): Promise<Map<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile() && e.name !== '.collect-state.json')
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
  return new Map(
    await Promise.all(
      files.map(async (f) => {
        const text = await readFile(path.join(dir, f), 'utf8');
        return [
          f,
          f === 'tenant.json' ? text.replace(/\$deltatoken=[\w-]+/g, '$deltatoken=…') : text,
        ] as const;
      }),
    ),
  );
}

export interface VerdictRow {
  id: string;
  verdict: string;
  confidence: string | null;
  weak: boolean;
  isAdmin: boolean;
}

/** `id → verdict, confidence, weak, isAdmin` from `audit --format json` output. */
export function verdictsFromJson(stdout: string): Map<string, VerdictRow> {
  const users = (JSON.parse(stdout) as { users: VerdictRow[] }).users;
  return new Map(
    users.map((u) => [
      u.id,
      { id: u.id, verdict: u.verdict, confidence: u.confidence, weak: u.weak, isAdmin: u.isAdmin },
    ]),
  );
}

/** The same shape from the emulator's answer key. */
export function expectedVerdicts(em: RunningEmulator): Map<string, VerdictRow> {
  return new Map(
    [...em.tenant.expectations()].map((u) => [
      u.id,
      { id: u.id, verdict: u.verdict, confidence: u.confidence, weak: u.weak, isAdmin: u.isAdmin },
    ]),
  );
}

/** A stack trace line, which a usage error or an expected failure must never print. */
export const STACK_LINE = /^\s+at .+:\d+:\d+\)?$/m;
