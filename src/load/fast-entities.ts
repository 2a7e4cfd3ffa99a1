import { isAscii, isUtf8 } from 'node:buffer';
import { closeSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { EntitySplitter, NeedsStreamingReader } from './entity-splitter.js';
import { detectEncoding, SNIFF_BYTES, utf16Decoder } from './text-encoding.js';

/**
 * The fast way through an export file, for valid files of the usual shapes. Entities are parsed by
 * the native `JSON.parse`, never token by token in JavaScript:
 *
 * - NDJSON: each line is parsed whole. A line that is not a complete value by itself (a
 *   pretty-printed page starts with `{`), or that holds a page or an array, goes to the
 *   EntitySplitter, which finds each entity's text and parses that.
 * - Anything else (one page or array over many lines, on one huge line, UTF-16) goes through the
 *   EntitySplitter from the start.
 *
 * Memory holds one read chunk, one line (up to LONG_LINE_BYTES; longer ones are split by the
 * EntitySplitter as they come) and one entity, as with the streaming reader.
 *
 * It reports no errors: on anything it cannot read (invalid JSON, a page whose `value` is not an
 * array, bytes that are not UTF-8) it throws NeedsStreamingReader, and the caller has the streaming
 * reader re-read the file to find and word the error. I/O errors are thrown as they are.
 */

/** Entities read from one file in one go, with the line each starts on. */
export interface EntityBatch {
  entities: unknown[];
  lines: number[];
  /** 0-based index in the file of `entities[0]`. */
  firstIndex: number;
}

/** Files up to this size are read whole, at once. */
const SMALL_FILE_BYTES = 1 << 20;
/** Bytes read at a time from bigger files. */
const CHUNK_BYTES = 1 << 20;
/** A line longer than this is not kept whole but split by the EntitySplitter as it arrives. */
const LONG_LINE_BYTES = 8 << 20;

/**
 * Part of a UTF-8 file, for one of several workers that read it side by side: the bytes from `start`
 * to `end`, both at the start of a line (see lineStartAtOrAfter). Only whole-line values are read
 * (NDJSON): a value that spans lines could cross into the next part, so one throws
 * NeedsStreamingReader. Line numbers and indexes count from the part's start.
 */
export interface ByteRange {
  start: number;
  end: number;
}

export async function* fastEntityBatches(file: string, range?: ByteRange): AsyncGenerator<EntityBatch> {
  const whole = range === undefined ? readSmallFile(file) : undefined;
  if (whole !== undefined) {
    yield* entitiesOfWholeFile(whole);
    return;
  }
  const fh = await open(file, 'r');
  const chunks = readChunks(fh, range);
  try {
    let head: Buffer = Buffer.alloc(0);
    let first = await chunks.next();
    // Sniff the encoding from the first bytes (only a tiny first read needs more).
    while (!first.done && head.length + first.value.length < SNIFF_BYTES) {
      head = Buffer.concat([head, first.value]);
      first = await chunks.next();
    }
    if (!first.done) head = head.length === 0 ? first.value : Buffer.concat([head, first.value]);
    // A part after the first starts inside the file: no byte-order mark there, and the file's encoding
    // was sniffed by whoever cut it into parts (UTF-8 only).
    const reader =
      range === undefined ? readerFor(head) : new Utf8Reader(range.start === 0 ? bomLength(head) : 0, true);
    if (head.length > 0) yield* reader.batch(head);
    if (!first.done) for await (const chunk of chunks) yield* reader.batch(chunk);
    yield* reader.finish();
  } finally {
    await chunks.return(undefined);
    await fh.close();
  }
}

/**
 * The entities of `file` if it is no bigger than SMALL_FILE_BYTES, read and parsed synchronously;
 * undefined for a bigger file. Throws as fastEntityBatches does.
 */
export function readSmallFileEntities(file: string): EntityBatch | undefined {
  const whole = readSmallFile(file);
  if (whole === undefined) return undefined;
  const batches = [...entitiesOfWholeFile(whole)];
  if (batches.length <= 1) return batches[0] ?? { entities: [], lines: [], firstIndex: 0 };
  return {
    entities: batches.flatMap((b) => b.entities),
    lines: batches.flatMap((b) => b.lines),
    firstIndex: 0,
  };
}

function* entitiesOfWholeFile(bytes: Buffer): Generator<EntityBatch> {
  const reader = readerFor(bytes);
  yield* reader.batch(bytes);
  yield* reader.finish();
}

/**
 * The first line start at or after `offset` in a file (its size if none): where a part of it may
 * begin, so that every line belongs to exactly one part.
 */
export function lineStartAtOrAfter(file: string, offset: number): number {
  if (offset === 0) return 0;
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(64 << 10);
    // From the byte before `offset`: if that byte ends a line, `offset` itself starts one.
    let position = offset - 1;
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, position);
      if (n === 0) return position;
      const newline = buffer.subarray(0, n).indexOf(0x0a);
      if (newline !== -1) return position + newline + 1;
      position += n;
    }
  } finally {
    closeSync(fd);
  }
}

