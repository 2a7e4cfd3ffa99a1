import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';

const NOW = ['--now', '2026-11-20T09:00:00Z'];
let tmp: string;
let db: string;

beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'mfa-ready-round-trip-'));
  db = join(tmp, 'history.db');
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('audit from the history database', () => {
  it('assesses the latest stored run exactly as audit --from assesses the folder it came from', async () => {
    expect((await runCli(['import', '-q', 'demo/tenant', '--db', db])).code).toBe(0);
    const stored = await runCli(['audit', '--db', db, ...NOW, '--format', 'json']);
    const folder = await runCli(['audit', '--from', 'demo/tenant', ...NOW, '--format', 'json']);
    expect(stored.code).toBe(0);
    expect(folder.code).toBe(0);
    // Byte for byte: verdicts, evidence, coverage and population alike.
    expect(stored.stdout).toBe(folder.stdout);
    expect(JSON.parse(stored.stdout).users.length).toBe(300);
  });

  it('read days later, it is still what audit --from makes of the folder at that clock', async () => {
    // Most stored assessments still hold three days on; the users a clock comparison turned for
    // (a loop no longer current, a sign-in past the 30 days) are assessed again.
    expect((await runCli(['import', '-q', 'demo/tenant', '--db', db])).code).toBe(0);
    for (const now of ['2026-11-23T09:00:00Z', '2026-12-21T09:00:00Z']) {
      const stored = await runCli(['audit', '--db', db, '--now', now, '--format', 'json']);
      const folder = await runCli(['audit', '--from', 'demo/tenant', '--now', now, '--format', 'json']);
      expect(stored.code).toBe(0);
      expect(stored.stdout).toBe(folder.stdout);
    }
  });

  it('keeps the role assignments: impact on the stored run decides a role condition as on the folder', async () => {
    expect((await runCli(['import', '-q', 'demo/tenant', '--db', db])).code).toBe(0);
    const args = ['--policy', 'CA001 - Require MFA for administrators', ...NOW, '--format', 'json', '-q'];
    const stored = await runCli(['impact', '--db', db, ...args]);
    const folder = await runCli(['impact', '--from', 'demo/tenant', ...args]);
    expect(stored.code).toBe(0);
    expect(stored.stdout).toBe(folder.stdout);
    const j = JSON.parse(stored.stdout) as { counts: Record<string, number>; users: unknown[] };
    expect(j.counts['unknown']).toBe(0);
    expect(j.users.length).toBeGreaterThan(0);
  });

  it('a missing history database is refused with exit 2 and what to do, and is not created', async () => {
    const r = await runCli(['audit', '--db', db]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`no history database at ${db}`);
    expect(r.stderr).toContain('mfa-ready import DIR');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(db)).toBe(false);
  });

  it('--from and --db together are refused: one source of evidence', async () => {
    const r = await runCli(['audit', '--from', 'demo/tenant', '--db', db]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('use either --from or --db');
  });
});
