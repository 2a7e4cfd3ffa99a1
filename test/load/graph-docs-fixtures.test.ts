import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readEntities } from '../../src/load/read-entities.js';
import {
  normaliseAudit,
  normaliseAuthenticationMethodsPolicy,
  normaliseConditionalAccessPolicy,
  normaliseMethod,
  normaliseRegistration,
  normaliseSignIn,
  normaliseUser,
} from '../../src/load/schemas.js';
import type { EntityAt } from '../../src/load/parse-entity.js';

/**
 * Every example payload from Microsoft's documentation in test/fixtures/graph-docs goes through
 * the reader and the normaliser of its dataset, with its documented quirks left in (see the README
 * there). The last test fails when a file is added there without being covered here.
 */
const GRAPH_DOCS = fileURLToPath(new URL('../fixtures/graph-docs/', import.meta.url));

async function normaliseFile<T>(name: string, normalise: (raw: unknown, at: EntityAt) => T): Promise<T[]> {
  const file = GRAPH_DOCS + name;
  const out: T[] = [];
  for await (const { entity, index, line } of readEntities(file)) {
    out.push(normalise(entity, line === undefined ? { file, index } : { file, index, line }));
  }
  return out;
}

async function rawEntities(name: string): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const { entity } of readEntities(GRAPH_DOCS + name)) out.push(entity);
  return out;
}

const covered = new Set<string>();
function fixture(name: string, test: () => Promise<void>): void {
  covered.add(name);
  it(name, test);
}

