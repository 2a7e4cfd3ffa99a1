import { createWriteStream } from 'node:fs';
import { cp } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { readExportFolder } from '../../src/load/read-export-folder.js';
import { DATASETS } from '../../src/domain/datasets.js';
import type { DatasetName } from '../../src/domain/datasets.js';
import { InputError } from '../../src/domain/errors.js';
import type { TenantSnapshot } from '../../src/domain/tenant.js';
import { tempFolders, utf16leWithBom, writeInto } from '../collect/temp-files.js';

const EXPORT_SMALL = fileURLToPath(new URL('../fixtures/inputs/export-small/', import.meta.url));
const ALICE = '11111111-1111-4111-8111-111111111111';
const BOB = '22222222-2222-4222-8222-222222222222';

const temp = tempFolders();
afterEach(temp.cleanup);

async function inputErrorOf(promise: Promise<unknown>): Promise<InputError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return err as InputError;
  }
  throw new Error('expected an InputError');
}

/** JSON of a snapshot with its Map spelled out, to search the whole thing for strings. */
function snapshotJson(snapshot: TenantSnapshot): string {
  return JSON.stringify(snapshot, (_key, value: unknown) =>
    value instanceof Map ? Object.fromEntries(value) : value,
  );
}

describe('readExportFolder on test/fixtures/inputs/export-small', () => {
  it('reads every dataset and fills coverage', async () => {
    const s = await readExportFolder(EXPORT_SMALL);
    expect(s.coverage).toEqual({
      tenant: { present: true, rows: 1 },
      users: { present: true, rows: 4 },
      registration: { present: true, rows: 2 },
      methods: { present: true, rows: 2 },
      // Event files also say how far back they reach: their oldest and newest event.
      audits: {
        present: true,
        rows: 3,
        oldest: '2024-04-02T10:15:00.123Z',
        newest: '2024-04-03T08:00:00.000Z',
      },
      signIns: {
        present: true,
        rows: 3,
        oldest: '2024-05-09T08:00:00.000Z',
        newest: '2024-05-09T09:01:00.000Z',
      },
      groups: { present: true, rows: 3 },
      groupMembers: { present: true, rows: 2 },
      conditionalAccess: { present: true, rows: 2 },
      methodsPolicy: { present: true, rows: 1 },
      securityDefaults: { present: true, rows: 1 },
      domains: { present: true, rows: 2 },
      // No roleAssignments.json in this export (it predates them): not collected, nothing fails.
      roleAssignments: { present: false, rows: 0 },
    });
    expect(s.tenant).toEqual({
      tenantId: 'aaaaaaaa-0000-4000-8000-000000000001',
      displayName: 'Contoso (test fixture)',
      collectedAt: '2024-05-10T12:00:00.000Z',
      cloud: 'global',
    });
    expect(s.users?.map((u) => [u.userPrincipalName, u.userType, u.accountEnabled])).toEqual([
      ['alice@contoso.com', 'member', true],
      ['Bob@Contoso.com', 'member', true],
      ['carol_fabrikam.com#EXT#@contoso.onmicrosoft.com', 'guest', true],
      ['dave@contoso.com', 'member', false],
    ]);
    expect(s.registration?.[0]?.methodsRegistered).toContain('someFutureMethod');
    expect(s.registration?.[1]).not.toHaveProperty('defaultMfaMethod');
    expect(s.securityDefaults).toEqual({ isEnabled: false });
    expect(s.domains).toEqual([
      { id: 'contoso.com', authenticationType: 'Federated', isVerified: true, isDefault: true },
      { id: 'contoso.onmicrosoft.com', authenticationType: 'Managed', isVerified: true, isDefault: false },
    ]);
    expect(s.methodsPolicy?.policyMigrationState).toBe('migrationComplete');
    expect(s.conditionalAccess?.[0]?.authenticationStrengthId).toBe('00000000-0000-0000-0000-000000000002');
    expect(s.conditionalAccess?.[1]).toMatchObject({
      includeUserActions: ['urn:user:registersecurityinfo'],
      builtInControls: [],
    });
  });

  it('keys methods by the lower-cased file name: a user id, or a UPN read from PowerShell output', async () => {
    const s = await readExportFolder(EXPORT_SMALL);
    expect([...(s.methods?.keys() ?? [])].sort()).toEqual([ALICE, 'bob@contoso.com']);
    const alice = s.methods?.get(ALICE);
    expect(alice?.source).toBe(`authenticationMethods/${ALICE}.json`);
    expect(alice?.methods.map((m) => m.kind)).toEqual([
      'password',
      'microsoftAuthenticator',
      'phone',
      'temporaryAccessPass',
      'email',
      'unknown',
    ]);
    const bob = s.methods?.get('bob@contoso.com');
    expect(bob?.key).toBe('bob@contoso.com');
    expect(bob?.methods[1]).toEqual({
      id: '5a1d2b3c-0000-4000-8000-0000000000b0',
      kind: 'microsoftAuthenticator',
      odataType: '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod',
      displayName: 'Pixel 8',
      createdDateTime: '2024-05-03T11:00:00.000Z',
      deviceTag: 'SoftwareTokenActivated',
      phoneAppVersion: '6.2404.2229',
    });
  });

  it('never lets a Temporary Access Pass, phone number or e-mail address into the snapshot', async () => {
    const json = snapshotJson(await readExportFolder(EXPORT_SMALL));
    expect(json).toContain('6f1967b7-15e8-4935-ac26-d50770ed07a7'); // the TAP method itself is there
    expect(json).not.toContain('Tap-SECRET-9f3k');
    expect(json).not.toContain('2065550123');
    expect(json).not.toContain('alice.private@example.org');
  });

  it('reads audits from NDJSON, with "Type" spelled with a capital', async () => {
    const s = await readExportFolder(EXPORT_SMALL);
    const [update] = s.audits ?? [];
    expect(update?.initiatedBy.app?.displayName).toBe('Azure MFA StrongAuthenticationService');
    expect(update?.targetResources[0]?.type).toBe('User');
    expect(update?.targetResources[0]?.modifiedProperties[0]?.displayName).toBe(
      'StrongAuthenticationPhoneAppDetail',
    );
  });

  it('attaches transitive member ids to their groups (.json and .ndjson)', async () => {
    const s = await readExportFolder(EXPORT_SMALL);
    expect(s.groups?.map((g) => [g.displayName, g.memberIds])).toEqual([
      ['MFA_Required', [ALICE, BOB, '99999999-0000-4000-8000-000000000002']],
      ['MFA_ProofUpBypass', [BOB]],
      ['Break glass', undefined],
    ]);
  });

  it('keeps only the sign-ins and audits the filters want, still counting all of them', async () => {
    const s = await readExportFolder(EXPORT_SMALL, {
      keepSignIn: (si) => si.errorCode !== 0,
      keepAudit: (a) => a.loggedByService === 'Authentication Methods',
    });
    expect(s.signIns?.map((si) => si.id)).toEqual(['si-0002']);
    // The span is that of every sign-in read, kept or not.
    expect(s.coverage.signIns).toEqual({
      present: true,
      rows: 3,
      oldest: '2024-05-09T08:00:00.000Z',
      newest: '2024-05-09T09:01:00.000Z',
    });
    expect(s.audits?.map((a) => a.activityDisplayName)).toEqual(['User registered security info']);
    expect(s.coverage.audits).toMatchObject({ present: true, rows: 3, oldest: '2024-04-02T10:15:00.123Z' });
  });

  it('reports progress with each dataset’s final row count', async () => {
    const calls: [DatasetName, number][] = [];
    await readExportFolder(EXPORT_SMALL, { onProgress: (d, rows) => calls.push([d, rows]) });
    expect(calls).toContainEqual(['signIns', 3]);
    expect(calls).toContainEqual(['methods', 2]);
  });
});

