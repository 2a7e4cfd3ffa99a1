import { describe, expect, it } from 'vitest';
import { STALE_DATA_DAYS } from '../../src/assess/assessed-population.js';
import { emptyPopulation, resolveScope, splitListValues } from '../../src/assess/scope-resolution.js';
import type { TenantSnapshot } from '../../src/domain/tenant.js';
import type { AssessScope } from '../../src/domain/verdict.js';
import { NOW, group, row, run, snapshot, user } from './builders.js';

const A = { id: '10000000-0000-4000-8000-000000000001', upn: 'anna.berg@contoso.com' };
const B = { id: '10000000-0000-4000-8000-000000000002', upn: 'bert.smit@contoso.com' };
const C = { id: '10000000-0000-4000-8000-000000000003', upn: 'carla.jansen@contoso.com' };
const REPORT_ONLY = { id: '10000000-0000-4000-8000-000000000004', upn: 'new.hire@contoso.com' };
const MFA_REQUIRED = '20000000-0000-4000-8000-000000000001';
const BREAK_GLASS = '20000000-0000-4000-8000-000000000002';
const SALES = '20000000-0000-4000-8000-000000000003';
const TWIN = '20000000-0000-4000-8000-000000000004';
const NOT_COLLECTED = '20000000-0000-4000-8000-000000000005';

const scope = (over: Partial<AssessScope>): AssessScope => ({
  scopeGroups: [],
  excludeGroups: [],
  excludeUsers: [],
  ...over,
});

/** A tenant as groups.json and groupMembers/ describe it: one group listed without its members file. */
function tenant(): TenantSnapshot {
  return snapshot({
    users: [user(A.id, A.upn, { displayName: 'Anna Berg' }), user(B.id, B.upn), user(C.id, C.upn)],
    registration: [row(REPORT_ONLY.id, REPORT_ONLY.upn, { userDisplayName: 'New Hire' })],
    groups: [
      group(MFA_REQUIRED, 'MFA_Required', [A.id, B.id]),
      group(BREAK_GLASS, 'Break Glass', [C.id]),
      group(SALES, 'Sales, EMEA', [B.id]),
      group(NOT_COLLECTED, 'Pilot wave 2'),
    ],
  });
}

describe('splitListValues', () => {
  it('splits comma lists and trims, drops empty pieces of a list, keeps what isWhole accepts', () => {
    expect(splitListValues([' a , b', 'c,', 'Sales, EMEA'], (v) => v === 'Sales, EMEA')).toEqual([
      'a',
      'b',
      'c',
      'Sales, EMEA',
    ]);
  });

  it('reports a value with nothing in it', () => {
    let empty = 0;
    expect(splitListValues(['', ' , ', 'x'], undefined, () => empty++)).toEqual(['x']);
    expect(empty).toBe(2);
  });
});