/** Whether the file's first bytes say UTF-8 (with or without a byte-order mark): only those are cut into parts. */
export function isUtf8File(head: Buffer): boolean {
  return detectEncoding(head).encoding === 'utf-8';
}

function bomLength(head: Buffer): number {
  const detected = detectEncoding(head);
  return detected.encoding === 'utf-8' ? detected.bomLength : 0;
}

function readerFor(head: Buffer): Reader {
  const detected = detectEncoding(head);
  return detected.encoding === 'utf-8' ? new Utf8Reader(detected.bomLength) : new Utf16Reader(detected);
}

/** Reused by readSmallFile (synchronous, so never by two files at once); one byte more than the limit. */
let smallFileBuffer: Buffer | undefined;

/**
 * The bytes of a file no bigger than SMALL_FILE_BYTES, read synchronously; undefined for a bigger
 * file. A tenant has one small methods file per user: with the data in the OS cache, reading them
 * this way is several times faster than through the thread pool, and nothing else waits meanwhile.
 */
function readSmallFile(file: string): Buffer | undefined {
  smallFileBuffer ??= Buffer.allocUnsafe(SMALL_FILE_BYTES + 1);
  const buffer = smallFileBuffer;
  const fd = openSync(file, 'r');
  try {
    let length = 0;
    for (;;) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
      if (length > SMALL_FILE_BYTES) return undefined;
    }
    return Buffer.from(buffer.subarray(0, length));
  } finally {
    closeSync(fd);
  }
}

/**
 * The file's bytes, a chunk at a time, reading the next chunk while the current one is parsed. Each
 * chunk is only valid until the next one is asked for (the two buffers take turns).
 */
