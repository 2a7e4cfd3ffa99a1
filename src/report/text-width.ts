/**
 * Display width in terminal columns, for aligning pre-wrapped table cells. Only our own SGR colour
 * codes can be in the text (tenant strings pass through `safeText` first), so stripping those is enough.
 * CJK and emoji take two columns, combining marks and zero-width characters none: a Japanese or Arabic
 * display name must not push the table's right border out of line.
 */
// eslint-disable-next-line no-control-regex -- ESC starts the sequences being stripped.
const SGR = new RegExp('\\u001b\\[[0-9;]*m', 'g');
const ZERO_WIDTH = /[\p{M}\u200b-\u200d\u2060\ufeff]/u;
const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{1f300}-\u{1f64f}\u{1f900}-\u{1f9ff}\u{20000}-\u{3fffd}]/u;

export function stripSgr(s: string): string {
  return s.replace(SGR, '');
}

/** Columns one character (code point) takes. */
export function charWidth(ch: string): number {
  if (ZERO_WIDTH.test(ch)) return 0;
  return WIDE.test(ch) ? 2 : 1;
}

/** Columns `s` takes on screen. ASCII is measured by length, the common case, without a regex per character. */
export function displayWidth(s: string): number {
  const plain = stripSgr(s);
  // Printable ASCII: one column per character.
  if (/^[\x20-\x7e]*$/.test(plain)) return plain.length;
  let width = 0;
  for (const ch of plain) width += charWidth(ch);
  return width;
}

/** `s` padded with spaces to `width` columns (never cut). */
export function padDisplay(s: string, width: number): string {
  return s + ' '.repeat(Math.max(0, width - displayWidth(s)));
}