describe('readExportFolder: missing and optional files', () => {
  it('accepts users.json alone, every other dataset undefined with coverage present: false', async () => {
    const dir = await temp.make();
    await writeInto(dir, 'users.json', '{"value":[{"id":"u1","userPrincipalName":"a@contoso.com"}]}');
    const s = await readExportFolder(dir);
    expect(s.users).toEqual([{ id: 'u1', userPrincipalName: 'a@contoso.com' }]);
    expect(s.tenant).toEqual({});
    for (const d of DATASETS.filter((x) => x !== 'users')) {
      expect(s.coverage[d]).toEqual({ present: false, rows: 0 });
      // groupMembers has no property of its own: it fills groups[].memberIds.
      if (d !== 'tenant' && d !== 'groupMembers') expect(s[d]).toBeUndefined();
    }
  });

  it('accepts userRegistrationDetails.json alone', async () => {
    const dir = await temp.make();
    await writeInto(dir, 'userRegistrationDetails.json', '[{"id":"u1","methodsRegistered":["email"]}]');
    const s = await readExportFolder(dir);
    expect(s.users).toBeUndefined();
    expect(s.registration).toEqual([{ id: 'u1', methodsRegistered: ['email'] }]);
  });

  it('refuses a folder with neither users file, saying which files it looked for', async () => {
    const dir = await temp.make();
    await writeInto(dir, 'signIns.json', '[]');
    const err = await inputErrorOf(readExportFolder(dir));
    expect(err.message).toContain('users.json');
    expect(err.message).toContain('userRegistrationDetails.json');
    expect(err.hint).toMatch(/GET \/users/);
    expect(err.exitCode).toBe(2);
  });

  it('refuses a folder that does not exist', async () => {
    const dir = await temp.make();
    const err = await inputErrorOf(readExportFolder(path.join(dir, 'no-such-export')));
    expect(err.message).toMatch(/not found/);
    expect(err.location?.file).toContain('no-such-export');
  });

  it('matches file names without case and accepts signIns.ndjson', async () => {
    const dir = await temp.make();
    await writeInto(dir, 'Users.json', '{"id":"u1","userPrincipalName":"a@contoso.com"}');
    await writeInto(dir, 'signIns.ndjson', '{"id":"s1","createdDateTime":"2024-01-01T00:00:00Z"}\n');
    const s = await readExportFolder(dir);
    expect(s.users).toHaveLength(1);
    expect(s.signIns?.[0]?.errorCode).toBe(0);
  });

  it('names the file, line, entity and field of a wrong-shape entity', async () => {
    const dir = await temp.make();
    const file = await writeInto(
      dir,
      'users.json',
      '{"value":[\n{"id":"u1","userPrincipalName":"a@contoso.com"},\n{"id":"u2","userPrincipalName":"b@contoso.com","accountEnabled":"yes"}\n]}',
    );
    const err = await inputErrorOf(readExportFolder(dir));
    expect(err.location).toEqual({ file, line: 3, entity: 1, field: 'accountEnabled' });
  });

  it('names the file and line of invalid JSON in a per-user methods file', async () => {
    const dir = await temp.make();
    await writeInto(dir, 'users.json', '[]');
    const file = await writeInto(dir, 'authenticationMethods/u1.json', '{"value": [\n  {"id": "x",\n  }\n]}');
    const err = await inputErrorOf(readExportFolder(dir));
    expect(err.location).toEqual({ file, line: 3 });
  });

  it('refuses two objects in a single-object file', async () => {
    const dir = await temp.make();
    await writeInto(dir, 'users.json', '[]');
    await writeInto(dir, 'securityDefaults.json', '[{"isEnabled":true},{"isEnabled":false}]');
    const err = await inputErrorOf(readExportFolder(dir));
    expect(err.message).toMatch(/expected one object, found 2/);
  });
});

