/**
 * Evidence older than Entra's 30-day logs: an MFA sign-in and a security-info registration stored by a
 * run on day D keep counting in the run of day D+45, whose own export no longer holds them (Entra
 * dropped them: https://learn.microsoft.com/entra/identity/monitoring-health/reference-reports-data-retention),
 * and the report shows their age. `--retain` deletes them, and the verdict falls back to what the
 * export still shows: never to a ready the remaining evidence does not support.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runCli } from '../support/cli.js';

const SMALL = 'test/fixtures/inputs/export-small';
const ALICE = '11111111-1111-4111-8111-111111111111';
const D = '2024-05-10T12:00:00Z';
const D45 = '2024-06-24T12:00:00Z';
// In the fixture: Alice's MFA sign-in (si-0001, 2024-05-09) and her registration of the Authenticator
// app (2024-04-02), both in the logs on day D.
const SIGN_IN_AT = '2024-05-09T08:00:00.000Z';
const REGISTERED_AT = '2024-04-02T10:15:40.000Z';

let tmp: string;
let db: string;
beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'mfa-ready-retention-'));
  db = join(tmp, 'history.db');
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** The small export as collected 45 days later: the same users and methods, the logs emptied by Entra. */
async function fortyFiveDaysLater(): Promise<string> {
  const dir = join(tmp, 'day-45');
  await cp(SMALL, dir, { recursive: true });
  const edit = async (file: string, from: string, to: string) => {
    const text = await readFile(join(dir, file), 'utf8');
    expect(text).toContain(from);
    await writeFile(join(dir, file), text.replaceAll(from, to));
  };
  await edit('tenant.json', D, D45);
  // The report refreshed as usual, a few hours before the collection.
  await edit('userRegistrationDetails.json', '2024-05-10T06:00:00.1234567Z', '2024-06-24T06:00:00.1234567Z');
  await writeFile(join(dir, 'signIns.json'), JSON.stringify({ value: [] }));
  await writeFile(join(dir, 'directoryAudits.json'), JSON.stringify({ value: [] }));
  return dir;
}

interface UserJson {
  id: string;
  verdict: string;
  confidence: string | null;
  evidence: { code: string; at: string | null; ref: string; fields: Record<string, unknown> }[];
}
const alice = (stdout: string): UserJson =>
  (JSON.parse(stdout) as { users: UserJson[] }).users.find((u) => u.id === ALICE)!;
const audit = (...args: string[]) => runCli(['audit', '--db', db, '--now', D45, ...args]);

describe('evidence kept beyond Entra’s 30-day logs', () => {
  it('an MFA sign-in and a registration 45 days old still count in the later run, and show their age', async () => {
    expect((await runCli(['import', '-q', SMALL, '--db', db])).code).toBe(0);
    // On day D the sign-in is a day old: proof that the user can do MFA now.
    const dayD = await runCli(['audit', '--db', db, '--now', D, '--format', 'json']);
    expect(alice(dayD.stdout)).toMatchObject({ verdict: 'ready', confidence: 'proven' });

    const later = await fortyFiveDaysLater();
    // The later export alone no longer shows them: only the report and the methods list remain.
    const alone = await runCli(['audit', '--from', later, '--format', 'json']);
    expect(alice(alone.stdout)).toMatchObject({ verdict: 'ready', confidence: 'reported' });
    expect(alice(alone.stdout).evidence.map((e) => e.code)).not.toContain('mfa-sign-in');

    expect((await runCli(['import', '-q', later, '--db', db])).code).toBe(0);
    const r = await audit('--format', 'json');
    expect(r.code).toBe(0);
    const u = alice(r.stdout);
    // The stored events count: the registration and the older sign-in support `registered` (a sign-in
    // older than the retention no longer proves MFA today: src/assess/readiness.ts confidenceOf).
    expect(u).toMatchObject({ verdict: 'ready', confidence: 'registered' });
    const signIn = u.evidence.find((e) => e.code === 'mfa-sign-in')!;
    expect(signIn).toMatchObject({ at: SIGN_IN_AT, ref: 'si-0001' });
    expect(signIn.fields.withinRetention).toBe(false);
    expect(u.evidence.find((e) => e.code === 'security-info-registered')?.at).toBe(REGISTERED_AT);

    // The helpdesk view shows how old each of them is; evidence within the retention says no age.
    const detail = await audit('--user', 'alice@contoso.com');
    expect(detail.code).toBe(0);
    const line = (ref: string) =>
      detail.stdout
        .split(/\n(?= {2}\S)/)
        .find((block) => block.includes(`[ref ${ref}]`))!
        .replace(/\s+/g, ' ');
    expect(line('si-0001')).toMatch(/^ 2024-05-09 08:00:00 .* \(46 days ago\) \[ref si-0001\]$/);
    expect(line('Authentication Methods_aaaa-0002')).toContain('(83 days ago)');
    expect(line(ALICE)).not.toContain('days ago');
  });

  it('--retain 40 deletes the old events: they no longer count, and the verdict falls back (never a false ready)', async () => {
    expect((await runCli(['import', '-q', SMALL, '--db', db])).code).toBe(0);
    const r = await runCli(['import', await fortyFiveDaysLater(), '--db', db, '--retain', '40']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('events older than --retain deleted');
    const conn = new Database(db, { readonly: true });
    try {
      // Every event of day D is older than D+45 − 40 days.
      expect(conn.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 0 });
    } finally {
      conn.close();
    }
    const u = alice((await audit('--format', 'json')).stdout);
    expect(u).toMatchObject({ verdict: 'ready', confidence: 'reported' });
    expect(u.evidence.map((e) => e.code)).not.toContain('mfa-sign-in');
    expect(u.evidence.map((e) => e.code)).not.toContain('security-info-registered');
    // The same verdicts as the later export alone gives.
    const stored = JSON.parse((await audit('--format', 'json')).stdout) as { users: UserJson[] };
    const alone = JSON.parse(
      (await runCli(['audit', '--from', join(tmp, 'day-45'), '--format', 'json'])).stdout,
    ) as { users: UserJson[] };
    expect(stored.users.map((x) => [x.id, x.verdict, x.confidence])).toEqual(
      alone.users.map((x) => [x.id, x.verdict, x.confidence]),
    );
  });
});
