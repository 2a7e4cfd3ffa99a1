/**
 * `mfa-ready preflight` against the emulator: the table and the JSON, and the exit codes scripts gate
 * on (0 all present, 1 something missing, 3 credential rejected).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PERMISSIONS } from '../../src/emulator/index.js';
import type { TestEmulator } from './live-support.js';
import { SECRET, STACK_LINE, runLive, startTestEmulator } from './live-support.js';

interface PreflightJson {
  ready: boolean;
  credential: { ok: boolean; description: string };
  permissions: { present: string[]; missing: string[] };
  delegatedRolesForMissing: string[];
  licence: { state: string };
  probes: { part: string; state: string; lost?: { code: string }[] }[];
}

describe('mfa-ready preflight with every permission granted', () => {
  let t: TestEmulator;
  beforeAll(async () => {
    t = await startTestEmulator();
  });
  afterAll(() => t.close());

  it('prints a table of the probes, the permissions and the licence; exit 0', async () => {
    const r = await runLive(['preflight', ...t.args], t.deps);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`mfa-ready preflight · tenant ${t.em.tenantId} (global cloud)`);
    expect(r.stdout).toMatch(/^Credential: client secret \(app-only\)/m);
    expect(r.stdout).toMatch(/^ {2}directory audits +AuditLog\.Read\.All \+ Directory\.Read\.All +ok$/m);
    expect(r.stdout).toMatch(/^ {2}last sign-in \(signInActivity\) .* not probed: not selected$/m);
    expect(r.stdout).toContain('Licence Microsoft Entra ID P1 or P2: present');
    expect(r.stdout).toContain('Everything the collection needs is present.');
    expect(r.stdout).not.toContain(SECRET);
  });

  it('--format json is the report as data, with `ready` to gate on', async () => {
    const r = await runLive(['preflight', ...t.args, '--format', 'json', '--last-sign-in'], t.deps);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as PreflightJson;
    expect(report.ready).toBe(true);
    expect(report.credential.ok).toBe(true);
    expect(report.permissions.missing).toEqual([]);
    expect(report.permissions.present).toEqual([...DEFAULT_PERMISSIONS].sort());
    expect(report.probes.find((p) => p.part === 'signInActivity')?.state).toBe('ok');
    expect(r.stdout).not.toContain(SECRET);
  });

  it('a rejected credential: the report says so, exit 3, no stack', async () => {
    const args = t.args.map((a) => (a === t.em.tenantId ? '00000000-0000-4000-8000-00000000dead' : a));
    const r = await runLive(['preflight', ...args], t.deps);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('✗ rejected');
    expect(r.stdout).toContain('Nothing else was probed');
    expect(r.stderr).toMatch(/^mfa-ready: failed: the credential was rejected/m);
    expect(r.stderr).not.toMatch(STACK_LINE);
  });
});

describe('mfa-ready preflight with a permission missing', () => {
  let t: TestEmulator;
  beforeAll(async () => {
    t = await startTestEmulator({
      grantedPermissions: DEFAULT_PERMISSIONS.filter((p) => p !== 'AuditLog.Read.All'),
    });
  });
  afterAll(() => t.close());

  it('names it, the roles, and what it costs; exit 1', async () => {
    const r = await runLive(['preflight', ...t.args], t.deps);
    expect(r.code).toBe(1);
    const text = r.stdout.replace(/\s+/g, ' ');
    expect(text).toContain('Refused endpoints ask for: AuditLog.Read.All, Directory.Read.All');
    expect(text).toContain('one of the roles: Global Reader, Reports Reader, Security Reader');
    expect(text).toContain('✗ directory audits: permission missing (AuditLog.Read.All + Directory.Read.All)');
    expect(text).toContain('Lost: no interactive sign-ins: MFA cannot be proven');
    expect(r.stderr).toMatch(
      /^mfa-ready: preflight: missing for directory audits, sign-ins \(interactive\)/m,
    );
  });

  it('json: ready false, the missing permission listed; exit 1', async () => {
    const r = await runLive(['preflight', ...t.args, '--format', 'json'], t.deps);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as PreflightJson;
    expect(report.ready).toBe(false);
    // Not `permissions.missing`: the collector counts AuditLog.Read.All as present because the
    // registration report (which also accepts UserAuthenticationMethod.Read.All) answered.
    expect(report.probes.find((p) => p.part === 'audits')).toMatchObject({
      state: 'permission-missing',
      failure: { permissions: ['AuditLog.Read.All', 'Directory.Read.All'] },
      lost: [{ code: 'registration-trail-missing' }, { code: 'report-staleness-undetectable' }],
    });
  });

  it('--only users,policies leaves the refused endpoints out: exit 0', async () => {
    const r = await runLive(['preflight', ...t.args, '--only', 'users,policies'], t.deps);
    expect(r.code).toBe(0);
  });
});

describe('mfa-ready preflight --for rollout|remediate', () => {
  let t: TestEmulator;
  beforeAll(async () => {
    t = await startTestEmulator({
      grantedPermissions: [...DEFAULT_PERMISSIONS, 'GroupMember.ReadWrite.All'],
    });
  });
  afterAll(() => t.close());

  it('--for rollout with GroupMember.ReadWrite.All: the write permission present, exit 0, nothing written', async () => {
    const r = await runLive(['preflight', ...t.args, '--for', 'rollout'], t.deps);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const text = r.stdout.replace(/\s+/g, ' ');
    expect(text).toContain('What mfa-ready rollout needs to change the tenant');
    expect(text).toContain('Sign-in: app-only (application permissions)');
    expect(text).toContain('✓ permission GroupMember.ReadWrite.All: present');
    expect(text).toContain('Everything mfa-ready rollout needs to write is present.');
    expect(t.em.writes()).toEqual([]);
    expect(r.stdout).not.toContain(SECRET);
  });

  it('--for remediate without UserAuthenticationMethod.ReadWrite.All: names it and the way to grant it; exit 1', async () => {
    const r = await runLive(['preflight', ...t.args, '--for', 'remediate'], t.deps);
    expect(r.code).toBe(1);
    const text = r.stdout.replace(/\s+/g, ' ');
    expect(text).toContain('✗ permission UserAuthenticationMethod.ReadWrite.All: MISSING');
    expect(text).toContain(
      'API permissions → Add a permission → Microsoft Graph → Application permissions → UserAuthenticationMethod.ReadWrite.All → Add permissions, then Grant admin consent',
    );
    expect(text).toContain('✓ permission Policy.Read.All: present');
    expect(text).toContain(
      'mfa-ready remediate cannot change the tenant yet: UserAuthenticationMethod.ReadWrite.All missing.',
    );
    expect(r.stderr).toMatch(
      /^mfa-ready: preflight: missing for remediate: UserAuthenticationMethod\.ReadWrite\.All/m,
    );
  });

  it('json: `writes` with each check, and `ready` false while a write permission is missing', async () => {
    const r = await runLive(['preflight', ...t.args, '--for', 'remediate', '--format', 'json'], t.deps);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as PreflightJson & {
      writes: { purpose: string; signIn: string; checks: { name: string; state: string }[] };
    };
    expect(report.ready).toBe(false);
    expect(report.writes.purpose).toBe('remediate');
    expect(report.writes.signIn).toBe('app-only');
    expect(report.writes.checks.map((c) => `${c.name} ${c.state}`)).toEqual([
      'UserAuthenticationMethod.ReadWrite.All missing',
      'Policy.Read.All present',
    ]);
    const plain = await runLive(['preflight', ...t.args, '--format', 'json'], t.deps);
    expect(JSON.parse(plain.stdout)).not.toHaveProperty('writes');
  });

  it('--for takes rollout or remediate only', async () => {
    const r = await runLive(['preflight', ...t.args, '--for', 'collect'], t.deps);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Allowed choices are rollout, remediate/);
  });
});

describe('mfa-ready preflight usage errors', () => {
  it.each([
    [['preflight', '--client-id', 'a', '--client-secret', SECRET], /say which tenant to read/],
    [['preflight', '--tenant', 't.example', '--only', 'everything'], /--only: unknown everything/],
    [['preflight', '--tenant', 't.example', '--format', 'csv'], /Allowed choices are table, json/],
    [['preflight', '--tenant', 't.example'], /no credential for Microsoft Graph/],
  ])('%j: exit 2, no stack', async (args, message) => {
    const r = await runLive(args, {});
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.stderr).not.toContain(SECRET);
  });
});

describe('mfa-ready preflight without Domain.Read.All', () => {
  let t: TestEmulator;
  beforeAll(async () => {
    t = await startTestEmulator({
      grantedPermissions: DEFAULT_PERMISSIONS.filter((p) => p !== 'Domain.Read.All'),
    });
  });
  afterAll(() => t.close());

  it('probes a federated domain’s federation configuration: names Domain.Read.All and the loss; exit 1', async () => {
    const r = await runLive(['preflight', ...t.args], t.deps);
    expect(r.code).toBe(1);
    const text = r.stdout.replace(/\s+/g, ' ');
    expect(text).toContain('Permissions missing: Domain.Read.All');
    expect(text).toContain(
      '✗ domains (federation configuration): permission missing (Domain.Read.All) (GET /v1.0/domains/contoso.edu/federationConfiguration)',
    );
    expect(text).toContain('federatedIdpMfaBehavior could not be read');
    // The domain list itself answers to Directory.Read.All.
    const json = JSON.parse(
      (await runLive(['preflight', ...t.args, '--format', 'json'], t.deps)).stdout,
    ) as PreflightJson;
    expect(json.probes.filter((p) => p.part === 'domains').map((p) => p.state)).toEqual([
      'ok',
      'permission-missing',
    ]);
  });
});
