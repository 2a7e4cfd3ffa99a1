/**
 * The fast counterpart of EntityAssembler: it walks only the outer structure of a file (top-level
 * values, top-level arrays, pages and their `value` arrays), finds where each entity's text starts
 * and ends, and hands that text to the native `JSON.parse`. The inside of an entity is only skimmed
 * for brackets and string ends, never tokenized in JavaScript.
 *
 * It applies the same shape rules as EntityAssembler (see there), including a repeated `value` key,
 * but it reports no errors of its own: on anything that is not valid JSON of a known shape it throws
 * {@link NeedsStreamingReader}, and the caller re-reads the file with the streaming tokenizer, which
 * names the line and the reason exactly. So for valid input it gives the same entities, in the same
 * order, with the same lines; for invalid input the streaming reader has the last word.
 *
 * Text arrives in pieces (`feed`); memory holds the unread rest of the pieces, one entity, and the
 * members of a top-level object read so far while it is not yet known to be a page.
 */

/** The fast reader cannot go on; the streaming reader must (re-)read the file from its start. */
export class NeedsStreamingReader extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'NeedsStreamingReader';
  }
}

type ListState = 'valueOrEnd' | 'value' | 'commaOrEnd';
type UnitState = 'keyOrEnd' | 'key' | 'colon' | 'value' | 'commaOrEnd';

interface ListFrame {
  /** `list`: a top-level array; `pageValues`: the `value` array of a page. */
  kind: 'list' | 'pageValues';
  state: ListState;
}

interface UnitFrame {
  /** A top-level object (or element of a top-level array): a page or an entity, not yet known. */
  kind: 'unit';
  state: UnitState;
  /** Index in `text` of its `{`; kept while it may still be an entity (its text is retained). */
  start: number;
  line: number;
  key: string;
  /** Index in `text` of the current member's key. */
  keyStart: number;
  isPage: boolean;
  /** Has a `value` member that is not an array (an error unless the object is also a page). */
  hasOtherValue: boolean;
}

type Frame = ListFrame | UnitFrame;

/** Where the scan of an unfinished value stopped, so the next piece resumes it instead of restarting. */
interface PendingValue {
  /** What the value becomes once complete. */
  role: 'entity' | 'member';
  start: number;
  line: number;
  /** Resume position, the bracket depth there (0 for a string or a primitive), and whether it is in a string. */
  pos: number;
  depth: number;
  inString: boolean;
}

const QUOTE = 34;
const BACKSLASH = 92;
const NEWLINE = 10;

export class EntitySplitter {
  private text = '';
  private pos = 0;
  private readonly stack: Frame[] = [];
  private pending: PendingValue | undefined;
  /** `line` is the line number at `text[linePos]`; both only move forward. */
  private linePos = 0;
  private line: number;

  /**
   * @param onEntity called with each entity and the 1-based line it starts on.
   * @param firstLine the line number of the first character fed.
   */
  constructor(
    private readonly onEntity: (entity: unknown, line: number) => void,
    firstLine = 1,
  ) {
    this.line = firstLine;
  }

  /** True between top-level values: the fast line reader may take over again. */
  get idle(): boolean {
    return this.stack.length === 0 && this.pending === undefined;
  }

  /** The line number just after the text fed so far. */
  endLine(): number {
    return this.lineAt(this.text.length);
  }

  /** Reads a piece of text; entities complete in it are handed out before this returns. */
  feed(piece: string): void {
    this.text += piece;
    this.run(false);
    this.compact();
  }

  /** Call once the input has ended. Throws NeedsStreamingReader if it ended inside a value. */
  end(): void {
    this.run(true);
    if (!this.idle) throw new NeedsStreamingReader('the text ends inside a value');
  }

  /** Steps through the text until it runs out (or, at the end, until nothing more can be done). */
  private run(atEnd: boolean): void {
    const text = this.text;
    const length = text.length;
    for (;;) {
      if (this.pending !== undefined) {
        if (!this.finishPending(atEnd)) return;
        continue;
      }
      const i = skipWhitespace(text, this.pos);
      this.pos = i;
      if (i >= length) return;
      const c = text.charCodeAt(i);
      const top = this.stack.at(-1);
      let more: boolean;
      if (top === undefined) more = this.topLevel(c, i);
      else if (top.kind === 'unit') more = this.inUnit(top, c, i);
      else more = this.inList(top, c, i);
      if (!more) return;
    }
  }

  // Each step below returns false when the text ran out before it could finish.

  private topLevel(c: number, i: number): boolean {
    if (c === 0x7b /* { */) return this.openUnit(i);
    if (c === 0x5b /* [ */) {
      this.stack.push({ kind: 'list', state: 'valueOrEnd' });
      this.pos = i + 1;
      return true;
    }
    if (isPunctuation(c)) throw unexpected();
    return this.startValue('entity', i);
  }

