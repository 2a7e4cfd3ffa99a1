import { describe, expect, it } from 'vitest';
import { LineCounter } from '../../src/load/line-counter.js';
import { toUtf8Chunks } from '../../src/load/text-encoding.js';
import { utf16leWithBom, utf8WithBom } from '../collect/temp-files.js';

/** Feeds `bytes` one byte at a time: the worst case for anything that looks at chunk edges. */
async function* oneByteChunks(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i++) yield bytes.subarray(i, i + 1);
}

async function decodeAll(chunks: AsyncIterable<Uint8Array>): Promise<string> {
  const parts: Uint8Array[] = [];
  for await (const c of toUtf8Chunks(chunks)) parts.push(c);
  return Buffer.concat(parts).toString('utf8');
}

describe('toUtf8Chunks across chunk edges', () => {
  const text = '{"displayName":"Zoë 😀 名前"}';

  it('strips a UTF-8 byte-order mark split over chunks', async () => {
    expect(await decodeAll(oneByteChunks(utf8WithBom(text)))).toBe(text);
  });

  it('decodes UTF-16LE split inside code units and surrogate pairs', async () => {
    expect(await decodeAll(oneByteChunks(utf16leWithBom(text)))).toBe(text);
  });

  it('passes plain UTF-8 through unchanged, including a file shorter than the sniffing window', async () => {
    expect(await decodeAll(oneByteChunks(Buffer.from(text)))).toBe(text);
    expect(await decodeAll(oneByteChunks(Buffer.from('[]')))).toBe('[]');
  });
});

describe('LineCounter', () => {
  it('maps offsets in the current and previous chunk to lines', () => {
    const lines = new LineCounter();
    lines.push(Buffer.from('a\nb\n'));
    expect(lines.lineAt(0)).toBe(1);
    expect(lines.lineAt(2)).toBe(2);
    lines.push(Buffer.from('c\nd'));
    expect(lines.lineAt(4)).toBe(3);
    expect(lines.lineAt(6)).toBe(4);
    // A token that started in the previous chunk, asked for after the next one arrived.
    expect(lines.lineAt(2)).toBe(2);
    // Going backwards within the current chunk recounts from its start.
    expect(lines.lineAt(4)).toBe(3);
  });
});
