/**
 * Never a false all-clear: every way of pointing `audit` at nobody (a mistyped group or user, a scope
 * group whose members were not collected, an empty export) stops with exit 2 and says what to fix,
 * instead of a clean "No user needs action" that a scheduled `--fail-on` job would take as a pass.
 * And the report states the population and the clock it was computed on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runCli } from '../support/cli.js';
import type { TestEmulator } from './live-support.js';
import { STACK_LINE, runLive, startTestEmulator } from './live-support.js';

const exec = promisify(execFile);

const INCIDENT_1 = 'test/fixtures/incidents/incident-1';
const INCIDENT_2 = 'test/fixtures/incidents/incident-2';
const NOW = ['--now', '2025-06-10T12:00:00Z'];
const MFA_REQUIRED = '9e8d7c6b-5a49-4382-a716-f5e4d3c2b1a0';
const PROOF_UP_BYPASS = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const BG_ADMIN = 'bg-admin@uniexample.onmicrosoft.com';

type JsonUser = { id: string; userPrincipalName: string; verdict: string; exclusion: string | null };

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'mfa-ready-population-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** A copy of an incident folder to break in one way. */
async function copyOf(fixture: string, name: string): Promise<string> {
  const dir = join(tmp, name);
  await cp(fixture, dir, { recursive: true });
  return dir;
}

const audit = (dir: string, ...args: string[]) => runCli(['audit', '--from', dir, ...NOW, ...args]);
const verdictOf = (stdout: string, upn: string): JsonUser | undefined =>
  (JSON.parse(stdout).users as JsonUser[]).find((u) => u.userPrincipalName.toLowerCase() === upn);

