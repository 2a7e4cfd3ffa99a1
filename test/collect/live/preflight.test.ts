/** `preflight`: the credential, then one minimal probe per part, and what each missing one costs. */
import { describe, expect, it } from 'vitest';
import { resolveCloud } from '../../../src/collect/graph/index.js';
import { preflight } from '../../../src/collect/live/index.js';
import type { PreflightReport, ProbeResult } from '../../../src/collect/live/index.js';
import {
  FakeGraphSource,
  badRequest,
  credentialRejected,
  licenceRequired,
  permissionMissing,
} from './fake-graph-source.js';
import { PEOPLE, handBuiltTenant } from './tenants.js';

const GLOBAL = { endpoints: resolveCloud() };

function probe(report: PreflightReport, part: ProbeResult['part']): ProbeResult {
  const found = report.probes.find((p) => p.part === part);
  if (found === undefined) throw new Error(`no probe for ${part}`);
  return found;
}

describe('preflight', () => {
  it('probes each endpoint once with a minimal request and finds everything present', async () => {
    const source = new FakeGraphSource(handBuiltTenant());
    const report = await preflight(source, GLOBAL);
    expect(report.credential).toEqual({ ok: true });
    expect(source.urls()).toEqual([
      '/v1.0/organization?$select=id,displayName',
      '/v1.0/users?$select=id&$top=1',
      '/v1.0/groups?$select=id&$top=1',
      '/beta/reports/authenticationMethods/userRegistrationDetails?$top=1',
      '/v1.0/identity/conditionalAccess/policies?$top=1',
      '/v1.0/policies/authenticationMethodsPolicy',
      '/v1.0/policies/identitySecurityDefaultsEnforcementPolicy',
      '/v1.0/domains',
      '/v1.0/roleManagement/directory/roleAssignments?$top=1',
      '/v1.0/groups/bbbbbbbb-0000-4000-8000-000000000001/transitiveMembers?$select=id&$top=1',
      '/v1.0/auditLogs/directoryAudits?$top=1',
      '/beta/auditLogs/signIns?$top=1',
      `/beta/users/${PEOPLE.settled}/authentication/methods`,
    ]);
    expect(report.probes.filter((p) => p.state !== 'ok').map((p) => [p.part, p.state])).toEqual([
      ['signInActivity', 'not-probed'],
    ]);
    expect(report.permissions).toEqual({
      present: [
        'AuditLog.Read.All',
        'Directory.Read.All',
        'Policy.Read.All',
        'User.Read.All',
        'UserAuthenticationMethod.Read.All',
      ],
      missing: [],
    });
    expect(report.licence).toEqual({ name: 'Microsoft Entra ID P1 or P2', state: 'present' });
  });

  it('names the missing permissions, the missing licence, and what each costs', async () => {
    const source = new FakeGraphSource(handBuiltTenant())
      .failOn('/auditLogs/directoryAudits', permissionMissing)
      .failOn('/authentication/methods', permissionMissing)
      .failOn('/auditLogs/signIns', licenceRequired)
      .failOn('/reports/', licenceRequired);
    const report = await preflight(source, GLOBAL);
    expect(probe(report, 'audits')).toMatchObject({
      state: 'permission-missing',
      required: { permissions: ['AuditLog.Read.All', 'Directory.Read.All'] },
      failure: { kind: 'permission-missing', permissions: ['AuditLog.Read.All', 'Directory.Read.All'] },
      lost: [
        { code: 'registration-trail-missing', verdicts: ['unverified'], confidence: ['registered'] },
        { code: 'report-staleness-undetectable', verdicts: ['ready', 'not-registered'], confidence: [] },
      ],
    });
    expect(probe(report, 'methods').state).toBe('permission-missing');
    expect(probe(report, 'signInsInteractive')).toMatchObject({
      state: 'licence-required',
      lost: [{ code: 'mfa-sign-ins-missing', confidence: ['proven'] }],
    });
    expect(probe(report, 'signInsNonInteractive').state).toBe('licence-required');
    // Directory.Read.All answered elsewhere (groups, domains), so AuditLog.Read.All is what is missing.
    expect(report.permissions.missing).toEqual(['AuditLog.Read.All', 'UserAuthenticationMethod.Read.All']);
    expect(report.delegatedRolesForMissing).toContain('Authentication Administrator');
    expect(report.licence.state).toBe('missing');
    // One probe for both sign-in parts.
    expect(source.urls().filter((u) => u.includes('signIns'))).toHaveLength(1);
  });

  it('a readable registration report does not prove AuditLog.Read.All (UserAuthenticationMethod.Read.All also opens it)', async () => {
    const source = new FakeGraphSource(handBuiltTenant())
      .failOn('/auditLogs/directoryAudits', permissionMissing)
      .failOn('/auditLogs/signIns', permissionMissing);
    const report = await preflight(source, GLOBAL);
    expect(probe(report, 'registration').state).toBe('ok');
    expect(report.permissions.missing).toContain('AuditLog.Read.All');
    expect(report.permissions.present).not.toContain('AuditLog.Read.All');
  });

  it('without a user to probe with, still names what the methods endpoint needs', async () => {
    const tenant = handBuiltTenant();
    tenant.users = [];
    const report = await preflight(new FakeGraphSource(tenant), GLOBAL);
    expect(probe(report, 'methods')).toMatchObject({
      state: 'not-probed',
      request: null,
      required: { permissions: ['UserAuthenticationMethod.Read.All'] },
      reason: expect.stringMatching(/no user id/),
    });
  });

  it('stops at a rejected credential and probes nothing else', async () => {
    const source = new FakeGraphSource(handBuiltTenant()).failOn('/organization', credentialRejected);
    const report = await preflight(source, GLOBAL);
    expect(report.credential).toMatchObject({
      ok: false,
      failure: { kind: 'credential-rejected', status: 401 },
    });
    expect(source.urls()).toHaveLength(1);
    expect(report.probes.slice(1).every((p) => p.state === 'not-probed')).toBe(true);
  });

  it('reports the datasets a national cloud does not offer, without asking for them', async () => {
    const source = new FakeGraphSource(handBuiltTenant());
    const report = await preflight(source, { endpoints: resolveCloud({ cloud: 'china' }), lastSignIn: true });
    expect(probe(report, 'audits')).toMatchObject({
      state: 'unavailable-in-cloud',
      reason: expect.stringMatching(/China/),
    });
    expect(probe(report, 'methods').state).toBe('unavailable-in-cloud');
    expect(probe(report, 'signInActivity').state).toBe('ok');
    expect(
      source.urls().some((u) => u.includes('directoryAudits') || u.includes('/authentication/methods')),
    ).toBe(false);
  });

  it('asks again without $top where Graph refuses it', async () => {
    const source = new FakeGraphSource(handBuiltTenant()).failOn(
      /userRegistrationDetails\?\$top=1$/,
      badRequest,
    );
    const report = await preflight(source, { ...GLOBAL, only: ['registration'] });
    expect(probe(report, 'registration').state).toBe('ok');
    expect(source.urls().filter((u) => u.includes('userRegistrationDetails'))).toEqual([
      '/beta/reports/authenticationMethods/userRegistrationDetails?$top=1',
      '/beta/reports/authenticationMethods/userRegistrationDetails',
    ]);
  });
});
