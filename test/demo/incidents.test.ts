/**
 * Both incidents (test/fixtures/incidents/README.md) must be in the synthetic tenant exactly as described, in a
 * tenant of any size (they are the first users of the named cast).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_VOLUME, generateTenant } from '../../src/demo/generate-tenant.js';
import type { SyntheticTenant } from '../../src/demo/generate-tenant.js';
import type { DirectoryAudit, GraphUser, SignIn } from '../../src/demo/graph-types.js';
import { AUTHENTICATOR_APP_ID, MY_SIGNINS_APP_ID, PASSWORD_METHOD_ID } from '../../src/domain/well-known.js';
import { judgeTenant } from './support/spec-oracle.js';

let tenant: SyntheticTenant;
beforeAll(() => {
  tenant = generateTenant({ users: 60, seed: 4, collectedAt: '2026-11-20T09:00:00Z', volume: DEMO_VOLUME });
});

const userByUpn = (upnStart: string): GraphUser => {
  const user = tenant.users.find((u) => u.userPrincipalName.startsWith(upnStart));
  if (user === undefined) throw new Error(`no user ${upnStart}`);
  return user;
};
const auditsOf = (user: GraphUser): DirectoryAudit[] =>
  tenant.audits
    .filter((a) => a.targetResources.some((t) => t.id === user.id))
    .sort((a, b) => a.activityDateTime.localeCompare(b.activityDateTime));
const signInsOf = (user: GraphUser): SignIn[] => tenant.signIns.filter((s) => s.userId === user.id);
const property = (audit: DirectoryAudit | undefined, name: string) =>
  audit?.targetResources.flatMap((t) => t.modifiedProperties).find((p) => p.displayName === name);

describe('incident 1: the half-finished Authenticator registration', () => {
  it('MFATest1 and MFATest2 have the same methods list: password and the same Authenticator', () => {
    const lists = ['mfatest1@', 'mfatest2@'].map((upn) => tenant.methods.get(userByUpn(upn).id) ?? []);
    const withoutAuthenticatorId = lists.map((list) =>
      list.map((m) =>
        m['@odata.type'] === '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod'
          ? { ...m, id: '<device>' }
          : m,
      ),
    );
    expect(withoutAuthenticatorId[0]).toEqual(withoutAuthenticatorId[1]);
    expect(lists[0]).toEqual([
      expect.objectContaining({
        '@odata.type': '#microsoft.graph.passwordAuthenticationMethod',
        id: PASSWORD_METHOD_ID,
      }),
      expect.objectContaining({
        '@odata.type': '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod',
        displayName: 'iPhone 14 Pro Max',
        deviceTag: 'SoftwareTokenActivated',
        phoneAppVersion: '6.7.12',
      }),
    ]);
    expect(userByUpn('mfatest1@').displayName).toBe('MFATest1');
    expect(userByUpn('mfatest2@').displayName).toBe('MFATest2');
  });

  it("MFATest1 has the four events within one minute, in the order the incident's audit log shows", () => {
    const user = userByUpn('mfatest1@');
    const deviceId = tenant.methods.get(user.id)?.[1]?.id;
    const events = auditsOf(user);
    expect(events.map((a) => [a.loggedByService, a.activityDisplayName])).toEqual([
      ['Core Directory', 'Update user'],
      ['Authentication Methods', 'User started security info registration'],
      ['Core Directory', 'Update user'],
      ['Authentication Methods', 'User registered security info'],
    ]);
    const [scan, started, methodsSet, registered] = events;
    expect(
      Date.parse(registered?.activityDateTime ?? '') - Date.parse(scan?.activityDateTime ?? ''),
    ).toBeLessThan(60_000);

    expect(scan?.initiatedBy.app?.displayName).toBe('Azure MFA StrongAuthenticationService');
    const detail = property(scan, 'StrongAuthenticationPhoneAppDetail');
    expect(detail?.oldValue).toBe('[]');
    const devices = JSON.parse(detail?.newValue ?? '[]') as Record<string, unknown>[];
    expect(devices).toHaveLength(1);
    expect(devices[0]).toMatchObject({
      DeviceName: 'iPhone 14 Pro Max',
      DeviceTag: 'SoftwareTokenActivated',
      PhoneAppVersion: '6.7.12',
      Id: deviceId,
      AuthenticationType: 3,
      NotificationType: 2,
    });
    expect(Object.keys(devices[0] ?? {})).toEqual(
      expect.arrayContaining(['DeviceToken', 'LastAuthenticatedTimestamp']),
    );

    expect(started?.resultReason).toBe(
      'User started the registration for Authenticator App with Notification and Code',
    );
    expect(methodsSet?.initiatedBy.user?.id).toBe(user.id);
    expect(property(methodsSet, 'StrongAuthenticationMethod')).toMatchObject({
      oldValue: '[]',
      newValue: '[{"MethodType":6,"Default":true},{"MethodType":7,"Default":false}]',
    });
    expect(registered?.resultReason).toBe('User registered Authenticator App with Notification and Code');
  });

  it('MFATest2 has one Update user by the StrongAuthenticationService and nothing after it', () => {
    const user = userByUpn('mfatest2@');
    const events = auditsOf(user);
    expect(events).toHaveLength(1);
    expect(events[0]?.activityDisplayName).toBe('Update user');
    expect(events[0]?.initiatedBy).toMatchObject({
      user: null,
      app: { displayName: 'Azure MFA StrongAuthenticationService' },
    });
    const devices = JSON.parse(
      property(events[0], 'StrongAuthenticationPhoneAppDetail')?.newValue ?? '[]',
    ) as { Id: string }[];
    expect(devices.map((d) => d.Id)).toEqual([tenant.methods.get(user.id)?.[1]?.id]);
  });

  it('neither has an MFA sign-in, so only the audit trail tells them apart', () => {
    for (const upn of ['mfatest1@', 'mfatest2@']) {
      expect(
        signInsOf(userByUpn(upn)).filter((s) => s.authenticationRequirement === 'multiFactorAuthentication'),
      ).toEqual([]);
    }
    const verdicts = judgeTenant(tenant);
    expect(verdicts.get(userByUpn('mfatest1@').id)).toMatchObject({
      verdict: 'ready',
      confidence: 'registered',
    });
    expect(verdicts.get(userByUpn('mfatest2@').id)).toMatchObject({ verdict: 'unverified' });
  });
});

describe('incident 2: the AD FS proof-up loop', () => {
  const group = (name: string) => {
    const g = tenant.groups.find((x) => x.displayName === name);
    if (g === undefined) throw new Error(`no group ${name}`);
    return { ...g, members: new Set((tenant.groupMembers.get(g.id) ?? []).map((r) => r.id)) };
  };
  const expected = () => new Map([...tenant.expectations()].map((e) => [e.id, e]));
  const federatedDomain = () => tenant.domains.find((d) => d.authenticationType === 'Federated')?.id ?? '';

  it('has on-premises MFA_Required and MFA_ProofUpBypass groups and a cloud Break Glass group', () => {
    expect(group('MFA_Required').onPremisesSyncEnabled).toBe(true);
    expect(group('MFA_ProofUpBypass').onPremisesSyncEnabled).toBe(true);
    expect(group('Break Glass').onPremisesSyncEnabled).toBeNull();
  });

  it('has a student looping now: removed from the bypass group, My Signins sign-ins and interrupts within minutes', () => {
    const student = [...tenant.expectations()].find((e) => e.persona === 'looping-now');
    const user = tenant.users.find((u) => u.id === student?.id);
    if (user === undefined) throw new Error('no looping student');
    expect(user.userPrincipalName.endsWith(`@${federatedDomain()}`)).toBe(true);
    expect(user.onPremisesSyncEnabled).toBe(true);
    expect(group('MFA_Required').members).toContain(user.id);
    expect(group('MFA_ProofUpBypass').members).not.toContain(user.id);
    expect(tenant.methods.get(user.id)?.map((m) => m['@odata.type'])).toEqual([
      '#microsoft.graph.passwordAuthenticationMethod',
    ]);

    const signIns = signInsOf(user);
    const loop = signIns.filter(
      (s) => s.appId === MY_SIGNINS_APP_ID || [50072, 50079].includes(s.status.errorCode),
    );
    expect(loop.length).toBeGreaterThanOrEqual(3);
    const times = loop.map((s) => Date.parse(s.createdDateTime));
    expect(Math.max(...times) - Math.min(...times)).toBeLessThanOrEqual(15 * 60_000);
    expect(Date.parse(tenant.tenant.collectedAt) - Math.max(...times)).toBeLessThan(24 * 3_600_000);
    // "Entra sign-in logs show only Success" for the security-info page itself.
    expect(loop.some((s) => s.appId === MY_SIGNINS_APP_ID && s.status.errorCode === 0)).toBe(true);
    expect(signIns.some((s) => s.appId === AUTHENTICATOR_APP_ID && !s.isInteractive)).toBe(true);
    expect(auditsOf(user).some((a) => a.activityDisplayName === 'User registered security info')).toBe(false);
  });

  it("has this week's students in both groups, some already signed into the Authenticator app", () => {
    const byId = expected();
    const batch = tenant.users.filter((u) =>
      ['loop-risk-app-signed-in', 'not-registered-student-new-batch'].includes(byId.get(u.id)?.persona ?? ''),
    );
    const students = batch.filter((u) => u.userPrincipalName.endsWith(`@${federatedDomain()}`));
    expect(students.length).toBeGreaterThanOrEqual(2);
    for (const u of students) {
      expect(group('MFA_Required').members).toContain(u.id);
      expect(group('MFA_ProofUpBypass').members).toContain(u.id);
    }
    const appUsers = students.filter((u) => signInsOf(u).some((s) => s.appId === AUTHENTICATOR_APP_ID));
    expect(appUsers.length).toBeGreaterThanOrEqual(1);
    for (const u of appUsers) expect(tenant.methods.get(u.id)).toHaveLength(1); // password only: never registered
  });

  it('has graduated students whose MFA arrives as a claim from AD FS', () => {
    const graduates = [...tenant.expectations()].filter((e) => e.persona === 'ready-student-graduated');
    expect(graduates.length).toBeGreaterThanOrEqual(1);
    for (const g of graduates) {
      expect(group('MFA_ProofUpBypass').members).not.toContain(g.id);
      const claims = tenant.signIns.filter(
        (s) =>
          s.userId === g.id &&
          s.status.additionalDetails === 'MFA requirement satisfied by claim provided by external provider',
      );
      expect(claims.length).toBeGreaterThanOrEqual(1);
      expect(claims.every((s) => s.tokenIssuerType === 'ADFederationServices')).toBe(true);
    }
  });
});

describe('the policies around the incidents', () => {
  it('the organisation-wide MFA policy is report-only and excludes break-glass; security-info registration is protected', () => {
    const breakGlass = tenant.groups.find((g) => g.displayName === 'Break Glass')?.id;
    const all = tenant.conditionalAccess.find((p) => p.displayName.includes('Require MFA for all users'));
    expect(all).toMatchObject({
      state: 'enabledForReportingButNotEnforced',
      grantControls: { builtInControls: ['mfa'] },
    });
    expect(all?.conditions.users.includeUsers).toEqual(['All']);
    expect(all?.conditions.users.excludeGroups).toEqual([breakGlass]);
    expect(
      tenant.conditionalAccess.some((p) =>
        p.conditions.applications.includeUserActions.includes('urn:user:registersecurityinfo'),
      ),
    ).toBe(true);
  });

  it('the methods policy is migrated, allows Authenticator for all, FIDO2 for one group, and disables software OATH', () => {
    const policy = tenant.methodsPolicy;
    const config = (id: string) => policy.authenticationMethodConfigurations.find((c) => c.id === id);
    const fidoGroup = tenant.groups.find((g) => g.displayName === 'FIDO2 Security Keys')?.id;
    expect(policy.policyMigrationState).toBe('migrationComplete');
    expect(config('MicrosoftAuthenticator')).toMatchObject({
      state: 'enabled',
      includeTargets: [{ id: 'all_users' }],
    });
    expect(config('Fido2')).toMatchObject({
      state: 'enabled',
      includeTargets: [{ id: fidoGroup, targetType: 'group' }],
    });
    expect(config('SoftwareOath')?.state).toBe('disabled');
    expect(config('Sms')?.state).toBe('enabled');
    expect(config('Voice')?.state).toBe('enabled');
  });
});
