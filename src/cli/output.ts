import { mkdir, open, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { RuntimeFailure } from '../domain/errors.js';

/** The streams a command writes to; tests pass their own. */
export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

export const processIo: Io = { stdout: process.stdout, stderr: process.stderr, env: process.env };

/** Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org) or --no-color given. */
export function wantsColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv, flag?: boolean): boolean {
  if (flag === false) return false;
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  if (env['FORCE_COLOR'] !== undefined && env['FORCE_COLOR'] !== '0') return true;
  return stream.isTTY === true;
}

/**
 * The width to render for: the terminal's own width on a terminal (it follows resizes, where an
 * exported `COLUMNS` is whatever it was when the shell started); off a terminal `COLUMNS` when set to a
 * positive whole number (`COLUMNS=100 mfa-ready audit | less`); else undefined, and each renderer uses
 * its default (100 for the audit table: it fits a pager, a CI log view and an editor side by side,
 * where 120 wrapped in all three). A pseudo-terminal that reports 0 columns counts as off a terminal.
 */
export function terminalWidth(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = {}): number | undefined {
  const columns = (stream as { columns?: number }).columns;
  if (stream.isTTY === true && columns !== undefined && columns > 0) return columns;
  const fromEnv = env['COLUMNS']?.trim();
  if (fromEnv !== undefined && /^\d+$/.test(fromEnv)) {
    const n = Number(fromEnv);
    if (n > 0) return n;
  }
  return undefined;
}

/**
 * Writes text made in pieces to a stream as it is made, waiting whenever the stream asks to (a pipe to
 * a slower reader): the whole text is never held at once.
 */
export async function writeChunks(stream: NodeJS.WritableStream, chunks: Iterable<string>): Promise<void> {
  for (const chunk of chunks) {
    if (!stream.write(chunk)) await new Promise<void>((done) => stream.once('drain', () => done()));
  }
}

/**
 * Writes a report file atomically: to a temporary sibling first, then renamed over the target, so a
 * failed run never leaves a half-written file where the last good report was.
 */
export async function writeFileAtomic(file: string, content: string | Iterable<string>): Promise<void> {
  const target = resolve(file);
  const tmp = `${target}.${process.pid}.tmp`;
  try {
    await mkdir(dirname(target), { recursive: true });
    if (typeof content === 'string') await writeFile(tmp, content, 'utf8');
    else {
      const handle = await open(tmp, 'w');
      try {
        for (const chunk of content) await handle.write(chunk, null, 'utf8');
      } finally {
        await handle.close();
      }
    }
    await rename(tmp, target);
  } catch (err) {
    await rm(tmp, { force: true });
    throw new RuntimeFailure(
      `could not write ${file}: ${(err as Error).message}`,
      'Check that the folder exists and is writable.',
      {
        cause: err,
      },
    );
  }
}
