/**
 * Missing permission, licence or cloud support for one dataset: the run goes on with the others and
 * the result names what to grant and what the assessment loses. A rejected credential ends the run.
 */
import { access } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readExportFolder } from '../../../src/load/read-export-folder.js';
import { CredentialRejected, resolveCloud } from '../../../src/collect/graph/index.js';
import { collectTenant } from '../../../src/collect/live/index.js';
import { tempFolders } from '../temp-files.js';
import { optionsFor, partOf } from './collect-helpers.js';
import {
  FakeGraphSource,
  credentialRejected,
  licenceRequired,
  permissionMissing,
} from './fake-graph-source.js';
import { PEOPLE, handBuiltTenant, syntheticTenant, fakeFromSynthetic } from './tenants.js';

const temp = tempFolders();
afterEach(() => temp.cleanup());

describe('a dataset Graph refuses', () => {
  it('403 on the registration report: the rest is collected, the result names AuditLog.Read.All and the loss', async () => {
    const source = new FakeGraphSource(handBuiltTenant()).failOn(
      '/reports/authenticationMethods',
      permissionMissing,
    );
    const out = await temp.make();
    const result = await collectTenant(source, optionsFor(out));

    const registration = partOf(result, 'registration');
    expect(registration.status).toMatchObject({
      state: 'failed',
      failure: {
        kind: 'permission-missing',
        endpoint: 'GET /beta/reports/authenticationMethods/userRegistrationDetails',
        status: 403,
        permissions: ['AuditLog.Read.All'],
        delegatedRoles: ['Reports Reader', 'Security Reader', 'Global Reader'],
      },
    });
    expect(registration.lost).toEqual([
      {
        code: 'no-registration-report',
        verdicts: ['unverified', 'policy-blocked', 'not-registered'],
        confidence: ['reported'],
      },
    ]);
    const others = result.parts.filter((p) => p.part !== 'registration' && p.part !== 'signInActivity');
    expect(others.filter((p) => p.status.state !== 'complete')).toEqual([]);
    // Without the report every member is open: all users but the guest get a methods call.
    expect(result.methods?.needs.every((n) => n.absence === 'no-report')).toBe(true);
    expect(result.methods?.planned).toBe(10);
    // No empty file: the reader would take it for "collected, nothing found".
    await expect(access(path.join(out, 'userRegistrationDetails.ndjson'))).rejects.toThrow();
    const snapshot = await readExportFolder(out);
    expect(snapshot.registration).toBeUndefined();
    expect(snapshot.coverage.registration).toEqual({ present: false, rows: 0 });
    expect(snapshot.users).toHaveLength(11);
  });

  it('no P1/P2 licence for the sign-in logs: both sign-in queries fail with the licence named, audits still come', async () => {
    const source = new FakeGraphSource(handBuiltTenant()).failOn('/auditLogs/signIns', licenceRequired);
    const result = await collectTenant(source, optionsFor(await temp.make()));
    for (const part of ['signInsInteractive', 'signInsNonInteractive'] as const) {
      expect(partOf(result, part).status).toMatchObject({
        state: 'failed',
        failure: {
          kind: 'licence-required',
          licence: 'Microsoft Entra ID P1 or P2',
          code: 'Authentication_RequestFromNonPremiumTenantOrB2CTenant',
        },
      });
    }
    expect(partOf(result, 'signInsInteractive').lost?.map((l) => l.code)).toEqual(['mfa-sign-ins-missing']);
    expect(partOf(result, 'signInsInteractive').lost?.[0]?.confidence).toEqual(['proven']);
    expect(partOf(result, 'audits').status).toEqual({ state: 'complete' });
  });

  it('403 on every per-user methods call: one batch is enough to know, the part names UserAuthenticationMethod.Read.All', async () => {
    const tenant = syntheticTenant({ users: 120 });
    const source = new FakeGraphSource(fakeFromSynthetic(tenant), { pageSize: 50 }).failOn(
      '/authentication/methods',
      permissionMissing,
    );
    const result = await collectTenant(
      source,
      optionsFor(await temp.make(), {
        tenantId: tenant.tenant.tenantId,
        now: new Date(tenant.options.collectedAt),
      }),
    );
    expect(result.methods?.planned).toBeGreaterThan(20);
    expect(source.urls('batch-inner')).toHaveLength(20);
    expect(partOf(result, 'methods').status).toMatchObject({
      state: 'failed',
      failure: { kind: 'permission-missing', permissions: ['UserAuthenticationMethod.Read.All'] },
    });
    expect(partOf(result, 'methods').lost?.map((l) => l.code)).toEqual(['methods-lists-missing']);
  });

  it('a user deleted since the user list was read is noted, not a failure', async () => {
    const tenant = handBuiltTenant();
    tenant.users = tenant.users.filter((u) => (u as { id: string }).id !== PEOPLE.disabled);
    tenant.methods.delete(PEOPLE.disabled);
    const source = new FakeGraphSource(tenant);
    // The user is in users.json (read earlier), but Graph no longer knows them.
    const firstRun = new FakeGraphSource(handBuiltTenant());
    const out = await temp.make();
    await collectTenant(firstRun, optionsFor(out, { only: ['users', 'registration'] }));
    const result = await collectTenant(source, optionsFor(out, { only: ['methods'], resume: true }));
    expect(result.methods?.notFound).toEqual([PEOPLE.disabled]);
    expect(partOf(result, 'methods').status).toEqual({ state: 'complete' });
  });

  it('a rejected credential ends the run at its first request', async () => {
    const source = new FakeGraphSource(handBuiltTenant()).failOn('/organization', credentialRejected);
    const out = await temp.make();
    await expect(collectTenant(source, optionsFor(out))).rejects.toBeInstanceOf(CredentialRejected);
    expect(source.seen).toHaveLength(1);
    // tenant.json and the checkpoint are written; nothing else was asked.
    await expect(access(path.join(out, 'tenant.json'))).resolves.toBeUndefined();
  });
});

