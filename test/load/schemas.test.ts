import { describe, expect, it } from 'vitest';
import {
  normaliseAudit,
  normaliseAuthenticationMethodsPolicy,
  normaliseConditionalAccessPolicy,
  normaliseGroupMember,
  normaliseMethod,
  normaliseRegistration,
  normaliseSecurityDefaults,
  normaliseSignIn,
  normaliseTenant,
  normaliseUser,
} from '../../src/load/schemas.js';
import { InputError } from '../../src/domain/errors.js';

const at = { file: 'x.json', index: 7, line: 42 };

function errorOf(fn: () => unknown): InputError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return err as InputError;
  }
  throw new Error('expected an InputError');
}

describe('users', () => {
  it('lower-cases userType (/users says Member and Guest)', () => {
    expect(normaliseUser({ id: 'u1', userPrincipalName: 'a@b.c', userType: 'Member' }, at).userType).toBe(
      'member',
    );
    expect(normaliseUser({ id: 'u2', userPrincipalName: 'g@b.c', userType: 'Guest' }, at).userType).toBe(
      'guest',
    );
  });

  it('omits fields that are null or missing instead of setting them to undefined', () => {
    const u = normaliseUser({ id: 'u1', userPrincipalName: 'a@b.c', onPremisesSyncEnabled: null }, at);
    expect(u).toEqual({ id: 'u1', userPrincipalName: 'a@b.c' });
    expect(Object.keys(u)).toEqual(['id', 'userPrincipalName']);
  });

  it('rejects accountEnabled "yes", naming the entity, line and field', () => {
    const err = errorOf(() =>
      normaliseUser({ id: 'u1', userPrincipalName: 'a@b.c', accountEnabled: 'yes' }, at),
    );
    expect(err.location).toEqual({ file: 'x.json', entity: 7, line: 42, field: 'accountEnabled' });
    expect(err.message).toBe(
      'field "accountEnabled" of entity 7 must be true or false, but it is the string "yes"',
    );
    expect(err.exitCode).toBe(2);
  });

  it('rejects a missing id and an id that is a number', () => {
    expect(errorOf(() => normaliseUser({ userPrincipalName: 'a@b.c' }, at)).message).toBe(
      'field "id" of entity 7 must be a string, but it is missing',
    );
    const err = errorOf(() => normaliseUser({ id: 12, userPrincipalName: 'a@b.c' }, at));
    expect(err.location?.field).toBe('id');
    expect(err.message).toMatch(/must be a string, but it is the number 12/);
  });

  it('rejects an entity that is not an object', () => {
    const err = errorOf(() => normaliseUser('alice', at));
    expect(err.location).toEqual({ file: 'x.json', entity: 7, line: 42 });
    expect(err.message).toMatch(/entity 7 must be a JSON object, but it is the string "alice"/);
  });

  it('reads Get-MgUser | ConvertTo-Json output (PascalCase keys)', () => {
    const u = normaliseUser(
      {
        Id: 'u1',
        UserPrincipalName: 'a@b.c',
        AccountEnabled: false,
        UserType: 'Member',
        AdditionalProperties: {},
      },
      at,
    );
    expect(u).toEqual({ id: 'u1', userPrincipalName: 'a@b.c', accountEnabled: false, userType: 'member' });
  });
});