describe('a group or user that names nobody is a usage error, with the closest matches', () => {
  it('a mistyped --scope-group display name: exit 2, the value and the group meant', async () => {
    const r = await audit(INCIDENT_2, '--scope-group', 'MFA_Requird');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("--scope-group 'MFA_Requird'");
    expect(r.stderr).toContain(`MFA_Required (${MFA_REQUIRED})`);
    expect(r.stderr).not.toContain('No user needs action');
  });

  it('a mistyped --scope-group id: exit 2 (not an empty population reported as all clear)', async () => {
    const typo = MFA_REQUIRED.replace('9e8d', '9e8e');
    const r = await audit(
      INCIDENT_2,
      '--scope-group',
      typo,
      '--fail-on',
      'looping,unverified,not-registered',
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(typo);
    expect(r.stderr).toContain(MFA_REQUIRED);
  });

  it('a mistyped --exclude-group: exit 2 rather than assessing the break-glass accounts as if excluded', async () => {
    const r = await audit(INCIDENT_2, '--exclude-group', 'MFA_ProofUpBypas');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--exclude-group 'MFA_ProofUpBypas'");
    expect(r.stderr).toContain(`MFA_ProofUpBypass (${PROOF_UP_BYPASS})`);
  });

  it('a mistyped --exclude-user: exit 2 naming the value and the user meant', async () => {
    const r = await audit(INCIDENT_2, '--exclude-user', 'bg-admn@uniexample.onmicrosoft.com');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--exclude-user 'bg-admn@uniexample.onmicrosoft.com'");
    expect(r.stderr).toContain(BG_ADMIN);
  });

  it('a display name that matches nothing and nothing close: exit 2, says there is no close match', async () => {
    const r = await audit(INCIDENT_2, '--scope-group', 'Enforcement pilot wave 3');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--scope-group 'Enforcement pilot wave 3'");
    expect(r.stderr).toMatch(/no group .*close/i);
  });

  it('every mistake at once, one line each', async () => {
    const r = await audit(
      INCIDENT_2,
      '--scope-group',
      'MFA_Requird',
      '--exclude-user',
      'nobody@uni.example',
      '--exclude-group',
      'MFA_ProofUpBypas',
    );
    expect(r.code).toBe(2);
    for (const v of ['MFA_Requird', 'nobody@uni.example', 'MFA_ProofUpBypas']) expect(r.stderr).toContain(v);
  });

  it('an ambiguous display name: exit 2 listing the candidate ids', async () => {
    const dir = await copyOf(INCIDENT_2, 'ambiguous');
    const groups = JSON.parse(await readFile(join(dir, 'groups.json'), 'utf8'));
    const twin = 'a1b2c3d4-0000-4000-8000-00000000abcd';
    groups.value.push({ ...groups.value[0], id: twin, onPremisesSyncEnabled: false });
    await writeFile(join(dir, 'groups.json'), JSON.stringify(groups, null, 2));
    const r = await audit(dir, '--scope-group', 'mfa_required');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--scope-group 'mfa_required'");
    expect(r.stderr).toContain(MFA_REQUIRED);
    expect(r.stderr).toContain(twin);
    // Each of the ids, given as such, is not ambiguous.
    const byId = await audit(dir, '--scope-group', MFA_REQUIRED, '--format', 'json');
    expect(byId.code).toBe(0);
  });
});

describe('comma lists in every repeatable flag', () => {
  it('--exclude-user a,b excludes both users', async () => {
    const r = await audit(INCIDENT_2, '--format', 'json', '--exclude-user', `s1001@uni.example, ${BG_ADMIN}`);
    expect(r.code).toBe(0);
    expect(verdictOf(r.stdout, 's1001@uni.example')).toMatchObject({
      verdict: 'excluded',
      exclusion: 'excluded-user',
    });
    expect(verdictOf(r.stdout, BG_ADMIN)).toMatchObject({ verdict: 'excluded', exclusion: 'excluded-user' });
  });

  it('--scope-group a,b is the union of both groups, by id or display name', async () => {
    const one = await audit(INCIDENT_2, '--format', 'json', '--scope-group', 'MFA_ProofUpBypass');
    const both = await audit(
      INCIDENT_2,
      '--format',
      'json',
      '--scope-group',
      `MFA_ProofUpBypass,${MFA_REQUIRED}`,
    );
    const repeated = await audit(
      INCIDENT_2,
      '--format',
      'json',
      '--scope-group',
      'MFA_ProofUpBypass',
      '--scope-group',
      MFA_REQUIRED,
    );
    expect(both.code).toBe(0);
    const ids = (out: string) => (JSON.parse(out).users as JsonUser[]).map((u) => u.id).sort();
    expect(ids(one.stdout)).toHaveLength(1);
    expect(ids(both.stdout).length).toBeGreaterThan(1);
    expect(ids(both.stdout)).toEqual(ids(repeated.stdout));
  });

  it('--exclude-group a,b with one of them mistyped still fails on that one', async () => {
    const r = await audit(INCIDENT_2, '--exclude-group', `${PROOF_UP_BYPASS},MFA_Requird`);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("'MFA_Requird'");
    expect(r.stderr).not.toContain(`'${PROOF_UP_BYPASS}'`);
  });
});

describe('a scope group whose members were not read', () => {
  it('groupMembers/<id>.json missing: exit 2 saying what to collect (not an empty population)', async () => {
    const dir = await copyOf(INCIDENT_2, 'no-members-file');
    await rm(join(dir, 'groupMembers', `${MFA_REQUIRED}.json`));
    const r = await audit(dir, '--scope-group', 'MFA_Required');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`groupMembers/${MFA_REQUIRED}.json`);
    expect(r.stderr).toContain(`--scope-group ${MFA_REQUIRED}`);
  });

  it('an --exclude-group whose members were not read: exit 2 too (the exclusion cannot be applied)', async () => {
    const dir = await copyOf(INCIDENT_2, 'no-exclude-members');
    await rm(join(dir, 'groupMembers', `${PROOF_UP_BYPASS}.json`));
    const r = await audit(dir, '--exclude-group', PROOF_UP_BYPASS);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`groupMembers/${PROOF_UP_BYPASS}.json`);
  });

  it('no groups.json: a display name cannot be checked (exit 2); an id with its members file still works', async () => {
    const dir = await copyOf(INCIDENT_2, 'no-groups-list');
    await rm(join(dir, 'groups.json'));
    const byName = await audit(dir, '--scope-group', 'MFA_Required');
    expect(byName.code).toBe(2);
    expect(byName.stderr).toContain("--scope-group 'MFA_Required'");
    expect(byName.stderr).toContain('groups.json');
    const byId = await audit(dir, '--scope-group', MFA_REQUIRED, '--format', 'json');
    expect(byId.code).toBe(0);
    expect(JSON.parse(byId.stdout).users.length).toBeGreaterThan(0);
  });
});

