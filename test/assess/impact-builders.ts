/** Builders for the impact tests: Conditional Access policies in the reader's shape, and assessed users. */
import type { ConditionalAccessPolicy } from '../../src/domain/tenant.js';
import type { Assessment, UserAssessment, Verdict } from '../../src/domain/verdict.js';
import type { MethodKind } from '../../src/domain/tenant.js';

export function caPolicy(
  id: string,
  users: Partial<ConditionalAccessPolicy['users']>,
  over: Partial<ConditionalAccessPolicy> = {},
): ConditionalAccessPolicy {
  return {
    id,
    displayName: `Policy ${id}`,
    state: 'enabled',
    users: {
      includeUsers: [],
      excludeUsers: [],
      includeGroups: [],
      excludeGroups: [],
      includeRoles: [],
      excludeRoles: [],
      ...users,
    },
    includeApplications: ['All'],
    includeUserActions: [],
    builtInControls: ['mfa'],
    ...over,
  };
}

/** An assessed user with the verdict given (and, for `ready`, usable methods of the kinds given). */
export function assessed(
  id: string,
  upn: string,
  verdict: Verdict,
  over: Partial<UserAssessment> & { usable?: MethodKind[] } = {},
): UserAssessment {
  const { usable, ...rest } = over;
  return {
    id,
    userPrincipalName: upn,
    displayName: upn.split('@')[0]!,
    verdict,
    confidence: verdict === 'ready' ? 'proven' : null,
    weak: false,
    isAdmin: false,
    methods: (usable ?? (verdict === 'ready' ? ['microsoftAuthenticator'] : [])).map((type, i) => ({
      id: `m${i}`,
      type,
      state: 'usable' as const,
    })),
    evidence: [],
    action: {
      code: verdict === 'ready' ? 'none' : 'register-before-enforcement',
      fields: {},
    } as UserAssessment['action'],
    ...rest,
  };
}

export function assessmentOf(users: UserAssessment[], generatedAt = '2025-06-10T12:00:00.000Z'): Assessment {
  return {
    schemaVersion: 1,
    generatedAt,
    tenant: {},
    coverage: {} as Assessment['coverage'],
    summary: {} as Assessment['summary'],
    users,
    population: {
      users: users.length,
      scopeGroups: [],
      excludeGroups: [],
      excludeUsers: [],
      now: generatedAt,
      collectedAt: null,
      dataAgeDays: null,
      staleData: false,
    },
  };
}
