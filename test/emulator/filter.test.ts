/** The OData $filter parser, type checker and evaluator, and the pushdown hints read from a filter. */
import { describe, expect, it } from 'vitest';
import {
  DIRECTORY_AUDIT_FILTER,
  REGISTRATION_FILTER,
  SIGN_IN_FILTER,
} from '../../src/emulator/entities/filter-schemas.js';
import { GraphErrorResponse } from '../../src/emulator/graph/graph-error.js';
import { parseDateTime } from '../../src/emulator/odata/datetime.js';
import { compileFilter } from '../../src/emulator/odata/filter-compile.js';
import { parseFilter } from '../../src/emulator/odata/filter-parser.js';
import {
  anyEqualsSet,
  anyPropertyEquals,
  mentions,
  pushdown,
} from '../../src/emulator/odata/filter-pushdown.js';
import type { EntitySchema } from '../../src/emulator/odata/filter-schema.js';

const signInSchema = SIGN_IN_FILTER('beta');
const signIn = {
  id: 'a1',
  createdDateTime: '2026-11-19T10:00:05Z',
  userId: '6f1967b7-15e8-4935-ac26-d50770ed07a7',
  userPrincipalName: "o'brien@contoso.com",
  appId: '4813382a-8fa7-425e-ab75-3b753aab3abb',
  appDisplayName: 'Microsoft Authenticator App',
  isInteractive: false,
  authenticationRequirement: 'multiFactorAuthentication',
  signInEventTypes: ['nonInteractiveUser'],
  status: { errorCode: 50074, failureReason: 'x', additionalDetails: null },
  location: { city: 'London', state: null, countryOrRegion: 'GB' },
};

const audit = {
  id: 'x',
  activityDateTime: '2026-11-19T10:00:05.1234567Z',
  activityDisplayName: 'User registered security info',
  loggedByService: 'Authentication Methods',
  category: 'UserManagement',
  initiatedBy: { user: { id: 'u1', displayName: 'Ann', userPrincipalName: 'ann@contoso.com' }, app: null },
  targetResources: [
    { id: 'g1', displayName: 'MFA_Required', type: 'Group', userPrincipalName: null },
    { id: 'u1', displayName: null, type: 'User', userPrincipalName: 'ann@contoso.com' },
  ],
};

function holds(filter: string, entity: unknown, schema: EntitySchema = signInSchema): boolean {
  return compileFilter(parseFilter(filter), schema)(entity);
}

function rejects(filter: string, schema: EntitySchema = signInSchema): GraphErrorResponse {
  try {
    compileFilter(parseFilter(filter), schema);
  } catch (err) {
    if (err instanceof GraphErrorResponse) return err;
    throw err;
  }
  throw new Error(`"${filter}" was accepted`);
}

describe('comparisons and literals', () => {
  const cases: [string, boolean][] = [
    ["appId eq '4813382a-8fa7-425e-ab75-3b753aab3abb'", true],
    ["appId ne '4813382a-8fa7-425e-ab75-3b753aab3abb'", false],
    // Unquoted GUID literal, and case-insensitive string comparison.
    ['userId eq 6F1967B7-15E8-4935-AC26-D50770ED07A7', true],
    ["appDisplayName eq 'microsoft authenticator app'", true],
    ["userPrincipalName eq 'o''brien@contoso.com'", true],
    ['status/errorCode eq 50074', true],
    ['status/errorCode ge 50000 and status/errorCode lt 60000', true],
    ['status/errorCode gt 50074', false],
    ['status/errorCode le 50074', true],
    ['isInteractive eq false', true],
    ['createdDateTime ge 2026-11-19T10:00:05Z', true],
    ['createdDateTime gt 2026-11-19T10:00:05Z', false],
    ['createdDateTime lt 2026-11-19T10:00:06Z', true],
    ['createdDateTime le 2026-11-19T11:00:04+01:00', false],
    ['createdDateTime le 2026-11-19T11:00:05.000+01:00', true],
    ['location/state eq null', true],
    ["location/city ne null and location/city eq 'london'", true],
    ["appId in ('a', '4813382a-8fa7-425e-ab75-3b753aab3abb')", true],
    ["appId in ('a', 'b')", false],
  ];
  for (const [filter, expected] of cases) {
    it(`${filter} → ${expected}`, () => expect(holds(filter, signIn)).toBe(expected));
  }

  it('keeps the 100-ns ticks of audit timestamps', () => {
    expect(parseDateTime('2026-11-19T10:00:05.1234567Z')).toBeCloseTo(
      Date.parse('2026-11-19T10:00:05.123Z') + 0.4567,
      6,
    );
    expect(holds('activityDateTime gt 2026-11-19T10:00:05.123Z', audit, DIRECTORY_AUDIT_FILTER)).toBe(true);
    expect(holds('activityDateTime gt 2026-11-19T10:00:05.1234568Z', audit, DIRECTORY_AUDIT_FILTER)).toBe(
      false,
    );
  });
});

