/**
 * Every raw entity the generator emits must have a documented Graph shape: its keys must exist in the
 * matching doc example of test/fixtures/graph-docs (or, where the example lacks them, in the property
 * tables of the Graph reference pages named below).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_VOLUME, generateTenant } from '../../src/demo/generate-tenant.js';
import type { SyntheticTenant } from '../../src/demo/generate-tenant.js';
import { fixtureValues, keysOf, readFixture, unknownKeys } from './support/graph-fixtures.js';

let tenant: SyntheticTenant;
beforeAll(() => {
  tenant = generateTenant({ users: 400, seed: 11, collectedAt: '2026-11-20T09:00:00Z', volume: DEMO_VOLUME });
});

describe('users', () => {
  it('have exactly the properties the export reads from GET /users', () => {
    const expected = [
      'accountEnabled',
      'createdDateTime',
      'displayName',
      'id',
      'onPremisesSyncEnabled',
      'userPrincipalName',
      'userType',
    ];
    for (const u of tenant.users) expect(Object.keys(u).sort()).toEqual(expected);
    expect(new Set(tenant.users.map((u) => u.userType))).toEqual(new Set(['Member', 'Guest']));
    // Cloud-only users have null, not false, in Graph.
    expect(new Set(tenant.users.map((u) => u.onPremisesSyncEnabled))).toEqual(new Set([true, null]));
  });
});

describe('registration report rows', () => {
  it('have the key set of the beta doc example', () => {
    const example = keysOf(fixtureValues('reports_authenticationMethods_userRegistrationDetails.beta.json'));
    for (const row of tenant.registration) expect(new Set(Object.keys(row))).toEqual(example);
  });
});

describe('authentication methods', () => {
  // https://learn.microsoft.com/graph/api/resources/authenticationmethod, with the doc examples' own keys added per type below.
  const documented: Record<string, string[]> = {
    '#microsoft.graph.passwordAuthenticationMethod': ['id', 'password', 'createdDateTime'],
    '#microsoft.graph.phoneAuthenticationMethod': ['id', 'phoneNumber', 'phoneType', 'smsSignInState'],
    '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod': [
      'id',
      'displayName',
      'deviceTag',
      'phoneAppVersion',
      'createdDateTime',
      'clientAppName',
    ],
    '#microsoft.graph.fido2AuthenticationMethod': [
      'id',
      'displayName',
      'aaGuid',
      'model',
      'attestationCertificates',
      'attestationLevel',
      'createdDateTime',
    ],
    '#microsoft.graph.windowsHelloForBusinessAuthenticationMethod': [
      'id',
      'displayName',
      'createdDateTime',
      'keyStrength',
    ],
    '#microsoft.graph.softwareOathAuthenticationMethod': ['id', 'secretKey'],
    '#microsoft.graph.emailAuthenticationMethod': ['id', 'emailAddress'],
    '#microsoft.graph.temporaryAccessPassAuthenticationMethod': [
      'id',
      'temporaryAccessPass',
      'createdDateTime',
      'startDateTime',
      'lifetimeInMinutes',
      'isUsableOnce',
      'isUsable',
      'methodUsabilityReason',
    ],
  };
  const examples = [
    ...fixtureValues('users_authentication_methods.v1.0.json'),
    ...fixtureValues('users_authentication_methods.v1.0.tutorial-password-only.json'),
    ...fixtureValues('users_authentication_microsoftAuthenticatorMethods.v1.0.json'),
    readFixture('users_authentication_temporaryAccessPassMethods.post-201.v1.0.json') as Record<
      string,
      unknown
    >,
    ...fixtureValues('users_authentication_phoneMethods.v1.0.json').map((m) => ({
      '@odata.type': '#microsoft.graph.phoneAuthenticationMethod',
      ...m,
    })),
  ];

  it('use only documented @odata.types, with documented keys for each', () => {
    const all = [...tenant.methods.values()].flat();
    const types = new Set(all.map((m) => m['@odata.type']));
    expect([...types].filter((t) => documented[t] === undefined)).toEqual([]);
    expect(types.size).toBe(Object.keys(documented).length); // the generator uses every one of them
    for (const type of types) {
      const allowed = new Set([
        '@odata.type',
        ...(documented[type] ?? []),
        ...keysOf(examples.filter((e) => e['@odata.type'] === type)),
      ]);
      expect(
        unknownKeys(
          all.filter((m) => m['@odata.type'] === type),
          allowed,
        ),
        type,
      ).toEqual([]);
    }
  });

  it('give everyone the password method and phones their fixed slot ids', () => {
    const phoneSlots = new Set(
      fixtureValues('users_authentication_phoneMethods.v1.0.json').map(
        (p) => `${String(p.phoneType)}:${String(p.id)}`,
      ),
    );
    for (const methods of tenant.methods.values()) {
      expect(methods[0]).toMatchObject({
        '@odata.type': '#microsoft.graph.passwordAuthenticationMethod',
        id: '28c10230-6103-485e-b985-444c60001490',
      });
      for (const m of methods) {
        if (m['@odata.type'] === '#microsoft.graph.phoneAuthenticationMethod')
          expect(phoneSlots).toContain(`${m.phoneType}:${m.id}`);
        if (m['@odata.type'] === '#microsoft.graph.temporaryAccessPassAuthenticationMethod')
          expect(m.temporaryAccessPass).toBeNull();
      }
    }
  });
});

describe('directory audits', () => {
  const examples = [
    ...fixtureValues('auditLogs_directoryAudits.v1.0.example1.json'),
    ...fixtureValues('auditLogs_directoryAudits.v1.0.example2-filter-initiatedBy.json'),
  ];
  const pick = (objs: unknown[], key: string) => objs.map((o) => (o as Record<string, unknown>)[key]);
  const targets = examples.flatMap((e) => e.targetResources as unknown[]);
  // The examples have `app: null`; its keys come from https://learn.microsoft.com/graph/api/resources/directoryaudit (community-observed).
  const appKeys = new Set(['appId', 'displayName', 'servicePrincipalId', 'servicePrincipalName']);

  it('use only keys of the doc examples, at every level', () => {
    const audits = tenant.audits as unknown as Record<string, unknown>[];
    expect(unknownKeys(audits, keysOf(examples))).toEqual([]);
    const initiators = pick(audits, 'initiatedBy');
    expect(unknownKeys(initiators, new Set(['user', 'app']))).toEqual([]);
    expect(
      unknownKeys(pick(initiators, 'user'), keysOf(pick(pick(examples, 'initiatedBy'), 'user'))),
    ).toEqual([]);
    expect(unknownKeys(pick(initiators, 'app'), appKeys)).toEqual([]);
    const ourTargets = audits.flatMap((a) => a.targetResources as unknown[]);
    expect(unknownKeys(ourTargets, keysOf(targets))).toEqual([]);
    expect(
      unknownKeys(
        ourTargets.flatMap((t) => (t as { modifiedProperties: unknown[] }).modifiedProperties),
        new Set(['displayName', 'oldValue', 'newValue']),
      ),
    ).toEqual([]);
    expect(
      unknownKeys(
        audits.flatMap((a) => a.additionalDetails as unknown[]),
        new Set(['key', 'value']),
      ),
    ).toEqual([]);
  });

  it('carry modified-property values as JSON strings', () => {
    for (const a of tenant.audits) {
      for (const p of a.targetResources.flatMap((t) => t.modifiedProperties)) {
        for (const v of [p.oldValue, p.newValue]) {
          if (v === null) continue;
          expect(typeof v).toBe('string');
          expect(() => JSON.parse(v) as unknown).not.toThrow();
        }
      }
    }
  });

  it('contain the security-info activities, the StrongAuthentication updates and unrelated noise', () => {
    const names = new Set(tenant.audits.map((a) => a.activityDisplayName));
    for (const n of [
      'User started security info registration',
      'User registered security info',
      'User deleted security info',
      'User registered all required security info',
      'Update user',
      'Add member to group',
      'Remove member from group',
      'Change user password',
      'Reset password (self-service)',
    ]) {
      expect(names, n).toContain(n);
    }
    const cancelled = tenant.audits.find((a) => a.result === 'failure');
    expect(cancelled).toMatchObject({
      activityDisplayName: 'User registered all required security info',
      resultReason: 'User canceled security info registration.',
      loggedByService: 'Authentication Methods',
    });
    const props = tenant.audits.flatMap((a) => a.targetResources.flatMap((t) => t.modifiedProperties));
    const methodValues = props
      .filter((p) => p.displayName === 'StrongAuthenticationMethod')
      .map((p) => p.newValue ?? '');
    expect(methodValues.some((v) => v.includes('"MethodType":6'))).toBe(true);
    expect(methodValues.some((v) => v.includes('"MethodType":"PhoneAppNotification"'))).toBe(true);
  });
});

describe('sign-ins', () => {
  const [example] = fixtureValues('auditLogs_signIns.beta.example1.json');

  it('use only keys of the beta doc example, at every level', () => {
    const signIns = tenant.signIns as unknown as Record<string, unknown>[];
    expect(unknownKeys(signIns, keysOf([example]))).toEqual([]);
    expect(
      unknownKeys(
        signIns.map((s) => s.status),
        keysOf([example?.status]),
      ),
    ).toEqual([]);
    const steps = signIns.flatMap((s) => s.authenticationDetails as unknown[]);
    expect(unknownKeys(steps, keysOf(example?.authenticationDetails as unknown[]))).toEqual([]);
  });

  it('cover the outcomes the rules read', () => {
    const codes = new Set(tenant.signIns.map((s) => s.status.errorCode));
    for (const code of [0, 50072, 50074, 50076, 50079, 50126, 500121])
      expect(codes, String(code)).toContain(code);
    const apps = new Set(tenant.signIns.map((s) => s.appId));
    expect(apps).toContain('4813382a-8fa7-425e-ab75-3b753aab3abb');
    expect(apps).toContain('19db86c3-b2b9-44cc-b339-36da233a3be2');
    expect(
      tenant.signIns.some((s) => !s.isInteractive && s.signInEventTypes[0] === 'nonInteractiveUser'),
    ).toBe(true);
    expect(
      tenant.signIns.some(
        (s) =>
          s.status.additionalDetails === 'MFA requirement satisfied by claim provided by external provider',
      ),
    ).toBe(true);
    expect(
      tenant.signIns.some(
        (s) => s.authenticationRequirement === 'multiFactorAuthentication' && s.status.errorCode === 0,
      ),
    ).toBe(true);
  });
});

describe('tenant-wide objects', () => {
  it('conditional access policies have the doc example shape', () => {
    const examples = fixtureValues('identity_conditionalAccess_policies.v1.0.json');
    const policies = tenant.conditionalAccess as unknown as Record<string, Record<string, unknown>>[];
    expect(unknownKeys(policies, keysOf(examples))).toEqual([]);
    const sub = (objs: unknown[], key: string) => objs.map((o) => (o as Record<string, unknown>)[key]);
    expect(unknownKeys(sub(policies, 'conditions'), keysOf(sub(examples, 'conditions')))).toEqual([]);
    expect(
      unknownKeys(
        sub(sub(policies, 'conditions'), 'users'),
        keysOf(sub(sub(examples, 'conditions'), 'users')),
      ),
    ).toEqual([]);
    expect(
      unknownKeys(
        sub(sub(policies, 'conditions'), 'applications'),
        keysOf(sub(sub(examples, 'conditions'), 'applications')),
      ),
    ).toEqual([]);
    expect(unknownKeys(sub(policies, 'grantControls'), keysOf(sub(examples, 'grantControls')))).toEqual([]);
    // `locations` is null in the example; conditionalAccessLocations has these two (MGDC resource page).
    expect(
      unknownKeys(
        sub(sub(policies, 'conditions'), 'locations'),
        new Set(['includeLocations', 'excludeLocations']),
      ),
    ).toEqual([]);
  });

  it('the authentication methods policy has the doc example shape', () => {
    const example = readFixture('policies_authenticationMethodsPolicy.v1.0.json') as Record<string, unknown>;
    const exampleConfigs = example.authenticationMethodConfigurations as Record<string, unknown>[];
    const policy = tenant.methodsPolicy as unknown as Record<string, unknown>;
    expect(unknownKeys([policy], keysOf([example]))).toEqual([]);
    const configs = policy.authenticationMethodConfigurations as Record<string, unknown>[];
    const exampleTypes = new Set(exampleConfigs.map((c) => c['@odata.type']));
    for (const c of configs) {
      expect(exampleTypes).toContain(c['@odata.type']);
      const same = exampleConfigs.filter((e) => e['@odata.type'] === c['@odata.type']);
      expect(unknownKeys([c], keysOf(same)), String(c.id)).toEqual([]);
    }
    const targetKeys = keysOf(exampleConfigs.flatMap((c) => c.includeTargets as unknown[]));
    expect(
      unknownKeys(
        configs.flatMap((c) => c.includeTargets as unknown[]),
        targetKeys,
      ),
    ).toEqual([]);
  });

  it('group members are user references', () => {
    for (const refs of tenant.groupMembers.values()) {
      for (const r of refs) expect(Object.keys(r).sort()).toEqual(['@odata.type', 'id']);
    }
    expect(tenant.groups.map((g) => g.id).sort()).toEqual([...tenant.groupMembers.keys()].sort());
  });

  it('domains: a managed .onmicrosoft.com and a federated custom domain', () => {
    expect(tenant.domains.find((d) => d.isInitial)).toMatchObject({ authenticationType: 'Managed' });
    expect(tenant.domains.find((d) => d.isInitial)?.id).toMatch(/\.onmicrosoft\.com$/);
    expect(tenant.domains.filter((d) => d.authenticationType === 'Federated')).toHaveLength(1);
    expect(tenant.securityDefaults.isEnabled).toBe(false);
  });
});