describe('an empty population is never "nobody needs action"', () => {
  it('an empty users.json and no registration report: exit 2 naming the file', async () => {
    const dir = await copyOf(INCIDENT_1, 'empty-users');
    await rm(join(dir, 'userRegistrationDetails.json'));
    await writeFile(join(dir, 'users.json'), '{"value": []}\n');
    const r = await audit(dir, '--fail-on', 'not-registered');
    expect(r.code).toBe(2);
    expect(r.stdout).not.toContain('No user needs action');
    expect(r.stderr).toContain('users.json');
  });

  it('a scope group with no members: exit 2 saying the scope holds nobody', async () => {
    const dir = await copyOf(INCIDENT_2, 'empty-group');
    await writeFile(join(dir, 'groupMembers', `${PROOF_UP_BYPASS}.json`), '{"value": []}\n');
    const r = await audit(dir, '--scope-group', PROOF_UP_BYPASS, '--format', 'json');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/no user/i);
    expect(r.stderr).toContain('MFA_ProofUpBypass');
  });

  it('every user in scope excluded: exit 2, nobody was assessed', async () => {
    const r = await audit(
      INCIDENT_2,
      '--scope-group',
      PROOF_UP_BYPASS,
      '--exclude-user',
      's1001@uni.example',
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/excluded/);
  });
});

describe('--fail-on repeated', () => {
  it('is the union of every list, not the last one', async () => {
    const r = await audit(INCIDENT_1, '--format', 'json', '--fail-on', 'unverified', '--fail-on', 'looping');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('unverified: 1');
  });

  it('a bad verdict in any of the lists is a usage error', async () => {
    const r = await audit(INCIDENT_1, '--fail-on', 'sad', '--fail-on', 'looping');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown verdict sad/);
  });
});

describe('--now', () => {
  it('without a zone is UTC, whatever the machine zone is', async () => {
    // The source through tsx, as a child whose zone is not UTC: the machine running the tests may be UTC.
    const { stdout } = await exec(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/cli/main.ts',
        'audit',
        '--from',
        INCIDENT_1,
        '--now',
        '2025-06-10T09:00',
        '--format',
        'json',
      ],
      { env: { ...process.env, TZ: 'America/New_York', NO_COLOR: '1' }, maxBuffer: 16 * 1024 * 1024 },
    );
    expect(JSON.parse(stdout).generatedAt).toBe('2025-06-10T09:00:00.000Z');
  });
});

