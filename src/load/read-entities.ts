import { createReadStream } from 'node:fs';
import { Tokenizer, TokenizerError } from '@streamparser/json';
import { InputError, RuntimeFailure } from '../domain/errors.js';
import { EntityAssembler, JsonShapeError } from './entity-assembler.js';
import { NeedsStreamingReader } from './entity-splitter.js';
import { fastEntityBatches, readSmallFileEntities } from './fast-entities.js';
import type { EntityBatch } from './fast-entities.js';
import { LineCounter } from './line-counter.js';
import { toUtf8Chunks } from './text-encoding.js';

/** One entity read from an export file. */
export interface ReadEntity {
  entity: unknown;
  /** 0-based position of the entity in the file, across pages and NDJSON lines. */
  index: number;
  /** 1-based line where the entity starts. */
  line?: number;
}

/** Chunk size for the streaming reader. */
const CHUNK_BYTES = 64 * 1024;

/**
 * Streams the entities of an export file, whatever its shape: one Graph page (`{"value": [...]}`), a
 * JSON array of entities or of pages, a single entity object, or NDJSON (one entity or page per
 * line). UTF-8 with or without a byte-order mark and UTF-16 with one (Windows PowerShell 5.1's
 * `Out-File`) are all read. The file is never held in memory whole: at most one chunk and one entity.
 *
 * Duplicate keys keep the last value, as `JSON.parse` does. An empty file has no entities.
 *
 * @throws {InputError} when the file is missing or unreadable, is not valid JSON (naming the line),
 * or has a page whose `value` is not an array (naming the entity and the field).
 * @example
 * for await (const { entity, index, line } of readEntities('export/signIns.json')) { ... }
 */
export async function* readEntities(file: string): AsyncGenerator<ReadEntity> {
  for await (const { entities, lines, firstIndex } of readEntityBatches(file)) {
    for (let i = 0; i < entities.length; i++) {
      yield { entity: entities[i], index: firstIndex + i, line: lines[i] as number };
    }
  }
}

/**
 * {@link readEntities} by the streaming tokenizer alone, never the fast reader: the reference the
 * fast reader is tested against, and what words every error.
 */
export async function* readEntitiesStreaming(file: string): AsyncGenerator<ReadEntity> {
  for await (const { entities, lines, firstIndex } of streamEntityBatches(file, 0)) {
    for (let i = 0; i < entities.length; i++) {
      yield { entity: entities[i], index: firstIndex + i, line: lines[i] as number };
    }
  }
}

/** Entities read in one go, as {@link readEntities} gives them one by one. */
export interface ReadBatch extends EntityBatch {
  /**
   * True when the batch came from the fast reader, which parses a whole chunk before handing out
   * its entities, where the streaming reader hands them out every 64 KiB: see confirmEntityReached.
   */
  fast: boolean;
}

/**
 * {@link readEntities} in batches, for readers of big files. The fast reader (native JSON.parse per
 * line or per entity) reads valid files; when it meets anything else, the streaming reader re-reads
 * the file from the start, handing out only the entities the fast reader did not, and words the
 * error exactly as it always has.
 */
export async function* readEntityBatches(file: string): AsyncGenerator<ReadBatch> {
  let delivered = 0;
  try {
    for await (const batch of fastEntityBatches(file)) {
      delivered += batch.entities.length;
      yield { ...batch, fast: true };
    }
    return;
  } catch (err) {
    // A system error (a missing file, a folder) is reported by the streaming reader, as before.
    if (!(err instanceof NeedsStreamingReader) && !isSystemError(err)) throw err;
  }
  for await (const batch of streamEntityBatches(file, delivered)) yield { ...batch, fast: false };
}

/**
 * The entities of a small file (up to 1 MiB) in one batch, read synchronously by the fast reader:
 * a tenant has a methods file per user, and for files that small the asynchronous machinery costs
 * more than the reading. Undefined for a bigger file, or one the fast reader cannot read: use
 * readEntityBatches then.
 */
export function readSmallFileBatch(file: string): ReadBatch | undefined {
  try {
    const batch = readSmallFileEntities(file);
    return batch === undefined ? undefined : { ...batch, fast: true };
  } catch (err) {
    if (err instanceof NeedsStreamingReader || isSystemError(err)) return undefined;
    throw err;
  }
}

/**
 * Throws what the streaming reader would have thrown before handing out the entity at `index`, if
 * anything. The fast reader hands out a chunk's entities only once the whole chunk has parsed, the
 * streaming reader every 64 KiB, so with an invalid entity and a syntax error close together the
 * two could disagree on which is reported first; this settles it the way the streaming reader does.
 */
export async function confirmEntityReached(file: string, index: number): Promise<void> {
  for await (const batch of streamEntityBatches(file, 0)) {
    if (batch.firstIndex + batch.entities.length > index) return;
  }
}

function isSystemError(err: unknown): boolean {
  return typeof (err as NodeJS.ErrnoException | undefined)?.code === 'string';
}