describe('national clouds', () => {
  it('China: directory audits and per-user methods are skipped with the stated reason, never requested', async () => {
    const source = new FakeGraphSource(handBuiltTenant());
    const out = await temp.make();
    const result = await collectTenant(
      source,
      optionsFor(out, { endpoints: resolveCloud({ cloud: 'china' }) }),
    );
    for (const part of ['audits', 'methods'] as const) {
      const r = partOf(result, part);
      expect(r.status).toMatchObject({
        state: 'skipped',
        reason: { code: 'unavailable-in-cloud', cloud: 'china' },
      });
      const reason = r.status.state === 'skipped' ? r.status.reason : undefined;
      expect(reason?.code === 'unavailable-in-cloud' ? reason.message : '').toMatch(
        /not offered in the China cloud/,
      );
      expect(r.lost?.length).toBeGreaterThan(0);
    }
    expect(
      source.urls().some((u) => u.includes('directoryAudits') || u.includes('/authentication/methods')),
    ).toBe(false);
    expect(partOf(result, 'registration').status).toEqual({ state: 'complete' });
    expect((await readExportFolder(out)).tenant.cloud).toBe('china');
  });
});

describe('--only', () => {
  it('collects only what is asked for (tenant.json always), and says what the rest costs', async () => {
    const source = new FakeGraphSource(handBuiltTenant());
    const result = await collectTenant(
      source,
      optionsFor(await temp.make(), { only: ['users', 'registration'] }),
    );
    const done = result.parts.filter((p) => p.status.state === 'complete').map((p) => p.part);
    expect(done).toEqual(['tenant', 'users', 'registration']);
    expect(partOf(result, 'audits').status).toEqual({ state: 'skipped', reason: { code: 'not-requested' } });
    expect(partOf(result, 'audits').lost?.map((l) => l.code)).toEqual([
      'registration-trail-missing',
      'report-staleness-undetectable',
    ]);
    expect(
      source.urls().some((u) => /auditLogs|groups|policies|domains|authentication\/methods/.test(u)),
    ).toBe(false);
  });
});
