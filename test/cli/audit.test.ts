import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { assessmentJsonSchema } from '../../src/report/index.js';

const INCIDENT_1 = 'test/fixtures/incidents/incident-1';
const INCIDENT_2 = 'test/fixtures/incidents/incident-2';
const NOW = ['--now', '2025-06-10T12:00:00Z'];

type JsonUser = {
  userPrincipalName: string;
  verdict: string;
  confidence: string | null;
  action: { code: string };
};
const usersOf = (stdout: string): Map<string, JsonUser> => {
  const parsed = assessmentJsonSchema.parse(JSON.parse(stdout));
  return new Map(parsed.users.map((u) => [u.userPrincipalName.toLowerCase(), u as JsonUser]));
};

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'mfa-ready-cli-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('mfa-ready audit on the incident fixtures', () => {
  it('tells MFATest1 (ready) from MFATest2 (unverified) although Graph lists the same methods for both', async () => {
    const r = await runCli(['audit', '--from', INCIDENT_1, ...NOW, '--format', 'json']);
    expect(r.code).toBe(0);
    const users = usersOf(r.stdout);
    expect(users.get('mfatest1@contoso.com')).toMatchObject({ verdict: 'ready', confidence: 'registered' });
    expect(users.get('mfatest2@contoso.com')).toMatchObject({
      verdict: 'unverified',
      confidence: null,
      action: { code: 'complete-authenticator-registration' },
    });
  });

  it('finds the AD FS proof-up loop (looping now) and its precondition (loop-risk)', async () => {
    const r = await runCli(['audit', '--from', INCIDENT_2, ...NOW, '--format', 'json']);
    expect(r.code).toBe(0);
    const users = usersOf(r.stdout);
    expect(users.get('s1002@uni.example')?.verdict).toBe('looping');
    expect(users.get('s1001@uni.example')?.verdict).toBe('loop-risk');
    expect(users.get('j.devries@uni.example')).toMatchObject({ verdict: 'ready', confidence: 'proven' });
    expect(users.get('a0999@uni.example')?.verdict).toBe('excluded');
  });

  it('a loop a week old is no longer "now": the same user becomes loop-risk', async () => {
    const r = await runCli([
      'audit',
      '--from',
      INCIDENT_2,
      '--now',
      '2025-06-17T12:00:00Z',
      '--format',
      'json',
    ]);
    expect(r.code).toBe(0);
    expect(usersOf(r.stdout).get('s1002@uni.example')?.verdict).toBe('loop-risk');
  });

  it('--scope-group limits the population and the percentages to the enforcement group', async () => {
    const all = JSON.parse(
      (await runCli(['audit', '--from', INCIDENT_2, ...NOW, '--format', 'json'])).stdout,
    );
    const scoped = JSON.parse(
      (
        await runCli([
          'audit',
          '--from',
          INCIDENT_2,
          ...NOW,
          '--format',
          'json',
          '--scope-group',
          '9e8d7c6b-5a49-4382-a716-f5e4d3c2b1a0',
        ])
      ).stdout,
    );
    expect(scoped.users.length).toBeLessThan(all.users.length);
    expect(scoped.users.map((u: JsonUser) => u.userPrincipalName)).not.toContain(
      'bg-admin@uniexample.onmicrosoft.com',
    );
  });

  it('--exclude-user marks a break-glass account excluded, out of the counts that matter', async () => {
    const r = await runCli([
      'audit',
      '--from',
      INCIDENT_2,
      ...NOW,
      '--format',
      'json',
      '--exclude-user',
      'BG-ADMIN@uniexample.onmicrosoft.com',
    ]);
    const u = usersOf(r.stdout).get('bg-admin@uniexample.onmicrosoft.com');
    expect(u?.verdict).toBe('excluded');
  });

  it('prints a table for people with the summary and the users who need action, worst first', async () => {
    const r = await runCli(['audit', '--from', INCIDENT_2, ...NOW]);
    expect(r.code).toBe(0);
    const loopingAt = r.stdout.indexOf('s1002@uni.example');
    const riskAt = r.stdout.indexOf('s1001@uni.example');
    expect(loopingAt).toBeGreaterThan(0);
    expect(riskAt).toBeGreaterThan(loopingAt);
    expect(r.stdout).toMatch(/ready: 3 of 5 enabled members in scope/);
    expect(r.stdout).not.toContain('\x1b[');
  });

  it('colours only on a terminal, and never with NO_COLOR', async () => {
    const tty = await runCli(['audit', '--from', INCIDENT_1, ...NOW], { tty: true });
    expect(tty.stdout).toContain('\x1b[');
    const noColor = await runCli(['audit', '--from', INCIDENT_1, ...NOW], {
      tty: true,
      env: { NO_COLOR: '1' },
    });
    expect(noColor.stdout).not.toContain('\x1b[');
  });

  it('--user prints the helpdesk drill-down with the evidence timeline', async () => {
    const r = await runCli(['audit', '--from', INCIDENT_1, ...NOW, '--user', 'mfatest2@CONTOSO.com']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('MFATest2@contoso.com');
    expect(r.stdout).toMatch(/Verdict\s+UNVERIFIED/);
    expect(r.stdout).toContain('StrongAuthenticationPhoneAppDetail');
    expect(r.stdout).not.toContain('MFATest1@contoso.com');
  });

  it('--user with an unknown UPN is a usage error (exit 2)', async () => {
    const r = await runCli(['audit', '--from', INCIDENT_1, ...NOW, '--user', 'nobody@contoso.com']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no user 'nobody@contoso.com'");
  });

  it('writes CSV to --out with one row per user', async () => {
    const out = join(tmp, 'audit.csv');
    const r = await runCli(['audit', '--from', INCIDENT_2, ...NOW, '--format', 'csv', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const lines = (await readFile(out, 'utf8'))
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    expect(lines).toHaveLength(1 + 6);
    expect(lines.find((l) => l.startsWith('s1002@uni.example'))).toContain('looping');
  });

  it('--fail-on exits 1 when a user in scope has one of the verdicts, 0 when none does', async () => {
    const hit = await runCli([
      'audit',
      '--from',
      INCIDENT_1,
      ...NOW,
      '--format',
      'json',
      '--fail-on',
      'looping,unverified',
    ]);
    expect(hit.code).toBe(1);
    expect(hit.stderr).toContain('unverified: 1');
    expect(JSON.parse(hit.stdout).users).toHaveLength(2);
    const miss = await runCli([
      'audit',
      '--from',
      INCIDENT_1,
      ...NOW,
      '--format',
      'json',
      '--fail-on',
      'looping',
    ]);
    expect(miss.code).toBe(0);
  });
});

describe('mfa-ready audit on bad input and bad usage', () => {
  it('malformed JSON: names the file and line, exit 2, no stack trace, the previous report is kept', async () => {
    const dir = join(tmp, 'broken');
    await cp(INCIDENT_1, dir, { recursive: true });
    await writeFile(
      join(dir, 'directoryAudits.json'),
      '{\n  "value": [\n    {"id": "a",\n    oops\n  ]\n}\n',
    );
    const out = join(tmp, 'kept.json');
    await writeFile(out, 'previous report');
    const r = await runCli(['audit', '--from', dir, ...NOW, '--format', 'json', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/directoryAudits\.json:4/);
    expect(r.stderr).not.toMatch(/\n\s+at .*\.(ts|js):\d+/);
    expect(await readFile(out, 'utf8')).toBe('previous report');
  });

  it('an entity of the wrong shape: names the file, the entity index and the field, exit 2', async () => {
    const dir = join(tmp, 'wrong-shape');
    await cp(INCIDENT_1, dir, { recursive: true });
    const users = JSON.parse(await readFile(join(dir, 'users.json'), 'utf8'));
    users.value[1].accountEnabled = 'yes';
    await writeFile(join(dir, 'users.json'), JSON.stringify(users, null, 2));
    const r = await runCli(['audit', '--from', dir, ...NOW]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('users.json');
    expect(r.stderr).toContain('entity 1');
    expect(r.stderr).toContain('accountEnabled');
  });

  it.each([
    [['audit'], /--from DIR/],
    [['audit', '--from', 'no/such/folder'], /no such folder/],
    [['audit', '--demo', '--from', INCIDENT_1], /either --demo or --from/],
    [['audit', '--from', INCIDENT_1, '--now', 'yesterday'], /not an ISO 8601 time/],
    [['audit', '--from', INCIDENT_1, '--fail-on', 'sad'], /unknown verdict sad/],
    [['audit', '--from', INCIDENT_1, '--format', 'xml'], /Allowed choices are table, json, csv/],
    [['audit', '--frm', INCIDENT_1], /unknown option/],
  ])('%j is a usage error with exit code 2', async (args, message) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('a folder with neither users.json nor userRegistrationDetails.json says which files it looked for', async () => {
    const dir = join(tmp, 'empty');
    await cp(join(INCIDENT_1, 'domains.json'), join(dir, 'domains.json'));
    const r = await runCli(['audit', '--from', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('users.json');
    expect(r.stderr).toContain('userRegistrationDetails.json');
  });
});