/**
 * The streaming reader: tokenizes the file byte by byte and assembles entities, so it can name the
 * line of any syntax error. Leaves out (but counts) the first `skip` entities.
 */
async function* streamEntityBatches(file: string, skip: number): AsyncGenerator<EntityBatch> {
  const lines = new LineCounter();
  let entities: unknown[] = [];
  let entityLines: number[] = [];
  let firstIndex = skip;
  let index = 0;
  let lastOffset = 0;

  const assembler = new EntityAssembler((entity, offset) => {
    if (index++ < skip) return;
    entities.push(entity);
    entityLines.push(lines.lineAt(offset));
  });
  const tokenizer = new Tokenizer({ stringBufferSize: 0, numberBufferSize: 0 });
  tokenizer.onToken = ({ token, value, offset }) => {
    lastOffset = offset;
    assembler.write(token, value, offset);
  };

  const fail = (err: unknown): never => {
    throw toReadError(err, file, { lines, lastOffset, nextIndex: index });
  };
  // Handed out between chunks: the tokenizer works synchronously inside write().
  function* ready(): Generator<EntityBatch> {
    if (entities.length === 0) return;
    const batch = { entities, lines: entityLines, firstIndex };
    firstIndex += entities.length;
    entities = [];
    entityLines = [];
    yield batch;
  }

  try {
    for await (const chunk of toUtf8Chunks(createReadStream(file, { highWaterMark: CHUNK_BYTES }))) {
      lines.push(chunk);
      try {
        tokenizer.write(chunk);
      } catch (err) {
        fail(err);
      }
      yield* ready();
    }
    try {
      tokenizer.end();
      assembler.end(lastOffset);
    } catch (err) {
      fail(err);
    }
    yield* ready();
  } catch (err) {
    // Parse errors arrive here already converted; what is left comes from opening or reading the file.
    if (err instanceof InputError || err instanceof RuntimeFailure) throw err;
    throw toIoError(err, file);
  }
}

interface ErrorContext {
  lines: LineCounter;
  lastOffset: number;
  nextIndex: number;
}

/** Turns a parse failure into an InputError that names the file and the line (or an I/O failure). */
function toReadError(err: unknown, file: string, ctx: ErrorContext): unknown {
  if (err instanceof InputError) return err;
  if (err instanceof JsonShapeError) {
    const line = ctx.lines.lineAt(err.offset);
    if (err.kind === 'page-value') {
      return new InputError(
        `field "value" of entity ${ctx.nextIndex}: ${err.message}`,
        { file, line, entity: ctx.nextIndex, field: 'value' },
        'Each file holds Graph pages ({"value": [...]}), a JSON array, one object, or one JSON value per line.',
      );
    }
    return syntaxError(file, line, err.message);
  }
  if (err instanceof TokenizerError) {
    // The tokenizer names the byte it stopped at only in its message ("absolute position "N"").
    const position = /absolute position "(\d+)"/.exec(err.message)?.[1];
    const line = ctx.lines.lineAt(position === undefined ? ctx.lastOffset : Number(position));
    const found = /^Unexpected "(.)"/s.exec(err.message)?.[1];
    const what =
      found !== undefined
        ? `unexpected character ${JSON.stringify(found)}`
        : 'the file ends in the middle of a value: it is truncated';
    return syntaxError(file, line, what);
  }
  if (err instanceof TypeError && /encod/i.test(err.message)) {
    // TextDecoder({ fatal: true }) inside the tokenizer: bytes that are not UTF-8 (e.g. Windows-1252).
    const line = ctx.lines.lineAt(ctx.lastOffset);
    return new InputError(
      'the text is not valid UTF-8',
      { file, line },
      'Save the file as UTF-8 (PowerShell: Out-File -Encoding utf8).',
    );
  }
  return toIoError(err, file);
}

function syntaxError(file: string, line: number, what: string): InputError {
  // The file and line are in the location, which the CLI prints under the message.
  return new InputError(`not valid JSON: ${what}`, { file, line });
}

/**
 * A missing or unreadable file is bad input; another system error is a failure of the machine; any
 * other error is a bug and is passed on as it is, with its stack.
 */
function toIoError(err: unknown, file: string): unknown {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return new InputError('file not found', { file });
  if (code === 'EISDIR') return new InputError('expected a JSON file, found a folder', { file });
  if (code === 'EACCES' || code === 'EPERM') {
    return new InputError('permission denied', { file }, 'Check the file permissions.');
  }
  if (err instanceof TypeError && /encod|decode/i.test(err.message)) {
    // TextDecoder for UTF-16 files: a lone surrogate or an odd number of bytes.
    return new InputError('the text is not valid UTF-16', { file }, 'Save the file as UTF-8.');
  }
  if (typeof code !== 'string') return err;
  const message = err instanceof Error ? err.message : String(err);
  return new RuntimeFailure(`${file}: could not read the file: ${message}`, undefined, { cause: err });
}
