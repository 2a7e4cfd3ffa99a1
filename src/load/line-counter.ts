const NEWLINE = 0x0a;

/**
 * Maps byte offsets of a stream fed chunk by chunk to 1-based line numbers, so errors and entities can
 * name a line without keeping the file (or a table of every newline) in memory.
 *
 * It keeps the current and the previous chunk, and a cursor that moves forward through the current
 * one: the tokenizer reports offsets in increasing order, so each byte is scanned about once. A token
 * that started two or more chunks back (a string longer than a chunk) gets the line where the
 * previous chunk starts, which is as close as it can get without more memory.
 */
export class LineCounter {
  private prev: Uint8Array = new Uint8Array(0);
  private prevStart = 0;
  private prevFirstLine = 1;
  private cur: Uint8Array = new Uint8Array(0);
  private curStart = 0;
  private curFirstLine = 1;
  /** Position in `cur` up to which newlines have been counted, and the line there. */
  private cursor = 0;
  private cursorLine = 1;

  /** Call with each chunk just before the tokenizer sees it. */
  push(chunk: Uint8Array): void {
    const endLine = this.lineInCurrent(this.cur.length);
    this.prev = this.cur;
    this.prevStart = this.curStart;
    this.prevFirstLine = this.curFirstLine;
    this.curStart += this.cur.length;
    this.curFirstLine = endLine;
    this.cur = chunk;
    this.cursor = 0;
    this.cursorLine = endLine;
  }

  /** The 1-based line holding the byte at `offset` (counted from the first byte pushed). */
  lineAt(offset: number): number {
    if (offset >= this.curStart) return this.lineInCurrent(Math.min(offset - this.curStart, this.cur.length));
    if (offset >= this.prevStart) {
      return this.prevFirstLine + countNewlines(this.prev, 0, offset - this.prevStart);
    }
    return this.prevFirstLine;
  }

  private lineInCurrent(index: number): number {
    if (index < this.cursor) {
      this.cursor = 0;
      this.cursorLine = this.curFirstLine;
    }
    this.cursorLine += countNewlines(this.cur, this.cursor, index);
    this.cursor = index;
    return this.cursorLine;
  }
}

function countNewlines(bytes: Uint8Array, from: number, to: number): number {
  // A view bounded at `to`, so indexOf never scans past it (a minified file may have no newline at all).
  const view = bytes.subarray(from, to);
  let n = 0;
  for (let i = view.indexOf(NEWLINE); i !== -1; i = view.indexOf(NEWLINE, i + 1)) n++;
  return n;
}
