import { describe, expect, it } from 'vitest';
import { impactOf, reportOnlyOutcomes, type Impact, type ImpactBucket } from '../../src/assess/impact.js';
import { requirementOf, matchStrength } from '../../src/assess/impact-strength.js';
import { assessed, assessmentOf, caPolicy } from './impact-builders.js';
import {
  authenticatorRow,
  domain,
  group,
  methodsMap,
  authenticator,
  password,
  row,
  run,
  snapshot,
  user,
} from './builders.js';
import type { TenantSnapshot } from '../../src/domain/tenant.js';
import type { UserAssessment } from '../../src/domain/verdict.js';

const PHISHING_RESISTANT = '00000000-0000-0000-0000-000000000004';
const GLOBAL_ADMIN_ROLE = '62e90394-69f5-4237-9190-012177145e10';

function bucketOf(impact: Impact, upn: string): ImpactBucket | undefined {
  return impact.users.find((u) => u.userPrincipalName === upn)?.bucket;
}

function upns(impact: Impact): string[] {
  return impact.users.map((u) => u.userPrincipalName);
}

/** Five users: ann, bob (a guest), cid, dee, eve; groups: Staff ⊃ (nested) Sales, and Break-glass. */
function tenant(over: Partial<TenantSnapshot> = {}): TenantSnapshot {
  return snapshot({
    users: [
      user('u-ann', 'ann@contoso.com'),
      user('u-bob', 'bob_fabrikam.com#EXT#@contoso.onmicrosoft.com', { userType: 'Guest' }),
      user('u-cid', 'cid@contoso.com'),
      user('u-dee', 'dee@contoso.com'),
      user('u-eve', 'eve@contoso.com', { accountEnabled: false }),
    ],
    groups: [
      // groupMembers holds transitive members: Sales (cid) is nested in Staff, so cid is in Staff too.
      group('g-staff', 'Staff', ['u-ann', 'u-cid', 'g-sales']),
      group('g-sales', 'Sales', ['u-cid']),
      group('g-break', 'Break-glass', ['u-dee']),
      group('g-uncollected', 'Contractors'),
    ],
    ...over,
  });
}

/** Verdicts: ann ready, bob a guest, cid not-registered, dee looping, eve disabled. */
function verdicts(over: Record<string, Partial<UserAssessment> & { usable?: never }> = {}) {
  const users = [
    assessed('u-ann', 'ann@contoso.com', 'ready'),
    assessed('u-bob', 'bob_fabrikam.com#EXT#@contoso.onmicrosoft.com', 'excluded', { exclusion: 'guest' }),
    assessed('u-cid', 'cid@contoso.com', 'not-registered'),
    assessed('u-dee', 'dee@contoso.com', 'looping'),
    assessed('u-eve', 'eve@contoso.com', 'excluded', { exclusion: 'disabled' }),
  ];
  return assessmentOf(users.map((u) => ({ ...u, ...(over[u.id] ?? {}) })));
}

