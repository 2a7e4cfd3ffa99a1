/**
 * Secrets never enter the history database: a collection from the emulator with a client secret, then
 * stored, leaves in the database file and its WAL neither the secret, nor an access token the emulator
 * issued, nor a phone number. (`collect` writes an export folder; `import` stores it, as a collection
 * into the store will once collect writes there itself. A Temporary Access Pass value is never in a
 * Graph answer after its creation, so the emulator has none: test/store/store.test.ts greps one from a
 * fixture.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { runCli } from '../support/cli.js';
import { Caller } from '../emulator/support.js';
import {
  SECRET,
  allText,
  runLive,
  startTestEmulator,
  tempDirs,
  type TestEmulator,
} from '../cli/live-support.js';

const temp = tempDirs();
let t: TestEmulator;
beforeAll(async () => {
  t = await startTestEmulator();
});
afterAll(async () => {
  await t.close();
  await temp.cleanup();
});

describe('secrets never enter the store', () => {
  it('a collection with a client secret, stored: no secret, token or phone number in the database bytes', async () => {
    const dir = await temp.make();
    const out = path.join(dir, 'export');
    const collected = await runLive(['collect', ...t.args, '--out', out], t.deps);
    expect(collected.code, collected.stderr).toBe(0);

    // What could leak, as the emulator hands it out: its tokens (every one it signs starts with the
    // same header segment) and the phone numbers of the methods lists it answered.
    const token = await new Caller(t.em).signIn('secret-grep');
    const tokenHeader = token.split('.')[0]!;
    expect(tokenHeader.length).toBeGreaterThan(20);
    const exported = await allText(out);
    // Phone numbers as methods lists give them, and as the audit log's method changes carry them.
    const phones = [
      ...new Set([
        ...[...exported.matchAll(/"phoneNumber"\s*:\s*"([^"]+)"/g)].map((m) => m[1]!),
        ...[...exported.matchAll(/\+\d{1,3} \d{4} \d{6}/g)].map((m) => m[0]),
      ]),
    ];
    // The grep below can fail: the collection did read phone methods, with their numbers.
    expect(phones.length).toBeGreaterThan(0);

    const db = path.join(dir, 'history.db');
    const imported = await runCli(['import', '-q', out, '--db', db]);
    expect(imported.code, imported.stderr).toBe(0);
    // The import closed its connection, which checkpointed the WAL into the file; grep both anyway.
    let files = 0;
    for (const file of [db, `${db}-wal`]) {
      if (!existsSync(file)) continue;
      const bytes = await readFile(file);
      if (bytes.length === 0) continue;
      files++;
      for (const secret of [SECRET, token, tokenHeader, ...phones])
        expect(bytes.includes(Buffer.from(secret)), `${secret} in ${file}`).toBe(false);
    }
    expect(files).toBeGreaterThan(0);
    // The phone methods themselves are stored (their kind), only the numbers are not.
    expect((await readFile(db)).includes(Buffer.from('"phone"'))).toBe(true);
  });
});
