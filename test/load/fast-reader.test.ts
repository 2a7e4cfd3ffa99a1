import { afterAll, describe, expect, it } from 'vitest';
import { NeedsStreamingReader } from '../../src/load/entity-splitter.js';
import { fastEntityBatches } from '../../src/load/fast-entities.js';
import { readList } from '../../src/load/read-dataset.js';
import type { Normaliser } from '../../src/load/read-dataset.js';
import { readEntities, readEntitiesStreaming } from '../../src/load/read-entities.js';
import type { ReadEntity } from '../../src/load/read-entities.js';
import { normaliseSignIn, normaliseUser } from '../../src/load/schemas.js';
import { InputError } from '../../src/domain/errors.js';
import { tempFolders, utf16leWithBom, utf8WithBom, writeInto } from '../collect/temp-files.js';

/**
 * The fast reader (native JSON.parse per NDJSON line, or per entity found by the EntitySplitter)
 * must read every file exactly as the streaming tokenizer does: same entities, indexes and lines,
 * and on invalid input the same error. Each case is read both ways and compared.
 */

const temp = tempFolders();
afterAll(temp.cleanup);

let dir: string | undefined;
let count = 0;
async function fileWith(content: string | Uint8Array): Promise<string> {
  dir ??= await temp.make();
  return writeInto(dir, `f${count++}.json`, content);
}

interface Outcome {
  entities: ReadEntity[];
  error?: { message: string; location: unknown };
}

async function outcome(read: AsyncGenerator<ReadEntity>): Promise<Outcome> {
  const entities: ReadEntity[] = [];
  try {
    for await (const e of read) entities.push(e);
    return { entities };
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    return { entities, error: { message: err.message, location: err.location } };
  }
}

/** The fast reader alone: its entities, or 'streaming' when it hands the file over. */
async function fastOnly(file: string): Promise<ReadEntity[] | 'streaming'> {
  const out: ReadEntity[] = [];
  try {
    for await (const b of fastEntityBatches(file)) {
      b.entities.forEach((entity, i) =>
        out.push({ entity, index: b.firstIndex + i, line: b.lines[i] as number }),
      );
    }
    return out;
  } catch (err) {
    if (err instanceof NeedsStreamingReader) return 'streaming';
    throw err;
  }
}

/** Reads `content` both ways and expects the same result; returns it. */
async function same(content: string | Uint8Array): Promise<Outcome> {
  const file = await fileWith(content);
  const reference = await outcome(readEntitiesStreaming(file));
  const combined = await outcome(readEntities(file));
  expect(combined.error).toEqual(reference.error);
  if (reference.error === undefined) {
    expect(combined.entities).toStrictEqual(reference.entities);
  } else {
    // Entities before an error: the fast reader may have handed out a few more of the same ones.
    const n = Math.min(combined.entities.length, reference.entities.length);
    expect(combined.entities.slice(0, n)).toStrictEqual(reference.entities.slice(0, n));
  }
  return reference;
}

/** Valid input: both ways agree, and the fast reader reads it without handing over. */
async function fastAndSame(content: string | Uint8Array): Promise<ReadEntity[]> {
  const reference = await same(content);
  expect(reference.error).toBeUndefined();
  expect(await fastOnly(await fileWith(content))).toStrictEqual(reference.entities);
  return reference.entities;
}

const signIn = (i: number) => ({
  id: `si-${i}`,
  createdDateTime: '2024-05-01T10:00:00Z',
  userDisplayName: i % 3 === 0 ? 'Zoë Ångström 名前 😀' : 'Ann',
  status: { errorCode: 0, failureReason: 'Other.' },
  authenticationDetails: [{ authenticationMethod: 'Password', succeeded: true }],
});

