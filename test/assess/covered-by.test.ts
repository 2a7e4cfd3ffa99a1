import { describe, expect, it } from 'vitest';
import { caPolicy } from './impact-builders.js';
import { group, run, snapshot, user, userOf } from './builders.js';
import { renderJson, assessmentJsonSchema } from '../../src/report/json.js';
import { renderTable } from '../../src/report/table.js';
import { renderUserDetail } from '../../src/report/user-detail.js';

const users = [
  user('u-ann', 'ann@contoso.com'),
  user('u-bob', 'bob_fabrikam.com#EXT#@contoso.onmicrosoft.com', { userType: 'Guest' }),
  user('u-cid', 'cid@contoso.com'),
];
const groups = [group('g-staff', 'Staff', ['u-ann']), group('g-other', 'Other')];

describe('audit: which MFA policies cover each user', () => {
  const policies = [
    caPolicy('p-enabled', { includeGroups: ['g-staff'] }, { displayName: 'MFA for Staff' }),
    caPolicy(
      'p-report',
      { includeUsers: ['All'], excludeUsers: ['u-cid'] },
      {
        displayName: 'Strong MFA (report-only)',
        state: 'enabledForReportingButNotEnforced',
        builtInControls: [],
        authenticationStrength: {
          id: '00000000-0000-0000-0000-000000000004',
          displayName: 'Phishing-resistant MFA',
        },
      },
    ),
    caPolicy('p-disabled', { includeUsers: ['All'] }, { state: 'disabled' }),
    caPolicy('p-block', { includeUsers: ['All'] }, { builtInControls: ['block'] }),
    caPolicy('p-undecided', { includeGroups: ['g-other'] }, { displayName: 'MFA for Other' }),
  ];

  it('lists enabled and report-only MFA policies; leaves out disabled and non-MFA ones; names the undecided', () => {
    const a = run(snapshot({ users, groups, conditionalAccess: policies }));
    const ann = userOf(a, 'ann@contoso.com').coveredBy!;
    expect(ann.policies.map((p) => p.id)).toEqual(['p-enabled', 'p-report']);
    expect(ann.policies[1]).toEqual({
      id: 'p-report',
      displayName: 'Strong MFA (report-only)',
      state: 'report-only',
      strength: 'Phishing-resistant MFA',
      appliesTo: 'all-apps',
    });
    expect(ann.undecided.map((p) => p.id)).toEqual(['p-undecided']);
    // cid is excluded from the report-only one and not in Staff.
    expect(userOf(a, 'cid@contoso.com').coveredBy!.policies).toEqual([]);
  });

  it('without the policies, coverage is unknown (null in JSON), never "none"', () => {
    const a = run(snapshot({ users, groups }));
    expect(userOf(a, 'ann@contoso.com').coveredBy).toBeUndefined();
    const doc = assessmentJsonSchema.parse(JSON.parse(renderJson(a)));
    expect(doc.users.every((u) => u.coveredBy === null)).toBe(true);
    expect(renderTable(a, { color: false })).toContain('Conditional Access policies were not read');
    expect(renderUserDetail(userOf(a, 'ann@contoso.com'), { color: false, now: a.generatedAt })).toMatch(
      /Covered by\s+unknown/,
    );
  });

  it('a policy on a user action only (registering security info) is listed, and not counted as covering sign-ins', () => {
    const userAction = caPolicy(
      'p-action',
      { includeUsers: ['All'] },
      {
        displayName: 'MFA to register security info',
        includeApplications: [],
        includeUserActions: ['urn:user:registersecurityinfo'],
      },
    );
    const a = run(snapshot({ users, groups, conditionalAccess: [userAction] }));
    expect(userOf(a, 'cid@contoso.com').coveredBy!.policies).toEqual([
      {
        id: 'p-action',
        displayName: 'MFA to register security info',
        state: 'enabled',
        strength: null,
        appliesTo: 'user-actions',
      },
    ]);
    const table = renderTable(a, { color: false, width: 200 });
    expect(table).toContain('0.0% of the 2 users in scope are covered by an enabled MFA policy on all apps');
    expect(table).toContain('2 by none on all apps');
  });

  it('JSON carries coveredBy per user and validates; the table says how many an enabled policy covers', () => {
    const a = run(snapshot({ users, groups, conditionalAccess: policies }));
    const doc = assessmentJsonSchema.parse(JSON.parse(renderJson(a)));
    expect(doc.users.find((u) => u.id === 'u-ann')!.coveredBy!.policies.map((p) => p.state)).toEqual([
      'enabled',
      'report-only',
    ]);
    const table = renderTable(a, { color: false, width: 200 });
    // ann: enabled; cid: undecided (Other's members were not read); bob (a guest) is not counted.
    expect(table).toContain('50.0% of the 2 users in scope are covered by an enabled MFA policy on all apps');
    expect(table).toContain('0 only by report-only ones; 0 by none on all apps; 1 undecided');
    const detail = renderUserDetail(userOf(a, 'ann@contoso.com'), {
      color: false,
      now: a.generatedAt,
      width: 200,
    });
    expect(detail).toMatch(
      /Covered by\s+MFA for Staff; Strong MFA \(report-only\) \(report-only, Phishing-resistant MFA\)/,
    );
  });
});