describe('resolveScope: groups', () => {
  it('resolves an id or an exact display name in any case, each group once, in the order given', () => {
    const r = resolveScope(
      tenant(),
      scope({ scopeGroups: [MFA_REQUIRED.toUpperCase(), 'mfa_required'], excludeGroups: ['break glass'] }),
    );
    expect(r.problems).toEqual([]);
    expect(r.scopeGroups).toEqual([{ id: MFA_REQUIRED, displayName: 'MFA_Required' }]);
    expect(r.excludeGroups).toEqual([{ id: BREAK_GLASS, displayName: 'Break Glass' }]);
  });

  it('splits a comma list, except a display name that itself holds a comma', () => {
    const r = resolveScope(tenant(), scope({ scopeGroups: [`MFA_Required,${BREAK_GLASS}`, 'sales, emea'] }));
    expect(r.problems).toEqual([]);
    expect(r.values.scopeGroups).toEqual(['MFA_Required', BREAK_GLASS, 'sales, emea']);
    expect(r.scopeGroups.map((g) => g.id)).toEqual([MFA_REQUIRED, BREAK_GLASS, SALES]);
  });

  it('a name that matches nothing: the closest groups (a typo, or the start of their name), at most 3', () => {
    const snap = tenant();
    snap.groups!.push(
      group('20000000-0000-4000-8000-0000000000a1', 'MFA_Required_Staff', []),
      group('20000000-0000-4000-8000-0000000000a2', 'MFA_Required_Students', []),
      group('20000000-0000-4000-8000-0000000000a3', 'MFA_Required_Guests', []),
    );
    const typo = resolveScope(snap, scope({ scopeGroups: ['MFA_Requird'] }));
    expect(typo.scopeGroups).toEqual([]);
    expect(typo.problems).toEqual([
      {
        code: 'group-not-found',
        flag: 'scope-group',
        value: 'MFA_Requird',
        closest: [{ id: MFA_REQUIRED, displayName: 'MFA_Required' }],
      },
    ]);
    const [start] = resolveScope(snap, scope({ scopeGroups: ['mfa_req'] })).problems;
    if (start?.code !== 'group-not-found') throw new Error('expected group-not-found');
    expect(start.closest.map((g) => g.displayName)).toEqual([
      'MFA_Required',
      'MFA_Required_Staff',
      'MFA_Required_Guests',
    ]);
  });

  it('a mistyped id suggests the id it is one character away from', () => {
    const typo = `${MFA_REQUIRED.slice(0, -1)}9`;
    const [p] = resolveScope(tenant(), scope({ excludeGroups: [typo] })).problems;
    expect(p).toMatchObject({ code: 'group-not-found', flag: 'exclude-group', value: typo });
    if (p?.code !== 'group-not-found') throw new Error('unexpected problem');
    expect(p.closest.map((g) => g.id)).toContain(MFA_REQUIRED);
  });

  it('nothing close: no suggestion rather than a random one', () => {
    const [p] = resolveScope(tenant(), scope({ scopeGroups: ['Enforcement wave 3'] })).problems;
    expect(p).toMatchObject({ code: 'group-not-found', closest: [] });
  });

  it('a display name two groups share is ambiguous: both ids, neither chosen', () => {
    const snap = tenant();
    snap.groups!.push(group(TWIN, 'MFA_Required', [C.id]));
    const r = resolveScope(snap, scope({ scopeGroups: ['MFA_REQUIRED'] }));
    expect(r.scopeGroups).toEqual([]);
    expect(r.problems).toEqual([
      {
        code: 'group-ambiguous',
        flag: 'scope-group',
        value: 'MFA_REQUIRED',
        candidates: [
          { id: MFA_REQUIRED, displayName: 'MFA_Required' },
          { id: TWIN, displayName: 'MFA_Required' },
        ],
      },
    ]);
    expect(resolveScope(snap, scope({ scopeGroups: [TWIN] })).problems).toEqual([]);
  });

  it('a listed group whose members were not collected cannot scope or exclude anyone', () => {
    const r = resolveScope(
      tenant(),
      scope({ scopeGroups: ['Pilot wave 2'], excludeGroups: [NOT_COLLECTED] }),
    );
    expect(r.problems).toEqual([
      {
        code: 'group-members-missing',
        flag: 'scope-group',
        value: 'Pilot wave 2',
        group: { id: NOT_COLLECTED, displayName: 'Pilot wave 2' },
      },
      {
        code: 'group-members-missing',
        flag: 'exclude-group',
        value: NOT_COLLECTED,
        group: { id: NOT_COLLECTED, displayName: 'Pilot wave 2' },
      },
    ]);
  });

  it('without groups.json: an id with a members file resolves, anything else cannot be checked', () => {
    const snap = snapshot({ users: [user(A.id, A.upn)], groups: [{ id: MFA_REQUIRED, memberIds: [A.id] }] });
    snap.coverage.groups = { present: false, rows: 0 };
    const r = resolveScope(snap, scope({ scopeGroups: [MFA_REQUIRED, 'MFA_Required', BREAK_GLASS] }));
    expect(r.scopeGroups).toEqual([{ id: MFA_REQUIRED, displayName: null }]);
    expect(r.problems).toEqual([
      { code: 'groups-not-collected', flag: 'scope-group', value: 'MFA_Required' },
      { code: 'groups-not-collected', flag: 'scope-group', value: BREAK_GLASS },
    ]);
  });

  it('an empty value is a problem, not "no scope"', () => {
    expect(resolveScope(tenant(), scope({ scopeGroups: [''] })).problems).toEqual([
      { code: 'empty-value', flag: 'scope-group' },
    ]);
  });
});

