/**
 * Contract: for each endpoint, the entities the emulator serves have the keys and JSON types of the
 * matching Microsoft doc example in test/fixtures/graph-docs (sources in its README). A documented
 * key the emulator lacks must be in that endpoint's allow-list with the reason; an allowance that
 * is no longer needed fails the test too, so the lists stay honest.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { USER_DEFAULT_V1 } from '../../src/emulator/entities/user-entity.js';
import type { Caller, Reply } from './support.js';
import { fixture, startWithCaller } from './support.js';
import type { ShapeReport } from './shape.js';
import { compareShape, isAnnotation, newReport, unexplained } from './shape.js';

let caller: Caller;
let close: () => Promise<void>;
let userIds: string[];

beforeAll(async () => {
  // Shapes only: throttling is tested on its own (throttling.test.ts), including the 429 body.
  const started = await startWithCaller({ users: 60, throttling: false });
  caller = started.caller;
  close = started.close;
  userIds = started.em.tenant.users.map((u) => u.id);
});
afterAll(() => close());

type Row = Record<string, unknown>;
const values = (name: string) => (fixture(name) as { value: Row[] }).value;
const body = (r: Reply) => r.json as Row;

function expectExplained(report: ShapeReport, allowed: Record<string, string> = {}): void {
  expect(unexplained(report, allowed)).toEqual({ missing: [], mismatches: [], unusedAllowances: [] });
}

/** Compares each example row with each served row. */
function compareAll(examples: readonly Row[], rows: readonly Row[], report = newReport()): ShapeReport {
  expect(rows.length).toBeGreaterThan(0);
  for (const e of examples) for (const r of rows) compareShape(e, r, '$', report);
  return report;
}

const ownKeys = (o: Row) =>
  Object.keys(o)
    .filter((k) => !isAnnotation(k))
    .sort();

describe('registration report (https://learn.microsoft.com/graph/api/resources/userregistrationdetails)', () => {
  for (const version of ['v1.0', 'beta'] as const) {
    it(`${version} rows have exactly the example's keys and types`, async () => {
      const example = values(`reports_authenticationMethods_userRegistrationDetails.${version}.json`);
      const { items } = await caller.all(`/${version}/reports/authenticationMethods/userRegistrationDetails`);
      expectExplained(compareAll(example, items));
      for (const row of items) expect(ownKeys(row)).toEqual(ownKeys(example[0] as Row));
    });
  }

  it('usersRegisteredByFeature / usersRegisteredByMethod match their examples', async () => {
    for (const [fn, name] of [
      ['usersRegisteredByFeature', 'reports_authenticationMethods_usersRegisteredByFeature.v1.0.json'],
      ['usersRegisteredByMethod', 'reports_authenticationMethods_usersRegisteredByMethod.v1.0.json'],
    ] as const) {
      const r = await caller.get(
        `/v1.0/reports/authenticationMethods/${fn}(includedUserTypes='all',includedUserRoles='all')`,
      );
      expect(r.status).toBe(200);
      expectExplained(compareShape(fixture(name), r.json));
      expect(body(r)['@odata.type']).toBe((fixture(name) as Row)['@odata.type']);
    }
  });
});

