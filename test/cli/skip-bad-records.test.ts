/**
 * `audit --from … --skip-bad-records` as an admin runs it on an export with one broken audit event:
 * without the flag the run stops (exit 2, naming the file and field); with it the verdicts are made,
 * and the table, the JSON coverage and standard error all say what was left out. users.json is
 * never skipped.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assessmentJsonSchema } from '../../src/report/index.js';
import { runCli } from '../support/cli.js';
import { STACK_LINE } from './live-support.js';

const INCIDENT_2 = 'test/fixtures/incidents/incident-2';
const NOW = ['--now', '2025-06-10T12:00:00Z'];

let tmp: string;
let broken: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'mfa-ready-skip-'));
  broken = join(tmp, 'broken-audit');
  await cp(INCIDENT_2, broken, { recursive: true });
  // An export tool that lost the id of one event: the rest of the page is as Graph sent it.
  const file = join(broken, 'directoryAudits.json');
  const page = JSON.parse(await readFile(file, 'utf8')) as { value: Record<string, unknown>[] };
  const { id: _id, ...withoutId } = page.value[0] ?? {};
  page.value.push({ ...withoutId, correlationId: '0f0f0f0f-1111-4222-8333-444444444444' });
  await writeFile(file, JSON.stringify(page, null, 2));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const verdicts = (stdout: string) =>
  assessmentJsonSchema.parse(JSON.parse(stdout)).users.map((u) => [u.id, u.verdict, u.confidence]);

describe('audit --skip-bad-records', () => {
  it('without the flag: exit 2 naming the file and the field, no stack trace', async () => {
    const r = await runCli(['audit', '--from', broken, ...NOW]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/field "id" of entity \d+ must be a string, but it is missing/);
    expect(r.stderr).toMatch(/directoryAudits\.json:\d+ \(entity \d+, field id\)/);
    expect(r.stderr).not.toMatch(STACK_LINE);
  });

  it('with the flag: the verdicts of the intact export, and the skipped record in the table and on stderr', async () => {
    const r = await runCli(['audit', '--from', broken, ...NOW, '--skip-bad-records']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Records left out (--skip-bad-records), so verdicts rest on less:');
    expect(r.stdout).toMatch(
      / {2}- skipped 1 bad record in directoryAudits\.json \(first: line \d+, field id\)/,
    );
    expect(r.stderr).toMatch(
      /mfa-ready: warning: skipped 1 bad record in directoryAudits\.json \(first: line \d+, field id\)/,
    );
    const json = await runCli(['audit', '--from', broken, ...NOW, '--skip-bad-records', '--format', 'json']);
    const intact = await runCli(['audit', '--from', INCIDENT_2, ...NOW, '--format', 'json']);
    expect(verdicts(json.stdout)).toEqual(verdicts(intact.stdout));
    const coverage = assessmentJsonSchema.parse(JSON.parse(json.stdout)).coverage;
    expect(coverage.audits.skipped?.count).toBe(1);
    expect(coverage.audits.skipped?.first[0]).toMatchObject({ field: 'id' });
    expect(coverage.audits.rows).toBe(
      assessmentJsonSchema.parse(JSON.parse(intact.stdout)).coverage.audits.rows,
    );
    expect(assessmentJsonSchema.parse(JSON.parse(intact.stdout)).coverage.audits.skipped).toBeUndefined();
  });

  it('never skips a user: a broken users.json record is still exit 2, saying why the flag does not apply', async () => {
    const dir = join(tmp, 'broken-user');
    await cp(INCIDENT_2, dir, { recursive: true });
    const file = join(dir, 'users.json');
    const page = JSON.parse(await readFile(file, 'utf8')) as { value: Record<string, unknown>[] };
    page.value.push({ userPrincipalName: 'no-id@uni.example', accountEnabled: true });
    await writeFile(file, JSON.stringify(page, null, 2));
    const r = await runCli(['audit', '--from', dir, ...NOW, '--skip-bad-records']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/users\.json:\d+ \(entity \d+, field id\)/);
    expect(r.stderr).toContain('--skip-bad-records does not apply to users.json: every user must be read');
    expect(r.stdout).toBe('');
  });
});