describe('resolveScope: users', () => {
  it('resolves a UPN in any case or an id, from users.json or the registration report', () => {
    const r = resolveScope(
      tenant(),
      scope({ excludeUsers: [`ANNA.BERG@contoso.com, ${B.id}`, REPORT_ONLY.upn] }),
    );
    expect(r.problems).toEqual([]);
    expect(r.excludeUsers).toEqual([
      { id: A.id, userPrincipalName: A.upn },
      { id: B.id, userPrincipalName: B.upn },
      { id: REPORT_ONLY.id, userPrincipalName: REPORT_ONLY.upn },
    ]);
  });

  it('a UPN that matches nobody: the closest users, by UPN, by its part before the @ or by display name', () => {
    const r = resolveScope(
      tenant(),
      scope({ excludeUsers: ['ana.berg@contoso.com', 'carla.jansen', 'New Hyre', 'zz@fabrikam.com'] }),
    );
    expect(r.excludeUsers).toEqual([]);
    const closest = r.problems.map((p) => (p.code === 'user-not-found' ? p.closest.map((u) => u.id) : []));
    expect(closest[0]?.[0]).toBe(A.id);
    expect(closest[1]?.[0]).toBe(C.id);
    expect(closest[2]?.[0]).toBe(REPORT_ONLY.id);
    expect(closest[3]).toEqual([]);
  });
});

describe('assess: the population it was computed on', () => {
  it('names the scope and exclusions as resolved, with the clock and the data age', () => {
    const snap = { ...tenant(), tenant: { tenantId: 't', collectedAt: '2025-06-09T12:00:00Z' } };
    const a = run(snap, {
      scope: scope({ scopeGroups: ['mfa_required'], excludeGroups: [BREAK_GLASS], excludeUsers: [B.upn] }),
    });
    expect(a.population).toEqual({
      users: 2,
      scopeGroups: [{ id: MFA_REQUIRED, displayName: 'MFA_Required' }],
      excludeGroups: [{ id: BREAK_GLASS, displayName: 'Break Glass' }],
      excludeUsers: [{ id: B.id, userPrincipalName: B.upn }],
      now: NOW.toISOString(),
      collectedAt: '2025-06-09T12:00:00Z',
      dataAgeDays: 1,
      staleData: false,
    });
  });

  it(`flags data more than ${STALE_DATA_DAYS} days older than the clock, and not data exactly that old`, () => {
    const at = (ms: number) => ({ ...tenant(), tenant: { collectedAt: new Date(ms).toISOString() } });
    const limit = NOW.getTime() - STALE_DATA_DAYS * 86_400_000;
    expect(run(at(limit)).population).toMatchObject({ dataAgeDays: STALE_DATA_DAYS, staleData: false });
    expect(run(at(limit - 1)).population).toMatchObject({ dataAgeDays: STALE_DATA_DAYS, staleData: true });
    expect(run(tenant()).population).toMatchObject({
      collectedAt: null,
      dataAgeDays: null,
      staleData: false,
    });
  });
});

describe('emptyPopulation', () => {
  it('no users at all', () => {
    expect(emptyPopulation(run(snapshot({ users: [] })))).toEqual({ code: 'no-users' });
  });

  it('users, but none in the scope groups', () => {
    const snap = tenant();
    snap.groups!.push(group(TWIN, 'Devices only', ['30000000-0000-4000-8000-000000000001']));
    expect(emptyPopulation(run(snap, { scope: scope({ scopeGroups: [TWIN] }) }))).toEqual({
      code: 'none-in-scope',
      scopeGroups: [{ id: TWIN, displayName: 'Devices only' }],
    });
  });

  it('everyone in scope excluded, counted by reason', () => {
    const snap = snapshot({
      users: [user(A.id, A.upn, { accountEnabled: false }), user(B.id, B.upn), user(C.id, C.upn)],
      groups: [group(BREAK_GLASS, 'Break Glass', [C.id])],
    });
    expect(
      emptyPopulation(run(snap, { scope: scope({ excludeGroups: [BREAK_GLASS], excludeUsers: [B.upn] }) })),
    ).toEqual({
      code: 'all-excluded',
      users: 3,
      byReason: { disabled: 1, 'excluded-user': 1, 'excluded-group': 1 },
    });
  });

  it('nothing to say when one user is assessed', () => {
    const snap = snapshot({ users: [user(A.id, A.upn), user(B.id, B.upn, { accountEnabled: false })] });
    expect(emptyPopulation(run(snap))).toBeUndefined();
  });
});
