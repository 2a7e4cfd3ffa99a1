import { DATASETS } from '../../src/domain/datasets.js';
import type { Coverage, DatasetName } from '../../src/domain/datasets.js';
import type { Assessment, Evidence, UserAssessment, Verdict } from '../../src/domain/verdict.js';
import { VERDICTS } from '../../src/domain/verdict.js';
import { PASSWORD_METHOD_ID } from '../../src/domain/well-known.js';

/** Small hand-built assessments for renderer tests: defaults for everything, override what matters. */

let next = 0;

export function user(overrides: Partial<UserAssessment> = {}): UserAssessment {
  next++;
  const n = String(next).padStart(4, '0');
  return {
    id: `00000000-0000-0000-0000-00000000${n}`,
    userPrincipalName: `user${n}@contoso.edu`,
    displayName: `User ${n}`,
    verdict: 'ready',
    confidence: 'proven',
    weak: false,
    isAdmin: false,
    methods: [{ id: PASSWORD_METHOD_ID, type: 'password', state: 'not-mfa' }],
    evidence: [],
    action: { code: 'none' },
    ...overrides,
  };
}

export function evidence(code: Evidence['code'], overrides: Partial<Evidence> = {}): Evidence {
  return { code, source: 'audits', ref: `ref-${code}`, at: null, ...overrides };
}

export function coverage(missing: DatasetName[] = []): Coverage {
  return Object.fromEntries(
    DATASETS.map((d) => [d, missing.includes(d) ? { present: false, rows: 0 } : { present: true, rows: 10 }]),
  ) as Coverage;
}

export function summaryOf(users: UserAssessment[]): Record<Verdict, number> {
  const s = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  for (const u of users) s[u.verdict]++;
  return s;
}

export function assessment(users: UserAssessment[], overrides: Partial<Assessment> = {}): Assessment {
  return {
    generatedAt: '2025-05-01T10:00:00Z',
    tenant: {
      tenantId: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
      displayName: 'Contoso University',
      collectedAt: '2025-05-01T09:55:00Z',
      cloud: 'global',
    },
    coverage: { ...coverage(), reportRefreshedAt: '2025-05-01T02:00:00Z' },
    summary: summaryOf(users),
    users,
    population: {
      users: users.length,
      scopeGroups: [],
      excludeGroups: [],
      excludeUsers: [],
      now: '2025-05-01T10:00:00.000Z',
      collectedAt: '2025-05-01T09:55:00Z',
      dataAgeDays: 0,
      staleData: false,
    },
    ...overrides,
  };
}

/** One user of every verdict, with the evidence the rules would give them. */
export function sampleUsers(): UserAssessment[] {
  const authId = 'f1e2d3c4-0000-4000-8000-000000000001';
  return [
    user({
      verdict: 'ready',
      confidence: 'proven',
      evidence: [
        evidence('mfa-sign-in', {
          source: 'signIns',
          at: '2025-04-30T08:00:00Z',
          fields: { appDisplayName: 'Office 365' },
        }),
      ],
    }),
    user({ verdict: 'ready', confidence: 'reported', weak: true, action: { code: 'add-stronger-method' } }),
    user({
      verdict: 'unverified',
      confidence: null,
      methods: [
        { id: PASSWORD_METHOD_ID, type: 'password', state: 'not-mfa' },
        { id: authId, type: 'microsoftAuthenticator', state: 'unverified' },
      ],
      evidence: [
        evidence('method-listed', {
          source: 'methods',
          ref: 'authenticationMethods/x.json',
          fields: {
            methodId: authId,
            methodType: 'microsoftAuthenticator',
            displayName: 'iPhone 14 Pro Max',
          },
        }),
        evidence('authenticator-device-added', {
          at: '2025-04-20T09:00:00Z',
          fields: { methodId: authId, deviceName: 'iPhone 14 Pro Max' },
        }),
      ],
      action: { code: 'complete-authenticator-registration' },
    }),
    user({
      verdict: 'looping',
      confidence: null,
      isAdmin: true,
      evidence: [
        evidence('registration-loop', {
          source: 'signIns',
          at: '2025-05-01T09:10:00Z',
          fields: { count: 4, firstAt: '2025-05-01T09:00:00Z', lastAt: '2025-05-01T09:10:00Z' },
        }),
      ],
      action: { code: 'break-registration-loop' },
    }),
    user({
      verdict: 'loop-risk',
      confidence: null,
      evidence: [evidence('authenticator-app-sign-in', { source: 'signIns', at: '2025-04-01T00:00:00Z' })],
      action: { code: 'register-before-enforcement' },
    }),
    user({
      verdict: 'policy-blocked',
      confidence: null,
      evidence: [
        evidence('policy-method-disabled', {
          source: 'methodsPolicy',
          fields: { configurationId: 'MicrosoftAuthenticator' },
        }),
      ],
      action: { code: 'allow-method-in-policy' },
    }),
    user({
      verdict: 'not-registered',
      confidence: null,
      evidence: [evidence('report-not-registered', { source: 'registration' })],
      action: { code: 'register-strong-method' },
    }),
    user({
      verdict: 'excluded',
      confidence: null,
      exclusion: 'disabled',
      evidence: [evidence('account-disabled', { source: 'users' })],
      action: { code: 'none-excluded' },
    }),
    user({
      verdict: 'excluded',
      confidence: null,
      exclusion: 'guest',
      evidence: [evidence('guest-user', { source: 'users' })],
      action: { code: 'none-excluded' },
    }),
  ];
}
