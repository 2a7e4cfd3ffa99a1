/**
 * A collection that did not finish is never assessed as if complete: `audit --from` names the parts
 * the collector's state says are unfinished and exits 2, unless `--allow-incomplete`, which marks them
 * in the table header and the JSON.
 */
import { cp, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { collectTenant } from '../../src/collect/live/index.js';
import type { SyntheticTenant } from '../../src/demo/generate-tenant.js';
import { optionsFor } from '../collect/live/collect-helpers.js';
import { FakeGraphSource, SimulatedKill } from '../collect/live/fake-graph-source.js';
import { fakeFromSynthetic, syntheticTenant } from '../collect/live/tenants.js';
import { tempFolders } from '../collect/temp-files.js';
import { runCli } from '../support/cli.js';
import { STACK_LINE } from './live-support.js';

const temp = tempFolders();
afterEach(() => temp.cleanup());

let tenant: SyntheticTenant;
beforeAll(() => {
  tenant = syntheticTenant({ users: 60, seed: 5 });
});

const NOW = '2026-11-20T09:00:00Z';
const source = () => new FakeGraphSource(fakeFromSynthetic(tenant), { pageSize: 5 });
const options = (out: string, extra = {}) =>
  optionsFor(out, { tenantId: tenant.tenant.tenantId, now: new Date(NOW), ...extra });

/** A collection killed while it read the sign-ins (before the per-user methods step began). */
async function stoppedCollection(): Promise<string> {
  const out = await temp.make();
  await expect(
    collectTenant(source().dieAfter('/beta/auditLogs/signIns', 2), options(out)),
  ).rejects.toBeInstanceOf(SimulatedKill);
  return out;
}

const flat = (s: string) => s.replace(/\s+/g, ' ');

describe('audit --from a collection that did not finish', () => {
  it('exits 2 naming the unfinished parts in admin words, and says how to finish or go on', async () => {
    const out = await stoppedCollection();
    const r = await runCli(['audit', '--from', out, '--now', NOW]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toMatch(STACK_LINE);
    const text = flat(r.stderr);
    expect(text).toMatch(/the collection in this folder did not finish: not read in full: .*sign-ins/);
    expect(text).toContain('per-user authentication methods');
    expect(text).toContain(`mfa-ready collect --resume --out ${out}`);
    expect(text).toContain('--allow-incomplete');
  });

  it('--allow-incomplete assesses what is there, the unfinished parts marked in the header and the JSON', async () => {
    const out = await stoppedCollection();
    const table = await runCli(['audit', '--from', out, '--now', NOW, '--allow-incomplete', '--no-color']);
    expect(table.code).toBe(0);
    const header = flat(table.stdout.split('Summary')[0] ?? '');
    expect(header).toMatch(/Incomplete collection: it stopped before reading in full .*sign-ins/);
    expect(header).toContain('per-user authentication methods');

    const json = await runCli([
      'audit',
      '--from',
      out,
      '--now',
      NOW,
      '--allow-incomplete',
      '--format',
      'json',
    ]);
    expect(json.code).toBe(0);
    const coverage = (JSON.parse(json.stdout) as { coverage: Record<string, { incomplete?: true }> })
      .coverage;
    expect(coverage.signIns?.incomplete).toBe(true);
    expect(coverage.methods?.incomplete).toBe(true);
    // The tenant file was written first and is complete.
    expect(coverage.tenant?.incomplete).toBeUndefined();
  });

  it('once resumed to the end, the folder is assessed without a mark', async () => {
    const out = await stoppedCollection();
    await collectTenant(source(), options(out, { resume: true }));
    const r = await runCli(['audit', '--from', out, '--now', NOW, '--format', 'json']);
    expect(r.code).toBe(0);
    const coverage = (JSON.parse(r.stdout) as { coverage: Record<string, { incomplete?: true }> }).coverage;
    expect(Object.values(coverage).filter((c) => c?.incomplete === true)).toEqual([]);
  });

  it('a part that failed after writing some of its data is unfinished too; one refused outright is only missing', async () => {
    const dir = await temp.make();
    await cp('demo/tenant', dir, { recursive: true });
    await writeFile(
      path.join(dir, '.collect-state.json'),
      JSON.stringify({
        version: 1,
        tenantId: 'x',
        collectedAt: NOW,
        files: {},
        parts: {
          users: { phase: 'complete', rows: 300, pages: 1 },
          audits: { phase: 'failed', rows: 0, pages: 0 },
          methods: { phase: 'failed', rows: 12, pages: 1 },
        },
      }),
    );
    const r = await runCli(['audit', '--from', dir, '--now', NOW]);
    expect(r.code).toBe(2);
    expect(flat(r.stderr)).toContain('not read in full: per-user authentication methods ');
    expect(r.stderr).not.toContain('directory audits');
  });

  it('an unreadable state file is exit 2 naming it: whether the collection finished is unknown', async () => {
    const dir = await temp.make();
    await cp('demo/tenant', dir, { recursive: true });
    await writeFile(path.join(dir, '.collect-state.json'), '{"parts": nul');
    const r = await runCli(['audit', '--from', dir, '--now', NOW]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('whether the collection finished is unknown');
    expect(r.stderr).toContain('.collect-state.json');
  });
});

describe('audit --from a folder from elsewhere (no state, no windows recorded)', () => {
  it('is assessed as before, and the header gives the span of the sign-ins and audits actually read', async () => {
    const r = await runCli(['audit', '--from', 'demo/tenant', '--now', NOW, '--no-color']);
    expect(r.code).toBe(0);
    const header = flat(r.stdout.split('Summary')[0] ?? '');
    expect(header).not.toContain('Incomplete collection');
    expect(header).toMatch(
      /sign-ins in the file from 2026-11-\d\d \d\d:\d\d UTC to 2026-11-\d\d \d\d:\d\d UTC \(no collection window recorded\); directory audits in the file from 2026-1\d-\d\d \d\d:\d\d UTC to 2026-11-\d\d \d\d:\d\d UTC \(no collection window recorded\)/,
    );
  });
});
