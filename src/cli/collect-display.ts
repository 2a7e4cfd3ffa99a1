/**
 * The collection's progress on standard error. On a terminal: one line per running part, redrawn in
 * place (pages, rows, ETA when the total is known), a footer while throttling costs time, and a final
 * line per part as it ends. Elsewhere (a scheduled job's log): a plain line per finished part, one
 * every 30 s for a long part, and every 429 or retry. Nothing when quiet.
 */
import type { GraphEvent } from '../collect/graph/index.js';
import type { CollectPart, CollectProgressEvent, ThrottleSnapshot } from '../collect/live/index.js';
import { counted, formatCount, formatDuration, partLabel, statusBrief } from '../report/collect-words.js';
import type { Io } from './output.js';

export interface CollectDisplay {
  onProgress(event: CollectProgressEvent): void;
  onGraphEvent(event: GraphEvent): void;
  /** A message line (device-code prompt, caveats) printed above the live lines. */
  note(line: string): void;
  /** Ends the live lines; call before printing the summary. */
  finish(): void;
}

export interface DisplayOptions {
  quiet: boolean;
  /** Plain lines off a terminal (default true); the demo turns them off to stay at one line. */
  plain?: boolean;
  /** Says after each wait that time is emulated (the demo's fast clock). */
  clockNote?: string;
  /** Wall-clock ms, for redraw and log pacing (tests pass their own). */
  wallNow?: () => number;
}

/** Redrawing more often than this only costs time. */
const REDRAW_MS = 100;
/** A plain "still going" line per part at most this often. */
const PLAIN_EVERY_MS = 30_000;

interface Live {
  part: CollectPart;
  pages: number;
  rows: number;
  total?: number;
  etaMs?: number;
}

export function createCollectDisplay(io: Io, options: DisplayOptions): CollectDisplay {
  const say = (line: string) => io.stderr.write(`${line}\n`);
  if (options.quiet) return { onProgress() {}, onGraphEvent() {}, note: say, finish() {} };
  const tty = io.stderr.isTTY === true;
  if (!tty && options.plain === false) return { onProgress() {}, onGraphEvent() {}, note: say, finish() {} };
  return tty ? terminalDisplay(io, options) : plainDisplay(say, options);
}

function liveText(l: Live): string {
  const rows =
    l.total !== undefined ? `${formatCount(l.rows)} of ${formatCount(l.total)}` : formatCount(l.rows);
  const eta = l.etaMs !== undefined && l.etaMs > 0 ? ` · ETA ${formatDuration(l.etaMs)}` : '';
  return `${partLabel(l.part)}: ${counted(l.pages, 'page')}, ${rows} rows${eta}`;
}

function doneText(event: Extract<CollectProgressEvent, { type: 'done' }>): string {
  const state = event.status.state === 'complete' ? '✓' : event.status.state === 'failed' ? '✗' : '–';
  const counts =
    event.status.state === 'complete' || event.rows > 0
      ? ` ${counted(event.rows, 'row')}, ${counted(event.pages, 'page')};`
      : '';
  return `${state} ${partLabel(event.part)}:${counts} ${statusBrief(event.part, event.status)}`;
}

function throttleText(t: ThrottleSnapshot | undefined, clockNote: string | undefined): string | undefined {
  if (t === undefined || (t.throttled === 0 && t.throttleWaitMs < 1_000)) return undefined;
  const note = clockNote !== undefined ? ` (${clockNote})` : '';
  return `throttling: ${formatDuration(t.throttleWaitMs)} waited${note}, ${formatCount(t.throttled)} × 429 so far`;
}

function terminalDisplay(io: Io, options: DisplayOptions): CollectDisplay {
  const wallNow = options.wallNow ?? (() => performance.now());
  const live = new Map<CollectPart, Live>();
  let footer: string | undefined;
  let drawn = 0;
  let lastDraw = -Infinity;

  // A pseudo-terminal without a size reports 0 columns: assume the classic 80.
  const width = () => Math.max(20, ((io.stderr as { columns?: number }).columns || 80) - 1);
  // A line longer than the terminal wraps and breaks the cursor arithmetic: cut it.
  const fit = (s: string) => ([...s].length > width() ? `${[...s].slice(0, width() - 1).join('')}…` : s);
  const erase = () => (drawn > 0 ? `\x1b[${drawn}A\r\x1b[J` : '');
  const block = () => {
    const lines = [...live.values()].map(liveText);
    if (footer !== undefined && lines.length > 0) lines.push(footer);
    drawn = lines.length;
    return lines.map((l) => `${fit(l)}\n`).join('');
  };
  const redraw = (force: boolean) => {
    const t = wallNow();
    if (!force && t - lastDraw < REDRAW_MS) return;
    lastDraw = t;
    io.stderr.write(erase() + block());
  };
  const above = (line: string) => {
    io.stderr.write(`${erase()}${line}\n${block()}`);
  };

  return {
    onProgress(event) {
      if (event.type === 'done') {
        live.delete(event.part);
        above(doneText(event));
        return;
      }
      const resumed = event.type === 'start' ? (event.resumedRows ?? 0) : 0;
      const l: Live = live.get(event.part) ?? { part: event.part, pages: 0, rows: resumed };
      if (event.total !== undefined) l.total = event.total;
      if (event.type === 'progress') {
        l.pages = event.pages;
        l.rows = event.rows;
        if (event.etaMs !== undefined) l.etaMs = event.etaMs;
        else delete l.etaMs;
        footer = throttleText(event.throttle, options.clockNote) ?? footer;
      }
      live.set(event.part, l);
      redraw(event.type === 'start');
    },
    onGraphEvent(event) {
      if (event.type === 'throttled') {
        const wait =
          event.retryAfterMs !== undefined ? `, Retry-After ${formatDuration(event.retryAfterMs)}` : '';
        footer = `throttled (429) on ${event.endpoint}${wait}`;
        redraw(true);
      }
    },
    note: above,
    finish() {
      live.clear();
      footer = undefined;
      io.stderr.write(erase());
      drawn = 0;
    },
  };
}

function plainDisplay(say: (line: string) => void, options: DisplayOptions): CollectDisplay {
  const wallNow = options.wallNow ?? (() => performance.now());
  const lastLine = new Map<CollectPart, number>();
  const note = options.clockNote !== undefined ? ` (${options.clockNote})` : '';
  return {
    onProgress(event) {
      if (event.type === 'done') {
        say(doneText(event));
        return;
      }
      if (event.type === 'start') {
        lastLine.set(event.part, wallNow());
        return;
      }
      const t = wallNow();
      if (t - (lastLine.get(event.part) ?? t) < PLAIN_EVERY_MS) return;
      lastLine.set(event.part, t);
      const throttle = throttleText(event.throttle, options.clockNote);
      say(`  ${liveText({ ...event })} so far${throttle !== undefined ? ` · ${throttle}` : ''}`);
    },
    onGraphEvent(event) {
      if (event.type === 'throttled') {
        const wait =
          event.retryAfterMs !== undefined ? `; waiting ${formatDuration(event.retryAfterMs)}${note}` : '';
        say(`  Graph throttled ${event.endpoint} (429, ${event.bucket} limit)${wait}`);
      } else {
        say(
          `  retrying ${event.endpoint} after ${event.reason} (attempt ${event.attempt}, in ${formatDuration(event.delayMs)}${note})`,
        );
      }
    },
    note: say,
    finish() {},
  };
}
