/**
 * `mfa-ready remediate`: plan from an export folder (the incident fixtures), stored and written with
 * --out; apply without --apply writes nothing; bad input exits 2 naming the file, place and field.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RemediationPlan } from '../../src/domain/remediation.js';
import { openStore } from '../../src/store/index.js';
import { readJournal } from '../../src/store/journal.js';
import { listPlans } from '../../src/store/plans.js';
import { runCli } from '../support/cli.js';

const INCIDENT_1 = join(import.meta.dirname, '..', 'fixtures', 'incidents', 'incident-1');
const INCIDENT_2 = join(import.meta.dirname, '..', 'fixtures', 'incidents', 'incident-2');
const NOW = '2025-06-10T12:00:00Z';

let tmp: string;
let db: string;
beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'mfa-ready-remediate-'));
  db = join(tmp, 'history.db');
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('remediate plan', () => {
  it('plans incident 2 from an export folder: one-time TAPs for the federated students, stored and written', async () => {
    const out = join(tmp, 'plan.json');
    const r = await runCli([
      'remediate',
      'plan',
      '--from',
      INCIDENT_2,
      '--db',
      db,
      '--now',
      NOW,
      '--out',
      out,
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('s1001@uni.example (loop-risk)');
    expect(r.stdout).toContain('one-time Temporary Access Pass, 480 minutes');
    const plan = JSON.parse(await readFile(out, 'utf8')) as RemediationPlan;
    expect(plan.users.map((u) => u.userPrincipalName).sort()).toEqual([
      's1001@uni.example',
      's1002@uni.example',
    ]);
    const store = openStore(db);
    try {
      const stored = listPlans<RemediationPlan>(store, 'remediation');
      expect(stored).toHaveLength(1);
      expect(stored[0]?.name).toBe(plan.name);
    } finally {
      store.close();
    }
  });

  it('plans incident 1: delete the half-registered entry of MFATest2 and ask again, as csv', async () => {
    const r = await runCli([
      'remediate',
      'plan',
      '--from',
      INCIDENT_1,
      '--db',
      db,
      '--now',
      NOW,
      '--format',
      'csv',
      '-q',
    ]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('userPrincipalName,userId,verdict,action,detail,message');
    expect(
      lines
        .slice(1)
        .map((l) => l.split(',').slice(0, 4).join(','))
        .map((l) => l.replace(/,[^,]+,/, ',*,')),
    ).toEqual([
      'MFATest2@contoso.com,*,unverified,delete-authenticator',
      'MFATest2@contoso.com,*,unverified,ask-to-complete',
    ]);
  });

  it('gives two plans made at the same clock different names', async () => {
    await runCli(['remediate', 'plan', '--from', INCIDENT_1, '--db', db, '--now', NOW, '-q']);
    await runCli(['remediate', 'plan', '--from', INCIDENT_2, '--db', db, '--now', NOW, '-q']);
    const store = openStore(db);
    try {
      expect(listPlans(store, 'remediation').map((p) => p.name)).toEqual([
        'remediation-20250610T120000',
        'remediation-20250610T120000-2',
      ]);
    } finally {
      store.close();
    }
  });

  it('refuses an unknown verdict and a --user that names nobody, exit 2', async () => {
    const bad = await runCli(['remediate', 'plan', '--from', INCIDENT_2, '--db', db, '--verdict', 'bogus']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--verdict bogus');
    const nobody = await runCli([
      'remediate',
      'plan',
      '--from',
      INCIDENT_2,
      '--db',
      db,
      '--user',
      'nobody@uni.example',
    ]);
    expect(nobody.code).toBe(2);
    expect(nobody.stderr).toContain('nobody@uni.example');
  });
});

describe('remediate apply and status', () => {
  it('without --apply shows what would be written and writes nothing', async () => {
    const out = join(tmp, 'plan.json');
    await runCli(['remediate', 'plan', '--from', INCIDENT_2, '--db', db, '--now', NOW, '--out', out, '-q']);
    const r = await runCli(['remediate', 'apply', out, '--db', db]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('nothing was written');
    expect(r.stdout).toContain('would-do');
    const store = openStore(db);
    try {
      const name = listPlans(store, 'remediation')[0]!.name;
      expect(readJournal(store, 'remediation', name)).toEqual([]);
    } finally {
      store.close();
    }
    const status = await runCli(['remediate', 'status', '--db', db, '--format', 'json']);
    expect(status.code).toBe(0);
    const rows = (JSON.parse(status.stdout) as { rows: { state: string; action: string }[] }).rows;
    expect(rows.map((x) => [x.action, x.state])).toEqual([
      ['create-tap', 'not-done'],
      ['create-tap', 'not-done'],
    ]);
  });

  it('refuses a broken plan file, exit 2, naming the file and the field', async () => {
    const file = join(tmp, 'bad.json');
    const plan = {
      planVersion: 1,
      kind: 'remediation',
      name: 'x',
      createdAt: NOW,
      users: [
        {
          userId: 'u',
          userPrincipalName: 'u@x',
          isAdmin: false,
          actions: [{ code: 'create-tap', lifetimeInMinutes: 5 }],
        },
      ],
    };
    await writeFile(file, JSON.stringify(plan));
    const r = await runCli(['remediate', 'apply', file, '--db', db, '--apply', '--tenant', 't']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(file);
    expect(r.stderr).toContain('users.0.actions.0.lifetimeInMinutes');
    await writeFile(file, '{ not json');
    const r2 = await runCli(['remediate', 'apply', file, '--db', db]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain(file);
  });

  it('refuses a plan name that is neither a file nor stored', async () => {
    const r = await runCli(['remediate', 'apply', 'no-such-plan', '--db', db]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no-such-plan');
  });
});
