import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDays } from '../../src/demo/demo-days.js';
import { DEMO_OPTIONS, generateDemoTenant } from '../../src/demo/demo-tenant.js';
import { DATASET_FILES } from '../../src/domain/datasets.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mfa-ready-demo-days-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('demoDays', () => {
  it('starts at the bundled demo tenant and moves one day at a time', () => {
    const days = demoDays(3);
    expect(days.map((d) => d.day)).toEqual([0, 1, 2]);
    expect(days.map((d) => d.collectedAt)).toEqual([
      DEMO_OPTIONS.collectedAt,
      '2026-11-21T09:00:00Z',
      '2026-11-22T09:00:00Z',
    ]);
    const day0 = days[0]?.tenant();
    const bundled = generateDemoTenant();
    expect(day0?.options).toEqual(bundled.options);
    expect(day0?.audits).toEqual(bundled.audits);
    expect([...(day0?.expectations() ?? [])]).toEqual([...bundled.expectations()]);
  });

  it('shows a rollout in progress: more users ready every day of the default five', () => {
    const ready = demoDays().map(
      (d) => [...d.tenant().expectations()].filter((e) => e.verdict === 'ready').length,
    );
    expect(ready).toHaveLength(5);
    for (let k = 1; k < ready.length; k++) expect(ready[k]).toBeGreaterThan(ready[k - 1] as number);
  });

  it("writes each day's export folder, stamped with that day's collectedAt", async () => {
    for (const d of demoDays(2)) {
      const dir = join(root, `day-${d.day}`);
      const result = await d.writeExport(dir);
      expect(result.rows.users).toBe(d.tenant().userCount);
      const tenant = JSON.parse(await readFile(join(dir, DATASET_FILES.tenant), 'utf8')) as {
        collectedAt: string;
      };
      expect(tenant.collectedAt).toBe(d.collectedAt);
    }
  });

  it('refuses a count outside the rollout', () => {
    expect(() => demoDays(0)).toThrow(RangeError);
    expect(() => demoDays(2.5)).toThrow(RangeError);
    expect(() => demoDays(40)).toThrow(RangeError);
  });
});
