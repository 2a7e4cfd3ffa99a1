import { afterAll, describe, expect, it } from 'vitest';
import { readExportFolder } from '../../src/load/read-export-folder.js';
import { WorkerRead } from '../../src/load/worker-read.js';
import { EVIDENCE_RULES, isEvidenceAudit, isEvidenceSignIn } from '../../src/assess/evidence-filter.js';
import { InputError } from '../../src/domain/errors.js';
import type { AuditEvent, SignIn } from '../../src/domain/tenant.js';
import { tempFolders, writeInto } from '../collect/temp-files.js';

/**
 * `--skip-bad-records`: a broken record in an event log (an audit event without `id`, a sign-in with
 * a date that is not one) is left out and counted, with where the first ones are, instead of sinking
 * the run; without the flag the run still stops on it; and users.json and the registration report are
 * never skipped. The worker threads that read big event files do exactly what the main thread does.
 */

const temp = tempFolders();
afterAll(temp.cleanup);

/** A security-info audit event as v1.0 directoryAudits returns it. */
function audit(i: number): Record<string, unknown> {
  return {
    id: `Directory_${String(i).padStart(6, '0')}_ABCDE`,
    category: 'UserManagement',
    correlationId: `8d0f6e6a-0000-4000-8000-${String(i).padStart(12, '0')}`,
    result: 'success',
    resultReason: 'User registered Authenticator App with Notification and Code',
    activityDisplayName: 'User registered security info',
    activityDateTime: new Date(Date.UTC(2025, 5, 1) + i * 60_000).toISOString(),
    loggedByService: 'Authentication Methods',
    operationType: 'Add',
    initiatedBy: {
      user: { id: `user-${i % 20}`, userPrincipalName: `user${i % 20}@contoso.com` },
    },
    targetResources: [{ id: `user-${i % 20}`, userPrincipalName: `user${i % 20}@contoso.com`, type: 'User' }],
    additionalDetails: [],
  };
}

/** An MFA sign-in as beta signIns returns it. */
function signIn(i: number): Record<string, unknown> {
  return {
    id: `66ea54eb-6301-4ee5-be62-ff5a759b${String(i).padStart(4, '0')}`,
    createdDateTime: new Date(Date.UTC(2025, 5, 1) + i * 60_000).toISOString(),
    userId: `user-${i % 20}`,
    userPrincipalName: `user${i % 20}@contoso.com`,
    appId: '4765445b-32c6-49b0-83e6-1d93765276ca',
    appDisplayName: 'OfficeHome',
    isInteractive: true,
    status: { errorCode: 0, failureReason: 'Other.', additionalDetails: 'MFA completed in Azure AD' },
    authenticationRequirement: 'multiFactorAuthentication',
    authenticationDetails: [
      {
        authenticationMethod: 'Password',
        succeeded: true,
        authenticationStepRequirement: 'Primary authentication',
      },
      {
        authenticationMethod: 'Mobile app notification',
        succeeded: true,
        authenticationStepRequirement: 'MFA',
        authenticationStepResultDetail: 'MFA successfully completed',
      },
    ],
  };
}

const users = JSON.stringify({
  value: Array.from({ length: 20 }, (_, i) => ({
    id: `user-${i}`,
    userPrincipalName: `user${i}@contoso.com`,
    accountEnabled: true,
    userType: 'Member',
  })),
});

/** NDJSON lines, with `broken` (0-based line index → entity) put in place of the good ones. */
function ndjson(n: number, make: (i: number) => Record<string, unknown>, broken: Record<number, unknown>) {
  return `${Array.from({ length: n }, (_, i) => JSON.stringify(i in broken ? broken[i] : make(i))).join('\n')}\n`;
}

const withoutId = (i: number) => {
  const { id: _id, ...rest } = audit(i);
  return rest;
};
const badDate = (i: number) => ({ ...signIn(i), createdDateTime: 'yesterday at noon' });

/** 3 audits without an id (lines 13, 1201, 2500) and 2 sign-ins with a bad date (lines 8, 2999). */
async function brokenExport(): Promise<string> {
  const dir = await temp.make();
  await writeInto(dir, 'users.json', users);
  await writeInto(
    dir,
    'directoryAudits.json',
    ndjson(2_500, audit, { 12: withoutId(12), 1_200: withoutId(1_200), 2_499: withoutId(2_499) }),
  );
  await writeInto(dir, 'signIns.json', ndjson(3_000, signIn, { 7: badDate(7), 2_998: badDate(2_998) }));
  return dir;
}

const failureOf = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (err: unknown) => err,
  );

describe('without --skip-bad-records', () => {
  it('a broken audit event still stops the read with the file, line and field (exit 2 in the CLI)', async () => {
    const dir = await brokenExport();
    const err = await failureOf(
      readExportFolder(dir, { keepAudit: isEvidenceAudit, keepSignIn: isEvidenceSignIn }),
    );
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).location).toMatchObject({ line: 13, entity: 12, field: 'id' });
    expect((err as InputError).location?.file).toMatch(/directoryAudits\.json$/);
  });
});

