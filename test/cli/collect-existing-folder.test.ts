/**
 * `mfa-ready collect` into a folder that already holds a collection: exit 2 asking for a choice
 * (--resume or --replace, each said with what it does); --replace swaps a finished collection in.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportFiles, runLive, STACK_LINE, startTestEmulator, tempDirs } from './live-support.js';
import type { TestEmulator } from './live-support.js';

const temp = tempDirs();
afterAll(() => temp.cleanup());

const flat = (s: string) => s.replace(/\s+/g, ' ');

describe('mfa-ready collect into a folder that holds a collection', () => {
  let t: TestEmulator;
  beforeAll(async () => {
    t = await startTestEmulator();
  });
  afterAll(() => t.close());

  it('exits 2 and says to choose --resume or --replace; --replace collects anew and swaps it in', async () => {
    const out = path.join(await temp.make(), 'export');
    const only = ['--only', 'users,registration,signins'];
    expect((await runLive(['collect', ...t.args, '--out', out, ...only, '--quiet'], t.deps)).code).toBe(0);
    const before = await exportFiles(out);

    const again = await runLive(['collect', ...t.args, '--out', out, ...only], t.deps);
    expect(again.code).toBe(2);
    expect(again.stderr).not.toMatch(STACK_LINE);
    const text = flat(again.stderr);
    expect(text).toContain(`mfa-ready: error: ${out} already holds a collection`);
    expect(text).toMatch(/--resume continues that collection where it stopped/);
    expect(text).toMatch(
      /--replace collects anew beside it and swaps the new collection in only when it has finished/,
    );
    expect(await exportFiles(out)).toEqual(before);

    const both = await runLive(['collect', ...t.args, '--out', out, '--resume', '--replace'], t.deps);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('use either --resume or --replace, not both');

    // A narrower replacement: the old collection's sign-ins do not survive it.
    const replaced = await runLive(
      ['collect', ...t.args, '--out', out, '--only', 'users,registration', '--replace'],
      t.deps,
    );
    expect(replaced.code).toBe(0);
    expect(flat(replaced.stderr)).toContain('replaced: the new collection took the place of the old one');
    expect([...(await exportFiles(out)).keys()]).toEqual([
      'tenant.json',
      'userRegistrationDetails.ndjson',
      'users.ndjson',
    ]);
    expect(await readdir(path.dirname(out))).toEqual(['export']);
  });
});
