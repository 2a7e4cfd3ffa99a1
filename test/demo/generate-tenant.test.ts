import { describe, expect, it } from 'vitest';
import { DEMO_VOLUME, generateTenant } from '../../src/demo/generate-tenant.js';
import type { SyntheticTenant } from '../../src/demo/generate-tenant.js';
import { VERDICTS } from '../../src/domain/verdict.js';
import { judgeTenant } from './support/spec-oracle.js';

const COLLECTED_AT = '2026-11-20T09:00:00Z';
const small = (seed = 1, users = 150) =>
  generateTenant({ users, seed, collectedAt: COLLECTED_AT, volume: DEMO_VOLUME });

/** Every dataset, serialised: what an export folder would hold. */
function serialise(t: SyntheticTenant): string {
  return JSON.stringify({
    tenant: t.tenant,
    users: t.users,
    registration: t.registration,
    methods: [...t.methods],
    audits: t.audits,
    signIns: t.signIns,
    groups: t.groups,
    groupMembers: [...t.groupMembers],
    conditionalAccess: t.conditionalAccess,
    methodsPolicy: t.methodsPolicy,
    securityDefaults: t.securityDefaults,
    domains: t.domains,
  });
}

describe('generateTenant: determinism', () => {
  it('gives identical output for the same options', () => {
    expect(serialise(small(7))).toBe(serialise(small(7)));
  });

  it('gives a different tenant for a different seed', () => {
    const a = small(7);
    const b = small(8);
    expect(a.tenant.tenantId).not.toBe(b.tenant.tenantId);
    expect(a.users.map((u) => u.id)).not.toEqual(b.users.map((u) => u.id));
    expect(a.signIns.map((s) => s.id)).not.toEqual(b.signIns.map((s) => s.id));
  });

  it('keeps user n the same whatever the tenant size, so the demo and the benchmark tell one story', () => {
    const a = small(3, 100);
    const b = small(3, 250);
    expect(b.users.slice(0, 100)).toEqual(a.users);
    expect(b.methods.get(a.users[42]?.id ?? '')).toEqual(a.methods.get(a.users[42]?.id ?? ''));
  });

  it('rejects impossible options', () => {
    expect(() => generateTenant({ users: 0, collectedAt: COLLECTED_AT })).toThrow(RangeError);
    expect(() => generateTenant({ users: 1.5, collectedAt: COLLECTED_AT })).toThrow(RangeError);
    expect(() => generateTenant({ users: 5, collectedAt: 'yesterday' })).toThrow(RangeError);
    expect(() =>
      generateTenant({ users: 5, collectedAt: COLLECTED_AT, volume: { interactivePerUserPerDay: -1 } }),
    ).toThrow(RangeError);
    // Windows too short for the stories, or longer than Entra keeps anything.
    expect(() => generateTenant({ users: 5, collectedAt: COLLECTED_AT, volume: { auditDays: 2 } })).toThrow(
      RangeError,
    );
    expect(() => generateTenant({ users: 5, collectedAt: COLLECTED_AT, volume: { signInDays: 31 } })).toThrow(
      RangeError,
    );
  });
});

describe('generateTenant: consistency of the datasets', () => {
  const t = small(5, 400);
  const now = Date.parse(COLLECTED_AT);
  const users = new Map(t.users.map((u) => [u.id, u]));

  it('has unique ids and UPNs', () => {
    expect(new Set(t.users.map((u) => u.id)).size).toBe(t.users.length);
    expect(new Set(t.users.map((u) => u.userPrincipalName.toLowerCase())).size).toBe(t.users.length);
    expect(new Set(t.signIns.map((s) => s.id)).size).toBe(t.signIns.length);
    expect(new Set(t.audits.map((a) => a.id)).size).toBe(t.audits.length);
  });

  it('lists events newest first, inside their retention windows, never before the account existed', () => {
    const check = (times: string[], days: number) => {
      const ms = times.map((x) => Date.parse(x));
      for (let i = 1; i < ms.length; i++) expect(ms[i]).toBeLessThanOrEqual(ms[i - 1] as number);
      expect(Math.max(...ms)).toBeLessThan(now);
      expect(Math.min(...ms)).toBeGreaterThanOrEqual(now - days * 86_400_000);
    };
    check(
      t.signIns.map((s) => s.createdDateTime),
      DEMO_VOLUME.signInDays,
    );
    check(
      t.audits.map((a) => a.activityDateTime),
      DEMO_VOLUME.auditDays,
    );
    for (const s of t.signIns) {
      const user = users.get(s.userId);
      expect(user, s.userId).toBeDefined();
      expect(s.createdDateTime >= (user?.createdDateTime ?? '')).toBe(true);
      expect(s.userPrincipalName).toBe(user?.userPrincipalName);
    }
    for (const a of t.audits) {
      const target = a.targetResources.find((r) => r.type === 'User');
      const created = Date.parse(users.get(target?.id ?? '')?.createdDateTime ?? '');
      expect(created, a.id).toBeLessThan(Date.parse(a.activityDateTime));
    }
  });

  it('has a registration report that skips disabled users and lags a few hours behind', () => {
    const rows = t.registration;
    expect(rows.every((r) => users.get(r.id)?.accountEnabled === true)).toBe(true);
    const refreshed = new Set(rows.map((r) => r.lastUpdatedDateTime));
    expect(refreshed.size).toBe(1);
    const lag = now - Date.parse([...refreshed][0] ?? '');
    expect(lag).toBeGreaterThanOrEqual(3 * 3_600_000);
    expect(lag).toBeLessThanOrEqual(5 * 3_600_000);
    expect(t.reportRefreshedAt).toBe([...refreshed][0]);
    // A few enabled users are missing too: created after the report's last refresh.
    const missing = t.users.filter((u) => u.accountEnabled && !rows.some((r) => r.id === u.id));
    expect(missing.length).toBeGreaterThan(0);
    for (const u of missing) expect(Date.parse(u.createdDateTime)).toBeGreaterThan(now - lag);
  });

  it('has a methods list for every user, and group members that exist', () => {
    expect(t.methods.size).toBe(t.users.length);
    for (const refs of t.groupMembers.values()) for (const r of refs) expect(users.has(r.id)).toBe(true);
  });
});

