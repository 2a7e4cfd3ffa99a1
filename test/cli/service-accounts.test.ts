import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assessmentJsonSchema } from '../../src/report/index.js';
import { runCli } from '../support/cli.js';

const INCIDENT_1 = 'test/fixtures/incidents/incident-1';
const NOW = ['--now', '2025-06-10T12:00:00Z'];
const CONNECT_UPN = 'Sync_SERVER01_1a2b3c4d5e6f@contoso.onmicrosoft.com';
const CLOUD_UPN = 'ADToAADSyncServiceAccount@contoso.onmicrosoft.com';

let tmp: string;
let folder: string;

/** incident-1 with the two sync accounts a hybrid tenant has, as GET /users lists them. */
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'mfa-ready-svc-'));
  folder = join(tmp, 'export');
  await cp(INCIDENT_1, folder, { recursive: true });
  const file = join(folder, 'users.json');
  const users = JSON.parse(await readFile(file, 'utf8')) as { value: Record<string, unknown>[] };
  users.value.push(
    {
      id: '0b7f1a2c-3d4e-4f50-8a6b-7c8d9e0f1a2b',
      userPrincipalName: CONNECT_UPN,
      displayName: 'On-Premises Directory Synchronization Service Account',
      accountEnabled: true,
      userType: 'Member',
      onPremisesSyncEnabled: null,
      createdDateTime: '2021-03-02T09:14:00Z',
    },
    {
      id: '1c8a2b3d-4e5f-4061-9b7c-8d9e0f1a2b3c',
      userPrincipalName: CLOUD_UPN,
      displayName: 'On-Premises Directory Synchronization Service Account',
      accountEnabled: true,
      userType: 'Member',
      onPremisesSyncEnabled: null,
      createdDateTime: '2023-11-20T16:40:00Z',
    },
  );
  await writeFile(file, JSON.stringify(users, null, 2));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const parse = (stdout: string) => assessmentJsonSchema.parse(JSON.parse(stdout));

describe('mfa-ready audit with directory-sync service accounts', () => {
  it('flags them and counts them in JSON, but never excludes them silently', async () => {
    const r = await runCli(['audit', '--from', folder, ...NOW, '--format', 'json']);
    expect(r.code).toBe(0);
    const a = parse(r.stdout);
    expect(a.serviceAccounts).toEqual({
      count: 2,
      excluded: 0,
      userPrincipalNames: [CLOUD_UPN, CONNECT_UPN],
    });
    const sync = a.users.find((u) => u.userPrincipalName === CONNECT_UPN)!;
    expect(sync.verdict).not.toBe('excluded');
    expect(sync.exclusion).toBeNull();
    expect(sync.evidence.map((e) => e.code)).toContain('service-account');
    expect(a.summary.excluded).toBe(0);
  });

  it('lists them apart in the table summary, with the flag to leave them out', async () => {
    const r = await runCli(['audit', '--from', folder, ...NOW]);
    expect(r.code).toBe(0);
    const text = r.stdout.replace(/\s+/g, ' ');
    expect(text).toContain(
      `2 accounts look like service accounts (Entra Connect sync, Entra Cloud Sync): ${CLOUD_UPN}, ${CONNECT_UPN}; add --exclude-service-accounts to leave them out`,
    );
  });

  it('excludes them in one step with --exclude-service-accounts, saying why', async () => {
    const r = await runCli([
      'audit',
      '--from',
      folder,
      ...NOW,
      '--format',
      'json',
      '--exclude-service-accounts',
    ]);
    expect(r.code).toBe(0);
    const a = parse(r.stdout);
    expect(a.serviceAccounts).toEqual({
      count: 2,
      excluded: 2,
      userPrincipalNames: [CLOUD_UPN, CONNECT_UPN],
    });
    for (const upn of [CONNECT_UPN, CLOUD_UPN]) {
      const u = a.users.find((x) => x.userPrincipalName === upn)!;
      expect(u).toMatchObject({
        verdict: 'excluded',
        exclusion: 'service-account',
        action: { code: 'none-excluded' },
      });
      expect(u.evidence.find((e) => e.code === 'service-account')?.fields).toMatchObject({ excluded: true });
    }
    expect(a.summary.excluded).toBe(2);
    // The people keep their verdicts.
    expect(a.users.find((u) => u.userPrincipalName === 'MFATest1@contoso.com')?.verdict).toBe('ready');
    expect(a.users.find((u) => u.userPrincipalName === 'MFATest2@contoso.com')?.verdict).toBe('unverified');
  });

  it('takes them out of a --fail-on job only when asked', async () => {
    const without = await runCli(['audit', '--from', folder, ...NOW, '--format', 'json']);
    const verdicts = new Set(
      parse(without.stdout)
        .users.filter((u) => u.userPrincipalName === CONNECT_UPN || u.userPrincipalName === CLOUD_UPN)
        .map((u) => u.verdict),
    );
    expect(verdicts.size).toBe(1);
    const verdict = [...verdicts][0]!;
    expect(verdict).not.toBe('unverified');
    const flagged = await runCli([
      'audit',
      '--from',
      folder,
      ...NOW,
      '--fail-on',
      verdict,
      '--format',
      'json',
    ]);
    expect(flagged.code).toBe(1);
    const excluded = await runCli([
      'audit',
      '--from',
      folder,
      ...NOW,
      '--fail-on',
      verdict,
      '--format',
      'json',
      '--exclude-service-accounts',
    ]);
    expect(excluded.code).toBe(0);
  });
});
