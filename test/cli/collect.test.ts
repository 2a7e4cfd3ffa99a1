/**
 * `mfa-ready collect` end to end, in-process, against the Graph emulator: the folder it writes is
 * the one `audit --from` reads, a crashed run resumes, a refused dataset or a free tenant still
 * collects the rest and says what it costs, a rejected credential is exit 3, and the secret never
 * appears anywhere.
 */
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PERMISSIONS } from '../../src/emulator/index.js';
import { runCli } from '../support/cli.js';
import type { TestEmulator } from './live-support.js';
import {
  COLLECTED_AT,
  SECRET,
  STACK_LINE,
  allText,
  exportFiles,
  expectedVerdicts,
  runLive,
  startTestEmulator,
  tempDirs,
  verdictsFromJson,
} from './live-support.js';

const temp = tempDirs();

/** The text with its line wrapping undone. */
const flat = (s: string) => s.replace(/\s+/g, ' ');
afterAll(() => temp.cleanup());

describe('mfa-ready collect against the emulator', () => {
  let t: TestEmulator;
  beforeAll(async () => {
    t = await startTestEmulator();
  });
  afterAll(() => t.close());

  it('writes the export folder; audit --from it gives every user the verdict the generator intended', async () => {
    const out = await temp.make();
    const r = await runLive(['collect', ...t.args, '--out', out], t.deps);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    // Plain lines off a terminal: one per part, then the summary.
    expect(r.stderr).toMatch(/^✓ users: 60 rows, \d+ pages?; complete$/m);
    expect(r.stderr).toContain('Collection complete: 13 of 13 requested parts.');
    expect(r.stderr).toMatch(/Graph: \d+ requests \(reports \d+ · directory \d+ · Conditional Access 1\)/);
    expect(r.stderr).toMatch(/0 answered 429; .* waiting for throttling/);
    await access(path.join(out, 'users.ndjson'));
    await access(path.join(out, 'signIns.ndjson'));

    const audit = await runCli(['audit', '--from', out, '--now', COLLECTED_AT, '--format', 'json']);
    expect(audit.code).toBe(0);
    const got = verdictsFromJson(audit.stdout);
    const want = expectedVerdicts(t.em);
    expect(got.size).toBe(want.size);
    const wrong = [...want.values()].filter((w) => JSON.stringify(got.get(w.id)) !== JSON.stringify(w));
    expect(wrong).toEqual([]);

    // The secret was given on the command line: it is in no output and no file.
    expect(r.stderr + r.stdout + audit.stdout).not.toContain(SECRET);
    expect(await allText(out)).not.toContain(SECRET);
  });

  it('--resume after a crash fetches only what is missing and ends with the folder a clean run writes', async () => {
    const out = await temp.make();
    const before = t.em.stats().byRoute['GET /v1.0/users'] ?? 0;
    // The process "dies" when the users part has been written, while other lanes are mid-way.
    const crashed = await runLive(['collect', ...t.args, '--out', out], t.deps, { crashOn: /✓ users/ });
    expect(crashed.code).toBe(3);
    const usersRequests = (t.em.stats().byRoute['GET /v1.0/users'] ?? 0) - before;
    expect(usersRequests).toBeGreaterThan(0);

    const resumed = await runLive(['collect', ...t.args, '--out', out, '--resume'], t.deps);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain('resumed: what the earlier run completed was kept');
    expect(resumed.stderr).toMatch(/^ {2}users +60 +\d+ +complete \(from the earlier run\)$/m);
    // The crash came before the per-user methods: the resumed run fetched them.
    expect(resumed.stderr).toMatch(/^ {2}per-user methods +\d+ +\d+ +complete$/m);
    // Users were not asked for again.
    expect((t.em.stats().byRoute['GET /v1.0/users'] ?? 0) - before).toBe(usersRequests);

    const clean = await temp.make();
    expect((await runLive(['collect', ...t.args, '--out', clean], t.deps)).code).toBe(0);
    expect(await exportFiles(out)).toEqual(await exportFiles(clean));
  });

  it('a rejected credential (unknown tenant) is a runtime failure: exit 3, a clear message, no stack', async () => {
    const out = await temp.make();
    const args = t.args.map((a) => (a === t.em.tenantId ? '00000000-0000-4000-8000-00000000dead' : a));
    const r = await runLive(['collect', ...args, '--out', out], t.deps);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^mfa-ready: failed: Could not get a token/m);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.stderr).not.toContain(SECRET);
  });

  it('with --quiet prints nothing when all went well', async () => {
    const out = await temp.make();
    const r = await runLive(
      ['collect', ...t.args, '--out', out, '--quiet', '--only', 'users,policies'],
      t.deps,
    );
    expect(r.code).toBe(0);
    // The only line is the caveat about a secret on the command line.
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^mfa-ready: note: --client-secret puts the secret in shell history/),
    ]);
  });

  it('on a terminal redraws one line per running part in place', async () => {
    const out = await temp.make();
    const r = await runLive(['collect', ...t.args, '--out', out, '--only', 'users,registration'], t.deps, {
      tty: true,
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('\x1b[J');
    expect(r.stderr).toMatch(/users: \d+ pages?, \d+ of 60 rows/);
  });
});