async function* readChunks(fh: FileHandle, range?: ByteRange): AsyncGenerator<Buffer, void> {
  const buffers: Buffer[] = [Buffer.allocUnsafe(CHUNK_BYTES), Buffer.allocUnsafe(CHUNK_BYTES)];
  let which = 0;
  let position = range?.start ?? 0;
  const end = range?.end ?? Number.POSITIVE_INFINITY;
  const readInto = (buffer: Buffer) =>
    fh.read(buffer, 0, Math.max(0, Math.min(CHUNK_BYTES, end - position)), position);
  let pending = readInto(buffers[0] as Buffer);
  try {
    for (;;) {
      const { bytesRead, buffer } = await pending;
      if (bytesRead === 0) return;
      position += bytesRead;
      which = 1 - which;
      pending = readInto(buffers[which] as Buffer);
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    // A read still in flight must end before the file is closed.
    await pending.catch(() => undefined);
  }
}

abstract class Reader {
  private entities: unknown[] = [];
  private lines: number[] = [];
  private nextIndex = 0;

  protected readonly emit = (entity: unknown, line: number): void => {
    this.entities.push(entity);
    this.lines.push(line);
  };

  abstract batch(chunk: Buffer): Generator<EntityBatch>;
  abstract finish(): Generator<EntityBatch>;

  protected *flush(): Generator<EntityBatch> {
    if (this.entities.length === 0) return;
    const batch = { entities: this.entities, lines: this.lines, firstIndex: this.nextIndex };
    this.nextIndex += this.entities.length;
    this.entities = [];
    this.lines = [];
    yield batch;
  }
}

class Utf16Reader extends Reader {
  private readonly decoder: ReturnType<typeof utf16Decoder>;
  private readonly splitter = new EntitySplitter(this.emit);

  constructor(detected: Parameters<typeof utf16Decoder>[0]) {
    super();
    this.decoder = utf16Decoder(detected);
  }

  *batch(chunk: Buffer): Generator<EntityBatch> {
    this.splitter.feed(decodeOrThrow(() => this.decoder.decode(chunk)));
    yield* this.flush();
  }

  *finish(): Generator<EntityBatch> {
    this.splitter.feed(decodeOrThrow(() => this.decoder.flush()));
    this.splitter.end();
    yield* this.flush();
  }
}

function decodeOrThrow(decode: () => string): string {
  try {
    return decode();
  } catch {
    throw new NeedsStreamingReader('not valid UTF-16');
  }
}

class Utf8Reader extends Reader {
  /** Bytes of an unfinished line (or character) carried over to the next chunk. */
  private carry: Buffer | undefined;
  private bomLeft: number;
  /** Set while the EntitySplitter reads (from inside a value that spans lines, until it ends). */
  private splitter: EntitySplitter | undefined;
  /** The number of the line that starts the next bytes, while reading line by line. */
  private line = 1;

  /** @param linesOnly read one value per line only (a part of a file): any other layout throws. */
  constructor(
    bomLength: number,
    private readonly linesOnly = false,
  ) {
    super();
    this.bomLeft = bomLength;
  }

  *batch(chunk: Buffer): Generator<EntityBatch> {
    if (this.bomLeft > 0) {
      const skip = Math.min(this.bomLeft, chunk.length);
      this.bomLeft -= skip;
      chunk = chunk.subarray(skip);
    }
    // The chunk's buffer is reused by the next read: whatever is kept must be copied.
    if (this.carry !== undefined) {
      // Finish the carried line first, rather than copying the carry and the whole chunk together.
      const newline = chunk.indexOf(0x0a);
      if (newline === -1) {
        chunk = Buffer.concat([this.carry, chunk]);
      } else {
        this.read(Buffer.concat([this.carry, chunk.subarray(0, newline + 1)]), true);
        chunk = chunk.subarray(newline + 1);
      }
      this.carry = undefined;
    }
    let cut = chunk.lastIndexOf(0x0a) + 1;
    const endsLine = cut > 0;
    if (!endsLine) {
      if (this.linesOnly && chunk.length > LONG_LINE_BYTES)
        throw new NeedsStreamingReader('a line is too long');
      if (this.splitter === undefined && chunk.length <= LONG_LINE_BYTES) {
        this.carry = Buffer.from(chunk);
        yield* this.flush();
        return;
      }
      cut = utf8Boundary(chunk);
    }
    this.carry = cut < chunk.length ? Buffer.from(chunk.subarray(cut)) : undefined;
    if (cut > 0) this.read(chunk.subarray(0, cut), endsLine);
    yield* this.flush();
  }

  *finish(): Generator<EntityBatch> {
    if (this.carry !== undefined) this.read(this.carry, true);
    this.carry = undefined;
    this.splitter?.end();
    yield* this.flush();
  }

  /**
   * Reads bytes that end at the end of a line or of the file (`endsLine`), or else inside a line
   * too long to keep whole (at the end of a character).
   */
  private read(bytes: Buffer, endsLine: boolean): void {
    if (!isUtf8(bytes)) throw new NeedsStreamingReader('not valid UTF-8');
    const ascii = isAscii(bytes);
    if (this.splitter === undefined) this.readLines(bytes, ascii, endsLine);
    else this.splitter.feed(decode(bytes, 0, bytes.length, ascii));
    const splitter = this.splitter;
    if (splitter?.idle === true && endsLine) {
      // Back between top-level values at a line start: line by line again.
      this.line = splitter.endLine();
      this.splitter = undefined;
    }
  }

  private readLines(bytes: Buffer, ascii: boolean, endsLine: boolean): void {
    const length = bytes.length;
    let start = 0;
    while (start < length) {
      let end = bytes.indexOf(0x0a, start);
      if (end === -1) end = length;
      const whole = end < length || endsLine;
      if (end > start && !(whole && this.readLine(decode(bytes, start, end, ascii)))) {
        if (this.linesOnly) throw new NeedsStreamingReader('a value spans lines');
        // Not a complete value by itself: the splitter reads on from this line's start.
        this.splitter = new EntitySplitter(this.emit, this.line);
        this.splitter.feed(decode(bytes, start, length, ascii));
        return;
      }
      this.line++;
      start = end + 1;
    }
  }

  /** Reads one line of NDJSON; false if it is not one complete JSON value. */
  private readLine(text: string): boolean {
    if (!mayBeWhole(text)) return BLANK.test(text);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return BLANK.test(text);
    }
    if (typeof value !== 'object' || value === null) {
      this.emit(value, this.line);
    } else if (!Array.isArray(value) && !Object.hasOwn(value, 'value')) {
      this.emit(value, this.line);
    } else if (isPlainPage(value, text)) {
      for (const entity of value.value) this.emit(entity, this.line);
    } else {
      // An array, or an object with a `value` that needs the page rules applied by the splitter.
      const splitter = new EntitySplitter(this.emit, this.line);
      splitter.feed(text);
      splitter.end();
    }
    return true;
  }
}

