import { safeText } from './sanitize.js';
import { charWidth, displayWidth } from './text-width.js';

/** Milliseconds since the epoch, or undefined for a missing or unparseable timestamp. */
export function parseTime(iso: string | null | undefined): number | undefined {
  if (iso === null || iso === undefined || iso === '') return undefined;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * `2025-04-01 10:00:03 UTC`. Always UTC: the report is read next to Entra's own logs, which are UTC, and
 * a renderer must not depend on the machine's time zone. Unparseable input is shown as given (made safe).
 */
export function formatTime(iso: string | null | undefined): string {
  const ms = parseTime(iso);
  if (ms === undefined)
    return iso === null || iso === undefined || iso === '' ? 'unknown time' : safeText(iso);
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/**
 * Entra keeps sign-in and audit logs 30 days (7 without P1/P2):
 * https://learn.microsoft.com/entra/identity/monitoring-health/reference-reports-data-retention.
 * Log evidence older than that was kept by the history database, not re-read from Entra.
 */
export const ENTRA_LOG_RETENTION_DAYS = 30;
const DAY_MS = 86_400_000;

/**
 * `46 days ago` for a sign-in or audit finding older than Entra's log retention at `now` (the report's
 * clock), so a reader sees the evidence is the history's and how old; undefined for anything else.
 */
export function logEvidenceAge(
  e: { source: string; at: string | null },
  now: string | null | undefined,
): string | undefined {
  if (e.source !== 'signIns' && e.source !== 'audits') return undefined;
  const at = parseTime(e.at);
  const to = parseTime(now);
  if (at === undefined || to === undefined || to - at <= ENTRA_LOG_RETENTION_DAYS * DAY_MS) return undefined;
  return `${Math.floor((to - at) / DAY_MS)} days ago`;
}

/** `3 d`, `11 h`, `25 min`: how long before `to` the time `from` was; undefined if either is unknown. */
export function formatAge(
  from: string | null | undefined,
  to: string | null | undefined,
): string | undefined {
  const a = parseTime(from);
  const b = parseTime(to);
  if (a === undefined || b === undefined) return undefined;
  const minutes = Math.round((b - a) / 60_000);
  if (minutes < 0) return 'in the future';
  if (minutes < 90) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.round(hours / 24)} d`;
}

/** `1 time`, `3 times`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `42.9%`; `n/a` when there is nobody to count. */
export function formatPercent(part: number, whole: number): string {
  if (whole <= 0) return 'n/a';
  const pct = Math.round((part / whole) * 1000) / 10;
  // Never round up to a reassuring "100.0%" while someone is not ready, nor down to "0.0%" when some are.
  const shown = part < whole ? Math.min(pct, 99.9) : 100;
  return `${(part > 0 ? Math.max(shown, 0.1) : 0).toFixed(1)}%`;
}

/** Characters after which a long word may break: UPNs at `@` and `.`, URLs and Graph paths at `/`, GUIDs at `-`. */
const SOFT_BREAKS = new Set(['@', '.', '/', '-', '_', '?', '&', '=']);

/**
 * Splits `word` into the longest head that fits `width` columns, and the rest. The cut goes after the
 * last soft-break character of the head when that keeps at least a third of the line, so
 * `https://aka.ms/` + `mysecurityinfo` and `amelia.muller@` + `contoso.edu`, not `…/mysecurityin` + `fo`.
 * Only a word with no such place is cut mid-word.
 */
function splitWord(word: string, width: number): [string, string] {
  let used = 0;
  let end = 0;
  for (const ch of word) {
    const w = charWidth(ch);
    if (used + w > width && end > 0) break;
    used += w;
    end += ch.length;
  }
  let cut = end;
  for (let i = end - 2; i >= end / 3; i--) {
    if (SOFT_BREAKS.has(word[i]!)) {
      cut = i + 1;
      break;
    }
  }
  return [word.slice(0, cut), word.slice(cut)];
}

/**
 * Greedy word wrap for plain (uncoloured) text, measured in terminal columns; words wider than `width`
 * are split, never cut off: a truncated Graph path or method id is worse than a wrapped one.
 */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  let lineWidth = 0;
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    let w = word;
    let ww = displayWidth(w);
    if (line !== '' && lineWidth + 1 + ww <= width) {
      line += ` ${w}`;
      lineWidth += 1 + ww;
      continue;
    }
    if (line !== '') lines.push(line);
    while (ww > width) {
      const [head, rest] = splitWord(w, width);
      lines.push(head);
      w = rest;
      ww = displayWidth(w);
    }
    line = w;
    lineWidth = ww;
  }
  if (line !== '') lines.push(line);
  return lines.length > 0 ? lines : [''];
}

/** `" (…)"` when `inner` has text, else `""`: keeps optional details from leaving empty brackets. */
export function paren(inner: string | undefined): string {
  return inner === undefined || inner === '' ? '' : ` (${inner})`;
}
