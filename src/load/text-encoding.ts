/**
 * Turns the bytes of an export file into UTF-8, whatever Unicode encoding it was saved in.
 *
 * Windows PowerShell 5.1 `ConvertTo-Json | Out-File` writes UTF-16LE with a byte-order mark, and
 * `Set-Content -Encoding UTF8` writes UTF-8 with one; Graph and PowerShell 7 write plain UTF-8. The
 * JSON tokenizer only reads UTF-8, so other encodings are decoded and re-encoded chunk by chunk
 * (never the whole file at once: sign-in exports run to hundreds of MB).
 */

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be';

export interface DetectedEncoding {
  encoding: TextEncodingName;
  /** Bytes of byte-order mark to skip. */
  bomLength: number;
}

/**
 * Detects the encoding from the first bytes: a byte-order mark if there is one, else the zero bytes
 * that UTF-16 puts next to every ASCII character (JSON always starts with ASCII: `{`, `[` or space).
 */
export function detectEncoding(head: Uint8Array): DetectedEncoding {
  const [b0, b1, b2] = head;
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (b0 === 0xff && b1 === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (b0 === 0xfe && b1 === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  if (head.length >= 2 && b0 !== 0 && b1 === 0) return { encoding: 'utf-16le', bomLength: 0 };
  if (head.length >= 2 && b0 === 0 && b1 !== 0) return { encoding: 'utf-16be', bomLength: 0 };
  return { encoding: 'utf-8', bomLength: 0 };
}

/** Bytes needed to recognise every byte-order mark above. */
export const SNIFF_BYTES = 4;

/**
 * Re-chunks a byte stream as UTF-8 without a byte-order mark. Memory stays at one chunk: UTF-16 is
 * decoded with a streaming TextDecoder, which holds back a code unit or surrogate split across chunks.
 */
export async function* toUtf8Chunks(bytes: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  let head: Uint8Array | undefined;
  let convert: ((chunk: Uint8Array) => Uint8Array) | undefined;
  let flush: (() => Uint8Array) | undefined;

  for await (const chunk of bytes) {
    if (convert === undefined) {
      // The first read is normally 64 KiB; only a tiny first chunk needs joining before sniffing.
      head = head === undefined ? chunk : concat(head, chunk);
      if (head.length < SNIFF_BYTES) continue;
      ({ convert, flush } = converterFor(detectEncoding(head)));
      const out = convert(head);
      head = undefined;
      if (out.length > 0) yield out;
      continue;
    }
    const out = convert(chunk);
    if (out.length > 0) yield out;
  }

  if (convert === undefined && head !== undefined && head.length > 0) {
    // A file shorter than the sniff window (e.g. `[]`).
    ({ convert, flush } = converterFor(detectEncoding(head)));
    const out = convert(head);
    if (out.length > 0) yield out;
  }
  const rest = flush?.();
  if (rest !== undefined && rest.length > 0) yield rest;
}

function converterFor(detected: DetectedEncoding): {
  convert: (chunk: Uint8Array) => Uint8Array;
  flush: () => Uint8Array;
} {
  if (detected.encoding === 'utf-8') {
    return { convert: bomSkipper(detected.bomLength), flush: () => new Uint8Array(0) };
  }
  const { decode, flush } = utf16Decoder(detected);
  return {
    convert: (chunk) => Buffer.from(decode(chunk), 'utf8'),
    flush: () => Buffer.from(flush(), 'utf8'),
  };
}

/** Returns its chunks with the first `bomLength` bytes of the stream left out. */
function bomSkipper(bomLength: number): (chunk: Uint8Array) => Uint8Array {
  let bomLeft = bomLength;
  return (chunk) => {
    if (bomLeft === 0) return chunk;
    const skip = Math.min(bomLeft, chunk.length);
    bomLeft -= skip;
    return chunk.subarray(skip);
  };
}

/**
 * Decodes a UTF-16 stream chunk by chunk into text (the byte-order mark left out). Throws a
 * TypeError on bytes that are not UTF-16 (a lone surrogate, an odd number of bytes at the end).
 */
export function utf16Decoder(detected: DetectedEncoding): {
  decode: (chunk: Uint8Array) => string;
  flush: () => string;
} {
  const skipBom = bomSkipper(detected.bomLength);
  const decoder = new TextDecoder(detected.encoding, { fatal: true });
  return {
    decode: (chunk) => decoder.decode(skipBom(chunk), { stream: true }),
    flush: () => decoder.decode(),
  };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
