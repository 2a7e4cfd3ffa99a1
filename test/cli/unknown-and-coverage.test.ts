import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assessmentJsonSchema } from '../../src/report/index.js';
import { runCli } from '../support/cli.js';

const SMALL = 'test/fixtures/inputs/export-small';
const DEMO = 'demo/tenant';
const DEMO_NOW = ['--now', '2026-11-20T09:00:00Z'];

interface Expected {
  id: string;
  userPrincipalName: string;
  persona: string;
  verdict: string;
}

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'mfa-ready-unknown-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('a folder without directoryAudits.json', () => {
  it('does not say ready is at best "reported" while a sign-in proves a user ready', async () => {
    const dir = join(tmp, 'no-audits');
    await cp(SMALL, dir, { recursive: true });
    await rm(join(dir, 'directoryAudits.json'));
    const r = await runCli(['audit', '--from', dir, '--now', '2024-05-10T12:00:00Z', '--quiet']);
    expect(r.code).toBe(0);
    const text = r.stdout.replace(/\n\s*/g, ' ');
    expect(text).toContain('directory audits (directoryAudits.json):');
    expect(text).toContain('1 proven by an MFA sign-in');
    expect(text).not.toContain('at best "reported"');
    expect(text).toContain('it rests on an MFA sign-in where one was read');
  });
});

describe('the demo with a collection that missed some methods lists', () => {
  it('calls the users nothing was read about unknown, leaves every other verdict as the answer key says', async () => {
    const key = JSON.parse(await readFile('demo/expected-verdicts.json', 'utf8')) as { users: Expected[] };
    // Phone registered long ago, no MFA sign-in, no audit event: the report row and the methods list
    // are all that speak for them. A report export that lost their rows and a methods collection that
    // did not reach them leave nothing: they were ready (weak), and are now unknown, never not-registered.
    const missed = key.users.filter((u) => u.persona === 'ready-phone-only-reported');
    expect(missed.length).toBeGreaterThan(0);
    const ids = new Set(missed.map((u) => u.id));
    const dir = join(tmp, 'demo-partial');
    await cp(DEMO, dir, { recursive: true });
    for (const u of missed) await rm(join(dir, 'authenticationMethods', `${u.id}.json`));
    const reportFile = join(dir, 'userRegistrationDetails.json');
    const report = JSON.parse(await readFile(reportFile, 'utf8')) as { value: { id: string }[] };
    const rows = report.value.length;
    report.value = report.value.filter((row) => !ids.has(row.id));
    expect(report.value.length).toBe(rows - missed.length);
    await writeFile(reportFile, JSON.stringify(report));

    const r = await runCli(['audit', '--from', dir, ...DEMO_NOW, '--format', 'json', '--quiet']);
    expect(r.code).toBe(0);
    const doc = assessmentJsonSchema.parse(JSON.parse(r.stdout));
    expect(doc.summary.unknown).toBe(missed.length);
    const verdicts = new Map(doc.users.map((u) => [u.id, u]));
    for (const u of key.users) {
      const got = verdicts.get(u.id);
      if (missed.includes(u)) {
        expect(got).toMatchObject({ verdict: 'unknown', action: { code: 'collect-user-methods' } });
      } else expect(got?.verdict, `${u.userPrincipalName} (${u.persona})`).toBe(u.verdict);
    }

    const failing = await runCli(['audit', '--from', dir, ...DEMO_NOW, '--fail-on', 'unknown', '--quiet']);
    expect(failing.code).toBe(1);
    const text = failing.stdout.replace(/\n\s*/g, ' ');
    const users = `${missed.length} user${missed.length === 1 ? '' : 's'}`;
    expect(text).toContain(`${users} unknown: nothing was read about their methods`);
    for (const u of missed) expect(failing.stdout).toContain(u.userPrincipalName);
  });

  it('has nobody unknown in the complete demo, so --fail-on unknown passes', async () => {
    const r = await runCli(['audit', '--from', DEMO, ...DEMO_NOW, '--fail-on', 'unknown', '--quiet']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('unknown: nothing was read');
  });
});