describe('registration report', () => {
  const base = { id: 'u1', userPrincipalName: 'a@b.c', isMfaRegistered: true, isMfaCapable: false };

  it('keeps unknown methodsRegistered strings as they are', () => {
    const r = normaliseRegistration(
      { ...base, methodsRegistered: ['mobilePhone', 'passKeyDeviceBoundAuthenticator'] },
      at,
    );
    expect(r.methodsRegistered).toEqual(['mobilePhone', 'passKeyDeviceBoundAuthenticator']);
  });

  it('turns "" enum values into undefined (beta defaultMfaMethod, userPreferredMethod…)', () => {
    const r = normaliseRegistration(
      {
        ...base,
        defaultMfaMethod: '',
        userPreferredMethodForSecondaryAuthentication: '',
        methodsRegistered: [],
      },
      at,
    );
    expect(r).not.toHaveProperty('defaultMfaMethod');
    expect(r).not.toHaveProperty('userPreferredMethodForSecondaryAuthentication');
  });

  it('reads v1.0 rows (no defaultMfaMethod) and a missing methodsRegistered as an empty list', () => {
    const r = normaliseRegistration(base, at);
    expect(r).toEqual({
      id: 'u1',
      userPrincipalName: 'a@b.c',
      isMfaRegistered: true,
      isMfaCapable: false,
      methodsRegistered: [],
    });
  });

  it('rejects methodsRegistered that is not a list of strings, naming the element', () => {
    const err = errorOf(() => normaliseRegistration({ ...base, methodsRegistered: ['sms', 3] }, at));
    expect(err.location?.field).toBe('methodsRegistered.1');
  });
});

describe('authentication methods', () => {
  it('accepts "odata.type" without @ and authenticationPhoneType (beta doc errors)', () => {
    const m = normaliseMethod(
      {
        'odata.type': '#microsoft.graph.phoneAuthenticationMethod',
        id: 'b6332ec1-7057-4abe-9331-3d72feddfe41',
        phoneNumber: '+1 2065555556',
        authenticationPhoneType: 'alternateMobile',
        smsSignInState: 'notSupported',
      },
      at,
    );
    expect(m).toEqual({
      id: 'b6332ec1-7057-4abe-9331-3d72feddfe41',
      kind: 'phone',
      odataType: '#microsoft.graph.phoneAuthenticationMethod',
      phoneType: 'alternateMobile',
      smsSignInState: 'notSupported',
    });
  });

  it('takes fido2 creationDateTime as createdDateTime (v1.0 doc error)', () => {
    const m = normaliseMethod(
      {
        '@odata.type': '#microsoft.graph.fido2AuthenticationMethod',
        id: 'k',
        creationDateTime: '2020-08-10T06:44:09Z',
      },
      at,
    );
    expect(m.createdDateTime).toBe('2020-08-10T06:44:09.000Z');
    expect(m.kind).toBe('fido2');
  });

  it('keeps a method of an unknown @odata.type as kind "unknown", with its type', () => {
    const m = normaliseMethod(
      { '@odata.type': '#microsoft.graph.brandNewAuthenticationMethod', id: 'n1' },
      at,
    );
    expect(m).toEqual({
      id: 'n1',
      kind: 'unknown',
      odataType: '#microsoft.graph.brandNewAuthenticationMethod',
    });
  });

  it('infers the kind of a method listed without @odata.type (per-type collections)', () => {
    expect(
      normaliseMethod({ id: '3179e48a-750b-4051-897c-87b9720928f7', phoneType: 'mobile' }, at).kind,
    ).toBe('phone');
    expect(normaliseMethod({ id: '28c10230-6103-485e-b985-444c60001490' }, at).kind).toBe('password');
    expect(normaliseMethod({ id: 'x' }, at)).toEqual({ id: 'x', kind: 'unknown', odataType: '' });
  });

  it('never copies a Temporary Access Pass or a phone number, only the TAP facts', () => {
    const tap = normaliseMethod(
      {
        '@odata.type': '#microsoft.graph.temporaryAccessPassAuthenticationMethod',
        id: 't1',
        temporaryAccessPass: '+drkzqAD',
        startDateTime: '2022-06-05T00:00:00Z',
        lifetimeInMinutes: 60,
        isUsableOnce: false,
        isUsable: false,
        methodUsabilityReason: 'NotYetValid',
      },
      at,
    );
    expect(tap.tap).toEqual({
      isUsable: false,
      isUsableOnce: false,
      startDateTime: '2022-06-05T00:00:00.000Z',
      lifetimeInMinutes: 60,
      methodUsabilityReason: 'NotYetValid',
    });
    const phone = normaliseMethod(
      { '@odata.type': '#microsoft.graph.phoneAuthenticationMethod', id: 'p', phoneNumber: '+1 2065550199' },
      at,
    );
    expect(JSON.stringify([tap, phone])).not.toMatch(/drkzqAD|2065550199/);
  });

  it('reads Get-MgBetaUserAuthenticationMethod | ConvertTo-Json (Id + AdditionalProperties)', () => {
    const m = normaliseMethod(
      {
        Id: '6803c096-c096-6803-96c0-036896c00368',
        AdditionalProperties: {
          '@odata.type': '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod',
          displayName: 'iPhone 14 Pro Max',
          deviceTag: 'SoftwareTokenActivated',
          phoneAppVersion: '6.7.12',
          // Windows PowerShell 5.1 writes "\/Date(1700000000000)\/", which JSON decodes to this.
          createdDateTime: '/Date(1700000000000)/',
        },
      },
      at,
    );
    expect(m).toEqual({
      id: '6803c096-c096-6803-96c0-036896c00368',
      kind: 'microsoftAuthenticator',
      odataType: '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod',
      displayName: 'iPhone 14 Pro Max',
      createdDateTime: '2023-11-14T22:13:20.000Z',
      deviceTag: 'SoftwareTokenActivated',
      phoneAppVersion: '6.7.12',
    });
  });

  it('keeps a secret out even when PowerShell puts it under AdditionalProperties', () => {
    const m = normaliseMethod(
      {
        Id: 't1',
        AdditionalProperties: {
          '@odata.type': '#microsoft.graph.temporaryAccessPassAuthenticationMethod',
          temporaryAccessPass: 'Secret-Pass-123',
          isUsable: true,
        },
      },
      at,
    );
    expect(JSON.stringify(m)).not.toContain('Secret-Pass-123');
    expect(m.tap).toEqual({ isUsable: true });
  });

  it('rejects a date that is neither ISO 8601 nor \\/Date(ms)\\/', () => {
    const err = errorOf(() =>
      normaliseMethod(
        {
          '@odata.type': '#microsoft.graph.fido2AuthenticationMethod',
          id: 'k',
          createdDateTime: '12/01/2023',
        },
        at,
      ),
    );
    expect(err.location?.field).toBe('createdDateTime');
    expect(err.message).toMatch(/ISO 8601/);
  });
});