describe('and / or / not, parentheses, functions, lambdas', () => {
  const cases: [string, boolean][] = [
    ["isInteractive eq true or appId eq '4813382a-8fa7-425e-ab75-3b753aab3abb'", true],
    ['not (isInteractive eq false)', false],
    ["(isInteractive eq true or status/errorCode eq 50074) and appId ne 'x'", true],
    ["isInteractive eq true or status/errorCode eq 50074 and appId eq 'x'", false],
    ["startswith(userPrincipalName, 'O''B')", true],
    ["startswith(appDisplayName,'Teams')", false],
    ["signInEventTypes/any(t: t eq 'nonInteractiveUser')", true],
    ["signInEventTypes/any(t:t eq 'interactiveUser' or t eq 'nonInteractiveUser')", true],
    ["signInEventTypes/any(t: t eq 'interactiveUser')", false],
    ["signInEventTypes/all(t: t ne 'servicePrincipal')", true],
    ['signInEventTypes/any()', true],
  ];
  for (const [filter, expected] of cases) {
    it(`${filter} → ${expected}`, () => expect(holds(filter, signIn)).toBe(expected));
  }

  it('evaluates lambdas over entity collections and nested paths', () => {
    const f = (filter: string) => holds(filter, audit, DIRECTORY_AUDIT_FILTER);
    expect(f("targetResources/any(t: t/id eq 'u1')")).toBe(true);
    expect(f("targetResources/any(t: t/type eq 'group' and startswith(t/displayName, 'MFA_'))")).toBe(true);
    expect(f("targetResources/any(x: startswith(x/displayName, 'Dept'))")).toBe(false);
    expect(f("initiatedBy/user/userPrincipalName eq 'ANN@contoso.com'")).toBe(true);
    expect(f("initiatedBy/app/appId eq 'x'")).toBe(false); // app is null
    expect(
      f(
        "loggedByService eq 'Authentication Methods' and activityDisplayName eq 'User registered security info'",
      ),
    ).toBe(true);
  });

  it("reads typed enum literals like microsoft.graph.x'value'", () => {
    const row = { methodsRegistered: ['email', 'mobilePhone'] };
    expect(
      holds(
        "methodsRegistered/any(x: x eq microsoft.graph.registrationAuthMethod'email')",
        row,
        REGISTRATION_FILTER('beta'),
      ),
    ).toBe(true);
  });
});

describe('unsupported filters are a 400 with a Graph error code', () => {
  it('rejects syntax errors', () => {
    for (const bad of [
      'appId eq',
      "appId eq 'x",
      "(appId eq 'x'",
      "appId eq 'x' and",
      'appId == 1',
      "appId eq 'x' appId",
    ]) {
      const e = rejects(bad);
      expect(e.status).toBe(400);
      expect(e.code).toBe('BadRequest');
    }
  });

  it('rejects properties the collection cannot filter on', () => {
    const e = rejects("userAgent eq 'x'");
    expect(e.code).toBe('Request_UnsupportedQuery');
    expect(e.message).toContain("property 'userAgent'");
    // signInEventTypes is beta only (https://learn.microsoft.com/graph/api/resources/signin?view=graph-rest-beta).
    expect(rejects("signInEventTypes/any(t: t eq 'interactiveUser')", SIGN_IN_FILTER('v1.0')).code).toBe(
      'Request_UnsupportedQuery',
    );
  });

  it('rejects type mismatches, unsupported functions and misuse of lambdas', () => {
    expect(rejects("createdDateTime ge '2026-11-19T10:00:05Z'").message).toContain('incompatible types');
    expect(rejects("status/errorCode eq 'x'").message).toContain('incompatible types');
    expect(rejects("contains(appDisplayName, 'x')").message).toContain("'contains'");
    expect(rejects("appId/any(t: t eq 'x')").message).toContain('not a collection');
    expect(rejects("signInEventTypes eq 'x'").message).toContain('collection');
    expect(rejects('isInteractive gt true').status).toBe(400);
    expect(rejects('appId').message).toContain('boolean');
  });
});

describe('pushdown hints', () => {
  it('reads time bounds and equalities from the top-level and chain only', () => {
    const pd = pushdown(
      parseFilter(
        "createdDateTime ge 2026-11-13T09:00:00Z and createdDateTime le 2026-11-20T09:00:00Z and userId eq 'u1' and (appId eq 'a' or appId eq 'b')",
      ),
      'createdDateTime',
    );
    expect(pd.from).toBe(Date.parse('2026-11-13T09:00:00Z'));
    expect(pd.to).toBe(Date.parse('2026-11-20T09:00:00Z'));
    expect(pd.equals.get('userid')?.value).toBe('u1');
    expect(pd.equals.has('appid')).toBe(false);
    const ored = pushdown(
      parseFilter("createdDateTime ge 2026-11-13T09:00:00Z or userId eq 'u1'"),
      'createdDateTime',
    );
    expect(ored.from).toBeUndefined();
    expect(ored.equals.size).toBe(0);
  });

  it('recognises signInEventTypes and targetResources lambdas', () => {
    const node = parseFilter("signInEventTypes/any(t: t eq 'nonInteractiveUser')");
    expect(mentions(node, 'signInEventTypes')).toBe(true);
    expect(mentions(parseFilter("appId eq 'x'"), 'signInEventTypes')).toBe(false);
    expect(anyEqualsSet(node, 'signInEventTypes')).toEqual(new Set(['noninteractiveuser']));
    expect(
      anyPropertyEquals(parseFilter("targetResources/any(t: t/id eq 'u1')"), 'targetResources', 'id'),
    ).toBe('u1');
  });
});