describe('readExportFolder: PowerShell exports', () => {
  it('reads a Windows PowerShell 5.1 methods file: UTF-16LE, one method as a bare object, \\/Date()\\/', async () => {
    const dir = await temp.make();
    await cp(EXPORT_SMALL, dir, { recursive: true });
    // Get-MgBetaUserAuthenticationMethod -UserId dave@contoso.com | ConvertTo-Json -Depth 10 | Out-File
    const ps51 = [
      '{',
      '    "Id":  "28c10230-6103-485e-b985-444c60001490",',
      '    "AdditionalProperties":  {',
      '                                 "@odata.type":  "#microsoft.graph.passwordAuthenticationMethod",',
      '                                 "password":  null,',
      '                                 "createdDateTime":  "\\/Date(1654041600000)\\/"',
      '                             }',
      '}',
    ].join('\r\n');
    await writeInto(dir, 'authenticationMethods/dave@contoso.com.json', utf16leWithBom(ps51));
    const s = await readExportFolder(dir);
    expect(s.methods?.get('dave@contoso.com')?.methods).toEqual([
      {
        id: '28c10230-6103-485e-b985-444c60001490',
        kind: 'password',
        odataType: '#microsoft.graph.passwordAuthenticationMethod',
        createdDateTime: '2022-06-01T00:00:00.000Z',
      },
    ]);
  });
});