describe('sign-ins (https://learn.microsoft.com/graph/api/resources/signin?view=graph-rest-beta)', () => {
  it('beta rows, interactive and not, have exactly the keys of the beta example', async () => {
    const example = values('auditLogs_signIns.beta.example1.json');
    const interactive = await caller.all('/beta/auditLogs/signIns');
    const nonInteractive = await caller.all(
      "/beta/auditLogs/signIns?$filter=signInEventTypes/any(t: t eq 'nonInteractiveUser')",
    );
    const rows = [...interactive.items, ...nonInteractive.items];
    expectExplained(compareAll(example, rows));
    for (const row of rows) expect(ownKeys(row)).toEqual(ownKeys(example[0] as Row));
    // Some rows carry authentication steps, so their shape was compared too.
    expect(rows.some((r) => (r['authenticationDetails'] as unknown[]).length > 0)).toBe(true);
  });

  it('v1.0 rows have exactly the v1.0 properties, typed as in the beta example', async () => {
    // https://learn.microsoft.com/graph/api/resources/signin?view=graph-rest-beta (learn signIn resource v1.0): no authenticationDetails, authenticationRequirement,
    // signInEventTypes or the other beta additions. No v1.0 example is in the fixtures (README: invalid JSON).
    const v1 = [
      'appDisplayName',
      'appId',
      'appliedConditionalAccessPolicies',
      'clientAppUsed',
      'conditionalAccessStatus',
      'correlationId',
      'createdDateTime',
      'deviceDetail',
      'id',
      'ipAddress',
      'isInteractive',
      'location',
      'resourceDisplayName',
      'resourceId',
      'riskDetail',
      'riskEventTypes_v2',
      'riskLevelAggregated',
      'riskLevelDuringSignIn',
      'riskState',
      'status',
      'userDisplayName',
      'userId',
      'userPrincipalName',
    ];
    const beta = values('auditLogs_signIns.beta.example1.json')[0] as Row;
    const example = Object.fromEntries(v1.map((k) => [k, beta[k]]));
    const { items } = await caller.all('/v1.0/auditLogs/signIns');
    expectExplained(compareAll([example], items));
    for (const row of items) expect(ownKeys(row)).toEqual([...v1].sort());
  });
});

describe('directory audits (https://learn.microsoft.com/graph/api/resources/directoryaudit)', () => {
  it('rows match both doc examples (example 1 spells "Type" with a capital T, a doc quirk)', async () => {
    const { items } = await caller.all('/v1.0/auditLogs/directoryAudits');
    expectExplained(
      compareAll(values('auditLogs_directoryAudits.v1.0.example2-filter-initiatedBy.json'), items),
    );
    const example1 = JSON.parse(
      JSON.stringify(values('auditLogs_directoryAudits.v1.0.example1.json')).replace(/"Type"/g, '"type"'),
    ) as Row[];
    expectExplained(compareAll(example1, items));
    // Self-service and admin events carry a user initiator, so its nested shape was compared.
    expect(items.some((a) => (a['initiatedBy'] as Row)['user'] !== null)).toBe(true);
  });
});