describe('fast reader: the same entities and lines as the streaming reader', () => {
  it('NDJSON of entities, with CRLF, blank lines and no final newline', async () => {
    const e = await fastAndSame('{"id":"a"}\r\n\r\n  {"id":"b"}  \n\t\n{"id":"c"}');
    expect(e.map((x) => x.line)).toEqual([1, 3, 5]);
  });

  it('NDJSON of pages, including pages whose entities have "value" keys of their own', async () => {
    await fastAndSame(
      [
        JSON.stringify({ '@odata.context': 'x', value: [{ id: 'a' }, { id: 'b' }], '@odata.nextLink': 'n' }),
        JSON.stringify({ value: [{ id: 'c', additionalDetails: [{ key: 'k', value: 'v' }] }] }),
        JSON.stringify([{ id: 'd' }, { value: [{ id: 'e' }] }, [1, 2], 'f', 3]),
        '',
      ].join('\n'),
    );
  });

  it('a page, an array and an object, pretty-printed, minified, or one entity per line', async () => {
    const page = {
      '@odata.context': 'x',
      value: [signIn(1), signIn(2), { id: 'x', value: { nested: [1] } }],
    };
    await fastAndSame(JSON.stringify(page, null, 2));
    await fastAndSame(JSON.stringify(page));
    await fastAndSame(`{"value":[\n${page.value.map((v) => JSON.stringify(v)).join(',\n')}\n]}\n`);
    await fastAndSame(JSON.stringify([page, page], null, 4));
    await fastAndSame(JSON.stringify([[1, [2]], { id: 'a' }, null, true, 'x', -1.5e3], null, 1));
    await fastAndSame('{"id":"authenticationMethodsPolicy","authenticationMethodConfigurations":[]}');
  });

  it('values one after another, with or without whitespace between them', async () => {
    await fastAndSame('{\n  "id": "a"\n}\n{\n  "id": "b"\n}\n');
    await fastAndSame('{"id":"a"}{"id":"b"}[{"id":"c"}]"d" 1 true null\n');
    await fastAndSame('{"id":"a"}\n[\n{"id":"b"}\n]\n{"id":"c"}\n{"value":\n[{"id":"d"}]}\n{"id":"e"}\n');
  });

  it('empty input and empty containers', async () => {
    for (const text of ['', ' \n\r\n', '[]', '{"value":[]}', '{}', '[[]]', '{"value":[],"Count":0}']) {
      await fastAndSame(text);
    }
  });

  it('a repeated "value" key follows the page rules, not JSON.parse', async () => {
    const e = await fastAndSame('{"value":[{"id":"a"}],"value":[{"id":"b"}]}\n');
    expect(e.map((x) => x.entity)).toEqual([{ id: 'a' }, { id: 'b' }]);
    await fastAndSame('{"value":{"id":"x"},"value":[{"id":"a"}]}');
    await fastAndSame('{"value":[{"id":"a"}],"value":5}\n{"value":[1],"Count":1,"value":[2]}');
    await fastAndSame('{"\\u0076alue":[{"id":"a"}],"value":[{"id":"b"}]}');
    await fastAndSame('{"id":"a","homeTenantId":"first","homeTenantId":"second"}');
  });

  it('strings with quotes, backslashes, brackets and escapes', async () => {
    await fastAndSame(
      JSON.stringify({
        value: [
          { id: 'a"}]{[', n: 'back\\slash\\', q: '\\"', u: '\u2028\u0000\ud83d\ude00', s: '"value"' },
          { id: '\\\\"', lone: '\ud800' },
        ],
      }),
    );
    await fastAndSame('{"id":"a","__proto__":{"polluted":true}}');
    await fastAndSame('{"value":[{"id":"\\u0041\\n\\t\\/"}]}');
  });

  it('files bigger than a read chunk: NDJSON with non-ASCII text, and a page', async () => {
    const lines = Array.from({ length: 12_000 }, (_, i) => JSON.stringify(signIn(i)));
    await fastAndSame(`${lines.join('\n')}\n`);
    await fastAndSame(JSON.stringify({ value: lines.map((l) => JSON.parse(l) as unknown) }, null, 2));
    await fastAndSame(utf8WithBom(lines.join('\r\n')));
  });

  it('a string longer than a read chunk, with escapes falling on chunk edges', async () => {
    const long = 'é\\"x'.repeat(400_000);
    await fastAndSame(JSON.stringify({ value: [{ id: 'a', displayName: long }, { id: 'b' }] }));
    await fastAndSame(`${JSON.stringify({ id: 'a', displayName: long })}\n{"id":"b"}\n`);
  });

  it('a line longer than the longest line kept whole (a minified 9 MB page)', async () => {
    const value = Array.from({ length: 900 }, (_, i) => ({ ...signIn(i), pad: 'p'.repeat(10_000) }));
    const e = await fastAndSame(`{"id":"first"}\n${JSON.stringify({ value })}\n{"id":"last"}\n`);
    expect(e).toHaveLength(902);
    expect(e.at(-1)?.line).toBe(3);
  });

  it('byte-order marks and UTF-16, small and bigger than a chunk', async () => {
    const text = '{"value":[{"id":"a","displayName":"Zoë Ångström"},\n{"id":"b"}]}';
    await fastAndSame(utf8WithBom(text));
    await fastAndSame(utf16leWithBom(text));
    await fastAndSame(Buffer.from(`\ufeff${text}`, 'utf16le').swap16());
    await fastAndSame(Buffer.from(text, 'utf16le'));
    const items = Array.from({ length: 30_000 }, (_, i) => ({ id: `u${i}`, displayName: `名前 ${i} 😀` }));
    await fastAndSame(utf16leWithBom(JSON.stringify(items, null, 2)));
  });
});