describe('readExportFolder: large files are streamed', () => {
  const COUNT = 50_000;

  function signIn(i: number): Record<string, unknown> {
    return {
      id: `si-${i}`,
      createdDateTime: new Date(Date.UTC(2024, 4, 1) + i * 1000).toISOString(),
      userId: `user-${i % 500}`,
      appId: i % 7 === 0 ? '19db86c3-b2b9-44cc-b339-36da233a3be2' : '00000002-0000-0ff1-ce00-000000000000',
      status: { errorCode: i % 7 === 0 ? 50079 : 0, failureReason: 'Other.' },
      deviceDetail: { browser: 'Edge 124.0', operatingSystem: 'Windows10' },
    };
  }

  async function writeLines(file: string, lines: Iterable<string>): Promise<void> {
    const out = createWriteStream(file);
    for (const line of lines)
      if (!out.write(line)) await new Promise<void>((r) => out.once('drain', () => r()));
    await new Promise<void>((resolve, reject) =>
      out.end((err?: Error | null) => (err ? reject(err) : resolve())),
    );
  }

  it(`reads ${COUNT} sign-ins from NDJSON`, async () => {
    const dir = await temp.make();
    await writeInto(dir, 'users.json', '[]');
    await writeLines(
      path.join(dir, 'signIns.json'),
      (function* () {
        for (let i = 0; i < COUNT; i++) yield `${JSON.stringify(signIn(i))}\n`;
      })(),
    );
    const s = await readExportFolder(dir, { keepSignIn: (si) => si.errorCode === 50079 });
    expect(s.coverage.signIns).toEqual({
      present: true,
      rows: COUNT,
      oldest: signIn(0)['createdDateTime'],
      newest: signIn(COUNT - 1)['createdDateTime'],
    });
    expect(s.signIns).toHaveLength(Math.ceil(COUNT / 7));
    expect(s.signIns?.at(-1)?.id).toBe(`si-${Math.floor((COUNT - 1) / 7) * 7}`);
  });

  it(`reads ${COUNT} sign-ins from one pretty-printed Graph page`, async () => {
    const dir = await temp.make();
    await writeInto(dir, 'users.json', '[]');
    await writeLines(
      path.join(dir, 'signIns.json'),
      (function* () {
        yield '{\n  "@odata.context": "https://graph.microsoft.com/beta/$metadata#auditLogs/signIns",\n  "value": [\n';
        for (let i = 0; i < COUNT; i++) yield `${i === 0 ? '' : ',\n'}${JSON.stringify(signIn(i), null, 2)}`;
        yield '\n  ]\n}\n';
      })(),
    );
    const progress: number[] = [];
    const s = await readExportFolder(dir, {
      keepSignIn: () => false,
      onProgress: (d, rows) => (d === 'signIns' ? progress.push(rows) : undefined),
    });
    expect(s.coverage.signIns).toEqual({
      present: true,
      rows: COUNT,
      oldest: signIn(0)['createdDateTime'],
      newest: signIn(COUNT - 1)['createdDateTime'],
    });
    expect(s.signIns).toEqual([]);
    expect(progress.at(-1)).toBe(COUNT);
    expect(progress.length).toBeGreaterThan(2);
  });
});
