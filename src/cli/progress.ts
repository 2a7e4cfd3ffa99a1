import type { Io } from './output.js';

/**
 * Reports progress of long work: one updating line on a terminal, one plain line per finished step
 * elsewhere (logs of scheduled jobs), nothing when quiet.
 */
export interface Progress {
  /** A step made progress; a new label means the previous step finished. */
  update(label: string, count: number): void;
  /** All steps are finished. */
  finish(): void;
}

export function createProgress(io: Io, quiet: boolean, verb = 'read'): Progress {
  if (quiet) return { update() {}, finish() {} };
  const tty = io.stderr.isTTY === true;
  let current: { label: string; count: number } | undefined;
  let lastDraw = 0;
  let drawn = false;

  const clear = () => {
    if (tty && drawn) io.stderr.write('\r\x1b[2K');
    drawn = false;
  };
  const close = () => {
    if (current === undefined) return;
    clear();
    io.stderr.write(
      `${verb} ${current.label}: ${current.count.toLocaleString('en-US')} ${current.count === 1 ? 'row' : 'rows'}\n`,
    );
    current = undefined;
  };

  return {
    update(label, count) {
      if (current !== undefined && current.label !== label) close();
      current = { label, count };
      if (!tty) return;
      // Redrawing more than ~10 times a second only costs time on big files.
      const t = performance.now();
      if (t - lastDraw < 100) return;
      lastDraw = t;
      io.stderr.write(`\r\x1b[2K${verb} ${label}… ${count.toLocaleString('en-US')} rows`);
      drawn = true;
    },
    finish() {
      close();
    },
  };
}
