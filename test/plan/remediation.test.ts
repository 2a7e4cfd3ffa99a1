/**
 * The remediation planner, pure: what each user gets, from the assessment and the snapshot, on the
 * two incidents (test/fixtures/incidents) and the unhappy paths (guest, admin, TAP policy).
 */
import { describe, expect, it } from 'vitest';
import type { RemediationAction, RemediationPlan, UserRemediation } from '../../src/domain/remediation.js';
import type { TenantSnapshot } from '../../src/domain/tenant.js';
import { UsageError } from '../../src/domain/errors.js';
import { planRemediation, tapLifetime } from '../../src/plan/remediation.js';
import {
  NOW,
  ago,
  authenticatorRow,
  config,
  group,
  interrupt,
  methodsMap,
  password,
  phone,
  policy,
  row,
  run,
  snapshot,
  tap,
  user,
} from '../assess/builders.js';
import {
  MFATEST1,
  MFATEST2,
  MFATEST2_DEVICE,
  STUDENT_LOOP,
  STUDENT_READY,
  STUDENT_RISK,
  incident1,
  incident2,
} from '../assess/incident-scenarios.js';

function plan(
  snap: TenantSnapshot,
  opts: Partial<Parameters<typeof planRemediation>[2]> = {},
): RemediationPlan {
  return planRemediation(run(snap), snap, { now: NOW, ...opts });
}

function planOf(p: RemediationPlan, id: string): UserRemediation {
  const u = p.users.find((x) => x.userId === id);
  if (u === undefined) throw new Error(`no plan for ${id}`);
  return u;
}

const codes = (u: UserRemediation) => u.actions.map((a) => a.code);

function only<C extends RemediationAction['code']>(
  u: UserRemediation,
  code: C,
): Extract<RemediationAction, { code: C }> {
  const a = u.actions.find((x) => x.code === code);
  if (a === undefined) throw new Error(`${u.userPrincipalName} has no ${code}: ${codes(u).join(',')}`);
  return a as Extract<RemediationAction, { code: C }>;
}

describe('incident 1: the half-registered Authenticator', () => {
  it('deletes the unverified entry, then asks the user to register again; leaves the working user alone', () => {
    const p = plan(incident1());
    expect(p.users.map((u) => u.userId)).toEqual([MFATEST2.id]);
    const u = planOf(p, MFATEST2.id);
    expect(u.verdict).toBe('unverified');
    expect(codes(u)).toEqual(['delete-authenticator', 'ask-to-complete']);
    const del = only(u, 'delete-authenticator');
    expect(del.methodId).toBe(MFATEST2_DEVICE);
    expect(del.deviceName).toBe('iPhone 14 Pro Max');
    expect(del.reason).toEqual({ code: 'half-registered-authenticator', methodId: MFATEST2_DEVICE });
    expect(only(u, 'ask-to-complete').message).toContain('https://aka.ms/mysecurityinfo');
  });

  it("cleans up a ready user's broken default: changes the default to the usable phone, then deletes", () => {
    const snap = incident1({
      registration: [
        authenticatorRow(MFATEST1.id, MFATEST1.upn),
        {
          ...authenticatorRow(MFATEST2.id, MFATEST2.upn),
          userPreferredMethodForSecondaryAuthentication: 'push',
        },
      ],
      methods: methodsMap({
        [MFATEST1.id]: [password()],
        [MFATEST2.id]: [
          password(),
          phone('mobile'),
          ...incident1().methods!.get(MFATEST2.id)!.methods.slice(1),
        ],
      }),
    });
    // Ready by the phone, so only when asked for by name.
    expect(plan(snap).users.map((u) => u.userId)).not.toContain(MFATEST2.id);
    const u = planOf(plan(snap, { users: [MFATEST2.upn] }), MFATEST2.id);
    expect(u.verdict).toBe('ready');
    expect(codes(u)).toEqual(['set-default-method', 'delete-authenticator', 'ask-to-complete']);
    expect(only(u, 'set-default-method').method).toBe('sms');
    const del = only(u, 'delete-authenticator');
    expect(del.isDefault).toBe(true);
    expect(del.fallbackDefault).toBe('sms');
  });

  it('says it cannot tell which entry to delete when no methods list nor audit names one', () => {
    const snap = incident1({ methods: undefined, audits: [] });
    const a = run(snap);
    const u2 = a.users.find((u) => u.id === MFATEST2.id)!;
    // Without both the list and the audit log the user is not unverified: nothing is planned for a guess.
    const p = planRemediation(a, snap, { now: NOW, users: [MFATEST2.upn], verdicts: ['unverified'] });
    expect(u2.verdict).not.toBe('unverified');
    expect(p.users).toEqual([]);
  });
});

