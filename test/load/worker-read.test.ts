import { afterAll, describe, expect, it } from 'vitest';
import { readExportFolder } from '../../src/load/read-export-folder.js';
import { readList } from '../../src/load/read-dataset.js';
import { normaliseAudit, normaliseSignIn } from '../../src/load/schemas.js';
import { defaultPartsPerFile, WorkerRead, workerFilterOf } from '../../src/load/worker-read.js';
import {
  EVIDENCE_RULES,
  isEvidenceAudit,
  isEvidenceSignIn,
  isMethodsSignal,
} from '../../src/assess/evidence-filter.js';
import { assess } from '../../src/assess/assess.js';
import { signInFacts } from '../../src/assess/sign-in-facts.js';
import { auditFacts } from '../../src/assess/audit-facts.js';
import { DEMO_VOLUME, generateTenant } from '../../src/demo/generate-tenant.js';
import { writeExportFolder } from '../../src/demo/write-export-folder.js';
import type { DatasetName } from '../../src/domain/datasets.js';
import { InputError } from '../../src/domain/errors.js';
import type { SignIn } from '../../src/domain/tenant.js';
import { tempFolders, writeInto } from '../collect/temp-files.js';

/**
 * A big sign-ins file is read by a worker thread while the main thread reads the rest. It must give
 * the very snapshot, progress calls and errors of reading it on the main thread.
 */

const temp = tempFolders();
afterAll(temp.cleanup);

function signIn(i: number): Record<string, unknown> {
  const mfa = i % 3 === 0;
  return {
    id: `si-${i}`,
    createdDateTime: new Date(Date.UTC(2024, 4, 1) + i * 60_000).toISOString(),
    userId: `user-${i % 40}`,
    userPrincipalName: `user${i % 40}@contoso.com`,
    appDisplayName: 'Microsoft Office',
    status: { errorCode: i % 11 === 0 ? 50079 : 0, failureReason: 'Other.' },
    authenticationRequirement: mfa ? 'multiFactorAuthentication' : 'singleFactorAuthentication',
    authenticationDetails: [
      {
        authenticationMethod: 'Password',
        succeeded: true,
        authenticationStepRequirement: 'Primary authentication',
      },
      ...(mfa
        ? [
            {
              authenticationMethod: 'Mobile app notification',
              succeeded: true,
              authenticationStepResultDetail: 'MFA successfully completed',
              authenticationStepRequirement: 'MFA',
            },
          ]
        : []),
    ],
  };
}

async function exportWith(signIns: string): Promise<string> {
  const dir = await temp.make();
  await writeInto(
    dir,
    'users.json',
    JSON.stringify({ value: [{ id: 'user-1', userPrincipalName: 'user1@contoso.com' }] }),
  );
  await writeInto(dir, 'directoryAudits.json', '[]');
  await writeInto(dir, 'signIns.json', signIns);
  return dir;
}

const ndjson = (n: number) =>
  `${Array.from({ length: n }, (_, i) => JSON.stringify(signIn(i))).join('\n')}\n`;