  private inList(frame: ListFrame, c: number, i: number): boolean {
    switch (frame.state) {
      case 'valueOrEnd':
      case 'value':
        if (c === 0x5d /* ] */ && frame.state === 'valueOrEnd') return this.closeList(i);
        frame.state = 'commaOrEnd';
        if (c === 0x7b && frame.kind === 'list') return this.openUnit(i);
        if (isPunctuation(c)) throw unexpected();
        return this.startValue('entity', i);
      case 'commaOrEnd':
        if (c === 0x2c /* , */) {
          frame.state = 'value';
          this.pos = i + 1;
          return true;
        }
        if (c === 0x5d) return this.closeList(i);
        throw unexpected();
    }
  }

  private closeList(i: number): boolean {
    this.stack.pop();
    this.pos = i + 1;
    return true;
  }

  private openUnit(i: number): boolean {
    this.stack.push({
      kind: 'unit',
      state: 'keyOrEnd',
      start: i,
      line: this.lineAt(i),
      key: '',
      keyStart: i,
      isPage: false,
      hasOtherValue: false,
    });
    this.pos = i + 1;
    return true;
  }

  private inUnit(frame: UnitFrame, c: number, i: number): boolean {
    const text = this.text;
    switch (frame.state) {
      case 'keyOrEnd':
      case 'key': {
        if (c === 0x7d /* } */ && frame.state === 'keyOrEnd') return this.closeUnit(frame, i);
        if (c !== QUOTE) throw unexpected();
        const end = stringEnd(text, i + 1);
        if (end === -1) return false;
        // Keys of an entity are checked with the entity, and those before `value` with the page's
        // head; a page's later keys (`@odata.nextLink`) are checked here.
        const raw = text.slice(i + 1, end);
        frame.key =
          frame.isPage || raw.includes('\\') ? (parseOrThrow(text.slice(i, end + 1)) as string) : raw;
        frame.keyStart = i;
        frame.state = 'colon';
        this.pos = end + 1;
        return true;
      }
      case 'colon':
        if (c !== 0x3a /* : */) throw unexpected();
        frame.state = 'value';
        this.pos = i + 1;
        return true;
      case 'value':
        frame.state = 'commaOrEnd';
        if (frame.key === 'value' && c === 0x5b /* [ */) {
          if (!frame.isPage) {
            // Now known to be a page: check the members before `value`, then stop keeping its text.
            parseOrThrow(membersAsObject(text.slice(frame.start, frame.keyStart)));
            frame.isPage = true;
          }
          this.stack.push({ kind: 'pageValues', state: 'valueOrEnd' });
          this.pos = i + 1;
          return true;
        }
        if (frame.key === 'value') frame.hasOtherValue = true;
        if (isPunctuation(c)) throw unexpected();
        return this.startValue('member', i);
      case 'commaOrEnd':
        if (c === 0x2c /* , */) {
          frame.state = 'key';
          this.pos = i + 1;
          return true;
        }
        if (c === 0x7d) return this.closeUnit(frame, i);
        throw unexpected();
    }
  }

  private closeUnit(frame: UnitFrame, i: number): boolean {
    this.stack.pop();
    this.pos = i + 1;
    if (frame.isPage) return true;
    // `{"value": 1}` is a page whose value is not an array: the streaming reader words that error.
    if (frame.hasOtherValue) throw new NeedsStreamingReader('"value" is not an array');
    this.onEntity(parseOrThrow(this.text.slice(frame.start, i + 1)), frame.line);
    return true;
  }

  /** Starts a value that is an entity, or a member of a unit, and scans as far as the text goes. */
  private startValue(role: PendingValue['role'], i: number): boolean {
    const c = this.text.charCodeAt(i);
    const container = c === 0x7b || c === 0x5b;
    this.pending = {
      role,
      start: i,
      line: role === 'entity' ? this.lineAt(i) : 0,
      pos: container || c === QUOTE ? i + 1 : i,
      depth: container ? 1 : 0,
      inString: false,
    };
    return this.finishPending(false);
  }