describe('fast reader: invalid input gets the streaming reader’s error', () => {
  const invalid = [
    '{\n  "value": [\n    {"id": "a"},\n    {"id": "b",}\n  ]\n}\n',
    '{"id" "a"}',
    '{"id":"a"},\n{"id":"b"}',
    '{"value": [\n  {"id": "a"},\n  {"id": "b"',
    '[\n{"id": "a"},\n{"id": "unterminated',
    '{"id":"a"}\n{"@odata.context":"x","value":{"id":"b"}}',
    '{"value":{"id":"b"},"x":1}',
    '[1,]',
    '{"a":1,}',
    '{,}',
    '[,1]',
    ']',
    '}',
    ':',
    '{"id":01}',
    '{"id":1.}',
    '{"id":-}',
    '{"id":.5}',
    '{"id":"tab\there"}',
    '{"id":tru}',
    '{"id":"a"} x',
    '{"id":"a"}\n\u00a0{"id":"b"}',
    '{"value":[{"id":"a"}]}\n{"value":[{"id":"b"},]}',
    '{"value":[1],"@odata.nextLink":nope}',
    '{"@odata.context":nope,"value":[1]}',
    '{"val\\ue":[1]}',
  ];

  it.each(invalid.map((text) => [JSON.stringify(text), text]))('%s', async (_name, text) => {
    const r = await same(text);
    expect(r.error).toBeDefined();
  });

  it('after many valid NDJSON lines and across read chunks', async () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => JSON.stringify(signIn(i)));
    lines[15_000] = '{"id": nope}';
    const r = await same(lines.join('\n'));
    expect(r.error?.location).toMatchObject({ line: 15_001 });
  });

  it('bytes that are not UTF-8 or not UTF-16', async () => {
    await same(Buffer.from([...Buffer.from('{"id":"'), 0xe9, ...Buffer.from('"}')]));
    const lines = Array.from({ length: 20_000 }, (_, i) => JSON.stringify(signIn(i))).join('\n');
    await same(Buffer.concat([Buffer.from(lines), Buffer.from([0x0a, 0xff, 0x0a]), Buffer.from(lines)]));
    await same(Buffer.concat([utf16leWithBom('{"id":"a"}'), Buffer.from([0x41])]));
    await same(utf16leWithBom('{"id":"\ud800"}'));
  });

  it('random damage to valid files of every shape', async () => {
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const shapes = [
      (i: number) => `${JSON.stringify(signIn(i))}\n${JSON.stringify({ value: [signIn(i + 1)] })}\n`,
      (i: number) => JSON.stringify({ '@odata.context': 'c', value: [signIn(i), [i], 'x'] }, null, 2),
      (i: number) => JSON.stringify([{ value: [signIn(i)] }, signIn(i + 1)]),
    ];
    const pieces = ['{', '}', '[', ']', ',', ':', '"', '\\', ' ', '\n', 'a', '1', '"value":', ''];
    for (let round = 0; round < 300; round++) {
      const text = (shapes[round % shapes.length] as (i: number) => string)(round);
      const at = random(text.length);
      const damaged =
        text.slice(0, at) + (pieces[random(pieces.length)] as string) + text.slice(at + random(3));
      await same(damaged);
    }
  });
});

