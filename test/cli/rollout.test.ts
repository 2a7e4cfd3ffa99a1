/**
 * `rollout` on the demo tenant's history, whose MFA_Required and MFA_ProofUpBypass groups are synced
 * from on-premises (as in the incident): `--apply` writes an AD PowerShell script and a CSV, never a
 * Graph request, journaled so that a re-run writes nothing again.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, readJournal, readPlan } from '../../src/store/index.js';
import { runCli } from '../support/cli.js';
import { STACK_LINE } from './live-support.js';

let dir: string;
let db: string;
const NOW = '2026-12-01T10:00:00Z';
const PLAN = [
  'rollout',
  'plan',
  '--name',
  'students',
  '--enforce-group',
  'MFA_Required',
  '--bypass-group',
  'mfa_proofupbypass',
  '--wave-size',
  '40',
  '--every',
  '1w',
  '--start',
  '2026-12-01',
  '--ready-threshold',
  '50%',
  '--exclude-group',
  'Break Glass',
];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mfa-ready-rollout-cli-'));
  db = path.join(dir, 'history.db');
  const demo = await runCli([
    'audit',
    '--demo',
    '--db',
    db,
    '--summary',
    '--quiet',
    '--exclude-group',
    'Break Glass',
  ]);
  expect(demo.code).toBe(0);
}, 120_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

const cli = (args: string[]) => runCli([...args, '--db', db, '--now', NOW]);
/** pause and resume read no clock. */
const state = (verb: string) => runCli(['rollout', verb, 'students', '--db', db]);

describe('rollout on synced groups', () => {
  it('plans into the store and a JSON file, and says how old the readiness is', async () => {
    const out = path.join(dir, 'plan.json');
    const r = await cli([...PLAN, '--out', out]);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Rollout students version 1: \d+ users in \d+ waves of up to 40/);
    expect(r.stdout).toContain('synced from on-premises');
    expect(r.stderr).toMatch(/Readiness from run 1, collected .* days old/);
    expect(r.stderr).toContain('collect first');
    const file = JSON.parse(await readFile(out, 'utf8')) as {
      version: number;
      waves: { userIds: string[] }[];
    };
    expect(file.version).toBe(1);
    expect(file.waves[0]?.userIds).toHaveLength(40);
    const store = openStore(db);
    try {
      const stored = readPlan<{ enforceGroup: { onPremisesSyncEnabled: boolean } }>(
        store,
        'rollout',
        'students',
      );
      expect(stored?.data.enforceGroup.onPremisesSyncEnabled).toBe(true);
    } finally {
      store.close();
    }
  });

  it('without --apply prints the change set and writes nothing', async () => {
    const r = await cli(['rollout', 'next', 'students', '--script-dir', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Wave 1 advances.');
    expect(r.stdout).toContain('nothing is written to the tenant without --apply');
    expect((await readdir(dir)).filter((f) => f.endsWith('.ps1'))).toEqual([]);
    const store = openStore(db);
    try {
      expect(readJournal(store, 'rollout', 'students')).toEqual([]);
    } finally {
      store.close();
    }
  });

  it('with --apply writes the AD script and CSV, journaled scripted; the re-run writes nothing again', async () => {
    const scripts = path.join(dir, 'scripts');
    const r = await cli(['rollout', 'next', 'students', '--apply', '--script-dir', scripts]);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/written to .*\.ps1/);
    const files = await readdir(scripts);
    expect(files.filter((f) => f.endsWith('.ps1'))).toHaveLength(1);
    const ps1 = await readFile(
      path.join(
        scripts,
        files.find((f) => f.endsWith('.ps1'))!,
      ),
      'utf8',
    );
    expect(ps1).toContain("Group = 'MFA_Required'");
    expect(ps1).toContain('-WhatIf');
    const store = openStore(db);
    try {
      const journal = readJournal(store, 'rollout', 'students');
      expect(journal.length).toBeGreaterThanOrEqual(40);
      expect(journal.every((e) => e.status === 'scripted')).toBe(true);
    } finally {
      store.close();
    }
    const again = await cli(['rollout', 'next', 'students', '--apply', '--script-dir', scripts]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('No group change today.');
    expect(again.stdout).toContain('wave 2 is due on 2026-12-08');
    expect(await readdir(scripts)).toHaveLength(files.length);
  });

  it('status: wave 1 applied, the bypass group with since when', async () => {
    const r = await cli(['rollout', 'status', 'students']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^1\s+2026-12-01\s+applied\s+40/m);
    const json = JSON.parse((await cli(['rollout', 'status', 'students', '--format', 'json'])).stdout) as {
      waves: { state: string }[];
      bypass: { since: string }[];
    };
    expect(json.waves[0]?.state).toBe('applied');
    for (const b of json.bypass) expect(b.since).toBe('2026-12-01T10:00:00.000Z');
  });

  it('re-planning the same name keeps the applied wave and makes version 2', async () => {
    const before = await cli(['rollout', 'status', 'students', '--format', 'json']);
    const r = await cli([...PLAN, '--wave-size', '25']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('version 2');
    const store = openStore(db);
    try {
      const plan = readPlan<{ waves: { userIds: string[] }[] }>(store, 'rollout', 'students');
      expect(plan?.version).toBe(2);
      expect(plan?.data.waves[0]?.userIds).toHaveLength(40);
      expect(plan?.data.waves[1]?.userIds).toHaveLength(25);
    } finally {
      store.close();
    }
    expect(before.code).toBe(0);
  });

  it('pause holds everything, resume goes on', async () => {
    expect((await state('pause')).code).toBe(0);
    const held = await cli(['rollout', 'next', 'students', '--now', '2026-12-09T10:00:00Z']);
    expect(held.stdout).toContain('the plan is paused');
    expect(held.stdout).toContain('No group change today.');
    expect((await state('resume')).code).toBe(0);
  });

  it('refuses bad input with exit 2, naming the flag', async () => {
    const cases: [string[], RegExp][] = [
      [[...PLAN, '--wave-size', '0'], /--wave-size 0/],
      [[...PLAN, '--order', 'department'], /--order department/],
      [[...PLAN, '--ready-threshold', '1.5'], /--ready-threshold 1.5/],
      [[...PLAN, '--start', '2026-13-01'], /--start 2026-13-01/],
      [[...PLAN, '--bypass-group', 'MFA_Required'], /same group/],
      [[...PLAN, '--enforce-group', 'No Such Group'], /--enforce-group No Such Group/],
      [['rollout', 'status', 'nobody'], /no rollout named 'nobody'/],
    ];
    for (const [args, message] of cases) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(STACK_LINE);
    }
  });

  it('rollback lists what the plan added, scripts the removals with --apply, and the plan stops', async () => {
    const review = await cli(['rollout', 'rollback', 'students']);
    expect(review.code).toBe(0);
    expect(review.stdout).toContain('remove from MFA_Required');
    const scripts = path.join(dir, 'rollback');
    const r = await cli(['rollout', 'rollback', 'students', '--apply', '--script-dir', scripts]);
    expect(r.code).toBe(0);
    const ps1 = (await readdir(scripts)).find((f) => f.endsWith('.ps1'));
    expect(ps1).toBeDefined();
    expect(await readFile(path.join(scripts, ps1!), 'utf8')).toContain("Op = 'Remove'");
    const next = await cli(['rollout', 'next', 'students', '--now', '2026-12-09T10:00:00Z']);
    expect(next.stdout).toContain('rolled back');
    const resume = await state('resume');
    expect(resume.code).toBe(2);
    expect(resume.stderr).toContain('was rolled back');
  });
});