describe('reading sign-ins in a worker thread', () => {
  it('knows the evidence filters by name, and no other filter', () => {
    expect(workerFilterOf(isEvidenceSignIn, EVIDENCE_RULES)).toBe('isEvidenceSignIn');
    expect(workerFilterOf(isMethodsSignal, EVIDENCE_RULES)).toBe('isMethodsSignal');
    expect(workerFilterOf(isEvidenceAudit, EVIDENCE_RULES)).toBe('isEvidenceAudit');
    expect(workerFilterOf(undefined, EVIDENCE_RULES)).toBe('none');
    expect(workerFilterOf(undefined, undefined)).toBe('none');
    expect(workerFilterOf((s: SignIn) => isEvidenceSignIn(s), EVIDENCE_RULES)).toBeNull();
    // Without the rules the worker has nowhere to import a filter from.
    expect(workerFilterOf(isEvidenceSignIn, undefined)).toBeNull();
  });

  it('gives each of the two big files half the cores by default', () => {
    expect([1, 2, 3, 4, 8].map(defaultPartsPerFile)).toEqual([1, 1, 1, 2, 4]);
  });

  it('gives the items readList gives on the main thread', async () => {
    const dir = await exportWith(ndjson(12_000));
    const file = `${dir}/signIns.json`;
    const worker = WorkerRead.start<SignIn>(file, 'signIns', isEvidenceSignIn, {
      minBytes: 0,
      rules: EVIDENCE_RULES,
    });
    expect(worker).toBeDefined();
    const result = await worker?.result;
    const here = await readList(file, normaliseSignIn, { keep: isEvidenceSignIn });
    expect(result?.rows).toBe(12_000);
    expect(result?.items).toStrictEqual(here.items);
    expect(here.items.length).toBeGreaterThan(1_000);
  });

  it('gives the same items when several workers read parts of the file side by side', async () => {
    const dir = await exportWith(ndjson(12_000));
    const file = `${dir}/signIns.json`;
    const here = await readList(file, normaliseSignIn, { keep: isEvidenceSignIn });
    // Parts of about 100 KB: the file is cut mid-line, and each line must be read by one part only.
    const inParts = await WorkerRead.start<SignIn>(file, 'signIns', isEvidenceSignIn, {
      minBytes: 0,
      rules: EVIDENCE_RULES,
      partBytes: 100_000,
      maxParts: 4,
    })?.result;
    expect(inParts?.rows).toBe(12_000);
    expect(inParts?.items).toStrictEqual(here.items);
    // Capped at one part (the collector's memory budget), a layout that parts cannot read still reads.
    const spanning = `${dir}/pretty.json`;
    await writeInto(dir, 'pretty.json', JSON.stringify({ value: [signIn(1), signIn(2)] }, null, 2));
    const capped = WorkerRead.start<SignIn>(spanning, 'signIns', undefined, {
      minBytes: 0,
      partBytes: 10,
      maxParts: 1,
    });
    expect((await capped?.result)?.items).toHaveLength(2);
  });

  it('reads the entities only the schemas can (PowerShell shapes) as the main thread does', async () => {
    const lines = Array.from({ length: 2_000 }, (_, i) => {
      const entity = signIn(i);
      // Every 50th as PowerShell writes it: PascalCase keys, which the hand-written reader leaves to zod.
      if (i % 50 !== 0) return JSON.stringify(entity);
      return JSON.stringify(
        Object.fromEntries(Object.entries(entity).map(([k, v]) => [k[0]?.toUpperCase() + k.slice(1), v])),
      );
    });
    const dir = await exportWith(lines.join('\n'));
    const file = `${dir}/signIns.json`;
    const here = await readList(file, normaliseSignIn, { keep: isEvidenceSignIn });
    expect(here.items.some((s) => s.id === 'si-150')).toBe(true);
    const inWorker = await WorkerRead.start<SignIn>(file, 'signIns', isEvidenceSignIn, {
      minBytes: 0,
      rules: EVIDENCE_RULES,
    })?.result;
    expect(inWorker?.items).toStrictEqual(here.items);
  });

  it('fails, for the main thread to read it, when a value spans lines in a file cut into parts', async () => {
    const entities = Array.from({ length: 3_000 }, (_, i) => signIn(i));
    const dir = await exportWith(JSON.stringify({ value: entities }, null, 2));
    const file = `${dir}/signIns.json`;
    const whole = await WorkerRead.start<SignIn>(file, 'signIns', undefined, { minBytes: 0 })?.result;
    expect(whole?.items).toHaveLength(3_000);
    const parts = WorkerRead.start<SignIn>(file, 'signIns', undefined, {
      minBytes: 0,
      partBytes: 100_000,
      maxParts: 4,
    });
    expect(await parts?.result).toBeUndefined();
  });

  it('keeps everything without a filter, and reads audits too', async () => {
    const dir = await exportWith(ndjson(50));
    const worker = WorkerRead.start<SignIn>(`${dir}/signIns.json`, 'signIns', undefined, { minBytes: 0 });
    expect((await worker?.result)?.items).toHaveLength(50);
    const audits = `${dir}/audits.json`;
    await writeInto(
      dir,
      'audits.json',
      JSON.stringify({
        value: [{ id: 'a', activityDateTime: '2024-01-01T00:00:00Z', activityDisplayName: 'Update user' }],
      }),
    );
    const auditWorker = WorkerRead.start(audits, 'audits', isEvidenceAudit, {
      minBytes: 0,
      rules: EVIDENCE_RULES,
    });
    expect((await auditWorker?.result)?.items).toStrictEqual(
      (await readList(audits, normaliseAudit, { keep: isEvidenceAudit })).items,
    );
  });

  it('is not used for a filter it cannot run, or a small file', async () => {
    const dir = await exportWith(ndjson(10));
    const file = `${dir}/signIns.json`;
    expect(WorkerRead.start(file, 'signIns', () => true, { minBytes: 0 })).toBeUndefined();
    expect(WorkerRead.start(file, 'signIns', isEvidenceSignIn, { rules: EVIDENCE_RULES })).toBeUndefined();
  });

  it('reports failure on a file with an error, for the main thread to word it', async () => {
    const dir = await exportWith(`${ndjson(100)}{"id": nope}\n`);
    const worker = WorkerRead.start(`${dir}/signIns.json`, 'signIns', isEvidenceSignIn, {
      minBytes: 0,
      rules: EVIDENCE_RULES,
    });
    expect(await worker?.result).toBeUndefined();
  });

  it.each([
    ['isEvidenceSignIn', isEvidenceSignIn],
    ['isMethodsSignal', isMethodsSignal],
  ])(
    'gives readExportFolder the same snapshot and progress calls as the main thread alone (%s)',
    async (_, keepSignIn) => {
      const dir = await exportWith(ndjson(12_345));
      const read = async (workerMinBytes: number) => {
        const calls: [DatasetName, number][] = [];
        const snapshot = await readExportFolder(dir, {
          keepSignIn,
          keepAudit: isEvidenceAudit,
          rules: EVIDENCE_RULES,
          onProgress: (d, rows) => calls.push([d, rows]),
          workerMinBytes,
        });
        return { snapshot, calls };
      };
      const here = await read(Number.POSITIVE_INFINITY);
      const inWorker = await read(0);
      expect(inWorker.snapshot).toStrictEqual(here.snapshot);
      expect(inWorker.calls).toEqual(here.calls);
    },
  );

  it('gives readExportFolder the same error as the main thread alone', async () => {
    const lines = Array.from({ length: 3_000 }, (_, i) => JSON.stringify(signIn(i)));
    lines[2_000] = JSON.stringify({ ...signIn(2_000), status: { errorCode: 'x' } });
    const dir = await exportWith(lines.join('\n'));
    const errorOf = (workerMinBytes: number) =>
      readExportFolder(dir, {
        keepSignIn: isEvidenceSignIn,
        rules: EVIDENCE_RULES,
        workerMinBytes,
        workerPartBytes: 50_000,
        maxWorkersPerFile: 4,
      }).then(
        () => undefined,
        (err: unknown) => err as InputError,
      );
    const here = await errorOf(Number.POSITIVE_INFINITY);
    const inWorker = await errorOf(0);
    expect(here).toBeInstanceOf(InputError);
    expect(inWorker?.message).toBe(here?.message);
    expect(inWorker?.location).toEqual(here?.location);
    expect(here?.location).toMatchObject({ line: 2_001, entity: 2_000, field: 'status.errorCode' });
  });
});