describe('incident 2: federated students who cannot register at AD FS', () => {
  it('gives the loop-risk and the looping student a one-time TAP within the policy, then the message', () => {
    const snap = incident2({
      methodsPolicy: policy({
        TemporaryAccessPass: {
          defaultLifetimeInMinutes: 480,
          minimumLifetimeInMinutes: 60,
          maximumLifetimeInMinutes: 600,
        },
      }),
    });
    const p = plan(snap);
    const ids = p.users.map((u) => u.userId).sort();
    expect(ids).toEqual([STUDENT_RISK.id, STUDENT_LOOP.id].sort());
    for (const id of [STUDENT_RISK.id, STUDENT_LOOP.id]) {
      const u = planOf(p, id);
      expect(codes(u)).toEqual(['create-tap', 'ask-to-complete']);
      const t = only(u, 'create-tap');
      expect(t.isUsableOnce).toBe(true);
      expect(t.lifetimeInMinutes).toBe(480);
      expect(t.startDateTime).toBeNull();
      expect(u.federatedDomain).toBe('uni.example');
    }
    expect(only(planOf(p, STUDENT_LOOP.id), 'create-tap').reason.code).toBe('registration-loop');
    expect(only(planOf(p, STUDENT_RISK.id), 'create-tap').reason).toEqual({
      code: 'federated-no-inline-registration',
      domain: 'uni.example',
    });
    expect(p.tapPolicy).toMatchObject({
      state: 'enabled',
      defaultLifetimeInMinutes: 480,
      maximumLifetimeInMinutes: 600,
    });
  });

  it('keeps an asked lifetime within the policy minimum and maximum', () => {
    const snap = incident2({
      methodsPolicy: policy({
        TemporaryAccessPass: { minimumLifetimeInMinutes: 60, maximumLifetimeInMinutes: 120 },
      }),
    });
    expect(
      only(planOf(plan(snap, { tapLifetimeInMinutes: 5000 }), STUDENT_RISK.id), 'create-tap')
        .lifetimeInMinutes,
    ).toBe(120);
    expect(
      only(planOf(plan(snap, { tapLifetimeInMinutes: 15 }), STUDENT_RISK.id), 'create-tap').lifetimeInMinutes,
    ).toBe(60);
    const start = '2025-06-11T07:00:00.000Z';
    expect(only(planOf(plan(snap, { tapStart: start }), STUDENT_RISK.id), 'create-tap').startDateTime).toBe(
      start,
    );
  });

  it('refuses a TAP and says where to enable it when the TAP policy is disabled', () => {
    const snap = incident2({ methodsPolicy: policy({ TemporaryAccessPass: { state: 'disabled' } }) });
    const u = planOf(plan(snap), STUDENT_RISK.id);
    expect(u.actions).toEqual([
      {
        code: 'no-action',
        why: {
          code: 'tap-policy-disabled',
          where:
            'Entra admin center → Protection → Authentication methods → Policies → Temporary Access Pass',
        },
      },
    ]);
  });

  it('refuses a TAP for a user the TAP policy does not target, naming its targets', () => {
    const g = 'aa000000-0000-4000-8000-0000000000aa';
    const snap = incident2({
      methodsPolicy: policy({ TemporaryAccessPass: { includeTargets: [{ id: g, targetType: 'group' }] } }),
      groups: [...incident2().groups!, group(g, 'TAP users', [STUDENT_LOOP.id])],
    });
    const p = plan(snap);
    expect(planOf(p, STUDENT_RISK.id).actions[0]).toMatchObject({
      code: 'no-action',
      why: { code: 'tap-user-not-targeted', includeTargets: [g] },
    });
    expect(codes(planOf(p, STUDENT_LOOP.id))).toEqual(['create-tap', 'ask-to-complete']);
  });

  it('says the TAP policy is unknown when the methods policy was not collected, rather than guess', () => {
    const u = planOf(plan(incident2({ methodsPolicy: undefined })), STUDENT_RISK.id);
    expect(u.actions).toEqual([{ code: 'no-action', why: { code: 'tap-policy-unknown' } }]);
  });

  it('hands over a usable pass rather than replace it', () => {
    const base = incident2();
    const methods = methodsMap({ [STUDENT_RISK.id]: [password(), tap({ isUsable: true })] });
    const u = planOf(plan(incident2({ methods: new Map([...base.methods!, ...methods]) })), STUDENT_RISK.id);
    expect(u.actions[0]).toMatchObject({ code: 'no-action', why: { code: 'tap-exists', methodId: 'tap-1' } });
  });

  it('withholds writes for an admin unless the operator is a Privileged Authentication Administrator', () => {
    const snap = incident2({
      registration: [
        { ...row(STUDENT_RISK.id, STUDENT_RISK.upn), isAdmin: true },
        row(STUDENT_LOOP.id, STUDENT_LOOP.upn),
        authenticatorRow(STUDENT_READY.id, STUDENT_READY.upn),
      ],
    });
    const withheld = planOf(plan(snap), STUDENT_RISK.id);
    expect(withheld.isAdmin).toBe(true);
    expect(withheld.actions).toEqual([
      {
        code: 'no-action',
        why: { code: 'admin-needs-privileged-authentication-administrator', withheld: ['create-tap'] },
      },
    ]);
    expect(codes(planOf(plan(snap, { privileged: true }), STUDENT_RISK.id))).toEqual([
      'create-tap',
      'ask-to-complete',
    ]);
  });
});

