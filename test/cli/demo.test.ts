import { describe, it, expect, onTestFinished } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runCli } from '../support/cli.js';
import { VERDICTS } from '../../src/domain/verdict.js';

const exec = promisify(execFile);

interface Expected {
  userPrincipalName: string;
  persona: string;
  verdict: string;
  confidence: string | null;
  weak: boolean;
  isAdmin: boolean;
}

describe('mfa-ready audit --demo', () => {
  it('gives every demo user the verdict its persona implies (the answer key written by the generator)', async () => {
    const key = JSON.parse(await readFile('demo/expected-verdicts.json', 'utf8')) as { users: Expected[] };
    const r = await runCli(['audit', '--demo', '--format', 'json']);
    expect(r.code).toBe(0);
    const got = new Map(
      (JSON.parse(r.stdout).users as Expected[]).map((u) => [u.userPrincipalName.toLowerCase(), u] as const),
    );
    expect(got.size).toBe(key.users.length);
    const mismatches = key.users.flatMap((want) => {
      const u = got.get(want.userPrincipalName.toLowerCase());
      const same =
        u !== undefined &&
        u.verdict === want.verdict &&
        u.confidence === want.confidence &&
        u.weak === want.weak &&
        u.isAdmin === want.isAdmin;
      return same ? [] : [{ want, got: u && { verdict: u.verdict, confidence: u.confidence, weak: u.weak } }];
    });
    expect(mismatches).toEqual([]);
  });

  it('runs as the README says, through the installed bin, and shows every verdict', async () => {
    // Uses the compiled CLI (npm test builds it first), exactly what `npx mfa-ready audit --demo` runs.
    const { stdout, stderr } = await exec(
      process.execPath,
      ['bin/mfa-ready.js', 'audit', '--demo', '--format', 'json'],
      {
        env: { ...process.env, NO_COLOR: '1' },
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    const summary = JSON.parse(stdout).summary as Record<string, number>;
    for (const v of VERDICTS.filter((x) => x !== 'unknown')) expect(summary[v], v).toBeGreaterThan(0);
    // The live collection reads the methods of every user the bulk data leaves open: nobody is unknown.
    expect(summary['unknown']).toBe(0);
    expect(stderr).not.toContain('internal error');
  });

  it('the table names both incidents: MFATest2 unverified, the looping students first', async () => {
    // Wide enough that no UPN wraps: the assertions look for whole UPNs.
    const r = await runCli(['audit', '--demo'], { env: { COLUMNS: '160' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('mfatest2@contosodemo.onmicrosoft.com');
    expect(r.stdout).not.toContain('mfatest1@contosodemo.onmicrosoft.com');
    const firstRow = r.stdout.split('Users who need action')[1] ?? '';
    expect(firstRow).toMatch(/looping/);
  });

  it('runs the live path against the in-process emulator, says so in one line, and leaves no temp folder', async () => {
    // A temp folder of this test's own: other test files run --demo at the same time in the shared one.
    const own = await mkdtemp(join(tmpdir(), 'mfa-ready-demo-test-'));
    const saved = process.env['TMPDIR'];
    process.env['TMPDIR'] = own;
    onTestFinished(async () => {
      if (saved === undefined) delete process.env['TMPDIR'];
      else process.env['TMPDIR'] = saved;
      await rm(own, { recursive: true, force: true });
    });
    const demoFolders = async () => (await readdir(own)).filter((n) => n.startsWith('mfa-ready-demo-'));
    const before = await demoFolders();
    expect(before).toEqual([]);
    const r = await runCli(['audit', '--demo', '--format', 'json']);
    expect(r.code).toBe(0);
    const [banner, ...reading] = r.stderr.trim().split('\n');
    expect(banner).toMatch(
      /^mfa-ready: --demo collects .* from the built-in Graph emulator \(in-process, https:\/\/127\.0\.0\.1:\d+/,
    );
    // Then, off a terminal, one plain line per part of the export read.
    expect(reading).toContain('Read users: 300');
    for (const line of reading) expect(line).toMatch(/^Read [A-Za-z -]+: [\d,]+$/);
    // --quiet: nothing but errors, so nothing at all.
    const quiet = await runCli(['audit', '--demo', '--quiet', '--format', 'json']);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toBe('');
    // The live collector wrote per-user methods files for some users only (bulk first), not a bundled copy.
    expect(JSON.parse(r.stdout).coverage.methods.rows).toBeLessThan(JSON.parse(r.stdout).users.length);
    expect(await demoFolders()).toEqual(before);
  });

  it('audit --from demo/tenant still reads the bundled export folder', async () => {
    const r = await runCli([
      'audit',
      '--from',
      'demo/tenant',
      '--now',
      '2026-11-20T09:00:00Z',
      '--format',
      'json',
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).users).toHaveLength(300);
  });
});