const BLANK = /^[ \t\r]*$/;

/**
 * False for a line that cannot be one whole JSON value because it opens an object or array it does
 * not close (`{"@odata.context": "…", "value": [`), saving JSON.parse the cost of throwing.
 */
function mayBeWhole(text: string): boolean {
  const first = text.charCodeAt(0);
  if (first !== 0x7b && first !== 0x5b) return true;
  let last = text.length - 1;
  while (last > 0 && isSpace(text.charCodeAt(last))) last--;
  return text.charCodeAt(last) === (first === 0x7b ? 0x7d : 0x5d);
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0d || c === 0x09;
}

/**
 * A page (`{"value": [...]}`) whose text names `value` once: JSON.parse would have kept only the
 * last of two `value` arrays, where the page rules read both. A `\u` escape could spell `value`
 * another way, so a line with one is left to the splitter too.
 */
function isPlainPage(v: object, text: string): v is { value: unknown[] } {
  if (!Array.isArray((v as { value?: unknown }).value)) return false;
  const first = text.indexOf('"value"');
  return text.indexOf('"value"', first + 1) === -1 && !text.includes('\\u');
}

function decode(bytes: Buffer, start: number, end: number, ascii: boolean): string {
  return bytes.toString(ascii ? 'latin1' : 'utf8', start, end);
}

/** Where to cut `bytes` so that no UTF-8 character is split (the bytes of one that is cut short are left out). */
function utf8Boundary(bytes: Buffer): number {
  let i = bytes.length;
  // Step back over continuation bytes (10xxxxxx) to the lead byte of the last character.
  while (i > 0 && i > bytes.length - 4 && ((bytes[i - 1] as number) & 0xc0) === 0x80) i--;
  if (i === 0) return bytes.length;
  const lead = bytes[i - 1] as number;
  if (lead < 0x80) return bytes.length;
  const size = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return bytes.length - (i - 1) >= size ? bytes.length : i - 1;
}