describe('selection and cloud users', () => {
  const CLOUD = { id: 'e0000000-0000-4000-8000-000000000001', upn: 'new.starter@contoso.com' };
  const GUEST = { id: 'e0000000-0000-4000-8000-000000000002', upn: 'partner_fabrikam.com#EXT#@contoso.com' };

  function cloud(extra: Partial<Omit<TenantSnapshot, 'tenant' | 'coverage'>> = {}): TenantSnapshot {
    return snapshot({
      users: [user(CLOUD.id, CLOUD.upn), user(GUEST.id, GUEST.upn, { userType: 'guest' })],
      registration: [row(CLOUD.id, CLOUD.upn), row(GUEST.id, GUEST.upn)],
      methods: methodsMap({ [CLOUD.id]: [password()], [GUEST.id]: [password()] }),
      audits: [],
      signIns: [],
      methodsPolicy: policy(),
      ...extra,
    });
  }

  it('asks a cloud user who is not registered to register: they are prompted at sign-in', () => {
    const u = planOf(plan(cloud()), CLOUD.id);
    expect(u.verdict).toBe('not-registered');
    expect(codes(u)).toEqual(['ask-to-complete']);
    expect(only(u, 'ask-to-complete').reason).toEqual({ code: 'prompted-at-sign-in' });
  });

  it('gives a TAP to a cloud user already sent to register who did not', () => {
    const u = planOf(plan(cloud({ signIns: [interrupt('si-1', ago(60), CLOUD, 50079)] })), CLOUD.id);
    expect(codes(u)).toEqual(['create-tap', 'ask-to-complete']);
    expect(only(u, 'create-tap').reason.code).toBe('registration-interrupted');
  });

  it('never plans a TAP for a guest, even named with --user', () => {
    const p = plan(cloud(), { users: [GUEST.upn.toUpperCase()] });
    expect(p.users).toHaveLength(1);
    expect(planOf(p, GUEST.id).actions).toEqual([{ code: 'no-action', why: { code: 'guest' } }]);
  });

  it('plans only the verdicts asked for', () => {
    expect(plan(cloud(), { verdicts: ['unverified'] }).users).toEqual([]);
    expect(plan(cloud(), { verdicts: ['not-registered'] }).users.map((u) => u.userId)).toEqual([CLOUD.id]);
  });

  it('refuses a --user that names nobody, naming it', () => {
    expect(() => plan(cloud(), { users: ['nobody@contoso.com'] })).toThrow(UsageError);
    expect(() => plan(cloud(), { users: ['nobody@contoso.com'] })).toThrow(/nobody@contoso.com/);
  });

  it('records what it rests on', () => {
    const p = plan(cloud());
    expect(p.kind).toBe('remediation');
    expect(p.createdAt).toBe(NOW.toISOString());
    expect(p.selection.verdicts).toEqual(['unverified', 'loop-risk', 'looping', 'not-registered']);
  });
});

describe('tapLifetime', () => {
  it("uses the policy default, else Learn's 60 minutes, within Graph's 10 to 43,200", () => {
    const none = {
      state: 'enabled' as const,
      defaultLifetimeInMinutes: null,
      minimumLifetimeInMinutes: null,
      maximumLifetimeInMinutes: null,
      isUsableOnce: null,
    };
    expect(tapLifetime(none, undefined)).toBe(60);
    expect(tapLifetime(none, 1)).toBe(10);
    expect(tapLifetime(none, 99_999)).toBe(43_200);
    expect(tapLifetime({ ...none, defaultLifetimeInMinutes: 240 }, undefined)).toBe(240);
  });

  it('keeps the configuration lifetimes from the policy', () => {
    expect(config('TemporaryAccessPass', { defaultLifetimeInMinutes: 30 }).defaultLifetimeInMinutes).toBe(30);
  });
});
