/**
 * `resume: true` after a kill: the collection continues from the checkpoint (saved nextLinks, files
 * cut back to their checkpointed length, methods files already written) and ends with the very files
 * an uninterrupted run writes.
 */
import { appendFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { collectTenant, graphQueries, STATE_FILE } from '../../../src/collect/live/index.js';
import type { CollectOptions, CollectResult } from '../../../src/collect/live/index.js';
import type { SyntheticTenant } from '../../../src/demo/generate-tenant.js';
import { UsageError } from '../../../src/domain/errors.js';
import { tempFolders } from '../temp-files.js';
import { ndjsonIds, optionsFor, partOf, readTree } from './collect-helpers.js';
import { FAKE_HOST, FakeGraphSource, SimulatedKill, permissionMissing } from './fake-graph-source.js';
import { fakeFromSynthetic, syntheticTenant } from './tenants.js';

const temp = tempFolders();
afterEach(() => temp.cleanup());

let tenant: SyntheticTenant;
let reference: Map<string, string>;
let referenceResult: CollectResult;
const PAGE = 7;

function source(): FakeGraphSource {
  return new FakeGraphSource(fakeFromSynthetic(tenant), { pageSize: PAGE });
}

function options(outDir: string, extra: Partial<CollectOptions> = {}): CollectOptions {
  return optionsFor(outDir, {
    tenantId: tenant.tenant.tenantId,
    now: new Date(tenant.options.collectedAt),
    ...extra,
  });
}

beforeAll(async () => {
  tenant = syntheticTenant({ users: 120, seed: 11 });
  const dir = await temp.make();
  referenceResult = await collectTenant(source(), options(dir));
  reference = await readTree(dir);
});

describe('resume after a kill', () => {
  it('continues the interrupted sign-ins from the saved nextLink and ends with identical files', async () => {
    const out = await temp.make();
    const killed = source().dieAfter('/beta/auditLogs/signIns', 3);
    await expect(collectTenant(killed, options(out))).rejects.toBeInstanceOf(SimulatedKill);
    const state = JSON.parse(await readFile(path.join(out, STATE_FILE), 'utf8')) as {
      parts: Record<string, { phase: string; nextLink?: string; rows: number }>;
    };
    expect(state.parts.signInsInteractive).toMatchObject({ phase: 'in-progress', rows: 3 * PAGE });
    const saved = state.parts.signInsInteractive?.nextLink;
    expect(saved).toMatch(new RegExp(`^${FAKE_HOST}/beta/auditLogs/signIns\\?.*\\$skiptoken=${3 * PAGE}$`));

    // Resumed later: the reference time (tenant.json, time windows) is the first run's, not this `now`.
    const again = source();
    const result = await collectTenant(
      again,
      options(out, { resume: true, now: new Date('2026-11-21T12:00:00Z') }),
    );
    expect(result.resumed).toBe(true);
    expect(result.collectedAt).toBe('2026-11-20T09:00:00.000Z');
    expect(again.urls('page').find((u) => u.includes('/auditLogs/signIns'))).toBe(saved);
    // Nothing done before the kill is asked again: a part the checkpoint has complete is not fetched,
    // one in progress continues from its own saved nextLink (the reports parts page side by side).
    const first = (url: string) => again.urls('page').find((u) => u.includes(url));
    for (const [part, url] of [
      ['registration', 'userRegistrationDetails'],
      ['audits', '/auditLogs/directoryAudits'],
      ['users', '/users?'],
    ] as const) {
      const before = state.parts[part];
      if (before?.phase === 'complete') {
        expect(first(url)).toBeUndefined();
        expect(partOf(result, part).fromCheckpoint).toBe(true);
      } else if (before?.nextLink !== undefined) {
        expect(first(url)).toBe(before.nextLink);
      }
    }
    expect(
      Object.values(state.parts).some((p) => p.phase === 'complete' && p.rows > 0),
      'something was complete before the kill',
    ).toBe(true);
    expect(await readTree(out)).toEqual(reference);
  });

  it("continues the apps' 30-day query: rows it repeats are still dropped, by the ids read back from the file", async () => {
    const out = await temp.make();
    // The second interactive query: the Authenticator app and My Signins over 30 days.
    const appsQuery = 'createdDateTime ge 2026-10-21T09:00:00Z and (appId';
    await expect(collectTenant(source().dieAfter(appsQuery, 1), options(out))).rejects.toBeInstanceOf(
      SimulatedKill,
    );
    const state = JSON.parse(await readFile(path.join(out, STATE_FILE), 'utf8')) as {
      parts: Record<string, { query?: number; nextLink?: string }>;
    };
    expect(state.parts.signInsInteractive).toMatchObject({ query: 1 });
    expect(state.parts.signInsInteractive?.nextLink).toContain(appsQuery);
    await collectTenant(source(), options(out, { resume: true }));
    const ids = await ndjsonIds(path.join(out, 'signIns.ndjson'));
    expect(new Set(ids).size).toBe(ids.length);
    expect(await readTree(out)).toEqual(reference);
  });

  it('cuts back a page written after the last checkpoint (a kill between data and checkpoint)', async () => {
    const out = await temp.make();
    await expect(
      collectTenant(source().dieAfter('/v1.0/users?$select=id,user', 2), options(out)),
    ).rejects.toThrow(SimulatedKill);
    // The data of a page made it to disk, its checkpoint did not: the file is longer than recorded.
    await appendFile(path.join(out, 'users.ndjson'), '{"id":"written-but-not-checkpointed"}\n{"id":"half');
    await collectTenant(source(), options(out, { resume: true }));
    const ids = await ndjsonIds(path.join(out, 'users.ndjson'));
    expect(ids).toHaveLength(tenant.userCount);
    expect(ids).not.toContain('written-but-not-checkpointed');
    expect(await readTree(out)).toEqual(reference);
  });

  it('restarts a dataset whose saved nextLink Graph refuses, and drops what was already written by id', async () => {
    const out = await temp.make();
    await expect(
      collectTenant(source().dieAfter('/beta/auditLogs/signIns', 2), options(out)),
    ).rejects.toThrow(SimulatedKill);
    const refusing = source();
    refusing.rejectStartLinks = true;
    const result = await collectTenant(refusing, options(out, { resume: true }));
    const signIns = partOf(result, 'signInsInteractive');
    expect(signIns.status).toEqual({ state: 'complete' });
    expect(signIns.restarts).toBe(1);
    // The two pages asked again, and (as in an uninterrupted run) the apps' sign-ins of this week,
    // which the second, 30-day query returns again.
    const overlap = partOf(referenceResult, 'signInsInteractive').duplicatesSkipped ?? 0;
    expect(overlap).toBeGreaterThan(0);
    expect(signIns.duplicatesSkipped).toBe(2 * PAGE + overlap);
    // Restarted from the first page of the same query (same time window as the first run).
    expect(refusing.urls('page').filter((u) => u.includes('/auditLogs/signIns'))[1]).toBe(
      `/beta${graphQueries.interactiveSignIns(new Date('2026-11-13T09:00:00Z')).combined.path}`,
    );
    const ids = await ndjsonIds(path.join(out, 'signIns.ndjson'));
    expect(new Set(ids).size).toBe(ids.length);
    expect(await readTree(out)).toEqual(reference);
  });

  it('skips per-user methods files already written', async () => {
    const out = await temp.make();
    await expect(
      collectTenant(source().dieAfter('/authentication/methods', 25), options(out)),
    ).rejects.toThrow(SimulatedKill);
    const first = (await readTree(out)).size;
    const again = source();
    const result = await collectTenant(again, options(out, { resume: true }));
    expect(result.methods?.alreadyWritten).toBe(20);
    expect(again.urls('batch-inner')).toHaveLength((result.methods?.planned ?? 0) - 20);
    // Only the methods step ran again.
    expect(again.urls().filter((u) => !u.includes('/authentication/methods'))).toEqual([]);
    expect(first).toBeLessThan(reference.size);
    expect(await readTree(out)).toEqual(reference);
  });

  it('asks again for a part Graph refused in the first run (the permission was granted since)', async () => {
    const out = await temp.make();
    const first = await collectTenant(
      source().failOn('/auditLogs/directoryAudits', permissionMissing),
      options(out),
    );
    expect(partOf(first, 'audits').status.state).toBe('failed');
    const again = source();
    const result = await collectTenant(again, options(out, { resume: true }));
    expect(partOf(result, 'audits').status).toEqual({ state: 'complete' });
    expect(
      again.urls().filter((u) => !u.includes('directoryAudits') && !u.includes('/authentication/methods')),
    ).toEqual([]);
    // The methods step saw the new audit events; files end up as an uninterrupted run's.
    expect(await readTree(out)).toEqual(reference);
  });

  it('refuses to resume a folder that holds another tenant', async () => {
    const out = await temp.make();
    await collectTenant(source(), options(out, { only: ['users'] }));
    await expect(
      collectTenant(source(), options(out, { resume: true, tenantId: 'another-tenant' })),
    ).rejects.toBeInstanceOf(UsageError);
  });

  it('a new run into the stopped collection must choose: refused without --resume or --replace', async () => {
    const out = await temp.make();
    await expect(
      collectTenant(source().dieAfter('/beta/auditLogs/signIns', 2), options(out)),
    ).rejects.toThrow(SimulatedKill);
    const before = await readTree(out);
    const refused = source();
    const err = await collectTenant(refused, options(out)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).message).toBe(`${out} already holds a collection`);
    expect((err as UsageError).hint).toMatch(/--resume continues .*--replace collects anew/);
    expect(refused.seen).toEqual([]);
    expect(await readTree(out)).toEqual(before);
    await expect(collectTenant(source(), options(out, { resume: true, replace: true }))).rejects.toThrow(
      /either --resume or --replace/,
    );
  });

  it('--replace starts over beside the stopped collection and leaves nothing of it', async () => {
    const out = await temp.make();
    await expect(
      collectTenant(source().dieAfter('/beta/auditLogs/signIns', 2), options(out)),
    ).rejects.toThrow(SimulatedKill);
    // An old `.json` would shadow the new `.ndjson` in the reader.
    await appendFile(path.join(out, 'signIns.json'), '{"value":[]}');
    const fresh = source();
    const result = await collectTenant(fresh, options(out, { replace: true }));
    expect(result.replaced).toBe(true);
    expect(result.outDir).toBe(out);
    expect(fresh.urls('page').some((u) => u.startsWith(FAKE_HOST))).toBe(true);
    expect(await readTree(out)).toEqual(reference);
  });
});
