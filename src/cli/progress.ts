import type { Io } from './output.js';

/** Reports progress of long work: one updating line on a terminal, plain lines elsewhere, nothing when quiet. */
export interface Progress {
  update(label: string, count: number): void;
  done(label: string, count: number): void;
  finish(): void;
}

export function createProgress(io: Io, quiet: boolean): Progress {
  if (quiet) return { update() {}, done() {}, finish() {} };
  const tty = io.stderr.isTTY === true;
  let lastDraw = 0;
  let drawn = false;
  return {
    update(label, count) {
      if (!tty) return;
      // Redrawing more than ~10 times a second only costs time on big files.
      const t = performance.now();
      if (t - lastDraw < 100) return;
      lastDraw = t;
      io.stderr.write(`\r\x1b[2K  reading ${label}… ${count.toLocaleString('en-US')} rows`);
      drawn = true;
    },
    done(label, count) {
      if (tty && drawn) io.stderr.write('\r\x1b[2K');
      drawn = false;
      io.stderr.write(`  read ${label}: ${count.toLocaleString('en-US')} rows\n`);
    },
    finish() {
      if (tty && drawn) io.stderr.write('\r\x1b[2K');
    },
  };
}