describe('directory audits', () => {
  const event = (target: Record<string, unknown>) => ({
    id: 'e1',
    activityDateTime: '2024-04-02T10:15:00Z',
    activityDisplayName: 'Update user',
    initiatedBy: { user: null, app: { appId: null, displayName: 'Azure MFA StrongAuthenticationService' } },
    targetResources: [target],
    additionalDetails: [{ key: 'k', value: null }],
  });

  it('reads the target type from "Type" or "type"', () => {
    expect(normaliseAudit(event({ id: 'u', Type: 'User' }), at).targetResources[0]?.type).toBe('User');
    expect(normaliseAudit(event({ id: 'u', type: 'User' }), at).targetResources[0]?.type).toBe('User');
    expect(normaliseAudit(event({ id: 'u', TYPE: 'User' }), at).targetResources[0]?.type).toBe('User');
  });

  it('keeps modifiedProperties values as JSON strings, re-encoding ones an exporter decoded', () => {
    const e = normaliseAudit(
      event({
        id: 'u',
        modifiedProperties: [
          {
            displayName: 'StrongAuthenticationMethod',
            oldValue: '[]',
            newValue: [{ MethodType: 6, Default: true }],
          },
        ],
      }),
      at,
    );
    expect(e.targetResources[0]?.modifiedProperties).toEqual([
      {
        displayName: 'StrongAuthenticationMethod',
        oldValue: '[]',
        newValue: '[{"MethodType":6,"Default":true}]',
      },
    ]);
    expect(e.initiatedBy).toEqual({ app: { displayName: 'Azure MFA StrongAuthenticationService' } });
  });

  it('rejects an event without activityDateTime', () => {
    const { activityDateTime: _dropped, ...noDate } = event({ id: 'u' });
    expect(errorOf(() => normaliseAudit(noDate, at)).location?.field).toBe('activityDateTime');
  });
});

