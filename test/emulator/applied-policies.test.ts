/**
 * The emulator's appliedConditionalAccessPolicies: each policy's result for a sign-in, worked out from
 * the tenant's policies, and `unknownFutureValue` for the reportOnly* members unless the request says
 * `Prefer: include-unknown-enum-members` (https://learn.microsoft.com/graph/api/resources/appliedconditionalaccesspolicy).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appliedPolicies,
  prefersUnknownEnumMembers,
  type AppliedPoliciesContext,
} from '../../src/emulator/entities/sign-in-entity.js';
import type { ConditionalAccessPolicy, SignIn } from '../../src/demo/graph-types.js';
import type { RunningEmulator } from '../../src/emulator/index.js';
import type { Caller } from './support.js';
import { startWithCaller } from './support.js';

function policy(
  id: string,
  over: Partial<ConditionalAccessPolicy> = {},
  users: Partial<ConditionalAccessPolicy['conditions']['users']> = {},
): ConditionalAccessPolicy {
  return {
    id,
    displayName: id,
    createdDateTime: '2026-01-01T00:00:00Z',
    modifiedDateTime: null,
    state: 'enabled',
    sessionControls: null,
    conditions: {
      signInRiskLevels: [],
      clientAppTypes: ['all'],
      platforms: null,
      locations: null,
      applications: { includeApplications: ['All'], excludeApplications: [], includeUserActions: [] },
      users: {
        includeUsers: ['All'],
        excludeUsers: [],
        includeGroups: [],
        excludeGroups: [],
        includeRoles: [],
        excludeRoles: [],
        ...users,
      },
    },
    grantControls: {
      operator: 'OR',
      builtInControls: ['mfa'],
      customAuthenticationFactors: [],
      termsOfUse: [],
    },
    ...over,
  };
}

function signIn(mfa: boolean, userId = 'u-1'): SignIn {
  return {
    id: 's',
    createdDateTime: '2026-11-20T08:00:00Z',
    userDisplayName: 'U',
    userPrincipalName: 'u@contoso.com',
    userId,
    appId: 'app',
    appDisplayName: 'App',
    ipAddress: '203.0.113.1',
    clientAppUsed: 'Browser',
    correlationId: 'c',
    conditionalAccessStatus: 'success',
    isInteractive: true,
    tokenIssuerType: 'AzureAD',
    authenticationRequirement: mfa ? 'multiFactorAuthentication' : 'singleFactorAuthentication',
    signInEventTypes: ['interactiveUser'],
    status: { errorCode: 0, failureReason: 'Other.', additionalDetails: null },
    authenticationDetails: [
      { authenticationMethod: 'Password', succeeded: true } as SignIn['authenticationDetails'][number],
      ...(mfa
        ? [
            {
              authenticationMethod: 'Mobile app notification',
              succeeded: true,
            } as SignIn['authenticationDetails'][number],
          ]
        : []),
    ],
  };
}

const REPORT_ONLY = 'enabledForReportingButNotEnforced' as const;

function results(
  s: SignIn,
  policies: ConditionalAccessPolicy[],
  prefer = true,
  members: Record<string, string[]> = {},
) {
  const ctx: AppliedPoliciesContext = {
    conditionalAccess: policies,
    isMember: (u, g) => members[g]?.includes(u) === true,
    includeUnknownEnumMembers: prefer,
  };
  return appliedPolicies(s, false, ctx).map((a) => a['result']);
}

describe('appliedConditionalAccessPolicies results', () => {
  it('report-only MFA: interrupted without MFA, success with it; enforced: failure / success', () => {
    const policies = [policy('ro', { state: REPORT_ONLY }), policy('on')];
    expect(results(signIn(false), policies)).toEqual(['reportOnlyInterrupted', 'failure']);
    expect(results(signIn(true), policies)).toEqual(['reportOnlySuccess', 'success']);
  });

  it('a report-only block would fail; a disabled policy is notEnabled', () => {
    const block = policy('b', {
      state: REPORT_ONLY,
      grantControls: {
        operator: 'OR',
        builtInControls: ['block'],
        customAuthenticationFactors: [],
        termsOfUse: [],
      },
    });
    expect(results(signIn(true), [block, policy('off', { state: 'disabled' })])).toEqual([
      'reportOnlyFailure',
      'notEnabled',
    ]);
  });

  it('users outside the conditions: notApplied, reportOnlyNotApplied; group membership and exclusions decide', () => {
    const byGroup = [
      policy('ro', { state: REPORT_ONLY }, { includeUsers: [], includeGroups: ['g'] }),
      policy('on', {}, { excludeGroups: ['g'] }),
    ];
    expect(results(signIn(false), byGroup)).toEqual(['reportOnlyNotApplied', 'failure']);
    expect(results(signIn(false), byGroup, true, { g: ['u-1'] })).toEqual([
      'reportOnlyInterrupted',
      'notApplied',
    ]);
  });

  it('without the Prefer header the reportOnly* members read unknownFutureValue; the others stay', () => {
    const policies = [policy('ro', { state: REPORT_ONLY }), policy('on')];
    expect(results(signIn(false), policies, false)).toEqual(['unknownFutureValue', 'failure']);
  });

  it('reads the Prefer header among other preferences, in any case', () => {
    expect(prefersUnknownEnumMembers('odata.maxpagesize=10, Include-Unknown-Enum-Members')).toBe(true);
    expect(prefersUnknownEnumMembers(undefined)).toBe(false);
    expect(prefersUnknownEnumMembers('return=minimal')).toBe(false);
  });
});

describe('through HTTP', () => {
  let em: RunningEmulator;
  let caller: Caller;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ em, caller, close } = await startWithCaller({ throttling: false, users: 60 }));
  });
  afterAll(() => close());

  it("answers each sign-in's results from the tenant's policies, reportOnly* only when preferred", async () => {
    const reportOnly = new Set(
      em.tenant.conditionalAccess.filter((p) => p.state === REPORT_ONLY).map((p) => p.id),
    );
    expect(reportOnly.size).toBeGreaterThan(0);
    const page = '/beta/auditLogs/signIns?$top=50';
    const plain = (await caller.get(page)).json as { value: Record<string, unknown>[] };
    const preferred = (await caller.get(page, { headers: { prefer: 'include-unknown-enum-members' } }))
      .json as {
      value: Record<string, unknown>[];
    };
    const resultsOf = (rows: Record<string, unknown>[]) =>
      rows.flatMap((r) =>
        (r['appliedConditionalAccessPolicies'] as { id: string; result: string }[])
          .filter((a) => reportOnly.has(a.id))
          .map((a) => a.result),
      );
    const withHeader = resultsOf(preferred.value);
    expect(withHeader.length).toBeGreaterThan(0);
    expect(withHeader.every((r) => r.startsWith('reportOnly'))).toBe(true);
    expect(new Set(resultsOf(plain.value))).toEqual(new Set(['unknownFutureValue']));
  });
});