describe('impact: who a policy covers', () => {
  it('"All users" covers every user, guests and disabled accounts included, and splits them', () => {
    const impact = impactOf({
      snapshot: tenant(),
      assessment: verdicts(),
      target: { kind: 'policy', policy: caPolicy('p1', { includeUsers: ['All'] }) },
    });
    expect(impact.counts).toEqual({
      'locked-out': 1,
      unknown: 1,
      'will-register': 1,
      satisfies: 1,
      'not-signing-in': 1,
      excluded: 0,
    });
    // Locked-out first, so the admin reads them first.
    expect(upns(impact)[0]).toBe('dee@contoso.com');
    expect(impact.users[0]!.findings).toEqual([{ code: 'verdict-blocks', verdict: 'looping' }]);
    expect(bucketOf(impact, 'bob_fabrikam.com#EXT#@contoso.onmicrosoft.com')).toBe('unknown');
    expect(impact.users.find((u) => u.id === 'u-ann')!.findings).toEqual([
      { code: 'ready', confidence: 'proven' },
    ]);
  });

  it('nested groups: a member of a nested group is covered; a group whose members were not read makes its users unknown', () => {
    const impact = impactOf({
      snapshot: tenant(),
      assessment: verdicts(),
      target: { kind: 'policy', policy: caPolicy('p1', { includeGroups: ['g-staff', 'g-uncollected'] }) },
    });
    expect(bucketOf(impact, 'cid@contoso.com')).toBe('will-register');
    expect(impact.users.find((u) => u.id === 'u-cid')!.includedBy).toEqual([
      { kind: 'group', groupId: 'g-staff', groupName: 'Staff' },
    ]);
    // dee is not in Staff, and Contractors' members are unknown: whether it covers dee is unknown, not "no".
    expect(bucketOf(impact, 'dee@contoso.com')).toBe('unknown');
    expect(impact.users.find((u) => u.id === 'u-dee')!.findings).toEqual([
      {
        code: 'coverage-unknown',
        side: 'include',
        conditions: [
          { kind: 'group-members-not-collected', groupId: 'g-uncollected', groupName: 'Contractors' },
        ],
      },
    ]);
    expect(impact.notes).toContainEqual({
      code: 'group-members-not-collected',
      groups: [{ groupId: 'g-uncollected', groupName: 'Contractors' }],
    });
  });

  it('a user covered only through a collected group is not guessed into coverage by an uncollected exclusion: unknown', () => {
    const impact = impactOf({
      snapshot: tenant(),
      assessment: verdicts(),
      target: {
        kind: 'policy',
        policy: caPolicy('p1', { includeGroups: ['g-staff'], excludeGroups: ['g-uncollected'] }),
      },
    });
    expect(bucketOf(impact, 'ann@contoso.com')).toBe('unknown');
    expect(impact.users.find((u) => u.id === 'u-ann')!.findings[0]).toMatchObject({ side: 'exclude' });
  });

  it('exclusions win, and say which one excluded the user', () => {
    const impact = impactOf({
      snapshot: tenant(),
      assessment: verdicts(),
      target: {
        kind: 'policy',
        policy: caPolicy('p1', {
          includeUsers: ['All'],
          excludeGroups: ['g-break'],
          excludeUsers: ['U-ANN'],
        }),
      },
    });
    expect(bucketOf(impact, 'dee@contoso.com')).toBe('excluded');
    expect(impact.users.find((u) => u.id === 'u-dee')!.findings).toEqual([
      {
        code: 'excluded-by-policy',
        conditions: [{ kind: 'group', groupId: 'g-break', groupName: 'Break-glass' }],
      },
    ]);
    // Ids compare without case.
    expect(impact.users.find((u) => u.id === 'u-ann')!.findings).toEqual([
      { code: 'excluded-by-policy', conditions: [{ kind: 'user', userId: 'U-ANN' }] },
    ]);
    expect(impact.counts.excluded).toBe(2);
  });

  it('users the policy does not name are left out entirely', () => {
    const impact = impactOf({
      snapshot: tenant(),
      assessment: verdicts(),
      target: { kind: 'policy', policy: caPolicy('p1', { includeUsers: ['u-ann'] }) },
    });
    expect(upns(impact)).toEqual(['ann@contoso.com']);
  });

  it('guest conditions: GuestsOrExternalUsers and includeGuestsOrExternalUsers by kind', () => {
    const old = impactOf({
      snapshot: tenant(),
      assessment: verdicts(),
      target: { kind: 'policy', policy: caPolicy('p1', { includeUsers: ['GuestsOrExternalUsers'] }) },
    });
    expect(upns(old)).toEqual(['bob_fabrikam.com#EXT#@contoso.onmicrosoft.com']);
    expect(old.users[0]!.includedBy).toEqual([
      { kind: 'guests-or-external', guestType: 'b2bCollaborationGuest' },
    ]);

    const byKind = (types: string, membershipKind = 'all') =>
      impactOf({
        snapshot: tenant(),
        assessment: verdicts(),
        target: {
          kind: 'policy',
          policy: caPolicy('p1', {
            includeGuestsOrExternalUsers: {
              guestOrExternalUserTypes: types,
              externalTenantsMembershipKind: membershipKind,
            },
          }),
        },
      });
    expect(upns(byKind('internalGuest'))).toEqual([]);
    expect(upns(byKind('internalGuest,b2bCollaborationGuest'))).toEqual([
      'bob_fabrikam.com#EXT#@contoso.onmicrosoft.com',
    ]);
    // Only some external tenants: bob's home tenant is not in the evidence.
    const enumerated = byKind('b2bCollaborationGuest', 'enumerated');
    expect(enumerated.users[0]!.findings).toEqual([
      { code: 'coverage-unknown', side: 'include', conditions: [{ kind: 'external-tenant-unknown' }] },
    ]);
  });

  it('guests excluded by kind are excluded on purpose', () => {
    const impact = impactOf({
      snapshot: tenant(),
      assessment: verdicts(),
      target: {
        kind: 'policy',
        policy: caPolicy('p1', {
          includeUsers: ['All'],
          excludeGuestsOrExternalUsers: { guestOrExternalUserTypes: 'b2bCollaborationGuest,internalGuest' },
        }),
      },
    });
    expect(bucketOf(impact, 'bob_fabrikam.com#EXT#@contoso.onmicrosoft.com')).toBe('excluded');
  });

  it('role conditions: unknown without the role holders, decided with them', () => {
    const policy = caPolicy('p1', { includeRoles: [GLOBAL_ADMIN_ROLE] });
    const without = impactOf({
      snapshot: tenant(),
      assessment: verdicts(),
      target: { kind: 'policy', policy },
    });
    // Every user who signs in is undecided (nobody is a "no"): not a silent all-clear.
    expect(without.counts.unknown).toBe(4);
    expect(without.counts['not-signing-in']).toBe(1);
    expect(without.notes).toContainEqual({
      code: 'role-holders-not-collected',
      roleTemplateIds: [GLOBAL_ADMIN_ROLE],
    });

    const withHolders = impactOf({
      snapshot: tenant(),
      assessment: verdicts(),
      target: { kind: 'policy', policy },
      roleHolders: new Map([[GLOBAL_ADMIN_ROLE, new Set(['u-dee'])]]),
    });
    expect(upns(withHolders)).toEqual(['dee@contoso.com']);
    expect(withHolders.users[0]!.includedBy).toEqual([{ kind: 'role', roleTemplateId: GLOBAL_ADMIN_ROLE }]);
    expect(withHolders.notes.map((n) => n.code)).not.toContain('role-holders-not-collected');
  });

  it('a report-only policy is assessed the same, and says so', () => {
    const impact = impactOf({
      snapshot: tenant(),
      assessment: verdicts(),
      target: {
        kind: 'policy',
        policy: caPolicy('p1', { includeUsers: ['All'] }, { state: 'enabledForReportingButNotEnforced' }),
      },
    });
    expect(impact.notes).toContainEqual({ code: 'policy-report-only' });
    expect(impact.target).toMatchObject({ kind: 'policy', state: 'enabledForReportingButNotEnforced' });
    expect(impact.counts['locked-out']).toBe(1);
  });

  it('the verdicts that lock a user out: unverified, loop-risk, looping, policy-blocked', () => {
    for (const verdict of ['unverified', 'loop-risk', 'looping', 'policy-blocked'] as const) {
      const impact = impactOf({
        snapshot: tenant(),
        assessment: assessmentOf([assessed('u-ann', 'ann@contoso.com', verdict)]),
        target: { kind: 'policy', policy: caPolicy('p1', { includeUsers: ['All'] }) },
      });
      expect(impact.users[0]!.bucket, verdict).toBe('locked-out');
    }
    const unknown = impactOf({
      snapshot: tenant(),
      assessment: assessmentOf([assessed('u-ann', 'ann@contoso.com', 'unknown')]),
      target: { kind: 'policy', policy: caPolicy('p1', { includeUsers: ['All'] }) },
    });
    expect(unknown.users[0]!.bucket).toBe('unknown');
  });

  it('AD FS-federated users cannot be asked to register inline: not-registered is locked out there', () => {
    const impact = impactOf({
      snapshot: tenant({ domains: [domain('contoso.com', 'Federated')] }),
      assessment: verdicts(),
      target: { kind: 'policy', policy: caPolicy('p1', { includeUsers: ['All'] }) },
    });
    expect(bucketOf(impact, 'cid@contoso.com')).toBe('locked-out');
    expect(impact.users.find((u) => u.id === 'u-cid')!.findings).toEqual([
      { code: 'federated-no-inline-registration', domain: 'contoso.com' },
    ]);
  });

  it('with no user read at all, the impact says so rather than showing an all-clear', () => {
    const impact = impactOf({
      snapshot: snapshot({}),
      assessment: assessmentOf([]),
      target: { kind: 'policy', policy: caPolicy('p1', { includeUsers: ['All'] }) },
    });
    expect(impact.notes).toContainEqual({ code: 'no-users-read' });
  });
});

