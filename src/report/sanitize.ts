/**
 * Tenant strings (display names, UPNs, device names, audit reasons) are attacker-controlled: anyone who
 * can set their own display name can put bytes in them. Before they reach a terminal, a spreadsheet or a
 * one-line cell they pass through here.
 */

/**
 * C0 controls (ESC starts ANSI/OSC sequences, CR overwrites the line), DEL, C1 controls (U+009B is a
 * one-byte CSI to some terminals) and the bidi/format characters that can reorder what an admin reads
 * ("Trojan Source"). Built with `\\u` escapes so this file itself holds no invisible characters.
 */
/* eslint-disable no-control-regex -- matching control characters is the point here. */
const UNSAFE = new RegExp(
  '[\\u0000-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069]',
  'g',
);
/* eslint-enable no-control-regex */

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeChar(ch: string): string {
  const named = NAMED[ch];
  if (named !== undefined) return named;
  const code = ch.charCodeAt(0);
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * One line of text that is safe to print: every control or reordering character becomes a visible
 * escape (`\x1b`, `\n`, `\u202e`), so the admin sees that something odd is in the name instead of
 * having their terminal reprogrammed.
 */
export function safeText(s: string): string {
  return s.replace(UNSAFE, escapeChar);
}

/**
 * A tenant value made safe, or undefined when there is nothing to show (absent, null or empty), so
 * that a message can leave the detail out rather than print an empty one.
 */
export function safeValue(s: string | null | undefined): string | undefined {
  return s === undefined || s === null || s === '' ? undefined : safeText(s);
}

/** Tenant values made safe and joined with ", "; undefined when the list is absent or empty. */
export function safeList(list: readonly string[] | undefined): string | undefined {
  return list === undefined || list.length === 0 ? undefined : list.map(safeText).join(', ');
}
