import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runCli } from '../support/cli.js';
import { openStore } from '../../src/store/index.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import {
  ALICE,
  BOB,
  csvRows,
  ERIN,
  FORMULA_NAME,
  importRuns,
  MFA_REQUIRED,
  PILOT,
} from './history-fixture.js';

/*
 * `history`, `diff`, `user --history` and `audit --changed/--fail-on-new` on stores of one, two and
 * three runs of the fixture in history-fixture.ts (its header says what changes between the runs).
 */

let tmp: string;
/** Runs 1–3. */
let db3: string;
/** Runs 1–2: Bob's loop is new in the latest run. */
let db2: string;
/** Run 1 only. */
let db1: string;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'mfa-ready-history-'));
  db3 = join(tmp, 'three.db');
  db2 = join(tmp, 'two.db');
  db1 = join(tmp, 'one.db');
  await importRuns(join(tmp, 'three'), db3, 3);
  await importRuns(join(tmp, 'two'), db2, 2);
  await importRuns(join(tmp, 'one'), db1, 1);
}, 120_000);
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const RUN2 = '2024-05-11T12:00:00Z';
const RUN3 = '2024-05-12T12:00:00Z';

interface HistoryJson {
  scopeGroup: { id: string; displayName: string | null } | null;
  runs: {
    runId: number;
    at: string;
    assessed: boolean;
    gap?: string;
    counts: Record<string, number> | null;
    readyShare: number | null;
    readyChange: number | null;
    funnel: { enabledMembers: number; anyStrongMethod: number; usable: number; proven: number } | null;
  }[];
}

interface DiffJson {
  from: { runId: number | null; at: string | null; source: string };
  to: { runId: number | null; at: string | null; source: string };
  summary: { changed: number; unchanged: number; byKind: Record<string, number> };
  transitions: { from: string; to: string; users: number }[];
  changes: {
    kind: string;
    id: string;
    userPrincipalName: string;
    before: { verdict: string; confidence: string | null } | null;
    after: { verdict: string; confidence: string | null } | null;
    methods: { id: string; before: string | null; after: string | null }[];
    appeared: { code: string; ref: string; at: string | null }[];
  }[];
}

