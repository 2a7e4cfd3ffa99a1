import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_VOLUME, generateTenant } from '../../src/demo/generate-tenant.js';
import { writeExportFolder } from '../../src/demo/write-export-folder.js';
import { DATASET_FILES } from '../../src/domain/datasets.js';

const tenant = generateTenant({
  users: 40,
  seed: 6,
  collectedAt: '2026-11-20T09:00:00Z',
  volume: DEMO_VOLUME,
});
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mfa-ready-export-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const readJson = async (path: string): Promise<unknown> =>
  JSON.parse(await readFile(join(dir, path), 'utf8'));
const pageValue = async (path: string) => {
  const page = (await readJson(path)) as { '@odata.context': string; value: unknown[] };
  expect(page['@odata.context']).toMatch(/^https:\/\/graph\.microsoft\.com\/(v1\.0|beta)\/\$metadata#/);
  return page.value;
};

describe('writeExportFolder', () => {
  it('writes every dataset under its export-folder name, as Graph pages', async () => {
    const result = await writeExportFolder(dir, tenant);
    expect((await readdir(dir)).sort()).toEqual(Object.values(DATASET_FILES).sort());

    expect(await readJson(DATASET_FILES.tenant)).toEqual(tenant.tenant);
    expect(await pageValue(DATASET_FILES.users)).toEqual(tenant.users);
    expect(await pageValue(DATASET_FILES.registration)).toEqual(tenant.registration);
    expect(await pageValue(DATASET_FILES.audits)).toEqual(tenant.audits);
    expect(await pageValue(DATASET_FILES.signIns)).toEqual(tenant.signIns);
    expect(await pageValue(DATASET_FILES.groups)).toEqual(tenant.groups);
    expect(await pageValue(DATASET_FILES.conditionalAccess)).toEqual(tenant.conditionalAccess);
    expect(await pageValue(DATASET_FILES.domains)).toEqual(tenant.domains);
    expect(await readJson(DATASET_FILES.methodsPolicy)).toEqual(tenant.methodsPolicy);
    expect(await readJson(DATASET_FILES.securityDefaults)).toEqual(tenant.securityDefaults);

    const methodFiles = await readdir(join(dir, DATASET_FILES.methods));
    expect(methodFiles.sort()).toEqual(tenant.users.map((u) => `${u.id}.json`).sort());
    for (const user of tenant.users.slice(0, 5)) {
      expect(await pageValue(join(DATASET_FILES.methods, `${user.id}.json`))).toEqual(
        tenant.methods.get(user.id),
      );
    }
    for (const [groupId, members] of tenant.groupMembers) {
      expect(await pageValue(join(DATASET_FILES.groupMembers, `${groupId}.json`))).toEqual(members);
    }
    expect(result.rows.users).toBe(40);
    expect(result.rows.signIns).toBe(tenant.signIns.length);
    expect(result.rows.roleAssignments).toBe(tenant.roleAssignments.length);
    expect(await pageValue(DATASET_FILES.roleAssignments)).toEqual(tenant.roleAssignments);
    expect(result.files).toBe(11 + tenant.users.length + tenant.groups.length);
  });

  it('can write sign-ins and audits as NDJSON, one entity per line', async () => {
    await writeExportFolder(dir, tenant, { eventFormat: 'ndjson' });
    for (const [file, expected] of [
      [DATASET_FILES.signIns, tenant.signIns],
      [DATASET_FILES.audits, tenant.audits],
    ] as const) {
      const lines = (await readFile(join(dir, file), 'utf8')).trimEnd().split('\n');
      expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual(expected);
    }
  });

  it('refuses to write over an export unless asked, and then replaces only its own files', async () => {
    await writeExportFolder(dir, tenant);
    await expect(writeExportFolder(dir, tenant)).rejects.toThrow(/already holds an export/);
    await writeFile(join(dir, 'notes.txt'), 'keep me');
    const other = generateTenant({
      users: 12,
      seed: 6,
      collectedAt: '2026-11-20T09:00:00Z',
      volume: DEMO_VOLUME,
    });
    await writeExportFolder(dir, other, { overwrite: true });
    expect(await readFile(join(dir, 'notes.txt'), 'utf8')).toBe('keep me');
    expect(await readdir(join(dir, DATASET_FILES.methods))).toHaveLength(12); // no stale files left
  });
});
