import { cp, readFile, rm, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { parseCsv } from '../support/csv.js';

const DIR = path.join(import.meta.dirname, '..', 'fixtures', 'impact');
const NOW = ['--now', '2025-06-10T12:00:00Z'];

async function impact(...args: string[]) {
  return runCli(['impact', '--from', DIR, '-q', ...NOW, ...args]);
}

interface ImpactJson {
  kind: string;
  counts: Record<string, number>;
  notes: { code: string }[];
  target: { kind: string; state?: string };
  users: { userPrincipalName: string; bucket: string; findings: { code: string }[]; includedBy: unknown[] }[];
}

async function impactJson(...args: string[]): Promise<ImpactJson> {
  const r = await impact('--format', 'json', ...args);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as ImpactJson;
}

function bucket(j: ImpactJson, upnStart: string): string | undefined {
  return j.users.find((u) => u.userPrincipalName.startsWith(upnStart))?.bucket;
}

describe('mfa-ready impact --from', () => {
  it('a group policy with a nested group and an exclusion: counts first, then who is hit', async () => {
    const r = await impact('--policy', 'Require MFA for Staff', '--no-color');
    expect(r.code).toBe(0);
    const out = r.stdout;
    // Counts come before the list of users.
    expect(out.indexOf('Will be asked to register')).toBeLessThan(out.indexOf('cid@fabrikam.com'));
    expect(out).toMatch(/Will be asked to register\s+1/);
    expect(out).toMatch(/Already satisfies it\s+1/);
    const j = await impactJson('--policy', 'Require MFA for Staff');
    // cid is only in Sales, which is nested in Staff.
    expect(bucket(j, 'cid@')).toBe('will-register');
    expect(bucket(j, 'ann@')).toBe('satisfies');
    // dee is in Break glass, which the policy does not include: not named at all.
    expect(bucket(j, 'dee@')).toBeUndefined();
  });

  it('the policy id works as well as its name, in any case', async () => {
    const j = await impactJson('--policy', 'CA100000-0000-4000-8000-000000000001');
    expect(j.target.kind).toBe('policy');
    expect(j.counts['will-register']).toBe(1);
  });

  it('an authentication strength on All users, report-only: locked-out first, exclusions named', async () => {
    const r = await impact('--policy', 'phishing-resistant mfa for all users', '--no-color');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('report-only mode');
    const firstUser = r.stdout.indexOf('@fabrikam');
    expect(r.stdout.slice(firstUser - 60, firstUser)).toContain('Locked out');
    const j = await impactJson('--policy', 'Phishing-resistant MFA for all users');
    expect(j.target.state).toBe('enabledForReportingButNotEnforced');
    expect(bucket(j, 'ann@')).toBe('locked-out');
    expect(j.users.find((u) => u.userPrincipalName.startsWith('ann@'))!.findings.map((f) => f.code)).toEqual([
      'strength-not-met',
    ]);
    expect(bucket(j, 'cid@')).toBe('locked-out');
    expect(bucket(j, 'dee@')).toBe('excluded');
    expect(bucket(j, 'bob_')).toBe('excluded');
    expect(bucket(j, 'eve@')).toBe('not-signing-in');
    expect(j.users[0]!.bucket).toBe('locked-out');
  });

  it("a report-only policy's results in the sign-ins: who it would interrupt or fail", async () => {
    const r = await impact('--policy', 'Phishing-resistant MFA for all users', '--no-color');
    expect(r.stdout).toMatch(/would interrupt 1 user\n/);
    expect(r.stdout).toMatch(/would fail 1 user\n/);
    expect(r.stdout).toContain('1 sign-in said unknownFutureValue');
    const j = (await impactJson('--policy', 'Phishing-resistant MFA for all users')) as ImpactJson & {
      reportOnly?: { signIns: number; unreadable: number };
    };
    expect(j.reportOnly).toMatchObject({ signIns: 3, unreadable: 1 });
    // An enforced policy's success/failure results are not report-only ones.
    const enforced = (await impactJson('--policy', 'Require MFA for Staff')) as ImpactJson & {
      reportOnly?: unknown;
    };
    expect(enforced.reportOnly).toBeUndefined();
  });

  it('a role condition without role holders collected: every user unknown, and the note says why', async () => {
    const j = await impactJson('--policy', 'Require MFA for admins');
    expect(j.counts.unknown).toBe(4);
    expect(j.counts.satisfies).toBe(0);
    expect(j.notes.map((n) => n.code)).toContain('role-holders-not-collected');
  });

  it('a role condition with roleAssignments.json: its holders covered, everyone else not named', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'mfa-ready-impact-roles-'));
    try {
      await cp(DIR, dir, { recursive: true });
      // Ann holds Global Administrator tenant-wide; Cid only in an administrative unit, which CA ignores.
      const assignment = (principalId: string, directoryScopeId: string) => ({
        id: `ra-${principalId}`,
        principalId,
        roleDefinitionId: '62e90394-69f5-4237-9190-012177145e10',
        directoryScopeId,
        principal: { '@odata.type': '#microsoft.graph.user', id: principalId },
      });
      await writeFile(
        path.join(dir, 'roleAssignments.json'),
        JSON.stringify({
          value: [
            assignment('a0000000-0000-4000-8000-00000000000a', '/'),
            assignment('c0000000-0000-4000-8000-00000000000c', '/administrativeUnits/au-1'),
          ],
        }),
      );
      const r = await runCli([
        'impact',
        '--from',
        dir,
        '-q',
        ...NOW,
        '--policy',
        'Require MFA for admins',
        '--format',
        'json',
      ]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const j = JSON.parse(r.stdout) as ImpactJson;
      expect(j.counts.unknown).toBe(0);
      expect(j.users.map((u) => u.userPrincipalName)).toEqual(['ann@fabrikam.com']);
      expect(j.users[0]!.includedBy).toEqual([
        { kind: 'role', roleTemplateId: '62e90394-69f5-4237-9190-012177145e10' },
      ]);
      expect(j.notes.map((n) => n.code)).not.toContain('role-holders-not-collected');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a guest condition covers the guest only', async () => {
    const j = await impactJson('--policy', 'MFA for guests');
    expect(j.users.map((u) => u.userPrincipalName)).toEqual([
      'bob_contoso.com#EXT#@fabrikam.onmicrosoft.com',
    ]);
    expect(j.users[0]!.bucket).toBe('unknown');
  });

  it('a group whose members were not collected: its users are unknown, not left out', async () => {
    const j = await impactJson('--policy', 'MFA for contractors');
    expect(j.counts.unknown).toBe(4);
    expect(j.notes.map((n) => n.code)).toContain('group-members-not-collected');
  });

  it('--group: the transitive members as the target', async () => {
    const j = await impactJson('--group', 'Sales');
    expect(j.users.map((u) => u.userPrincipalName)).toEqual(['cid@fabrikam.com']);
  });

  it('--security-defaults: everyone, 14 days to register', async () => {
    const j = await impactJson('--security-defaults');
    expect(j.users).toHaveLength(5);
    expect(j.counts['will-register']).toBe(1);
  });

  it('CSV: one row per user, bucket first', async () => {
    const r = await impact('--policy', 'Require MFA for Staff', '--format', 'csv');
    const rows = parseCsv(r.stdout);
    expect(rows[0]!.slice(0, 2)).toEqual(['bucket', 'userPrincipalName']);
    expect(rows.slice(1).map((row) => row[0])).toEqual(['will-register', 'satisfies']);
  });

  it('--out writes the report to a file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'mfa-ready-impact-'));
    try {
      const file = path.join(dir, 'impact.json');
      const r = await impact('--policy', 'Require MFA for Staff', '--format', 'json', '--out', file);
      expect(r.code).toBe(0);
      expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ kind: 'impact' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('mfa-ready impact: mistakes', () => {
  it('an unknown policy name exits 2 and lists close names', async () => {
    const r = await impact('--policy', 'Require MFA for Staf');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no Conditional Access policy has this id or name');
    expect(r.stderr).toContain('"Require MFA for Staff"');
    expect(r.stdout).toBe('');
  });

  it('a policy that asks for no MFA is refused (exit 2)', async () => {
    const r = await impact('--policy', 'Block legacy authentication');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('asks for no MFA');
  });

  it('no target, or two, is a usage error', async () => {
    expect((await impact()).code).toBe(2);
    const two = await impact('--policy', 'x', '--security-defaults');
    expect(two.code).toBe(2);
    expect(two.stderr).toContain('only one of');
  });

  it('an unknown group exits 2', async () => {
    const r = await impact('--group', 'Nobody');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no such group');
  });

  it('a missing folder exits 2', async () => {
    const r = await runCli(['impact', '--from', path.join(DIR, 'nope'), '--security-defaults']);
    expect(r.code).toBe(2);
  });

  it('without --from it reads the history database, and says when it is empty', async () => {
    const r = await runCli(['impact', '--security-defaults']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/history database/);
  });
});

describe('mfa-ready impact --demo (collector, emulator, history, impact)', () => {
  it("counts a report-only policy's results the collector read with the Prefer header: none hidden as unknownFutureValue", async () => {
    const r = await runCli([
      'impact',
      '--demo',
      '-q',
      '--policy',
      'CA002 - Require MFA for all users',
      '--format',
      'json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as {
      target: { state: string };
      reportOnly?: { signIns: number; unreadable: number; users: Record<string, number> };
      users: unknown[];
    };
    expect(j.target.state).toBe('enabledForReportingButNotEnforced');
    expect(j.reportOnly).toBeDefined();
    expect(j.reportOnly!.signIns).toBeGreaterThan(0);
    expect(j.reportOnly!.unreadable).toBe(0);
    expect(
      j.reportOnly!.users['reportOnlyInterrupted']! + j.reportOnly!.users['reportOnlySuccess']!,
    ).toBeGreaterThan(0);
    expect(j.users.length).toBeGreaterThan(0);
  }, 60_000);

  it("decides the demo's administrators policy from the role assignments it collected: no one unknown", async () => {
    const r = await runCli([
      'impact',
      '--demo',
      '-q',
      '--policy',
      'CA001 - Require MFA for administrators',
      '--format',
      'json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as ImpactJson;
    expect(j.counts.unknown).toBe(0);
    expect(j.notes.map((n) => n.code)).not.toContain('role-holders-not-collected');
    // The users it names are the registration report's admins (the demo assigns each Global Administrator).
    const report = JSON.parse(
      await readFile(
        path.join(import.meta.dirname, '..', '..', 'demo', 'tenant', 'userRegistrationDetails.json'),
        'utf8',
      ),
    ) as { value: { userPrincipalName: string; isAdmin: boolean }[] };
    const admins = report.value.filter((u) => u.isAdmin).map((u) => u.userPrincipalName.toLowerCase());
    expect(admins.length).toBeGreaterThan(0);
    expect(j.users.map((u) => u.userPrincipalName.toLowerCase()).sort()).toEqual(admins.sort());
    // Break glass accounts hold the role too, and the policy's exclusion leaves them out.
    expect(j.counts['excluded']).toBeGreaterThan(0);
  }, 60_000);
});
