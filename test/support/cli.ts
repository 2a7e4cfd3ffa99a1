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
  const io: Io = { stdout, stderr, env: opts.env ?? {} };
  const code = await run(args, io);
  return { code, stdout: stdout.text, stderr: stderr.text };
}
