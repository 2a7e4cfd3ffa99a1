import { displayWidth } from './text-width.js';

/**
 * A box-drawn grid for cells that are already wrapped (and maybe coloured), drawn like cli-table3's
 * default style. The users list uses this instead of cli-table3: cli-table3 costs about 3 ms a row and
 * grows worse than linearly (its row-span conflict checks), and a 300,000-user tenant can have tens of
 * thousands of users to list. The small summary table still uses cli-table3.
 */
export interface GridOptions {
  /** Width of each column including one space of padding either side. */
  widths: number[];
  head?: string[];
}

function rule(widths: number[], left: string, mid: string, right: string): string {
  return left + widths.map((w) => '─'.repeat(w)).join(mid) + right;
}

function row(cells: string[], widths: number[]): string[] {
  const split = widths.map((_, i) => (cells[i] ?? '').split('\n'));
  const height = Math.max(...split.map((lines) => lines.length));
  const out: string[] = [];
  for (let line = 0; line < height; line++) {
    const parts = widths.map((w, i) => {
      const text = split[i]![line] ?? '';
      return ` ${text}${' '.repeat(Math.max(0, w - 2 - displayWidth(text)))} `;
    });
    out.push(`│${parts.join('│')}│`);
  }
  return out;
}

export function renderGrid(rows: string[][], opts: GridOptions): string {
  const { widths } = opts;
  const lines = [rule(widths, '┌', '┬', '┐')];
  if (opts.head !== undefined) lines.push(...row(opts.head, widths));
  rows.forEach((cells, i) => {
    if (i > 0 || opts.head !== undefined) lines.push(rule(widths, '├', '┼', '┤'));
    lines.push(...row(cells, widths));
  });
  lines.push(rule(widths, '└', '┴', '┘'));
  return lines.join('\n');
}
