import { describe, expect, it } from 'vitest';
import {
  ago,
  authenticator,
  authenticatorRow,
  codes,
  group,
  methodsMap,
  password,
  row,
  run,
  snapshot,
  user,
  userOf,
} from './builders.js';

const A = { id: '10000000-0000-4000-8000-000000000001', upn: 'a@contoso.com' };
const B = { id: '10000000-0000-4000-8000-000000000002', upn: 'b@contoso.com' };
const C = { id: '10000000-0000-4000-8000-000000000003', upn: 'c@contoso.com' };
const GUEST = { id: '10000000-0000-4000-8000-000000000004', upn: 'partner_fabrikam.com#EXT#@contoso.com' };
const SCOPE = '20000000-0000-4000-8000-000000000001';
const BREAK_GLASS = '20000000-0000-4000-8000-000000000003';

describe('population', () => {
  it('is users.json ∪ the registration report', () => {
    const snap = snapshot({
      users: [user(A.id, A.upn)],
      registration: [authenticatorRow(A.id, A.upn), authenticatorRow(B.id, B.upn)],
    });
    expect(
      run(snap)
        .users.map((u) => u.id)
        .sort(),
    ).toEqual([A.id, B.id]);
  });

  it('classifies a user missing from the report from users.json and the methods list, never as unregistered', () => {
    const snap = snapshot({
      users: [user(C.id, C.upn, { createdDateTime: ago(60) })],
      registration: [authenticatorRow(A.id, A.upn, { lastUpdatedDateTime: ago(120) })],
      methods: methodsMap({ [C.id]: [password(), authenticator('dev-new')] }),
    });
    const c = userOf(run(snap), C.upn);
    expect(c.verdict).toBe('ready');
    expect(c.evidence.find((e) => e.code === 'report-missing-user')?.fields).toMatchObject({
      reason: 'created-after-report',
    });
  });

  it('says so, and asks for the methods, when a user is in neither the report nor a methods list', () => {
    const snap = snapshot({ users: [user(C.id, C.upn)], registration: [], methods: methodsMap({}) });
    const c = userOf(run(snap), C.upn);
    expect(c.action.code).toBe('collect-user-methods');
    expect(codes(c)).toEqual(expect.arrayContaining(['report-missing-user', 'methods-list-missing']));
    expect(c.evidence.find((e) => e.code === 'methods-list-missing')?.ref).toBe(C.id);
  });

  it('excludes disabled users (never in the report) and guests, saying which', () => {
    const snap = snapshot({
      users: [user(A.id, A.upn, { accountEnabled: false }), user(GUEST.id, GUEST.upn, { userType: 'guest' })],
      registration: [row(GUEST.id, GUEST.upn, { userType: 'guest' })],
    });
    const a = run(snap);
    expect(userOf(a, A.upn)).toMatchObject({
      verdict: 'excluded',
      exclusion: 'disabled',
      confidence: null,
      action: { code: 'none-excluded' },
    });
    expect(userOf(a, GUEST.upn)).toMatchObject({ verdict: 'excluded', exclusion: 'guest' });
    expect(userOf(a, A.upn).evidence.find((e) => e.code === 'report-missing-user')?.fields?.reason).toBe(
      'disabled',
    );
    expect(a.summary.excluded).toBe(2);
  });

  it('limits to the (transitive) members of the scope groups and excludes by group or user (id or UPN, any case)', () => {
    const snap = snapshot({
      users: [user(A.id, A.upn), user(B.id, B.upn), user(C.id, C.upn)],
      groups: [group(SCOPE, 'MFA_Required', [A.id, B.id]), group(BREAK_GLASS, 'Break glass', [B.id])],
    });
    const a = run(snap, {
      scope: { scopeGroups: [SCOPE], excludeGroups: ['break glass'], excludeUsers: ['A@CONTOSO.COM'] },
    });
    expect(a.users.map((u) => u.id).sort()).toEqual([A.id, B.id]);
    expect(userOf(a, A.upn)).toMatchObject({ verdict: 'excluded', exclusion: 'excluded-user' });
    expect(userOf(a, B.upn)).toMatchObject({ verdict: 'excluded', exclusion: 'excluded-group' });
    expect(userOf(a, B.upn).evidence[0]).toMatchObject({
      code: 'excluded-by-group-option',
      source: 'options',
      ref: BREAK_GLASS,
    });
  });

  it('takes isAdmin from the report and lists admins first within a verdict', () => {
    const snap = snapshot({
      registration: [row(A.id, A.upn), row(B.id, B.upn, { isAdmin: true })],
    });
    const a = run(snap);
    expect(a.users.map((u) => u.id)).toEqual([B.id, A.id]);
    expect(userOf(a, B.upn).isAdmin).toBe(true);
    expect(codes(userOf(a, B.upn))).toContain('admin-role');
  });
});