describe('impact: authentication strengths', () => {
  const strength = (id: string, over: object = {}) =>
    caPolicy(
      'p1',
      { includeUsers: ['All'] },
      { builtInControls: [], authenticationStrength: { id, ...over } },
    );

  it('Authenticator push is outside phishing-resistant MFA: a ready user is locked out', () => {
    const impact = impactOf({
      snapshot: tenant(),
      assessment: assessmentOf([
        assessed('u-ann', 'ann@contoso.com', 'ready', { usable: ['microsoftAuthenticator', 'phone'] }),
        assessed('u-dee', 'dee@contoso.com', 'ready', { usable: ['fido2'] }),
      ]),
      target: { kind: 'policy', policy: strength(PHISHING_RESISTANT) },
    });
    expect(impact.requirement).toMatchObject({ kind: 'strength', displayName: 'Phishing-resistant MFA' });
    expect(bucketOf(impact, 'ann@contoso.com')).toBe('locked-out');
    expect(impact.users.find((u) => u.id === 'u-ann')!.findings).toEqual([
      {
        code: 'strength-not-met',
        strength: 'Phishing-resistant MFA',
        usableMethods: ['microsoftAuthenticator', 'phone'],
      },
    ]);
    expect(bucketOf(impact, 'dee@contoso.com')).toBe('satisfies');
    expect(impact.users.find((u) => u.id === 'u-dee')!.findings[1]).toEqual({
      code: 'strength-met',
      methodType: 'fido2',
      combination: 'fido2',
    });
  });

  it('a not-registered user cannot register a phishing-resistant method at the sign-in interrupt', () => {
    const impact = impactOf({
      snapshot: tenant(),
      assessment: assessmentOf([assessed('u-cid', 'cid@contoso.com', 'not-registered')]),
      target: { kind: 'policy', policy: strength(PHISHING_RESISTANT) },
    });
    expect(impact.users[0]!.bucket).toBe('locked-out');
    expect(impact.users[0]!.findings[0]!.code).toBe('strength-needs-prior-registration');
  });

  it('the built-in MFA strength accepts a phone, and lets the unregistered register', () => {
    const impact = impactOf({
      snapshot: tenant(),
      assessment: assessmentOf([
        assessed('u-ann', 'ann@contoso.com', 'ready', { usable: ['phone'] }),
        assessed('u-cid', 'cid@contoso.com', 'not-registered'),
      ]),
      target: { kind: 'policy', policy: strength('00000000-0000-0000-0000-000000000002') },
    });
    expect(bucketOf(impact, 'ann@contoso.com')).toBe('satisfies');
    expect(bucketOf(impact, 'cid@contoso.com')).toBe('will-register');
  });

  it("a custom strength's combinations from the policy response decide; a custom strength without them is unknown", () => {
    const custom = impactOf({
      snapshot: tenant(),
      assessment: assessmentOf([assessed('u-ann', 'ann@contoso.com', 'ready', { usable: ['softwareOath'] })]),
      target: {
        kind: 'policy',
        policy: strength('7d718ef4-5493-4313-a52c-7401b7df3a9c', {
          displayName: 'Contoso OTP',
          allowedCombinations: ['password, softwareOath'],
        }),
      },
    });
    expect(custom.users[0]!.bucket).toBe('satisfies');

    const unknown = impactOf({
      snapshot: tenant(),
      assessment: assessmentOf([assessed('u-ann', 'ann@contoso.com', 'ready')]),
      target: { kind: 'policy', policy: strength('7d718ef4-5493-4313-a52c-7401b7df3a9c') },
    });
    expect(unknown.users[0]!.bucket).toBe('unknown');
    expect(unknown.notes.map((n) => n.code)).toContain('strength-combinations-unknown');
  });

  it('a method the table cannot place makes the user unknown, never ready', () => {
    const impact = impactOf({
      snapshot: tenant(),
      assessment: assessmentOf([
        assessed('u-ann', 'ann@contoso.com', 'ready', { usable: ['platformCredential'] }),
      ]),
      target: { kind: 'policy', policy: strength(PHISHING_RESISTANT) },
    });
    expect(impact.users[0]!.bucket).toBe('unknown');
    expect(impact.users[0]!.findings[1]).toEqual({
      code: 'strength-methods-unmapped',
      strength: 'Phishing-resistant MFA',
      methods: ['platformCredential'],
    });
  });

  it('requirements: block and non-MFA grants ask for no MFA; OR with other controls is noted', () => {
    expect(requirementOf(caPolicy('p', {}, { builtInControls: ['block'] })).kind).toBe('none');
    expect(requirementOf(caPolicy('p', {}, { builtInControls: ['compliantDevice'] })).kind).toBe('none');
    const or = impactOf({
      snapshot: tenant(),
      assessment: verdicts(),
      target: {
        kind: 'policy',
        policy: caPolicy(
          'p1',
          { includeUsers: ['All'] },
          { builtInControls: ['mfa', 'compliantDevice'], grantOperator: 'OR' },
        ),
      },
    });
    expect(or.notes).toContainEqual({ code: 'grant-alternatives', controls: ['compliantDevice'] });
    expect(matchStrength(['password', 'email'], ['fido2'])).toEqual({ unmapped: [] });
  });
});