  /** Scans on through the pending value; false when the text ran out first. */
  private finishPending(atEnd: boolean): boolean {
    const p = this.pending as PendingValue;
    const text = this.text;
    const first = text.charCodeAt(p.start);
    let end: number;
    if (first === QUOTE) {
      end = stringEnd(text, p.pos);
      if (end === -1) {
        p.pos = text.length;
        return false;
      }
      end++;
    } else if (p.depth > 0) {
      end = containerEnd(p, text);
      if (end === -1) return false;
    } else {
      end = primitiveEnd(text, p.pos);
      if (end === text.length && !atEnd) {
        p.pos = end;
        return false;
      }
    }
    this.pending = undefined;
    this.pos = end;
    if (p.role === 'entity') {
      this.onEntity(parseOrThrow(text.slice(p.start, end)), p.line);
      return true;
    }
    const unit = this.stack.at(-1);
    // A member of a page other than `value` (`@odata.nextLink`, `Count`) is only checked; a member
    // of an object not yet known to be a page is checked with the whole object.
    if (unit?.kind === 'unit' && unit.isPage) parseOrThrow(text.slice(p.start, end));
    return true;
  }

  /** Drops the text that is read and no longer needed, adjusting the positions kept into it. */
  private compact(): void {
    let keep = this.pos;
    if (this.pending !== undefined) keep = Math.min(keep, this.pending.start);
    for (const f of this.stack) if (f.kind === 'unit' && !f.isPage) keep = Math.min(keep, f.start);
    if (keep === 0) return;
    if (this.linePos < keep) this.lineAt(keep);
    this.text = this.text.slice(keep);
    this.pos -= keep;
    this.linePos -= keep;
    if (this.pending !== undefined) {
      this.pending.start -= keep;
      this.pending.pos -= keep;
    }
    for (const f of this.stack) {
      if (f.kind !== 'unit') continue;
      f.start -= keep;
      f.keyStart -= keep;
    }
  }

  /** The line at `text[index]`. Lines are counted forwards only (values are met in order). */
  private lineAt(index: number): number {
    if (index > this.linePos) {
      // Only up to `index`: a minified file may have no newline at all to stop a longer search.
      const span = this.text.slice(this.linePos, index);
      for (let j = span.indexOf('\n'); j !== -1; j = span.indexOf('\n', j + 1)) this.line++;
      this.linePos = index;
    }
    return this.line;
  }
}

function unexpected(): NeedsStreamingReader {
  return new NeedsStreamingReader('unexpected character');
}

/** `]`, `}`, `,` and `:`: characters that cannot start a value. */
function isPunctuation(c: number): boolean {
  return c === 0x5d || c === 0x7d || c === 0x2c || c === 0x3a;
}

function parseOrThrow(source: string): unknown {
  try {
    return JSON.parse(source) as unknown;
  } catch {
    throw new NeedsStreamingReader('not valid JSON');
  }
}

/** `{"a": 1, ` (an object's text up to a member) as a complete object, for checking. */
function membersAsObject(head: string): string {
  const trimmed = head.trimEnd();
  return `${trimmed.endsWith(',') ? trimmed.slice(0, -1) : trimmed}}`;
}

function skipWhitespace(text: string, i: number): number {
  const length = text.length;
  while (i < length) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== NEWLINE && c !== 0x0d && c !== 0x09) return i;
    i++;
  }
  return i;
}

/** Index of the quote that ends a string, searching from `from` (inside it), or -1 if not here yet. */
function stringEnd(text: string, from: number): number {
  let j = text.indexOf('"', from);
  while (j !== -1 && isEscaped(text, j)) j = text.indexOf('"', j + 1);
  return j;
}

function isEscaped(text: string, quote: number): boolean {
  let backslashes = 0;
  for (let k = quote - 1; text.charCodeAt(k) === BACKSLASH; k--) backslashes++;
  return backslashes % 2 === 1;
}

/**
 * The index after the bracket that closes the container being scanned, or -1 if the text runs out
 * first (where it stopped is kept in `p`). Brackets are only counted, not matched: JSON.parse checks
 * the text afterwards.
 */
function containerEnd(p: PendingValue, text: string): number {
  const length = text.length;
  let depth = p.depth;
  let i = p.pos;
  if (p.inString) {
    const end = stringEnd(text, i);
    if (end === -1) {
      p.pos = length;
      return -1;
    }
    i = end + 1;
    p.inString = false;
  }
  while (i < length) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = stringEnd(text, i + 1);
      if (end === -1) {
        p.inString = true;
        p.pos = length;
        p.depth = depth;
        return -1;
      }
      i = end + 1;
      continue;
    }
    if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) {
      depth--;
      if (depth === 0) return i + 1;
    }
    i++;
  }
  p.pos = i;
  p.depth = depth;
  return -1;
}

/** The end of a number, `true`, `false` or `null` (scanning from `from`, inside it). */
function primitiveEnd(text: string, from: number): number {
  const length = text.length;
  let i = from;
  while (i < length) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === NEWLINE || c === 0x0d || c === 0x09 || isPunctuation(c)) break;
    if (c === 0x7b || c === 0x5b || c === QUOTE) break;
    i++;
  }
  return i;
}
