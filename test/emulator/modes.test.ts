/**
 * Tenant and app modes: a Free tenant (no P1/P2) gets Graph's licence error on the premium reports
 * and sign-ins; missing application permissions get 403 Authorization_RequestDenied; the China
 * cloud has no directory audits or per-user methods. The collector's client maps these to its typed
 * errors.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/collect/graph/clock.js';
import { resolveCloud } from '../../src/collect/graph/clouds.js';
import { chooseCredential } from '../../src/collect/graph/credentials.js';
import { LicenceRequired, PermissionMissing } from '../../src/collect/graph/errors.js';
import { createGraphSource } from '../../src/collect/graph/graph-client.js';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { COLLECTED_AT, graphError, startWithCaller } from './support.js';

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function setup(options: Parameters<typeof startWithCaller>[0]) {
  const s = await startWithCaller({ throttling: false, ...options });
  cleanup.push(s.close);
  return s;
}

function source(em: RunningEmulator) {
  const cloud = resolveCloud({ graphUrl: em.url, loginUrl: em.loginUrl });
  const choice = chooseCredential({ tenant: em.tenantId, clientId: 'c', clientSecret: 's' }, {}, cloud, {
    ca: em.caPem,
  });
  const s = createGraphSource({
    graphUrl: em.url,
    credential: choice.credential,
    clock: new ManualClock(),
    ca: em.caPem,
  });
  cleanup.push(async () => s.close());
  return s;
}

const LICENCE = {
  code: 'Authentication_RequestFromNonPremiumTenantOrB2CTenant',
  message: "Neither tenant is B2C or tenant doesn't have premium license",
};

describe("licence: 'free'", () => {
  it('the registration report, its summaries, sign-ins and signInActivity answer the licence error', async () => {
    const { caller } = await setup({ licence: 'free' });
    for (const path of [
      '/v1.0/reports/authenticationMethods/userRegistrationDetails',
      '/beta/reports/authenticationMethods/userRegistrationDetails',
      "/v1.0/reports/authenticationMethods/usersRegisteredByFeature(includedUserTypes='all',includedUserRoles='all')",
      '/v1.0/auditLogs/signIns',
      '/beta/auditLogs/signIns',
      '/v1.0/users?$select=id,signInActivity',
    ]) {
      const r = await caller.get(path);
      expect(r.status, path).toBe(403);
      expect(graphError(r), path).toEqual(LICENCE);
    }
  });

  it('the directory, per-user methods and (7 days of) audits still answer', async () => {
    const { caller, em } = await setup({ licence: 'free' });
    expect((await caller.get('/v1.0/users?$select=id')).status).toBe(200);
    expect((await caller.get(`/beta/users/${em.tenant.users[0]?.id}/authentication/methods`)).status).toBe(
      200,
    );
    const audits = await caller.all('/v1.0/auditLogs/directoryAudits');
    const weekAgo = Date.parse(COLLECTED_AT) - 7 * 86_400_000;
    expect(audits.items.length).toBeGreaterThan(0);
    expect(audits.items.every((a) => Date.parse(String(a['activityDateTime'])) >= weekAgo)).toBe(true);
    expect(audits.items.length).toBeLessThan([...em.tenant.iterateAudits()].length);
  });

  it('the organization shows which plans are assigned (for a preflight)', async () => {
    const free = await setup({ licence: 'free' });
    const p1 = await setup({});
    const plans = async (c: typeof free.caller) =>
      (
        (await c.get('/v1.0/organization')).json as { value: { assignedPlans: { service: string }[] }[] }
      ).value[0]?.assignedPlans.map((p) => p.service);
    expect(await plans(p1.caller)).toContain('AADPremiumService');
    expect(await plans(free.caller)).not.toContain('AADPremiumService');
    const skus = (await p1.caller.get('/v1.0/subscribedSkus')).json as { value: { skuPartNumber: string }[] };
    expect(skus.value.map((s) => s.skuPartNumber)).toContain('AAD_PREMIUM');
  });

  it('the collector’s client raises LicenceRequired', async () => {
    const { em } = await setup({ licence: 'free' });
    await expect(
      source(em).get('/beta/reports/authenticationMethods/userRegistrationDetails'),
    ).rejects.toBeInstanceOf(LicenceRequired);
  });
});

describe('grantedPermissions', () => {
  it('endpoints whose permission is missing answer 403 Authorization_RequestDenied', async () => {
    const { caller } = await setup({ grantedPermissions: ['User.Read.All'] });
    expect((await caller.get('/v1.0/users?$select=id')).status).toBe(200);
    for (const path of [
      '/v1.0/groups',
      '/v1.0/auditLogs/directoryAudits',
      '/beta/reports/authenticationMethods/userRegistrationDetails',
      '/v1.0/identity/conditionalAccess/policies',
      '/v1.0/domains',
    ]) {
      const r = await caller.get(path);
      expect(r.status, path).toBe(403);
      expect(graphError(r), path).toEqual({
        code: 'Authorization_RequestDenied',
        message: 'Insufficient privileges to complete the operation.',
      });
    }
  });

  it('alternatives count (the report takes AuditLog.Read.All), but directory audits need both permissions', async () => {
    const { caller } = await setup({ grantedPermissions: ['AuditLog.Read.All'] });
    expect((await caller.get('/beta/reports/authenticationMethods/userRegistrationDetails')).status).toBe(
      200,
    );
    expect((await caller.get('/v1.0/auditLogs/directoryAudits')).status).toBe(403);
  });

  it('sign-ins omit appliedConditionalAccessPolicies without a policy-reading permission (https://learn.microsoft.com/graph/api/signin-list)', async () => {
    const withCa = await setup({});
    const without = await setup({ grantedPermissions: ['AuditLog.Read.All', 'Directory.Read.All'] });
    const first = async (c: typeof withCa.caller) =>
      ((await c.get('/beta/auditLogs/signIns?$top=1')).json as { value: object[] }).value[0];
    expect(await first(withCa.caller)).toHaveProperty('appliedConditionalAccessPolicies');
    expect(await first(without.caller)).not.toHaveProperty('appliedConditionalAccessPolicies');
  });

  it('the collector’s client raises PermissionMissing naming what to grant', async () => {
    const { em } = await setup({ grantedPermissions: ['User.Read.All'] });
    const failure = await source(em)
      .get('/auditLogs/directoryAudits')
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(PermissionMissing);
    expect((failure as PermissionMissing).permissions).toEqual(['AuditLog.Read.All', 'Directory.Read.All']);
  });
});

describe("cloud: 'china' (https://learn.microsoft.com/graph/deployments)", () => {
  it('has no directory audits and no per-user methods; the reports and sign-ins remain', async () => {
    const { caller, em } = await setup({ cloud: 'china' });
    const audits = await caller.get('/v1.0/auditLogs/directoryAudits');
    expect(audits.status).toBe(400);
    expect(graphError(audits).message).toBe("Resource not found for the segment 'directoryAudits'.");
    const id = em.tenant.users[0]?.id;
    expect((await caller.get(`/beta/users/${id}/authentication/methods`)).status).toBe(400);
    expect((await caller.get(`/v1.0/users/${id}/authentication/phoneMethods`)).status).toBe(400);
    expect((await caller.get('/beta/reports/authenticationMethods/userRegistrationDetails')).status).toBe(
      200,
    );
    expect((await caller.get('/beta/auditLogs/signIns')).status).toBe(200);
  });
});