describe('impact: --group and --security-defaults', () => {
  it('a group target covers its transitive members', () => {
    const impact = impactOf({
      snapshot: tenant(),
      assessment: verdicts(),
      target: { kind: 'group', groupId: 'g-staff' },
    });
    expect(upns(impact).sort()).toEqual(['ann@contoso.com', 'cid@contoso.com']);
    expect(impact.target).toEqual({ kind: 'group', groupId: 'g-staff', displayName: 'Staff' });
  });

  it('security defaults cover everyone and give 14 days to register', () => {
    const impact = impactOf({
      snapshot: tenant({ securityDefaults: { isEnabled: false } }),
      assessment: verdicts(),
      target: { kind: 'security-defaults' },
    });
    expect(impact.users).toHaveLength(5);
    expect(impact.target).toEqual({ kind: 'security-defaults', isEnabled: false });
    expect(impact.users.find((u) => u.id === 'u-cid')!.findings).toEqual([
      { code: 'will-be-asked-to-register', graceDays: 14 },
    ]);
  });
});

describe('impact on a real assessment', () => {
  it('rests on the verdict engine: a registered Authenticator user satisfies, an empty report row will register', () => {
    const snap = snapshot({
      users: [user('u-ann', 'ann@contoso.com'), user('u-cid', 'cid@contoso.com')],
      registration: [authenticatorRow('u-ann', 'ann@contoso.com'), row('u-cid', 'cid@contoso.com')],
      methods: methodsMap({ 'u-ann': [password(), authenticator('a1')], 'u-cid': [password()] }),
    });
    const impact = impactOf({
      snapshot: snap,
      assessment: run(snap),
      target: { kind: 'policy', policy: caPolicy('p1', { includeUsers: ['All'] }) },
    });
    expect(bucketOf(impact, 'ann@contoso.com')).toBe('satisfies');
    expect(bucketOf(impact, 'cid@contoso.com')).toBe('will-register');
  });
});

