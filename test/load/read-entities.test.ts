import { afterEach, describe, expect, it } from 'vitest';
import { readEntities } from '../../src/load/read-entities.js';
import type { ReadEntity } from '../../src/load/read-entities.js';
import { InputError } from '../../src/domain/errors.js';
import { tempFolders, utf16leWithBom, utf8WithBom, writeInto } from '../collect/temp-files.js';

const temp = tempFolders();
afterEach(temp.cleanup);

async function readAll(content: string | Uint8Array, name = 'data.json'): Promise<ReadEntity[]> {
  const file = await writeInto(await temp.make(), name, content);
  const out: ReadEntity[] = [];
  for await (const e of readEntities(file)) out.push(e);
  return out;
}

async function readError(content: string | Uint8Array): Promise<InputError> {
  try {
    await readAll(content);
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return err as InputError;
  }
  throw new Error('expected an InputError');
}

const ids = (entities: ReadEntity[]) => entities.map((e) => (e.entity as { id: string }).id);

describe('readEntities: file shapes', () => {
  it('reads one Graph page and ignores @odata.context and @odata.nextLink', async () => {
    const entities = await readAll(
      JSON.stringify({
        '@odata.context': 'ctx',
        value: [{ id: 'a' }, { id: 'b' }],
        '@odata.nextLink': 'next',
      }),
    );
    expect(entities.map((e) => e.entity)).toEqual([{ id: 'a' }, { id: 'b' }]);
    expect(entities.map((e) => e.index)).toEqual([0, 1]);
  });

  it('reads a JSON array of entities', async () => {
    expect(ids(await readAll('[{"id":"a"},{"id":"b"},{"id":"c"}]'))).toEqual(['a', 'b', 'c']);
  });

  it('reads a JSON array of pages, numbering entities across pages', async () => {
    const entities = await readAll(
      JSON.stringify([
        { value: [{ id: 'a' }], '@odata.nextLink': 'x' },
        { value: [{ id: 'b' }, { id: 'c' }] },
      ]),
    );
    expect(ids(entities)).toEqual(['a', 'b', 'c']);
    expect(entities.map((e) => e.index)).toEqual([0, 1, 2]);
  });

  it('reads a single entity object (e.g. a policy) as one entity', async () => {
    const entities = await readAll(
      '{"id":"authenticationMethodsPolicy","authenticationMethodConfigurations":[]}',
    );
    expect(entities).toEqual([
      {
        entity: { id: 'authenticationMethodsPolicy', authenticationMethodConfigurations: [] },
        index: 0,
        line: 1,
      },
    ]);
  });

  it('reads NDJSON of entities and of pages, with blank lines and the line each entity starts on', async () => {
    const entities = await readAll('{"id":"a"}\n\n{"value":[{"id":"b"},{"id":"c"}]}\r\n{"id":"d"}\n');
    expect(ids(entities)).toEqual(['a', 'b', 'c', 'd']);
    expect(entities.map((e) => e.line)).toEqual([1, 3, 3, 4]);
  });

  it('reads Windows PowerShell 5.1 array wrapping {"value": [...], "Count": n} as a page', async () => {
    expect(ids(await readAll('{"value":[{"id":"a"},{"id":"b"}],"Count":2}'))).toEqual(['a', 'b']);
  });

  it('gives the line where each entity starts in a pretty-printed page', async () => {
    const text = JSON.stringify({ value: [{ id: 'a', x: [1, 2] }, { id: 'b' }] }, null, 2);
    const entities = await readAll(text);
    expect(entities.map((e) => e.line)).toEqual([3, 10]);
    expect(text.split('\n')[9]).toBe('    {');
  });

  it('has no entities in an empty file, a whitespace-only file, an empty array or an empty page', async () => {
    expect(await readAll('')).toEqual([]);
    expect(await readAll(' \n\r\n')).toEqual([]);
    expect(await readAll('[]')).toEqual([]);
    expect(await readAll('{"value":[]}')).toEqual([]);
  });

  it('keeps the last value of a duplicate key, as JSON.parse does', async () => {
    const [e] = await readAll('{"id":"a","homeTenantId":"first","homeTenantId":"second"}');
    expect(e?.entity).toEqual({ id: 'a', homeTenantId: 'second' });
  });

  it('keeps nested objects whole, including nested "value" keys inside an entity', async () => {
    const [e] = await readAll('{"value":[{"id":"a","additionalDetails":[{"key":"k","value":["x"]}]}]}');
    expect(e?.entity).toEqual({ id: 'a', additionalDetails: [{ key: 'k', value: ['x'] }] });
  });

  it('treats "__proto__" as an ordinary key, not as the prototype', async () => {
    const [e] = await readAll('{"id":"a","__proto__":{"polluted":true}}');
    expect(Object.getPrototypeOf(e?.entity)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('reads strings longer than a read chunk, and non-ASCII text split across chunks', async () => {
    const long = 'é'.repeat(100_000);
    const [e] = await readAll(JSON.stringify({ value: [{ id: 'a', displayName: long }] }));
    expect((e?.entity as { displayName: string }).displayName).toBe(long);
  });
});

describe('readEntities: encodings', () => {
  const text = '{"value":[{"id":"a","displayName":"Zoë Ångström"},\n{"id":"b"}]}';

  it('reads UTF-8 with a byte-order mark', async () => {
    const entities = await readAll(utf8WithBom(text));
    expect(ids(entities)).toEqual(['a', 'b']);
    expect((entities[0]?.entity as { displayName: string }).displayName).toBe('Zoë Ångström');
  });

  it('reads UTF-16LE with a byte-order mark (Windows PowerShell 5.1 Out-File), with the right lines', async () => {
    const entities = await readAll(utf16leWithBom(text));
    expect(ids(entities)).toEqual(['a', 'b']);
    expect((entities[0]?.entity as { displayName: string }).displayName).toBe('Zoë Ångström');
    expect(entities[1]?.line).toBe(2);
  });

  it('reads a large UTF-16LE file chunk by chunk, including characters outside the BMP', async () => {
    const items = Array.from({ length: 5_000 }, (_, i) => ({ id: `u${i}`, displayName: `名前 ${i} 😀` }));
    const entities = await readAll(utf16leWithBom(JSON.stringify(items)));
    expect(entities).toHaveLength(5_000);
    expect(entities[4_999]?.entity).toEqual({ id: 'u4999', displayName: '名前 4999 😀' });
  });

  it('reads UTF-16BE with a byte-order mark', async () => {
    const be = Buffer.from(`\ufeff${text}`, 'utf16le').swap16();
    expect(ids(await readAll(be))).toEqual(['a', 'b']);
  });

  it('has no entities in a file holding only a byte-order mark', async () => {
    expect(await readAll(utf8WithBom(''))).toEqual([]);
    expect(await readAll(utf16leWithBom(''))).toEqual([]);
  });

  it('reads UTF-16LE without a byte-order mark', async () => {
    expect(ids(await readAll(Buffer.from(text, 'utf16le')))).toEqual(['a', 'b']);
  });

  it('reports bytes that are not UTF-8 (a Windows-1252 file) as an input error', async () => {
    const err = await readError(Buffer.from([...Buffer.from('{"id":"'), 0xe9, ...Buffer.from('"}')]));
    expect(err.message).toMatch(/not valid UTF-8/);
  });
});

describe('readEntities: errors', () => {
  it('names the file and the line of a syntax error', async () => {
    const err = await readError('{\n  "value": [\n    {"id": "a"},\n    {"id": "b",}\n  ]\n}\n');
    expect(err.location?.file).toMatch(/data\.json$/);
    expect(err.location?.line).toBe(4);
    expect(err.message).toMatch(/not valid JSON/);
    expect(err.exitCode).toBe(2);
  });

  it('finds the line of an invalid character far into a large file', async () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => `{"id":"u${i}"}`);
    lines[15_000] = '{"id": nope}';
    const err = await readError(lines.join('\n'));
    expect(err.location?.line).toBe(15_001);
    expect(err.message).toMatch(/unexpected character "o"/);
  });

  it('names the line of a missing colon and of a comma at the top level', async () => {
    expect((await readError('{"id" "a"}')).location?.line).toBe(1);
    expect((await readError('{"id":"a"},\n{"id":"b"}')).location?.line).toBe(1);
  });

  it('reports a truncated file at its last line', async () => {
    const err = await readError('{"value": [\n  {"id": "a"},\n  {"id": "b"');
    expect(err.location?.line).toBe(3);
    expect(err.message).toMatch(/ends inside an (object|array)/);
  });

  it('reports a string cut off by the end of the file', async () => {
    const err = await readError('[\n{"id": "a"},\n{"id": "unterminated');
    expect(err.location?.line).toBe(3);
    expect(err.message).toMatch(/truncated/);
  });

  it('reports a page whose value is not an array, with the entity index and the field', async () => {
    const err = await readError('{"id":"a"}\n{"@odata.context":"x","value":{"id":"b"}}');
    expect(err.location).toEqual({
      file: expect.stringMatching(/data\.json$/),
      line: 2,
      entity: 1,
      field: 'value',
    });
    expect(err.message).toMatch(/"value" must be an array/);
  });

  it('reports a missing file as an input error', async () => {
    const dir = await temp.make();
    await expect(readEntities(`${dir}/nope.json`).next()).rejects.toThrow(InputError);
  });
});
