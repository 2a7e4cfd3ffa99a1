import path from 'node:path';
/**
 * The collected folder is an export folder: `readExportFolder` reads it back and the verdict engine
 * gives the same verdicts (and confidences) as on the complete tenant, although the collector fetched
 * per-user methods for a minority of users and only the non-interactive sign-ins the rules use.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readExportFolder } from '../../../src/load/read-export-folder.js';
import { collectTenant } from '../../../src/collect/live/index.js';
import { MY_SIGNINS_APP_ID } from '../../../src/domain/well-known.js';
import { generateDemoTenant } from '../../../src/demo/demo-tenant.js';
import { writeExportFolder } from '../../../src/demo/write-export-folder.js';
import { tempFolders } from '../temp-files.js';
import { listFiles, ndjsonIds, optionsFor, partOf, verdictsOf } from './collect-helpers.js';
import { FakeGraphSource, emptyTenant } from './fake-graph-source.js';
import { fakeFromSynthetic, graphDoc } from './tenants.js';

const temp = tempFolders();
afterEach(() => temp.cleanup());

describe('collect → read → assess', () => {
  it('gives the demo tenant the same verdicts and confidences as its complete export', async () => {
    const tenant = generateDemoTenant();
    const now = new Date(tenant.options.collectedAt);
    const complete = await temp.make();
    await writeExportFolder(complete, tenant, { overwrite: true });

    const out = await temp.make();
    const source = new FakeGraphSource(fakeFromSynthetic(tenant), { pageSize: 40 });
    const result = await collectTenant(source, optionsFor(out, { tenantId: tenant.tenant.tenantId, now }));

    expect(result.parts.filter((p) => p.status.state === 'failed')).toEqual([]);
    const expected = await verdictsOf(complete, now);
    const collected = await verdictsOf(out, now);
    expect(collected.size).toBe(tenant.userCount);
    const differing = [...expected].filter(([id, v]) => {
      const c = collected.get(id);
      return c?.verdict !== v.verdict || c.confidence !== v.confidence;
    });
    expect(differing).toEqual([]);
    // Every verdict of the model is in the demo tenant, so all of them survived the bulk-first strategy.
    expect(new Set([...collected.values()].map((v) => v.verdict)).size).toBe(7);

    // Bulk first: per-user methods for a minority, in $batch calls of at most 20.
    const planned = result.methods?.planned ?? 0;
    expect(planned).toBeGreaterThan(0);
    expect(planned).toBeLessThan(tenant.userCount / 2);
    expect(source.urls('batch-inner')).toHaveLength(planned);
    expect(partOf(result, 'methods').rows).toBe(planned);
    expect(
      source.urls().filter((u) => u.includes('/authentication/methods') && !u.startsWith('/beta/users/')),
    ).toEqual([]);
  });

  it('writes the export-format files: NDJSON for the large collections, JSON for the rest', async () => {
    const tenant = generateDemoTenant();
    const out = await temp.make();
    await collectTenant(
      new FakeGraphSource(fakeFromSynthetic(tenant), { pageSize: 100 }),
      optionsFor(out, { tenantId: tenant.tenant.tenantId, now: new Date(tenant.options.collectedAt) }),
    );
    const files = await listFiles(out);
    expect(files.filter((f) => !f.includes('/'))).toEqual([
      'authenticationMethodsPolicy.json',
      'conditionalAccessPolicies.json',
      'directoryAudits.ndjson',
      'domains.json',
      'groups.ndjson',
      'roleAssignments.json',
      'securityDefaults.json',
      'signIns.ndjson',
      'tenant.json',
      'userRegistrationDetails.ndjson',
      'users.ndjson',
    ]);
    expect(files.some((f) => f.startsWith('authenticationMethods/'))).toBe(true);
    expect(files.some((f) => f.startsWith('groupMembers/'))).toBe(true);
    const snapshot = await readExportFolder(out);
    expect(snapshot.tenant).toEqual({
      tenantId: tenant.tenant.tenantId,
      displayName: tenant.tenant.displayName,
      collectedAt: '2026-11-20T09:00:00.000Z',
      cloud: 'global',
      // How far back each kind of evidence was read: --signin-days (7) for the MFA evidence, the
      // whole retention for the Authenticator app and My Signins, 30 days of audits.
      windows: {
        signIns: '2026-11-13T09:00:00.000Z',
        appSignIns: '2026-10-21T09:00:00.000Z',
        audits: '2026-10-21T09:00:00.000Z',
      },
      // For the next refresh: where the users delta starts, and when the report was read in full.
      usersDeltaLink: 'https://graph.fake.test/v1.0/users/delta?$deltatoken=fake-latest',
      registrationReadAt: '2026-11-20T09:00:00.000Z',
    });
    expect(snapshot.coverage.users).toEqual({ present: true, rows: tenant.userCount });
    expect(snapshot.coverage.registration).toEqual({ present: true, rows: tenant.registration.length });
  });

  it('passes the Graph documentation examples through, quirks and all', async () => {
    const t = emptyTenant();
    t.organization = { id: 'docs', displayName: 'Contoso (docs)' };
    t.registration = graphDoc<{ value: unknown[] }>(
      'reports_authenticationMethods_userRegistrationDetails.beta.json',
    ).value;
    // One user the report does not list, so that the methods step asks for a (docs) methods list.
    const newcomer = {
      id: '0d1e2f3a-0000-4000-8000-00000000aaaa',
      userPrincipalName: 'new@contoso.com',
      accountEnabled: true,
      userType: 'Member',
      createdDateTime: '2023-03-14T08:00:00Z',
    };
    t.users = [
      ...t.registration.map((r) => {
        const row = r as { id: string; userPrincipalName: string; userType: string };
        return {
          id: row.id,
          userPrincipalName: row.userPrincipalName,
          accountEnabled: true,
          userType: row.userType === 'guest' ? 'Guest' : 'Member',
        };
      }),
      newcomer,
    ];
    t.methods.set(
      newcomer.id,
      graphDoc<{ value: unknown[] }>('users_authentication_methods.beta.json').value,
    );
    t.audits = [
      ...graphDoc<{ value: unknown[] }>('auditLogs_directoryAudits.v1.0.example1.json').value,
      ...graphDoc<{ value: unknown[] }>('auditLogs_directoryAudits.v1.0.example2-filter-initiatedBy.json')
        .value,
    ];
    // The docs sign-in is a failed single-factor password sign-in, which the server-side filter leaves
    // out; the same body as a visit to My Signins (the security-info page) is one a rule reads.
    const docSignIns = graphDoc<{ value: Record<string, unknown>[] }>(
      'auditLogs_signIns.beta.example1.json',
    ).value;
    t.signIns = [
      ...docSignIns,
      ...docSignIns.map((s) => ({ ...s, id: `${String(s['id'])}-mysignins`, appId: MY_SIGNINS_APP_ID })),
    ];
    t.conditionalAccess = graphDoc<{ value: unknown[] }>(
      'identity_conditionalAccess_policies.v1.0.json',
    ).value;
    t.methodsPolicy = graphDoc('policies_authenticationMethodsPolicy.v1.0.json');

    const out = await temp.make();
    const result = await collectTenant(
      new FakeGraphSource(t, { pageSize: 2 }),
      // The docs examples date from 2021 (sign-in) to 2024 (audits): collect as of mid-2021, a year of audits.
      optionsFor(out, {
        tenantId: 'docs',
        now: new Date('2021-07-01T00:00:00Z'),
        since: new Date('2020-07-01T00:00:00Z'),
      }),
    );
    expect(partOf(result, 'registration').rows).toBe(3);
    expect(partOf(result, 'signInsInteractive').rows).toBe(1);
    expect(await ndjsonIds(path.join(out, 'signIns.ndjson'))).toEqual([
      `${String(docSignIns[0]?.['id'])}-mysignins`,
    ]);
    // Neither docs audit example is a security-info activity: the server-side filter keeps them out.
    expect(partOf(result, 'audits').rows).toBe(0);
    expect(result.methods?.needs.map((n) => n.id)).toEqual([newcomer.id]);
    const snapshot = await readExportFolder(out);
    expect(snapshot.methods?.get(newcomer.id)?.methods.map((m) => m.kind)).toEqual([
      'password',
      'phone',
      'phone',
    ]);
    expect(snapshot.registration?.map((r) => r.defaultMfaMethod)).toEqual([
      'microsoftAuthenticatorPush',
      undefined,
      'mobilePhone',
    ]);
    expect(snapshot.signIns?.[0]?.errorCode).toBe(50126);
  });
});
