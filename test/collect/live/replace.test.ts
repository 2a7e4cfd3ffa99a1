/**
 * A new collection into a folder that holds one neither mixes nor destroys it: refused without a
 * choice; `replace: true` collects beside it and swaps only a finished collection in.
 */
import { access, mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { collectTenant } from '../../../src/collect/live/index.js';
import type { CollectOptions } from '../../../src/collect/live/index.js';
import type { SyntheticTenant } from '../../../src/demo/generate-tenant.js';
import { UsageError } from '../../../src/domain/errors.js';
import { tempFolders } from '../temp-files.js';
import { listFiles, optionsFor, readTree } from './collect-helpers.js';
import { FakeGraphSource, SimulatedKill, permissionMissing } from './fake-graph-source.js';
import { fakeFromSynthetic, syntheticTenant } from './tenants.js';

const temp = tempFolders();
afterEach(() => temp.cleanup());

let tenant: SyntheticTenant;
beforeAll(() => {
  tenant = syntheticTenant({ users: 80, seed: 13 });
});

const source = () => new FakeGraphSource(fakeFromSynthetic(tenant), { pageSize: 6 });
const options = (outDir: string, extra: Partial<CollectOptions> = {}): CollectOptions =>
  optionsFor(outDir, {
    tenantId: tenant.tenant.tenantId,
    now: new Date(tenant.options.collectedAt),
    ...extra,
  });

/** A finished collection in its own folder (inside a parent of its own, where the sibling goes). */
async function collected(extra: Partial<CollectOptions> = {}): Promise<string> {
  const out = path.join(await temp.make(), 'export');
  await collectTenant(source(), options(out, extra));
  return out;
}

const siblings = async (out: string) => (await readdir(path.dirname(out))).sort();

describe('a collection into a folder that holds one', () => {
  it('is refused without --resume or --replace; nothing is asked of Graph, nothing changes', async () => {
    const out = await collected();
    const before = await readTree(out, true);
    const refused = source();
    await expect(collectTenant(refused, options(out))).rejects.toBeInstanceOf(UsageError);
    expect(refused.seen).toEqual([]);
    expect(await readTree(out, true)).toEqual(before);
  });

  it('counts only what a collection writes: an empty folder, or one with other files, is collected into', async () => {
    const out = path.join(await temp.make(), 'export');
    await mkdir(out);
    await writeFile(path.join(out, 'NOTES.txt'), 'mine');
    await collectTenant(source(), options(out));
    await access(path.join(out, 'users.ndjson'));
  });
});

describe('--replace', () => {
  it('a replacement stopped halfway leaves the previous folder byte for byte as it was', async () => {
    const out = await collected();
    const before = await readTree(out, true);
    await expect(
      collectTenant(source().dieAfter('/beta/auditLogs/signIns', 2), options(out, { replace: true })),
    ).rejects.toBeInstanceOf(SimulatedKill);
    expect(await readTree(out, true)).toEqual(before);
    // The half-made replacement waits beside it, hidden; the next --replace starts it afresh.
    expect(await siblings(out)).toEqual(['.export.replacing', 'export']);
    const result = await collectTenant(source(), options(out, { replace: true }));
    expect(result.replaced).toBe(true);
    expect(await siblings(out)).toEqual(['export']);
    expect(await readTree(out)).toEqual(await readTree(await collected()));
  });

  it('a finished replacement keeps nothing of the old collection (methods files of users no longer read)', async () => {
    // The old collection read every open user's methods; the new one only those that decide readiness.
    const out = await collected({ methods: 'open' });
    const oldMethods = (await listFiles(out)).filter((f) => f.startsWith('authenticationMethods/'));
    const reference = await collected({ methods: 'needed' });
    const wanted = (await listFiles(reference)).filter((f) => f.startsWith('authenticationMethods/'));
    expect(wanted.length).toBeLessThan(oldMethods.length);

    const result = await collectTenant(source(), options(out, { replace: true, methods: 'needed' }));
    expect(result.replaced).toBe(true);
    expect(result.outDir).toBe(out);
    expect(result.resumed).toBe(false);
    expect(await readTree(out)).toEqual(await readTree(reference));
    expect(await siblings(out)).toEqual(['export']);
  });

  it('a replacement that collects nothing usable keeps the old collection', async () => {
    const out = await collected();
    const before = await readTree(out, true);
    // A credential that can read nothing but the organization (every other request refused, 403).
    const refusing = source().failOn(/^\/(v1\.0|beta)\/(?!organization)/, permissionMissing);
    const result = await collectTenant(refusing, options(out, { replace: true }));
    expect(result.replaced).toBe(false);
    expect(await readTree(out, true)).toEqual(before);
    expect(await siblings(out)).toEqual(['export']);
  });

  it('refuses to swap the folder it is run from (the shell would be left standing in a removed folder)', async () => {
    const out = await collected();
    const before = await readTree(out, true);
    const cwd = process.cwd();
    process.chdir(out);
    try {
      const refused = source();
      await expect(collectTenant(refused, options('.', { replace: true }))).rejects.toThrow(
        /--replace cannot swap \.: it is the current folder/,
      );
      expect(refused.seen).toEqual([]);
    } finally {
      process.chdir(cwd);
    }
    expect(await readTree(out, true)).toEqual(before);
  });

  it('a swap stopped between its two renames is completed by the next run', async () => {
    const out = await collected();
    const fresh = await collected({ methods: 'needed' });
    const parent = path.dirname(out);
    // The old one retired, the finished replacement not yet in place.
    const { rename } = await import('node:fs/promises');
    await rename(out, path.join(parent, '.export.replaced'));
    await rename(fresh, path.join(parent, '.export.replacing'));
    const expected = await readTree(path.join(parent, '.export.replacing'));
    await expect(collectTenant(source(), options(out))).rejects.toBeInstanceOf(UsageError);
    expect(await siblings(out)).toEqual(['export']);
    expect(await readTree(out)).toEqual(expected);
  });
});