describe('per-user authentication methods (https://learn.microsoft.com/graph/api/resources/authenticationmethods-overview)', () => {
  async function allMethods(version: 'v1.0' | 'beta'): Promise<Row[]> {
    const requests = userIds
      .slice(0, 60)
      .map((id, i) => ({ id: String(i), method: 'GET', url: `/users/${id}/authentication/methods` }));
    const rows: Row[] = [];
    for (let i = 0; i < requests.length; i += 20) {
      const r = await caller.batch(version, requests.slice(i, i + 20));
      const responses = (r.json as { responses: { status: number; body: { value: Row[] } }[] }).responses;
      for (const res of responses) {
        expect(res.status).toBe(200);
        rows.push(...res.body.value);
      }
    }
    return rows;
  }

  const byType = (rows: Row[], type: string) => rows.filter((m) => m['@odata.type'] === type);
  const T = (name: string) => `#microsoft.graph.${name}AuthenticationMethod`;

  it('each method type matches its doc example', async () => {
    const beta = await allMethods('beta');
    for (const row of beta) expect(typeof row['@odata.type']).toBe('string');
    const v1 = (fixture('users_authentication_methods.v1.0.json') as { value: Row[] }).value;
    // The beta doc example has two doc errors (https://learn.microsoft.com/graph/api/resources/authenticationmethod): "odata.type" and "authenticationPhoneType".
    const betaExample = (fixture('users_authentication_methods.beta.json') as { value: Row[] }).value.map(
      (m) =>
        JSON.parse(
          JSON.stringify(m)
            .replace('"odata.type"', '"@odata.type"')
            .replace('"authenticationPhoneType"', '"phoneType"'),
        ),
    ) as Row[];
    const cases: [string, Row, Record<string, string>][] = [
      [T('password'), values('users_authentication_methods.v1.0.tutorial-password-only.json')[0] as Row, {}],
      [
        T('password'),
        betaExample[0] as Row,
        {
          '$.creationDateTime':
            'doc quirk: the resource defines createdDateTime (https://learn.microsoft.com/graph/api/resources/authenticationmethod)',
        },
      ],
      [T('phone'), betaExample[1] as Row, {}],
      [T('phone'), values('users_authentication_phoneMethods.v1.0.json')[0] as Row, {}],
      [
        T('microsoftAuthenticator'),
        values('users_authentication_microsoftAuthenticatorMethods.v1.0.json')[0] as Row,
        {},
      ],
      [
        T('fido2'),
        v1[0] as Row,
        { '$.creationDateTime': 'doc quirk: the resource defines createdDateTime (README)' },
      ],
      [T('windowsHelloForBusiness'), v1[1] as Row, {}],
      [
        T('temporaryAccessPass'),
        fixture('users_authentication_temporaryAccessPassMethods.post-201.v1.0.json') as Row,
        {},
      ],
    ];
    for (const [type, example, allowed] of cases) {
      const rows = byType(beta, type);
      expect(rows.length, type).toBeGreaterThan(0);
      expectExplained(compareAll([example], rows), allowed);
    }
    // v1.0 serves the same types without the beta-only clientAppName.
    const v1rows = await allMethods('v1.0');
    expect(byType(v1rows, T('microsoftAuthenticator')).every((m) => !('clientAppName' in m))).toBe(true);
    expect(
      byType(beta, T('microsoftAuthenticator')).every((m) => m['clientAppName'] === 'microsoftAuthenticator'),
    ).toBe(true);
  });

  it('per-type lists match their examples', async () => {
    const tenantUsers = caller.em.tenant;
    const withPhone = [...tenantUsers.iterateMethods()].find(([, ms]) =>
      ms.some((m) => m['@odata.type'] === T('phone')),
    );
    const withApp = [...tenantUsers.iterateMethods()].find(([, ms]) =>
      ms.some((m) => m['@odata.type'] === T('microsoftAuthenticator')),
    );
    const phones = await caller.get(`/v1.0/users/${withPhone?.[0]}/authentication/phoneMethods`);
    expectExplained(
      compareAll(values('users_authentication_phoneMethods.v1.0.json'), body(phones)['value'] as Row[]),
    );
    const apps = await caller.get(`/v1.0/users/${withApp?.[0]}/authentication/microsoftAuthenticatorMethods`);
    expectExplained(
      compareAll(
        values('users_authentication_microsoftAuthenticatorMethods.v1.0.json'),
        body(apps)['value'] as Row[],
      ),
    );
  });

  it('beta requirements and signInPreferences match their examples', async () => {
    const id = userIds[0] ?? '';
    const req = await caller.get(`/beta/users/${id}/authentication/requirements`);
    expectExplained(compareShape(fixture('users_authentication_requirements.beta.json'), req.json));
    const prefs = await caller.get(`/beta/users/${id}/authentication/signInPreferences`);
    expectExplained(compareShape(fixture('users_authentication_signInPreferences.beta.json'), prefs.json));
    // Beta only: v1.0 has no such properties (https://learn.microsoft.com/graph/api/resources/strongauthenticationrequirements?view=graph-rest-beta).
    expect((await caller.get(`/v1.0/users/${id}/authentication/requirements`)).status).toBe(400);
  });
});