describe('impact: report-only results in the sign-ins', () => {
  const at = (day: number) => `2025-06-${String(day).padStart(2, '0')}T08:00:00.000Z`;
  const s = (id: string, userId: string, day: number, result: string, policyId = 'p1') => ({
    id,
    createdDateTime: at(day),
    userId,
    errorCode: 0,
    appliedConditionalAccessPolicies: [{ id: policyId, result }],
  });

  it('counts distinct users per report-only result, and the sign-ins that hid theirs', () => {
    const out = reportOnlyOutcomes(
      {
        signIns: [
          s('1', 'u-ann', 1, 'reportOnlyInterrupted'),
          s('2', 'U-ANN', 2, 'reportOnlyInterrupted'),
          s('3', 'u-cid', 3, 'reportOnlyFailure'),
          s('4', 'u-dee', 11, 'reportOnlySuccess'),
          s('5', 'u-eve', 4, 'unknownFutureValue'),
          s('6', 'u-eve', 4, 'reportOnlyInterrupted', 'other-policy'),
        ],
      },
      'P1',
    );
    expect(out).toEqual({
      windowDays: 10,
      signIns: 5,
      users: {
        reportOnlyInterrupted: 1,
        reportOnlyFailure: 1,
        reportOnlySuccess: 1,
        reportOnlyNotApplied: 0,
      },
      unreadable: 1,
    });
  });

  it('nothing to tell for a policy no sign-in evaluated, or only as enforced', () => {
    expect(reportOnlyOutcomes({ signIns: [s('1', 'u-ann', 1, 'success')] }, 'p1')).toBeUndefined();
    expect(reportOnlyOutcomes({ signIns: undefined }, 'p1')).toBeUndefined();
  });

  it('the impact of a policy carries them', () => {
    const impact = impactOf({
      snapshot: tenant({ signIns: [s('1', 'u-ann', 1, 'reportOnlyInterrupted')] }),
      assessment: verdicts(),
      target: { kind: 'policy', policy: caPolicy('p1', { includeUsers: ['All'] }) },
    });
    expect(impact.reportOnly?.users.reportOnlyInterrupted).toBe(1);
  });
});
