/**
 * The committed demo/tenant/ must be exactly what scripts/generate-demo.ts writes today, so it cannot
 * drift from the generator. If this fails after a generator change: `npm run demo:generate`.
 */
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_EXPECTED_PATH,
  DEMO_TENANT_PATH,
  generateDemoTenant,
  renderExpectedVerdicts,
} from '../../src/demo/demo-tenant.js';
import { writeExportFolder } from '../../src/demo/write-export-folder.js';
import { VERDICTS } from '../../src/domain/verdict.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const bundled = join(ROOT, DEMO_TENANT_PATH);
let fresh: string;

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

const tenant = generateDemoTenant();
beforeAll(async () => {
  fresh = await mkdtemp(join(tmpdir(), 'mfa-ready-demo-'));
  await writeExportFolder(fresh, tenant);
});
afterAll(async () => {
  await rm(fresh, { recursive: true, force: true });
});

describe('the bundled demo tenant', () => {
  it('equals a fresh generation, file for file and byte for byte', async () => {
    const files = await listFiles(fresh);
    expect(await listFiles(bundled)).toEqual(files);
    const differing: string[] = [];
    for (const file of files) {
      const [a, b] = await Promise.all([readFile(join(fresh, file)), readFile(join(bundled, file))]);
      if (!a.equals(b)) differing.push(file);
    }
    expect(differing, 'run `npm run demo:generate`').toEqual([]);
  });

  it('ships its answer key next to the export', async () => {
    expect(await readFile(join(ROOT, DEMO_EXPECTED_PATH), 'utf8')).toBe(renderExpectedVerdicts(tenant));
  });

  it('stays small and covers every verdict', async () => {
    let bytes = 0;
    for (const file of await listFiles(bundled)) bytes += (await stat(join(bundled, file))).size;
    expect(bytes).toBeLessThan(1.6 * 1024 * 1024);
    // Every verdict a user can have; `unknown` is what a partial collection leaves, and the demo is complete.
    const verdicts = VERDICTS.filter((v) => v !== 'unknown');
    expect(new Set([...tenant.expectations()].map((e) => e.verdict))).toEqual(new Set(verdicts));
    expect(tenant.users).toHaveLength(300);
    expect(tenant.tenant.collectedAt).toBe('2026-11-20T09:00:00Z');
  });
});