describe('with --skip-bad-records', () => {
  const read = (dir: string, workerMinBytes: number) =>
    readExportFolder(dir, {
      keepAudit: isEvidenceAudit,
      keepSignIn: isEvidenceSignIn,
      rules: EVIDENCE_RULES,
      skipBadRecords: true,
      workerMinBytes,
      workerPartBytes: 150_000,
      maxWorkersPerFile: 4,
    });

  it('reads on, leaves the broken records out, and counts them per file with the first places', async () => {
    const dir = await brokenExport();
    const snapshot = await read(dir, Number.POSITIVE_INFINITY);
    expect(snapshot.audits).toHaveLength(2_497);
    expect(snapshot.coverage.audits.rows).toBe(2_497);
    expect(snapshot.coverage.audits.skipped).toMatchObject({
      count: 3,
      first: [
        { line: 13, entity: 12, field: 'id' },
        { line: 1_201, entity: 1_200, field: 'id' },
        { line: 2_500, entity: 2_499, field: 'id' },
      ],
    });
    expect(snapshot.coverage.audits.skipped?.file).toMatch(/directoryAudits\.json$/);
    expect(snapshot.signIns).toHaveLength(2_998);
    expect(snapshot.signIns?.map((s: SignIn) => s.id)).not.toContain(signIn(7)['id']);
    expect(snapshot.coverage.signIns.skipped).toMatchObject({
      count: 2,
      first: [
        { line: 8, entity: 7, field: 'createdDateTime' },
        { line: 2_999, entity: 2_998, field: 'createdDateTime' },
      ],
    });
    // Nothing skipped, nothing said.
    expect(snapshot.coverage.users.skipped).toBeUndefined();
    expect(snapshot.audits?.some((a: AuditEvent) => a.id === audit(13)['id'])).toBe(true);
  });

  it('gives the same snapshot when worker threads read the big files in parts', async () => {
    const dir = await brokenExport();
    const here = await read(dir, Number.POSITIVE_INFINITY);
    const inWorkers = await read(dir, 0);
    expect(inWorkers).toStrictEqual(here);
  });

  it('the workers themselves skip (they do not fail and leave it to the main thread), with file-wide places', async () => {
    const dir = await brokenExport();
    const worker = WorkerRead.start<AuditEvent>(`${dir}/directoryAudits.json`, 'audits', isEvidenceAudit, {
      minBytes: 0,
      rules: EVIDENCE_RULES,
      partBytes: 150_000,
      maxParts: 4,
      skipBad: true,
    });
    const result = await worker?.result;
    expect(result).toBeDefined();
    expect(result?.rows).toBe(2_497);
    expect(result?.skipped).toMatchObject({
      count: 3,
      first: [
        { line: 13, entity: 12, field: 'id' },
        { line: 1_201, entity: 1_200, field: 'id' },
        { line: 2_500, entity: 2_499, field: 'id' },
      ],
    });
    // Without the flag a worker still fails on it, for the main thread to word the error.
    const strict = WorkerRead.start<AuditEvent>(`${dir}/directoryAudits.json`, 'audits', isEvidenceAudit, {
      minBytes: 0,
      rules: EVIDENCE_RULES,
    });
    expect(strict).toBeDefined();
    expect(await strict?.result).toBeUndefined();
  });

  it('never skips a record of users.json: exit 2 saying the flag does not apply there, and why', async () => {
    const dir = await temp.make();
    await writeInto(
      dir,
      'users.json',
      JSON.stringify({
        value: [
          { id: 'user-1', userPrincipalName: 'user1@contoso.com' },
          { userPrincipalName: 'noid@contoso.com' },
        ],
      }),
    );
    const err = await failureOf(read(dir, Number.POSITIVE_INFINITY));
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).location).toMatchObject({ entity: 1, field: 'id' });
    expect((err as InputError).hint).toContain(
      '--skip-bad-records does not apply to users.json: every user must be read',
    );
  });

  it('never skips a row of the registration report either', async () => {
    const dir = await temp.make();
    await writeInto(dir, 'users.json', users);
    await writeInto(
      dir,
      'userRegistrationDetails.json',
      JSON.stringify({
        value: [
          {
            id: 'user-1',
            userPrincipalName: 'user1@contoso.com',
            isMfaRegistered: 'yes',
            methodsRegistered: [],
          },
        ],
      }),
    );
    const err = await failureOf(read(dir, Number.POSITIVE_INFINITY));
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).location).toMatchObject({ entity: 0, field: 'isMfaRegistered' });
    expect((err as InputError).hint).toContain(
      '--skip-bad-records does not apply to userRegistrationDetails.json',
    );
  });

  it('still stops on a sign-ins file that is not JSON at all (a syntax error is not one record)', async () => {
    const dir = await temp.make();
    await writeInto(dir, 'users.json', users);
    await writeInto(dir, 'signIns.json', `${JSON.stringify(signIn(1))}\n{"id": nope}\n`);
    const err = await failureOf(read(dir, Number.POSITIVE_INFINITY));
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).location?.line).toBe(2);
  });
});