describe('Microsoft Graph doc examples (test/fixtures/graph-docs)', () => {
  fixture('reports_authenticationMethods_userRegistrationDetails.v1.0.json', async () => {
    const rows = await normaliseFile(
      'reports_authenticationMethods_userRegistrationDetails.v1.0.json',
      normaliseRegistration,
    );
    expect(rows.map((r) => r.userPrincipalName)).toEqual([
      'AlexW@Contoso.com',
      'AllanD@Contoso.com',
      'BiancaP@Contoso.com',
    ]);
    expect(rows[0]).toMatchObject({
      isMfaRegistered: true,
      isMfaCapable: true,
      methodsRegistered: ['microsoftAuthenticatorPush', 'softwareOneTimePasscode'],
    });
    expect(rows[0]).not.toHaveProperty('defaultMfaMethod');
    // "" for the user with no methods: no preference, not a preference called "".
    expect(rows[1]).not.toHaveProperty('userPreferredMethodForSecondaryAuthentication');
    expect(rows[1]?.userType).toBe('guest');
    expect(rows[2]?.lastUpdatedDateTime).toBe('2023-03-13T19:15:41.619Z');
  });

  fixture('reports_authenticationMethods_userRegistrationDetails.beta.json', async () => {
    const rows = await normaliseFile(
      'reports_authenticationMethods_userRegistrationDetails.beta.json',
      normaliseRegistration,
    );
    expect(rows.map((r) => r.defaultMfaMethod)).toEqual([
      'microsoftAuthenticatorPush',
      undefined,
      'mobilePhone',
    ]);
    expect(rows[1]).not.toHaveProperty('defaultMfaMethod');
    expect(rows[2]?.methodsRegistered).toEqual([
      'mobilePhone',
      'microsoftAuthenticatorPush',
      'softwareOneTimePasscode',
    ]);
    expect(rows[2]?.userPreferredMethodForSecondaryAuthentication).toBe('voiceMobile');
  });

  fixture('users_authentication_methods.v1.0.json', async () => {
    const [fido, hello] = await normaliseFile('users_authentication_methods.v1.0.json', normaliseMethod);
    // The doc's fido2 example says creationDateTime; the resource defines createdDateTime.
    expect(fido).toEqual({
      id: '-2_GRUg2-HYz6_1YG4YRAQ2',
      kind: 'fido2',
      odataType: '#microsoft.graph.fido2AuthenticationMethod',
      displayName: 'Red key',
      createdDateTime: '2020-08-10T06:44:09.000Z',
    });
    expect(hello).toMatchObject({
      kind: 'windowsHelloForBusiness',
      createdDateTime: '2020-11-27T23:12:49.000Z',
    });
  });

  fixture('users_authentication_methods.beta.json', async () => {
    // "odata.type" without "@" and authenticationPhoneType instead of phoneType, as in the doc.
    const methods = await normaliseFile('users_authentication_methods.beta.json', normaliseMethod);
    expect(methods.map((m) => m.kind)).toEqual(['password', 'phone', 'phone']);
    expect(methods.map((m) => m.phoneType)).toEqual([undefined, 'mobile', 'alternateMobile']);
    expect(methods[1]?.smsSignInState).toBe('ready');
    expect(JSON.stringify(methods)).not.toContain('2065555555');
  });

  fixture('users_authentication_methods.v1.0.tutorial-password-only.json', async () => {
    const methods = await normaliseFile(
      'users_authentication_methods.v1.0.tutorial-password-only.json',
      normaliseMethod,
    );
    expect(methods).toEqual([
      {
        id: '28c10230-6103-485e-b985-444c60001490',
        kind: 'password',
        odataType: '#microsoft.graph.passwordAuthenticationMethod',
        createdDateTime: '2023-09-18T10:38:07.000Z',
      },
    ]);
  });

  fixture('users_authentication_phoneMethods.v1.0.json', async () => {
    // The per-type collection has no @odata.type: the kind comes from the fixed phone-slot ids.
    const methods = await normaliseFile('users_authentication_phoneMethods.v1.0.json', normaliseMethod);
    expect(methods.map((m) => [m.kind, m.phoneType])).toEqual([
      ['phone', 'mobile'],
      ['phone', 'alternateMobile'],
      ['phone', 'office'],
    ]);
    expect(JSON.stringify(methods)).not.toMatch(/2065555/);
  });

  fixture('users_authentication_microsoftAuthenticatorMethods.v1.0.json', async () => {
    const [m] = await normaliseFile(
      'users_authentication_microsoftAuthenticatorMethods.v1.0.json',
      normaliseMethod,
    );
    // deviceTag "" means none.
    expect(m).toEqual({
      id: '6803c096-c096-6803-96c0-036896c00368',
      kind: 'microsoftAuthenticator',
      odataType: '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod',
      displayName: "Sandeep's iPhone",
      phoneAppVersion: '6.5.4',
      createdDateTime: '2020-12-03T23:16:12.000Z',
    });
  });

  fixture('users_authentication_temporaryAccessPassMethods.post-201.v1.0.json', async () => {
    const [m] = await normaliseFile(
      'users_authentication_temporaryAccessPassMethods.post-201.v1.0.json',
      normaliseMethod,
    );
    expect(m?.kind).toBe('temporaryAccessPass');
    expect(m?.tap).toEqual({
      isUsable: false,
      isUsableOnce: false,
      startDateTime: '2022-06-05T00:00:00.000Z',
      lifetimeInMinutes: 60,
      methodUsabilityReason: 'NotYetValid',
    });
    expect(JSON.stringify(m)).not.toContain('+drkzqAD');
  });

  fixture('auditLogs_directoryAudits.v1.0.example1.json', async () => {
    const [e] = await normaliseFile('auditLogs_directoryAudits.v1.0.example1.json', normaliseAudit);
    expect(e?.id).toBe('id');
    // "Type" with a capital T in this example.
    expect(e?.targetResources.map((t) => t.type)).toEqual(['Group', 'User']);
    expect(e?.targetResources[0]?.modifiedProperties).toEqual([
      { displayName: 'Action Client Name', oldValue: null, newValue: 'DirectorySync' },
    ]);
    expect(e?.initiatedBy).toEqual({
      user: {
        id: '728309ae-1a37-4937-9afe-e35d964db09b',
        displayName: 'Audry Oliver',
        userPrincipalName: 'bob@wingtiptoysonline.com',
      },
    });
    expect(e?.additionalDetails).toEqual([
      { key: 'Additional Detail Name', value: 'Additional Detail Value' },
    ]);
  });

  fixture('auditLogs_directoryAudits.v1.0.example2-filter-initiatedBy.json', async () => {
    const [e] = await normaliseFile(
      'auditLogs_directoryAudits.v1.0.example2-filter-initiatedBy.json',
      normaliseAudit,
    );
    expect(e).toMatchObject({
      id: 'SSGM_b662f17a-4e4d-4e1c-9248-cdec180024b2_MCDC4_88453290',
      operationType: 'Update',
      activityDateTime: '2024-12-27T10:01:19.579Z',
    });
    expect(e?.targetResources[0]?.type).toBe('N/A');
    expect(e?.initiatedBy.user).toEqual({ id: '00000000-0000-0000-0000-000000000000' });
  });

  fixture('auditLogs_signIns.beta.example1.json', async () => {
    const [s] = await normaliseFile('auditLogs_signIns.beta.example1.json', normaliseSignIn);
    expect(s).toMatchObject({
      id: '1691d37b-8579-43a7-966a-0f35583c1300',
      errorCode: 50126,
      authenticationRequirement: 'singleFactorAuthentication',
      signInEventTypes: ['interactiveUser'],
      authenticationMethodsUsed: [],
      tokenIssuerType: 'AzureAD',
      conditionalAccessStatus: 'notApplied',
    });
    expect(s?.additionalDetails).toContain('\u00a0It');
    expect(s?.authenticationDetails).toEqual([
      {
        authenticationStepDateTime: '2021-06-30T16:34:32.000Z',
        authenticationMethod: 'Password',
        authenticationMethodDetail: 'Password in the cloud',
        succeeded: false,
        authenticationStepResultDetail:
          'Invalid username or password or Invalid on-premise username or password.',
        authenticationStepRequirement: 'Primary authentication',
      },
    ]);
    // The doc repeats homeTenantId with two values; the last one wins, as in JSON.parse.
    const [raw] = (await rawEntities('auditLogs_signIns.beta.example1.json')) as { homeTenantId: string }[];
    expect(raw?.homeTenantId).toBe('99081087-73c4-48d1-a112-f60ff75114f7');
  });

  fixture('identity_conditionalAccess_policies.v1.0.json', async () => {
    const policies = await normaliseFile(
      'identity_conditionalAccess_policies.v1.0.json',
      normaliseConditionalAccessPolicy,
    );
    expect(policies.map((p) => [p.displayName, p.state, p.builtInControls])).toEqual([
      ['SimplePolicy1', 'disabled', ['block']],
      ['SimplePolicy2', 'disabled', ['mfa']],
    ]);
    expect(policies[0]?.users.includeUsers).toEqual(['None']);
    expect(policies[0]).not.toHaveProperty('authenticationStrengthId');
  });

  fixture('policies_authenticationMethodsPolicy.v1.0.json', async () => {
    const [policy] = await normaliseFile(
      'policies_authenticationMethodsPolicy.v1.0.json',
      normaliseAuthenticationMethodsPolicy,
    );
    expect(policy?.policyMigrationState).toBe('preMigration');
    const byId = new Map(policy?.configurations.map((c) => [c.id, c]));
    expect([...byId.keys()]).toContain('MicrosoftAuthenticator');
    expect(byId.get('Fido2')).toEqual({
      id: 'Fido2',
      odataType: '#microsoft.graph.fido2AuthenticationMethodConfiguration',
      state: 'enabled',
      includeTargets: [{ id: 'all_users', targetType: 'group' }],
      excludeTargets: [{ id: 'dad4ae4a-730c-4e52-826c-0d9094971f04', targetType: 'group' }],
    });
    expect(byId.get('Voice')?.state).toBe('disabled');
    expect(byId.get('fda55161-0d73-48ec-b29f-d29689e3d1b6')?.odataType).toBe(
      '#microsoft.graph.externalAuthenticationMethodConfiguration',
    );
  });

  fixture('batch_response.v1.0.json', async () => {
    // Not an export dataset: the live collector unwraps $batch. The users page inside it is a /users page.
    const [batch] = (await rawEntities('batch_response.v1.0.json')) as {
      responses: { id: string; status: number; body: { value?: unknown[] } }[];
    }[];
    expect(batch?.responses.map((r) => r.status)).toEqual([200, 403, 403, 405, 200]);
    const users = (batch?.responses[4]?.body.value ?? []).map((u, index) =>
      normaliseUser(u, { file: 'batch', index }),
    );
    expect(users).toEqual([
      {
        id: '10a1d484-cd1a-4162-a5a4-832370bac356',
        userPrincipalName: 'LynneR@contoso.com',
        displayName: 'Lynne Robbins',
      },
    ]);
  });

  // Files with no dataset in the export folder: they must still read as one JSON object each.
  for (const name of [
    'reports_authenticationMethods_usersRegisteredByFeature.v1.0.json',
    'reports_authenticationMethods_usersRegisteredByMethod.v1.0.json',
    'throttling_429_error.json',
    'users_authentication_requirements.beta.json',
    'users_authentication_signInPreferences.beta.json',
  ]) {
    fixture(name, async () => {
      const entities = await rawEntities(name);
      expect(entities).toHaveLength(1);
      expect(typeof entities[0]).toBe('object');
    });
  }

  it('covers every file in the folder', () => {
    const files = readdirSync(GRAPH_DOCS).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(0);
    expect(files.filter((f) => !covered.has(f))).toEqual([]);
  });
});
