import { describe, expect, it } from 'vitest';
import { isEvidenceAudit, isEvidenceSignIn } from '../../src/assess/index.js';
import type { AuditEvent, SignIn, TenantSnapshot } from '../../src/domain/tenant.js';
import { EVIDENCE_CODES, VERDICTS } from '../../src/domain/verdict.js';
import { ago, deviceJson, phoneAppDetailUpdate, run, signIn, snapshot } from './builders.js';
import {
  MFATEST1,
  MFATEST2,
  STUDENT_LOOP,
  STUDENT_READY,
  STUDENT_RISK,
  incident1,
  incident2,
} from './incident-scenarios.js';

/** Both incidents in one tenant, plus the noise a real log is mostly made of. */
function mixedTenant(): TenantSnapshot {
  const one = incident1();
  const two = incident2();
  const noiseAudits: AuditEvent[] = [
    {
      id: 'noise-dept',
      activityDateTime: ago(100),
      activityDisplayName: 'Update user',
      loggedByService: 'Core Directory',
      result: 'success',
      initiatedBy: { user: { id: 'admin', userPrincipalName: 'admin@contoso.com' } },
      targetResources: [
        {
          id: MFATEST1.id,
          userPrincipalName: MFATEST1.upn,
          type: 'User',
          modifiedProperties: [{ displayName: 'Department', oldValue: '["Sales"]', newValue: '["IT"]' }],
        },
      ],
      additionalDetails: [],
    },
    {
      id: 'noise-group',
      activityDateTime: ago(90),
      activityDisplayName: 'Add member to group',
      loggedByService: 'Core Directory',
      result: 'success',
      initiatedBy: {},
      targetResources: [{ id: STUDENT_RISK.id, type: 'User', modifiedProperties: [] }],
      additionalDetails: [],
    },
    // Ordinary Authenticator use: a version bump is not a registration.
    phoneAppDetailUpdate(
      'noise-bump',
      ago(80),
      MFATEST1,
      [deviceJson('x')],
      [deviceJson('x', { PhoneAppVersion: '6.8.1' })],
    ),
  ];
  const noiseSignIns: SignIn[] = [
    signIn('noise-si-1', ago(50), MFATEST2),
    signIn('noise-si-2', ago(40), STUDENT_READY, { errorCode: 50126 }),
    signIn('noise-si-3', ago(30), STUDENT_LOOP, { errorCode: 50074 }),
  ];
  return snapshot({
    users: [...one.users!, ...two.users!],
    registration: [...one.registration!, ...two.registration!],
    methods: new Map([...one.methods!, ...two.methods!]),
    audits: [...one.audits!, ...two.audits!, ...noiseAudits],
    signIns: [...one.signIns!, ...two.signIns!, ...noiseSignIns],
    groups: two.groups,
    domains: two.domains,
    methodsPolicy: two.methodsPolicy,
  });
}

/** A deterministic shuffle (the output must not depend on input order). */
function shuffled<T>(list: readonly T[] | undefined, seed: number): T[] | undefined {
  if (list === undefined) return undefined;
  const out = [...list];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('the loader filter predicates', () => {
  it('keep everything a rule uses: assessing with and without the filter gives identical results', () => {
    const full = mixedTenant();
    const filtered: TenantSnapshot = {
      ...full,
      audits: full.audits!.filter(isEvidenceAudit),
      signIns: full.signIns!.filter(isEvidenceSignIn),
    };
    // The filter must actually drop the noise, or the test proves nothing.
    expect(filtered.audits!.length).toBeLessThan(full.audits!.length);
    expect(filtered.signIns!.length).toBeLessThan(full.signIns!.length);
    expect(run(filtered)).toEqual(run(full));
  });
});

describe('robustness', () => {
  it('gives the same output whatever the order of the input', () => {
    const full = mixedTenant();
    const reordered: TenantSnapshot = {
      ...full,
      users: shuffled(full.users, 7),
      registration: shuffled(full.registration, 11),
      audits: shuffled(full.audits, 13),
      signIns: shuffled(full.signIns, 17),
    };
    expect(JSON.stringify(run(reordered))).toBe(JSON.stringify(run(full)));
  });

  it('gives every finding a ref and a known code, and every verdict a count', () => {
    const a = run(mixedTenant());
    for (const u of a.users) {
      for (const e of u.evidence) {
        expect(e.ref, `${u.userPrincipalName} ${e.code}`).not.toBe('');
        expect(EVIDENCE_CODES).toContain(e.code);
        if (e.fields !== undefined) expect(Object.values(e.fields)).not.toContain(undefined);
      }
    }
    expect(Object.keys(a.summary)).toEqual([...VERDICTS]);
    expect(Object.values(a.summary).reduce((x, y) => x + y, 0)).toBe(a.users.length);
  });

  it('never proves or finds a loop without sign-ins, and does not crash on missing datasets', () => {
    const full = mixedTenant();
    const a = run({ ...full, signIns: undefined });
    expect(a.users.some((u) => u.confidence === 'proven')).toBe(false);
    expect(a.summary.looping + a.summary['loop-risk']).toBe(0);

    const bare = snapshot({ users: full.users });
    const b = run(bare);
    expect(b.users).toHaveLength(full.users!.length);
    // Nothing but the user list: nobody's methods were read, so nobody is called unregistered.
    expect(b.users.every((u) => u.verdict === 'unknown' && u.action.code === 'collect-user-methods')).toBe(
      true,
    );
    expect(b.summary.unknown).toBe(full.users!.length);
    expect(b.summary['not-registered']).toBe(0);
    expect(run(snapshot({})).users).toEqual([]);
  });

  it('records the clock it was given and the report refresh time in coverage', () => {
    const a = run(mixedTenant());
    expect(a.generatedAt).toBe('2025-06-10T12:00:00.000Z');
    expect(a.coverage.reportRefreshedAt).toBe(ago(6 * 60));
    expect(a.coverage.signIns).toEqual({ present: true, rows: mixedTenant().signIns!.length });
  });
});