describe('policies (https://learn.microsoft.com/graph/api/resources/conditionalaccesspolicy)', () => {
  it('Conditional Access policies match the v1.0 example', async () => {
    const r = await caller.get('/v1.0/identity/conditionalAccess/policies');
    expectExplained(
      compareAll(values('identity_conditionalAccess_policies.v1.0.json'), body(r)['value'] as Row[]),
    );
  });

  it('the authentication methods policy matches the example (top level, campaign, and each configuration’s targets)', async () => {
    const example = fixture('policies_authenticationMethodsPolicy.v1.0.json') as Row;
    const { authenticationMethodConfigurations: exampleConfigs, ...exampleTop } = example;
    for (const version of ['v1.0', 'beta'] as const) {
      const r = await caller.get(`/${version}/policies/authenticationMethodsPolicy`);
      const { authenticationMethodConfigurations: configs, ...top } = body(r);
      const allowed: Record<string, string> =
        version === 'v1.0'
          ? {
              '$.systemCredentialPreferences':
                'beta only (https://learn.microsoft.com/graph/api/resources/authenticationmethodspolicy); the example’s @odata.context is beta',
              '$.reportSuspiciousActivitySettings':
                'beta only (https://learn.microsoft.com/graph/api/resources/authenticationmethodspolicy)',
            }
          : {};
      expectExplained(compareShape(exampleTop, top), allowed);
      // Per-method settings beyond state and targets are not modelled by the generator; the
      // collector reads only these (src/assess/methods-policy.ts).
      const base = (c: Row) => ({
        id: c['id'],
        state: c['state'],
        excludeTargets: c['excludeTargets'],
        includeTargets: c['includeTargets'],
      });
      const ours = new Map((configs as Row[]).map((c) => [c['id'], c]));
      let compared = 0;
      for (const c of exampleConfigs as Row[]) {
        const mine = ours.get(c['id']);
        if (mine === undefined) continue; // the example's external method has a tenant-specific GUID id
        compared++;
        expect(mine['@odata.type']).toBe(c['@odata.type']);
        const targets = compareShape(base(c), mine);
        // Targets are compared on the keys every method's targets share.
        const allowTargetExtras = Object.fromEntries(
          [...targets.missing]
            .filter((p) => p.startsWith('$.includeTargets[].'))
            .map((p) => [p, 'method-specific target setting']),
        );
        expectExplained(targets, allowTargetExtras);
      }
      expect(compared).toBeGreaterThanOrEqual(8);
    }
  });
});

describe('batch responses and error bodies (https://learn.microsoft.com/graph/throttling-limits)', () => {
  it('$batch answers have the example’s envelope, inner headers and error bodies', async () => {
    const example = fixture('batch_response.v1.0.json') as { responses: Row[] };
    const r = await caller.batch('v1.0', [
      { id: '1', method: 'GET', url: '/users?$select=id,displayName&$top=1' },
      {
        id: '2',
        method: 'GET',
        url: '/users/00000000-0000-0000-0000-000000000000',
        headers: { 'client-request-id': 'c-1' },
      },
    ]);
    expect(r.status).toBe(200);
    const responses = (r.json as { responses: Row[] }).responses;
    expect(responses.map((x) => x['status'])).toEqual([200, 404]);
    // A success has the headers of the example's 200 (x-ms-resource-unit, OData-Version, Content-Type…);
    // a failure has those of its 403 (no OData-Version) and its error body.
    expectExplained(compareShape({ ...example.responses[0], body: {} }, { ...responses[0], body: {} }));
    expectExplained(compareShape(example.responses[2], responses[1]));
  });
});

describe('users (no doc example in the fixtures: the documented default property set)', () => {
  it('v1.0 without $select returns exactly the default set; $select returns exactly what was asked', async () => {
    const all = await caller.get('/v1.0/users?$top=5');
    for (const u of body(all)['value'] as Row[])
      expect(Object.keys(u).sort()).toEqual([...USER_DEFAULT_V1].sort());
    const select =
      'id,userPrincipalName,displayName,accountEnabled,userType,onPremisesSyncEnabled,createdDateTime';
    const picked = await caller.get(`/v1.0/users?$select=${select}&$top=5`);
    for (const u of body(picked)['value'] as Row[]) {
      expect(Object.keys(u)).toEqual(select.split(','));
      expect(typeof u['accountEnabled']).toBe('boolean');
      expect(['Member', 'Guest']).toContain(u['userType']);
    }
  });
});