describe('mfa-ready history', () => {
  it('lists one line per run, oldest first, with the counts, % ready, the trend and the funnel', async () => {
    const r = await runCli(['history', '--db', db3]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    const runLine = (n: number) => lines.find((l) => l.startsWith(`${n}  `)) ?? '';
    // ready, % ready, change, loop, risk, unver, block, notreg, unkn, excl, funnel
    expect(runLine(1)).toMatch(
      /2024-05-10 12:00 {2}import +1 +33\.3% +0 +0 +1 +0 +1 +0 +2 {2}3 › 2 › 1 › 1$/,
    );
    expect(runLine(2)).toMatch(
      /2024-05-11 12:00 {2}import +1 +33\.3% +0 +1 +0 +0 +0 +1 +0 +2 {2}3 › 2 › 1 › 0$/,
    );
    expect(runLine(3)).toMatch(
      /2024-05-12 12:00 {2}import +2 +66\.7% +\+1 +1 +0 +0 +0 +0 +0 +2 {2}3 › 3 › 2 › 1$/,
    );
    expect(r.stdout).toContain(
      '+1 ready since the previous run (run 2, 2024-05-11 12:00); 66.7% ready in run 3.',
    );
  });

  it('gives the same figures as JSON and CSV', async () => {
    const j = await runCli(['history', '--db', db3, '--format', 'json']);
    expect(j.code, j.stderr).toBe(0);
    const view = JSON.parse(j.stdout) as HistoryJson;
    expect(view.scopeGroup).toBeNull();
    expect(view.runs.map((r) => [r.runId, r.at.slice(0, 10), r.counts?.['ready'], r.readyChange])).toEqual([
      [1, '2024-05-10', 1, null],
      [2, '2024-05-11', 1, 0],
      [3, '2024-05-12', 2, 1],
    ]);
    expect(view.runs[1]!.counts).toMatchObject({
      looping: 1,
      'not-registered': 1,
      unverified: 0,
      excluded: 2,
    });
    expect(view.runs[2]!.readyShare).toBeCloseTo(2 / 3);
    expect(view.runs[0]!.funnel).toEqual({ enabledMembers: 3, anyStrongMethod: 2, usable: 1, proven: 1 });

    const c = await runCli(['history', '--db', db3, '--format', 'csv']);
    expect(c.code, c.stderr).toBe(0);
    const rows = csvRows(c.stdout);
    expect(rows.map((r) => [r['runId'], r['ready'], r['looping'], r['readyChange'], r['proven']])).toEqual([
      ['1', '1', '0', '', '1'],
      ['2', '1', '1', '0', '0'],
      ['3', '2', '1', '1', '1'],
    ]);
    expect(rows[2]!['readyShare']).toBe('0.6667');
  });

  it('--since keeps the runs collected on or after the date; a date after every run is exit 2', async () => {
    const r = await runCli(['history', '--db', db3, '--since', '2024-05-11', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as HistoryJson).runs.map((x) => x.runId)).toEqual([2, 3]);
    const none = await runCli(['history', '--db', db3, '--since', '2025-01-01']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no run was collected on or after --since 2025-01-01');
  });

  it("--scope-group counts the group's members as stored with each run", async () => {
    const r = await runCli(['history', '--db', db3, '--scope-group', 'mfa_required', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const view = JSON.parse(r.stdout) as HistoryJson;
    expect(view.scopeGroup).toEqual({ id: MFA_REQUIRED, displayName: 'MFA_Required' });
    // Run 1: Alice (ready) and Bob (unverified). Erin joins the group with run 2.
    expect(view.runs[0]!.counts).toMatchObject({ ready: 1, unverified: 1, looping: 0, 'not-registered': 0 });
    expect(view.runs[0]!.funnel?.enabledMembers).toBe(2);
    expect(view.runs[1]!.counts).toMatchObject({ ready: 1, looping: 1, 'not-registered': 1 });
    expect(view.runs[1]!.funnel?.enabledMembers).toBe(3);
    expect(view.runs[2]!.counts).toMatchObject({ ready: 2, looping: 1 });
  });

  it('a group missing from a run is said to be missing there, never counted as nobody', async () => {
    const r = await runCli(['history', '--db', db3, '--scope-group', 'Pilot', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const view = JSON.parse(r.stdout) as HistoryJson;
    expect(view.scopeGroup).toEqual({ id: PILOT, displayName: 'Pilot' });
    expect(view.runs.map((x) => [x.assessed, x.gap ?? null, x.counts?.['ready'] ?? null])).toEqual([
      [false, 'group-not-in-run', null],
      [false, 'group-not-in-run', null],
      [true, null, 2],
    ]);
    const t = await runCli(['history', '--db', db3, '--scope-group', PILOT]);
    expect(t.code).toBe(0);
    expect(t.stdout.match(/the group is not in this run/g)).toHaveLength(2);
    expect(t.stdout).toContain('members of Pilot');
  });

  it('a group that names nothing in any run is exit 2 with the closest names', async () => {
    const r = await runCli(['history', '--db', db3, '--scope-group', 'MFA_Requird']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--scope-group 'MFA_Requird'");
    expect(r.stderr).toContain('closest: MFA_Required');
    expect(r.stdout).toBe('');
  });

  it('an empty history is exit 2 saying how to fill it; a missing database file too, and it is not created', async () => {
    const empty = join(tmp, 'empty.db');
    openStore(empty).close();
    const r = await runCli(['history', '--db', empty]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('holds no complete run');
    expect(r.stderr).toContain('mfa-ready import DIR');
    const missing = join(tmp, 'nothing-here.db');
    const m = await runCli(['history', '--db', missing]);
    expect(m.code).toBe(2);
    expect(m.stderr).toContain(`no history database at ${missing}`);
  });

  it('a run stored without an assessment (the first schema) shows "not assessed"; diff refuses it', async () => {
    const file = join(tmp, 'schema1.db');
    const old = new Database(file);
    old.exec(MIGRATIONS[0] as string);
    old.pragma('user_version = 1');
    old
      .prepare(
        `INSERT INTO runs (started_at, finished_at, tool_version, source, tenant_id, coverage)
         VALUES ('2024-05-01T00:00:00Z', '2024-05-01T00:01:00Z', '0.1.0', 'import', NULL, '{}')`,
      )
      .run();
    old.close();
    await importRuns(join(tmp, 'schema1'), file, 1);
    const r = await runCli(['history', '--db', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^1 +2024-05-01 00:00 {2}import {2}not assessed/m);
    expect(r.stdout).toMatch(/^2 +2024-05-10 12:00 {2}import +1 /m);
    const j = JSON.parse((await runCli(['history', '--db', file, '--format', 'json'])).stdout) as HistoryJson;
    expect(j.runs[0]).toMatchObject({ assessed: false, gap: 'not-assessed', counts: null });
    const d = await runCli(['diff', '--db', file]);
    expect(d.code).toBe(2);
    expect(d.stderr).toContain('run 1 was stored without an assessment');
  });
});

describe('mfa-ready diff', () => {
  it('compares the last two runs by default and says which', async () => {
    const r = await runCli(['diff', '--db', db3]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      'Changes from run 2 (2024-05-11 12:00 UTC, import) to run 3 (2024-05-12 12:00 UTC, import)',
    );
    expect(r.stdout).toContain('1 user changed, 4 unchanged.');
    expect(r.stdout).toMatch(/not-registered → ready {2}1/);
    expect(r.stdout).toContain('alice@contoso.com (Alice Anders): not-registered → ready (proven)');
  });

  it('lists ready → not ready first, then worse, then improved, with counts per transition and the evidence that appeared', async () => {
    const r = await runCli(['diff', '1', '2', '--db', db3]);
    expect(r.code, r.stderr).toBe(0);
    const at = (s: string) => r.stdout.indexOf(s);
    expect(at('Ready → not ready (1)')).toBeGreaterThan(0);
    expect(at('Ready → not ready (1)')).toBeLessThan(at('Worse (1)'));
    expect(at('Worse (1)')).toBeLessThan(at('Improved (1)'));
    expect(at('alice@contoso.com (Alice Anders): ready (proven) → not-registered')).toBeLessThan(
      at('Bob@Contoso.com (Bob Brown): unverified → looping'),
    );
    expect(r.stdout).toMatch(/ready → not-registered {2}1/);
    expect(r.stdout).toMatch(/unverified → looping {4}1/);
    expect(r.stdout).toMatch(/not-registered → ready {2}1/);
    // Why Bob is looping: the sign-ins that appeared, not the report rows that were only refreshed.
    expect(r.stdout).toContain('+ 2024-05-11 10:06 Registration loop');
    expect(r.stdout).not.toContain('+ 2024-05-11 06:00 Registration report: no default MFA method');

    const j = await runCli(['diff', '1', '2', '--db', db3, '--format', 'json']);
    expect(j.code).toBe(0);
    expect(j.stderr).toContain('compared run 1 (2024-05-10 12:00 UTC, import) with run 2');
    const diff = JSON.parse(j.stdout) as DiffJson;
    expect([diff.from.runId, diff.to.runId]).toEqual([1, 2]);
    expect(diff.changes.map((c) => [c.kind, c.id])).toEqual([
      ['lost-ready', ALICE],
      ['worse', BOB],
      ['improved', ERIN],
    ]);
    expect(diff.summary).toMatchObject({ changed: 3, unchanged: 2 });
    const erin = diff.changes[2]!;
    expect(erin.before).toEqual({ verdict: 'not-registered', confidence: null });
    expect(erin.after).toEqual({ verdict: 'ready', confidence: 'registered' });
    expect(erin.appeared.map((e) => e.code)).toContain('security-info-registered');
    expect(erin.methods).toEqual([
      {
        id: 'e1e1e1e1-0000-4000-8000-0000000000e1',
        type: 'microsoftAuthenticator',
        before: null,
        after: 'usable',
      },
    ]);
    expect(diff.changes[1]!.appeared.filter((e) => e.code === 'registration-interrupt')).toHaveLength(3);
  });

  it('resolves dates to the last run on or before them', async () => {
    const r = await runCli(['diff', '2024-05-10', '2024-05-11T23:00:00Z', '--db', db3, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const diff = JSON.parse(r.stdout) as DiffJson;
    expect([diff.from.runId, diff.to.runId]).toEqual([1, 2]);
    const before = await runCli(['diff', '2024-05-09', '3', '--db', db3]);
    expect(before.code).toBe(2);
    expect(before.stderr).toContain('no run was collected on or before this time');
    expect(before.stderr).toContain('Stored runs: 1 (2024-05-10 12:00 UTC)');
  });

  it('CSV: one row per change, worst first, a formula in a display name neutralised', async () => {
    const r = await runCli(['diff', '1', '2', '--db', db3, '--format', 'csv']);
    expect(r.code, r.stderr).toBe(0);
    const rows = csvRows(r.stdout);
    expect(rows.map((x) => [x['change'], x['verdictBefore'], x['verdictAfter']])).toEqual([
      ['lost-ready', 'ready', 'not-registered'],
      ['worse', 'unverified', 'looping'],
      ['improved', 'not-registered', 'ready'],
    ]);
    expect(rows[2]!['displayName']).toBe(`'${FORMULA_NAME}`);
    expect(r.stdout).not.toMatch(/(^|,)=cmd/m);
    expect(rows[0]!['fromRun']).toBe('1');
  });

  it('fewer than two runs, the same run twice, or an unknown run id: exit 2', async () => {
    const one = await runCli(['diff', '--db', db1]);
    expect(one.code).toBe(2);
    expect(one.stderr).toContain('holds 1 complete run; diff compares two');
    const same = await runCli(['diff', '2', '2', '--db', db3]);
    expect(same.code).toBe(2);
    expect(same.stderr).toContain('the same run (2)');
    const unknown = await runCli(['diff', '7', '--db', db3]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('diff A 7: no complete run has this id');
  });
});

describe('audit --changed', () => {
  it('lists only the users whose verdict changed since the run before the one assessed', async () => {
    const r = await runCli(['audit', '--db', db3, '--now', RUN3, '--changed']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      'Changes from run 2 (2024-05-11 12:00 UTC, import) to this audit (2024-05-12 12:00 UTC)',
    );
    expect(r.stdout).toContain('alice@contoso.com (Alice Anders): not-registered → ready (proven)');
    expect(r.stdout).not.toContain('Bob@Contoso.com');
    expect(r.stdout).not.toContain('erin@contoso.com');

    const j = await runCli(['audit', '--db', db3, '--now', RUN3, '--changed', '--format', 'json']);
    const diff = JSON.parse(j.stdout) as DiffJson;
    expect(diff.from.runId).toBe(2);
    expect(diff.to).toMatchObject({ runId: null, source: 'audit' });
    expect(diff.changes.map((c) => c.userPrincipalName)).toEqual(['alice@contoso.com']);
  });

  it('with --from, compares with the latest stored run, worst news first', async () => {
    const r = await runCli([
      'audit',
      '--from',
      join(tmp, 'three', 'run-1'),
      '--db',
      db3,
      '--now',
      RUN3,
      '--changed',
      '--format',
      'csv',
      '--quiet',
    ]);
    expect(r.code, r.stderr).toBe(0);
    // Run 1's folder against run 3: Erin is not registered again, Bob no longer looping.
    expect(
      csvRows(r.stdout).map((x) => [x['change'], x['userPrincipalName'], x['fromRun'], x['toRun']]),
    ).toEqual([
      ['lost-ready', 'erin@contoso.com', '3', 'audit'],
      ['improved', 'Bob@Contoso.com', '3', 'audit'],
    ]);
  });

  it('with no earlier run, says so and lists every user as new', async () => {
    const r = await runCli([
      'audit',
      '--db',
      db1,
      '--now',
      '2024-05-10T12:00:00Z',
      '--changed',
      '--format',
      'json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('no earlier assessment to compare with');
    expect(r.stderr).toContain('every user counts as new');
    const diff = JSON.parse(r.stdout) as DiffJson;
    expect(diff.from.source).toBe('none');
    expect(diff.changes).toHaveLength(5);
    expect(new Set(diff.changes.map((c) => c.kind))).toEqual(new Set(['new']));
  });

  it('with --from, a history database that does not exist is exit 2 before anything is read', async () => {
    const missing = join(tmp, 'no-such-history.db');
    const r = await runCli(['audit', '--from', join(tmp, 'three', 'run-1'), '--db', missing, '--changed']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`no history database at ${missing}`);
    expect(r.stderr).not.toContain('Read users');
    expect(r.stdout).toBe('');
  });

  it('is refused with --user, --top or --summary', async () => {
    for (const extra of [['--user', 'alice@contoso.com'], ['--top', '3'], ['--summary']]) {
      const r = await runCli(['audit', '--db', db3, '--changed', ...extra]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`use either --changed or ${extra[0]}`);
    }
  });
});

describe('audit --fail-on-new', () => {
  it('exits 1 for a user who is looping now and was not in the previous run', async () => {
    const r = await runCli(['audit', '--db', db2, '--now', RUN2, '--summary', '--fail-on-new', 'looping']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--fail-on-new matched (looping: 1, new since the previous run)');
  });

  it('exits 0 when the users looping now were looping in the previous run already', async () => {
    const r = await runCli(['audit', '--db', db3, '--now', RUN3, '--summary', '--fail-on-new', 'looping']);
    expect(r.code, r.stderr).toBe(0);
    // The plain --fail-on still fails on the same user: it does not look back.
    const plain = await runCli(['audit', '--db', db3, '--now', RUN3, '--summary', '--fail-on', 'looping']);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toContain('--fail-on matched (looping: 1)');
  });

  it('takes comma lists and repeats, and counts each verdict apart', async () => {
    const r = await runCli([
      'audit',
      '--db',
      db2,
      '--now',
      RUN2,
      '--summary',
      '--fail-on-new',
      'looping,unverified',
      '--fail-on-new',
      'not-registered',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('looping: 1');
    expect(r.stderr).toContain('not-registered: 1');
    const bad = await runCli(['audit', '--db', db2, '--fail-on-new', 'loopy']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--fail-on-new loopy: unknown verdict loopy');
  });

  it('with no earlier run, counts every user as new (never a silent pass)', async () => {
    const r = await runCli([
      'audit',
      '--db',
      db1,
      '--now',
      '2024-05-10T12:00:00Z',
      '--summary',
      '--fail-on-new',
      'unverified',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('every user counts as new');
    expect(r.stderr).toContain('--fail-on-new matched (unverified: 1');
  });
});

describe('mfa-ready user', () => {
  it('--history: the verdict in each run and every finding once, with its age, beyond 30 days too', async () => {
    const r = await runCli([
      'user',
      'ALICE@contoso.com',
      '--history',
      '--db',
      db3,
      '--now',
      '2024-05-17T10:15:40Z',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/run 1 +2024-05-10 12:00 {2}ready \(proven\)/);
    expect(r.stdout).toMatch(/run 2 +2024-05-11 12:00 {2}not-registered/);
    expect(r.stdout).toMatch(/run 3 +2024-05-12 12:00 {2}ready \(proven\)/);
    // The registration of 2024-04-02 is 45 days old: past Entra's 30 days, kept by the history.
    expect(r.stdout).toMatch(
      /2024-04-02 10:15 +45 days ago +audit log +Audit: user registered security info/,
    );
    expect(r.stdout).toContain("older than Entra's 30-day logs");
    expect(r.stdout).toContain('Stored events about this user: 2 audit events, 1 sign-in');
  });

  it('--history as JSON: runs, and evidence de-duplicated and in time order', async () => {
    const r = await runCli([
      'user',
      ALICE,
      '--history',
      '--db',
      db3,
      '--now',
      '2024-05-17T10:15:40Z',
      '--format',
      'json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const h = JSON.parse(r.stdout) as {
      user: { id: string };
      runs: { runId: number; verdict: string | null; status: string }[];
      evidence: {
        evidence: { code: string; ref: string; at: string | null; source: string };
        firstRunId: number;
        lastRunId: number;
        ageDays: number | null;
      }[];
    };
    expect(h.user.id).toBe(ALICE);
    expect(h.runs.map((x) => x.verdict)).toEqual(['ready', 'not-registered', 'ready']);
    const keys = h.evidence.map(
      (e) =>
        `${e.evidence.code}|${e.evidence.ref}|${e.evidence.source === 'registration' ? '' : e.evidence.at}`,
    );
    expect(new Set(keys).size).toBe(keys.length);
    const dated = h.evidence.filter((e) => e.evidence.at !== null).map((e) => Date.parse(e.evidence.at!));
    expect(dated).toEqual([...dated].sort((a, b) => a - b));
    const registered = h.evidence.find((e) => e.evidence.code === 'security-info-registered');
    expect(registered).toMatchObject({ ageDays: 45, firstRunId: 1, lastRunId: 3 });
    // Run 2's report row, cited by run 2 only.
    expect(h.evidence.find((e) => e.evidence.code === 'report-not-registered')).toMatchObject({
      firstRunId: 2,
      lastRunId: 2,
    });
  });

  it('without --history: the latest stored drill-down', async () => {
    const r = await runCli(['user', 'bob@contoso.com', '--db', db3]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Bob Brown <Bob@Contoso.com>');
    expect(r.stdout).toContain('LOOPING NOW');
    const j = await runCli(['user', BOB.toUpperCase(), '--db', db3, '--format', 'json']);
    expect(j.code, j.stderr).toBe(0);
    const one = JSON.parse(j.stdout) as { runId: number; user: { id: string; verdict: string } };
    expect([one.runId, one.user.id, one.user.verdict]).toEqual([3, BOB, 'looping']);
  });

  it('an unknown user is exit 2 with the closest UPNs', async () => {
    const r = await runCli(['user', 'alise@contoso.com', '--history', '--db', db3]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no stored user has the UPN or id 'alise@contoso.com'");
    expect(r.stderr).toContain('Closest: alice@contoso.com');
  });
});