describe('reading audits and sign-ins of a synthetic tenant in worker threads', () => {
  it('gives the snapshot the main thread alone gives', async () => {
    const dir = await temp.make();
    const tenant = generateTenant({
      users: 300,
      seed: 3,
      collectedAt: '2026-11-20T09:00:00Z',
      volume: { signInDays: 7, nonInteractivePerUserPerDay: 1 },
    });
    await writeExportFolder(dir, tenant, { eventFormat: 'ndjson' });
    const read = (workerMinBytes: number, slimEvents = false) =>
      readExportFolder(dir, {
        keepSignIn: isEvidenceSignIn,
        keepAudit: isEvidenceAudit,
        rules: EVIDENCE_RULES,
        workerMinBytes,
        // Cut into parts of 50 KB: several workers per file.
        workerPartBytes: 50_000,
        maxWorkersPerFile: 4,
        slimEvents,
      });
    const here = await read(Number.POSITIVE_INFINITY);
    expect(here.audits?.length).toBeGreaterThan(100);
    expect(here.signIns?.length).toBeGreaterThan(100);
    // How far back the files reach (the export records no window): the same span from the workers.
    expect(here.coverage.signIns.oldest! < here.coverage.signIns.newest!).toBe(true);
    expect(here.coverage.audits.oldest! < here.coverage.audits.newest!).toBe(true);
    expect(await read(0)).toStrictEqual(here);

    // Slimmed: the facts in place of the steps, the same whichever thread read them.
    const slimHere = await read(Number.POSITIVE_INFINITY, true);
    expect(
      slimHere.signIns?.every((s) => s.facts !== undefined && s.authenticationDetails === undefined),
    ).toBe(true);
    const slimInWorkers = await read(0, true);
    expect(slimInWorkers).toStrictEqual(slimHere);
    // Equal facts are one shared copy, on either thread: a few distinct ones for hundreds of sign-ins.
    for (const slim of [slimHere, slimInWorkers]) {
      const distinct = new Set(slim.signIns?.map((s) => s.facts));
      expect(distinct.size).toBeLessThan(30);
      expect([...distinct].every((f) => f === null || Object.isFrozen(f))).toBe(true);
    }
    expect(slimHere.signIns?.map((s) => s.facts)).toEqual(here.signIns?.map((s) => signInFacts(s) ?? null));
    // Audit events keep their facts in place of the property values and details they were read from.
    expect(
      slimHere.audits?.every(
        (a) =>
          a.facts !== undefined &&
          a.facts.length > 0 &&
          a.additionalDetails.length === 0 &&
          a.targetResources.every((t) => t.modifiedProperties.length === 0),
      ),
    ).toBe(true);
    expect(slimHere.audits?.map((a) => a.facts)).toEqual(here.audits?.map((a) => auditFacts(a)));
    expect(slimHere.audits?.map((a) => a.id)).toEqual(here.audits?.map((a) => a.id));
  });

  it('gives the verdict engine the same assessment slimmed as whole', async () => {
    const dir = await temp.make();
    await writeExportFolder(
      dir,
      generateTenant({ users: 400, seed: 9, collectedAt: '2026-11-20T09:00:00Z', volume: DEMO_VOLUME }),
    );
    const options = { keepSignIn: isEvidenceSignIn, keepAudit: isEvidenceAudit, rules: EVIDENCE_RULES };
    const now = new Date('2026-11-20T09:00:00Z');
    const whole = assess(await readExportFolder(dir, options), { now });
    const slim = assess(await readExportFolder(dir, { ...options, slimEvents: true }), { now });
    expect(whole.users.some((u) => u.evidence.some((e) => e.source === 'signIns'))).toBe(true);
    expect(slim).toEqual(whole);
  });
});