describe('generateTenant: verdicts', () => {
  it('implies, for every user, the verdict the persona table promises (checked by an independent reading of the spec)', () => {
    for (const tenant of [
      small(20261120, 300),
      small(99, 700),
      // The shortest windows the options allow still hold every story.
      generateTenant({
        users: 400,
        seed: 5,
        collectedAt: '2027-01-03T02:10:00Z',
        volume: { ...DEMO_VOLUME, signInDays: 1, auditDays: 3 },
      }),
      // Realistic routine volume, so noise is proven not to flip anyone's verdict.
      generateTenant({
        users: 250,
        seed: 17,
        collectedAt: '2027-02-01T14:00:00Z',
        volume: { signInDays: 7 },
      }),
    ]) {
      const judged = judgeTenant(tenant);
      const wrong = [...tenant.expectations()].filter((e) => {
        const j = judged.get(e.id);
        return (
          j === undefined ||
          j.verdict !== e.verdict ||
          j.confidence !== e.confidence ||
          j.weak !== e.weak ||
          j.isAdmin !== e.isAdmin ||
          j.exclusion !== e.exclusion
        );
      });
      expect(
        wrong.map((e) => `${e.persona} ${e.userPrincipalName}: ${JSON.stringify(judged.get(e.id))}`),
      ).toEqual([]);
    }
  });

  it('contains every verdict and confidence, weak phone-only users and admins, even at demo size', () => {
    const expected = [...small(20261120, 300).expectations()];
    // `unknown` is what a partial collection leaves (nothing read about a user), never a persona.
    expect(new Set(expected.map((e) => e.verdict))).toEqual(new Set(VERDICTS.filter((v) => v !== 'unknown')));
    expect(new Set(expected.map((e) => e.confidence))).toEqual(
      new Set(['proven', 'registered', 'reported', null]),
    );
    expect(new Set(expected.map((e) => e.exclusion).filter(Boolean))).toEqual(new Set(['disabled', 'guest']));
    expect(expected.some((e) => e.weak)).toBe(true);
    expect(expected.some((e) => e.isAdmin && e.verdict === 'ready')).toBe(true);
  });

  it('distributes a large tenant in the intended shares', () => {
    const expected = [
      ...generateTenant({ users: 20_000, seed: 2, collectedAt: COLLECTED_AT }).expectations(),
    ];
    const share = (pred: (e: (typeof expected)[number]) => boolean) =>
      expected.filter(pred).length / expected.length;
    expect(share((e) => e.verdict === 'ready')).toBeCloseTo(0.71, 1);
    expect(share((e) => e.verdict === 'unverified')).toBeCloseTo(0.05, 2);
    expect(share((e) => e.verdict === 'policy-blocked')).toBeCloseTo(0.04, 2);
    expect(share((e) => e.verdict === 'not-registered')).toBeCloseTo(0.08, 2);
    expect(share((e) => e.verdict === 'loop-risk')).toBeCloseTo(0.02, 2);
    expect(share((e) => e.verdict === 'looping')).toBeCloseTo(0.01, 2);
    expect(share((e) => e.exclusion === 'disabled')).toBeCloseTo(0.04, 2);
    expect(share((e) => e.exclusion === 'guest')).toBeCloseTo(0.03, 2);
  });

  it('still holds both incidents in a 10-user tenant', () => {
    const tiny = generateTenant({ users: 10, collectedAt: COLLECTED_AT });
    expect(tiny.users).toHaveLength(10);
    const personas = [...tiny.expectations()].map((e) => e.persona);
    expect(personas.slice(0, 4)).toEqual([
      'incident1-mfatest1',
      'incident1-mfatest2',
      'looping-now',
      'loop-risk-app-signed-in',
    ]);
    expect(judgeTenant(tiny).get(tiny.users[1]?.id ?? '')?.verdict).toBe('unverified');
  });
});
