import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { run } from '../../src/cli/run.js';
import type { Io } from '../../src/cli/output.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A writable that keeps what was written, and says whether it is a terminal. */
export class Capture extends Writable {
  text = '';
  constructor(readonly isTTY: boolean) {
    super();
  }
  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.text += chunk.toString();
    cb();
  }
}

/** Runs the CLI in-process with captured streams, as a user would on a pipe (not a TTY) unless told otherwise. */
export async function runCli(
  args: string[],
  opts: { tty?: boolean; env?: NodeJS.ProcessEnv } = {},
): Promise<CliResult> {
  const stdout = new Capture(opts.tty ?? false);
  const stderr = new Capture(opts.tty ?? false);
  // A history database of its own unless the test names one: never the user's real one, never shared.
  const io: Io = { stdout, stderr, env: { MFA_READY_DB: scratchDb(), ...opts.env } };
  const code = await run(args, io);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

let scratchCount = 0;
let scratchDir: string | undefined;
/** A database file no other call uses (created only if the command opens it). */
export function scratchDb(): string {
  // Under the run's temporary folder (test/support/temp-root.ts), removed when the run ends.
  scratchDir ??= mkdtempSync(join(process.env.MFA_READY_TEST_TMP ?? tmpdir(), `cli-${process.pid}-`));
  return join(scratchDir, `run-${++scratchCount}.db`);
}