describe('sign-ins', () => {
  const base = { id: 's1', createdDateTime: '2024-05-09T08:00:00Z' };

  it('takes errorCode, failureReason and additionalDetails from status', () => {
    const s = normaliseSignIn(
      { ...base, status: { errorCode: 50079, failureReason: 'enrol', additionalDetails: 'x' } },
      at,
    );
    expect(s).toEqual({
      ...base,
      createdDateTime: '2024-05-09T08:00:00.000Z',
      errorCode: 50079,
      failureReason: 'enrol',
      additionalDetails: 'x',
    });
  });

  it('reads a sign-in without status as errorCode 0', () => {
    expect(normaliseSignIn(base, at).errorCode).toBe(0);
    expect(normaliseSignIn({ ...base, status: null }, at).errorCode).toBe(0);
  });

  it('rejects a status whose errorCode is missing or not a number', () => {
    expect(
      errorOf(() => normaliseSignIn({ ...base, status: { failureReason: 'x' } }, at)).location?.field,
    ).toBe('status.errorCode');
    const err = errorOf(() => normaliseSignIn({ ...base, status: { errorCode: '50126' } }, at));
    expect(err.message).toBe(
      'field "status.errorCode" of entity 7 must be a number, but it is the string "50126"',
    );
  });

  it('reads Get-MgBetaAuditLogSignIn | ConvertTo-Json from Windows PowerShell 5.1', () => {
    const s = normaliseSignIn(
      {
        Id: 's1',
        CreatedDateTime: '/Date(1715241600000)/',
        Status: { ErrorCode: 0, AdditionalDetails: 'MFA requirement satisfied by claim in the token' },
        AuthenticationRequirement: 'multiFactorAuthentication',
      },
      at,
    );
    expect(s).toEqual({
      id: 's1',
      createdDateTime: '2024-05-09T08:00:00.000Z',
      errorCode: 0,
      additionalDetails: 'MFA requirement satisfied by claim in the token',
      authenticationRequirement: 'multiFactorAuthentication',
    });
  });
});