describe('mfa-ready collect when Graph refuses part of the tenant', () => {
  afterEach(() => temp.cleanup());

  it('without AuditLog.Read.All: exit 0, the rest is collected, the summary names the permission and the loss', async () => {
    const t = await startTestEmulator({
      grantedPermissions: DEFAULT_PERMISSIONS.filter((p) => p !== 'AuditLog.Read.All'),
    });
    try {
      const out = await temp.make();
      const r = await runLive(['collect', ...t.args, '--out', out], t.deps);
      expect(r.code).toBe(0);
      expect(r.stderr).toContain('Collection finished with gaps');
      expect(r.stderr).toMatch(/directory audits +– +– +FAILED: permission missing \(AuditLog\.Read\.All/);
      const text = flat(r.stderr);
      expect(text).toContain(
        '- Grant the Microsoft Graph application permissions AuditLog.Read.All and Directory.Read.All to the app registration, then grant admin consent.',
      );
      expect(text).toContain('one of the roles Reports Reader, Security Reader, Global Reader');
      expect(text).toContain('MFA cannot be proven');
      expect(text).toContain('ready cannot be "proven"');
      expect(text).toContain('ready cannot be "registered"');
      expect(text).toContain('run the same command again with --resume');
      // Said once, although three parts need it.
      expect(text.split('- Grant the Microsoft Graph').length).toBe(2);
      await access(path.join(out, 'users.ndjson'));

      // --quiet still says what was missed.
      const quiet = await runLive(['collect', ...t.args, '--out', await temp.make(), '--quiet'], t.deps);
      expect(quiet.code).toBe(0);
      expect(quiet.stderr).toContain('AuditLog.Read.All');
      expect(quiet.stderr).not.toContain('Collection finished');
    } finally {
      await t.close();
    }
  });

  it('a free tenant: the reports and sign-ins need Microsoft Entra ID P1 or P2, the rest is collected', async () => {
    const t = await startTestEmulator({ licence: 'free' });
    try {
      const out = await temp.make();
      const r = await runLive(
        ['collect', ...t.args, '--out', out, '--only', 'users,registration,signins'],
        t.deps,
      );
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(
        /registration report +– +– +FAILED: licence missing \(Microsoft Entra ID P1 or P2\)/,
      );
      expect(flat(r.stderr)).toContain('- The tenant needs Microsoft Entra ID P1 or P2');
      expect(JSON.parse(await readFile(path.join(out, 'tenant.json'), 'utf8'))).toMatchObject({
        tenantId: t.em.tenantId,
      });
    } finally {
      await t.close();
    }
  });

  it('nothing assessable (no user list, no report) is exit 3 after the summary', async () => {
    const t = await startTestEmulator({ grantedPermissions: ['Policy.Read.All'] });
    try {
      const r = await runLive(
        ['collect', ...t.args, '--out', await temp.make(), '--only', 'users,registration'],
        t.deps,
      );
      expect(r.code).toBe(3);
      expect(r.stderr).toContain('User.Read.All');
      expect(r.stderr).toMatch(/^mfa-ready: failed: nothing the assessment can use was collected/m);
    } finally {
      await t.close();
    }
  });
});

describe('mfa-ready collect usage errors: exit 2, a clear message, no stack', () => {
  const base = ['collect', '--tenant', 'contoso.onmicrosoft.com', '--client-id', 'app'];
  const env = { AZURE_CLIENT_SECRET: SECRET };
  it.each([
    [['collect', '--out', 'x', '--client-id', 'a', '--client-secret', SECRET], /say which tenant to read/],
    [[...base, '--no-store'], /--no-store needs --out DIR/],
    [[...base, '--out', 'x', '--only', 'users,passwords'], /--only: unknown passwords/],
    [[...base, '--out', 'x', '--since', 'last week'], /--since last week: not an ISO 8601 time/],
    [[...base, '--out', 'x', '--since', '2999-01-01T00:00:00Z'], /--since .* is in the future/],
    [
      [...base, '--out', 'x', '--signin-days', '90'],
      /--signin-days 90: expected a whole number from 1 to 30/,
    ],
    [
      [...base, '--out', 'x', '--report-max-age', 'a week'],
      /--report-max-age a week: expected a whole number from 0 to 3650/,
    ],
    [
      [...base, '--out', 'x', '--methods-max-age', '-1'],
      /--methods-max-age -1: expected a whole number from 0 to 3650/,
    ],
    [[...base, '--out', 'x', '--azure-cli', '--device-code'], /more than one credential/],
    [[...base, '--out', 'x', '--cloud', 'mars'], /Allowed choices are global, usgov, usgovdod, china/],
    [[...base, '--out', 'x', '--graph-url', 'http://127.0.0.1:1'], /--graph-url must use https/],
    [[...base, '--out', 'package.json'], /package\.json is a file, not a folder/],
  ])('%j', async (args, message) => {
    const r = await runLive(args, {}, { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.stderr).not.toContain(SECRET);
  });
});