describe('fast reader: the same entity errors as the streaming reader', () => {
  /** readList's error, and the one the streaming reader's entities give with the same normaliser. */
  async function bothErrors(
    content: string | Uint8Array,
    normalise: Normaliser<unknown> = normaliseUser,
  ): Promise<InputError> {
    const file = await fileWith(content);
    let expected: InputError | undefined;
    try {
      for await (const { entity, index, line } of readEntitiesStreaming(file)) {
        normalise(entity, line === undefined ? { file, index } : { file, index, line });
      }
    } catch (err) {
      expected = err as InputError;
    }
    expect(expected).toBeInstanceOf(InputError);
    const got = await readList(file, normalise).then(
      () => undefined,
      (err: unknown) => err as InputError,
    );
    expect(got?.message).toBe(expected?.message);
    expect(got?.location).toEqual(expected?.location);
    return got as InputError;
  }

  const users = (n: number) =>
    Array.from({ length: n }, (_, i) => ({
      id: `u${i}`,
      userPrincipalName: `u${i}@contoso.com`,
      displayName: 'Zoë',
    }));
  const bad = { id: 'bad', userPrincipalName: 'b@contoso.com', accountEnabled: 'yes' };

  it('in NDJSON (line by line)', async () => {
    const lines = [...users(3), bad].map((u) => JSON.stringify(u));
    const err = await bothErrors(lines.join('\n'));
    expect(err.location).toEqual({ file: expect.any(String), line: 4, entity: 3, field: 'accountEnabled' });
  });

  it('in a pretty-printed page, a page per line, and UTF-16 (the splitter)', async () => {
    const list = [...users(3), bad, ...users(2)];
    const err = await bothErrors(JSON.stringify({ value: list }, null, 2));
    expect(err.location).toMatchObject({ entity: 3, line: 18 });
    await bothErrors(
      `${JSON.stringify({ value: users(2) })}\n${JSON.stringify({ value: [users(1)[0], bad] })}\n`,
    );
    await bothErrors(utf16leWithBom(JSON.stringify(list, null, 2)));
  });

  it('far into a file bigger than a read chunk', async () => {
    const lines = [...users(30_000), bad].map((u) => JSON.stringify(u));
    const err = await bothErrors(lines.join('\n'));
    expect(err.location).toMatchObject({ entity: 30_000, line: 30_001 });
  });

  it('a syntax error just after a wrong entity, in the same 64 KiB the streaming reader reads at once', async () => {
    // The wrong entity ends the first 1 MiB read; the syntax error starts before 1 MiB but its line
    // ends after it. The streaming reader meets the syntax error before handing out the entity.
    const MIB = 1 << 20;
    const head: string[] = [];
    let size = 0;
    for (let i = 0; size < MIB - 600; i++) {
      const line = JSON.stringify({ id: `si-${i}`, createdDateTime: '2024-05-01T10:00:00Z' });
      head.push(line);
      size += line.length + 1;
    }
    const wrong = JSON.stringify({ id: 'bad', createdDateTime: 'not a date' });
    const broken = `{"id": nope, "pad": "${'p'.repeat(2000)}"}`;
    const text = `${head.join('\n')}\n${wrong}\n${broken}\n`;
    expect(text.indexOf(broken)).toBeLessThan(MIB);
    const err = await bothErrors(text, normaliseSignIn);
    expect(err.message).toMatch(/not valid JSON/);
    // And with the syntax error a read later, the wrong entity is reported, as before.
    const later = `${head.join('\n')}\n${wrong}\n${'{"id":"pad"}\n'.repeat(10_000)}${broken}\n`;
    expect((await bothErrors(later, normaliseSignIn)).location).toMatchObject({ field: 'createdDateTime' });
  });
});