describe('policies, groups, tenant', () => {
  it('flattens a conditional access policy, including the authentication strength id', () => {
    const p = normaliseConditionalAccessPolicy(
      {
        id: 'p1',
        state: 'enabled',
        conditions: {
          users: { includeGroups: ['g1'] },
          applications: { includeUserActions: ['urn:user:registersecurityinfo'] },
        },
        grantControls: {
          builtInControls: ['mfa'],
          authenticationStrength: { id: '00000000-0000-0000-0000-000000000002' },
        },
      },
      at,
    );
    expect(p).toEqual({
      id: 'p1',
      state: 'enabled',
      users: {
        includeUsers: [],
        excludeUsers: [],
        includeGroups: ['g1'],
        excludeGroups: [],
        includeRoles: [],
        excludeRoles: [],
      },
      includeApplications: [],
      includeUserActions: ['urn:user:registersecurityinfo'],
      builtInControls: ['mfa'],
      authenticationStrengthId: '00000000-0000-0000-0000-000000000002',
      authenticationStrength: { id: '00000000-0000-0000-0000-000000000002' },
    });
  });

  it("keeps a policy's guest conditions, grant operator and the strength's name and combinations", () => {
    const p = normaliseConditionalAccessPolicy(
      {
        id: 'p2',
        conditions: {
          users: {
            includeUsers: ['All'],
            excludeGuestsOrExternalUsers: {
              guestOrExternalUserTypes: 'b2bCollaborationGuest,internalGuest',
              externalTenants: {
                '@odata.type': '#microsoft.graph.conditionalAccessEnumeratedExternalTenants',
                membershipKind: 'enumerated',
                members: ['t-1'],
              },
            },
          },
        },
        grantControls: {
          operator: 'OR',
          builtInControls: [],
          authenticationStrength: {
            id: '00000000-0000-0000-0000-000000000004',
            displayName: 'Phishing-resistant MFA',
            allowedCombinations: ['windowsHelloForBusiness', 'fido2'],
          },
        },
      },
      at,
    );
    expect(p.users.excludeGuestsOrExternalUsers).toEqual({
      guestOrExternalUserTypes: 'b2bCollaborationGuest,internalGuest',
      externalTenantsMembershipKind: 'enumerated',
      externalTenantIds: ['t-1'],
    });
    expect(p.users.includeGuestsOrExternalUsers).toBeUndefined();
    expect(p.grantOperator).toBe('OR');
    expect(p.authenticationStrength).toEqual({
      id: '00000000-0000-0000-0000-000000000004',
      displayName: 'Phishing-resistant MFA',
      allowedCombinations: ['windowsHelloForBusiness', 'fido2'],
    });
  });

  it('reads policy targets and rejects a target without id', () => {
    const policy = normaliseAuthenticationMethodsPolicy(
      {
        policyMigrationState: 'migrationComplete',
        authenticationMethodConfigurations: [
          { id: 'Sms', state: 'disabled', includeTargets: [{ id: 'all_users', targetType: 'group' }] },
        ],
      },
      at,
    );
    expect(policy.configurations).toEqual([
      {
        id: 'Sms',
        state: 'disabled',
        includeTargets: [{ id: 'all_users', targetType: 'group' }],
        excludeTargets: [],
      },
    ]);
    const err = errorOf(() =>
      normaliseAuthenticationMethodsPolicy(
        { authenticationMethodConfigurations: [{ id: 'Sms', includeTargets: [{}] }] },
        at,
      ),
    );
    expect(err.location?.field).toBe('authenticationMethodConfigurations.0.includeTargets.0.id');
  });

  it('requires isEnabled in securityDefaults.json', () => {
    expect(normaliseSecurityDefaults({ isEnabled: true }, at)).toEqual({ isEnabled: true });
    expect(errorOf(() => normaliseSecurityDefaults({ isEnabled: 'true' }, at)).location?.field).toBe(
      'isEnabled',
    );
  });

  it('reads a group member of any type', () => {
    expect(normaliseGroupMember({ '@odata.type': '#microsoft.graph.device', id: 'd1' }, at)).toEqual({
      id: 'd1',
      odataType: '#microsoft.graph.device',
    });
  });

  it('reads tenant.json and rejects an unknown cloud', () => {
    expect(normaliseTenant({ tenantId: 't', cloud: 'USGov' }, at)).toEqual({ tenantId: 't', cloud: 'usgov' });
    expect(errorOf(() => normaliseTenant({ cloud: 'mars' }, at)).message).toMatch(
      /global, usgov, usgovdod, china/,
    );
  });
});

describe("a sign-in's Conditional Access results", () => {
  const raw = {
    id: 's1',
    createdDateTime: '2026-11-20T08:00:00Z',
    status: { errorCode: 0 },
    appliedConditionalAccessPolicies: [
      {
        id: 'ca-1',
        displayName: 'MFA (report-only)',
        enforcedGrantControls: ['Mfa'],
        result: 'reportOnlyInterrupted',
      },
      { id: 'ca-2', displayName: 'Off', result: 'notEnabled' },
      { id: 'ca-3', displayName: 'Other users', result: 'notApplied' },
      { id: 'ca-4', displayName: 'Old client', result: 'unknownFutureValue' },
    ],
  };

  it('keeps id and result of the entries that say something, on the fast and the zod path alike', async () => {
    const { normaliseSignIn, normaliseSignInSlowly } = await import('../../src/load/schemas.js');
    const expected = [
      { id: 'ca-1', result: 'reportOnlyInterrupted' },
      { id: 'ca-4', result: 'unknownFutureValue' },
    ];
    expect(normaliseSignIn(raw, at).appliedConditionalAccessPolicies).toEqual(expected);
    expect(normaliseSignInSlowly(raw, at).appliedConditionalAccessPolicies).toEqual(expected);
  });

  it('an entry without an id is an error, not a silent drop', async () => {
    const { normaliseSignIn } = await import('../../src/load/schemas.js');
    expect(() =>
      normaliseSignIn({ ...raw, appliedConditionalAccessPolicies: [{ result: 'success' }] }, at),
    ).toThrow();
  });
});