describe('the report states its population and its clock', () => {
  it('JSON: scope groups with names, exclusions, the clock and the data age', async () => {
    const r = await audit(
      INCIDENT_2,
      '--format',
      'json',
      '--scope-group',
      'mfa_required',
      '--exclude-group',
      PROOF_UP_BYPASS,
      '--exclude-user',
      BG_ADMIN.toUpperCase(),
    );
    expect(r.code).toBe(0);
    const population = JSON.parse(r.stdout).population;
    expect(population).toMatchObject({
      scopeGroups: [{ id: MFA_REQUIRED, displayName: 'MFA_Required' }],
      excludeGroups: [{ id: PROOF_UP_BYPASS, displayName: 'MFA_ProofUpBypass' }],
      excludeUsers: [{ userPrincipalName: BG_ADMIN }],
      now: '2025-06-10T12:00:00.000Z',
      collectedAt: '2025-06-10T12:00:00.000Z',
      dataAgeDays: 0,
      staleData: false,
    });
    expect(population.users).toBe(JSON.parse(r.stdout).users.length);
  });

  it('JSON without options: everyone in the export, no exclusions', async () => {
    const r = await audit(INCIDENT_2, '--format', 'json');
    expect(JSON.parse(r.stdout).population).toMatchObject({
      scopeGroups: [],
      excludeGroups: [],
      excludeUsers: [],
    });
  });

  it('table: the header names the scope group and the exclusions', async () => {
    const r = await audit(INCIDENT_2, '--scope-group', MFA_REQUIRED, '--exclude-user', BG_ADMIN);
    expect(r.code).toBe(0);
    const head = (r.stdout.split('Summary')[0] ?? '').replace(/\s+/g, ' ');
    expect(head).toContain(`MFA_Required (${MFA_REQUIRED})`);
    expect(head).toContain(BG_ADMIN);
  });

  it('data much older than the clock: the header says so, and JSON marks it', async () => {
    const later = ['--now', '2025-06-25T12:00:00Z'];
    const table = await runCli(['audit', '--from', INCIDENT_2, ...later]);
    expect(table.code).toBe(0);
    // Wrapped to the width: read as one line.
    const head = (table.stdout.split('Summary')[0] ?? '').replace(/\s+/g, ' ');
    expect(head).toMatch(/data collected 15 days before the clock/);
    expect(head).toContain('judged at 2025-06-25 12:00:00 UTC');
    const json = await runCli(['audit', '--from', INCIDENT_2, ...later, '--format', 'json']);
    expect(JSON.parse(json.stdout).population).toMatchObject({ dataAgeDays: 15, staleData: true });
  });

  it('data a day old is not flagged', async () => {
    const r = await runCli(['audit', '--from', INCIDENT_2, '--now', '2025-06-11T18:00:00Z']);
    expect(r.stdout).not.toMatch(/days before the clock/);
  });
});

describe('audit --demo goes through the same check', () => {
  it('--demo --scope-group with a typo: exit 2 with the closest group', async () => {
    const r = await runCli(['audit', '--demo', '--scope-group', 'MFA_Requred']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--scope-group 'MFA_Requred'");
    expect(r.stderr).toContain('MFA_Required');
  });
});

describe('audit --tenant goes through the same check', () => {
  let t: TestEmulator;
  beforeAll(async () => {
    t = await startTestEmulator();
  });
  afterAll(() => t.close());

  it('collects the members of an --exclude-group too, so the exclusion can be applied', async () => {
    // "IT Admins" is named by no policy: only the exclusion makes its members worth collecting.
    const dir = join(tmp, 'tenant-exclude');
    const r = await runLive(
      ['audit', ...t.args, '--out-dir', dir, '--exclude-group', 'it admins', '--format', 'json', '--quiet'],
      t.deps,
    );
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.population.excludeGroups).toEqual([{ id: expect.any(String), displayName: 'IT Admins' }]);
    expect((doc.users as JsonUser[]).some((u) => u.exclusion === 'excluded-group')).toBe(true);
  });

  it('collect --scope-group takes a comma list too', async () => {
    const dir = join(tmp, 'collect-list');
    const r = await runLive(
      ['collect', ...t.args, '--out', dir, '--scope-group', 'IT Admins, MFA_Required', '--quiet'],
      t.deps,
    );
    expect(r.code).toBe(0);
    // Both groups' members were collected: each can scope an assessment of the folder.
    for (const name of ['IT Admins', 'MFA_Required']) {
      const a = await runCli(['audit', '--from', dir, '--scope-group', name, '--format', 'json', '-q']);
      expect(a.stderr).toBe('');
      expect(a.code).toBe(0);
      expect(JSON.parse(a.stdout).population.scopeGroups[0].displayName).toBe(name);
    }
  });

  it('a mistyped --scope-group: exit 2 after collecting, with the closest group; the folder is kept', async () => {
    const dir = join(tmp, 'tenant-typo');
    const r = await runLive(['audit', ...t.args, '--out-dir', dir, '--scope-group', 'MFA_Requird'], t.deps);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("--scope-group 'MFA_Requird'");
    expect(r.stderr).toMatch(/closest: MFA_Required \(/);
    expect(r.stderr).toContain(`assess it again with: mfa-ready audit --from ${dir}`);
  });
});
