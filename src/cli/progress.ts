import { formatCount } from '../report/collect-words.js';
import type { Io } from './output.js';

/**
 * Reports progress of long work on standard error, in the admin's words ("Reading sign-in log… 448"):
 * on a terminal one line redrawn in place and erased at the end, so only the report is left on screen;
 * elsewhere (a scheduled job's log) one plain line per finished step; nothing when quiet.
 */
export interface Progress {
  /** A step made progress; a new label means the previous step finished. */
  update(label: string, count: number): void;
  /** All steps are finished. */
  finish(): void;
}

/** Redrawing more than ~10 times a second only costs time on big files. */
const REDRAW_MS = 100;

export function createProgress(
  io: Io,
  quiet: boolean,
  now: () => number = () => performance.now(),
): Progress {
  if (quiet) return { update() {}, finish() {} };
  const tty = io.stderr.isTTY === true;
  let current: { label: string; count: number } | undefined;
  let lastDraw = -Infinity;
  let drawn = false;

  // A line longer than the terminal wraps, and `\r` then rewrites only its last part: cut it to fit.
  const fit = (s: string) => {
    const columns = (io.stderr as { columns?: number }).columns || 80;
    const chars = [...s];
    return chars.length < columns ? s : `${chars.slice(0, Math.max(1, columns - 2)).join('')}…`;
  };
  const draw = () => {
    if (current === undefined) return;
    io.stderr.write(`\r\x1b[2K${fit(`Reading ${current.label}… ${formatCount(current.count)}`)}`);
    drawn = true;
  };
  const done = () => {
    if (current !== undefined && !tty)
      io.stderr.write(`Read ${current.label}: ${formatCount(current.count)}\n`);
    current = undefined;
  };

  return {
    update(label, n) {
      const next = current === undefined || current.label !== label;
      if (next) done();
      current = { label, count: n };
      if (!tty) return;
      const t = now();
      if (!next && t - lastDraw < REDRAW_MS) return;
      lastDraw = t;
      draw();
    },
    finish() {
      done();
      if (tty && drawn) io.stderr.write('\r\x1b[2K');
      drawn = false;
    },
  };
}
