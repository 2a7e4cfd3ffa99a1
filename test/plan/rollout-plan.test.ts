import { describe, expect, it } from 'vitest';
import { orderUsers, planRollout, waveDate } from '../../src/plan/rollout-plan.js';
import { BYPASS, ENFORCE, OPTIONS, makePlan, user } from './rollout-fixtures.js';

describe('planRollout', () => {
  it('orders ready-first: proven, then registered, then reported, then the rest; ties by UPN', () => {
    const users = [
      user('d', 'not-registered'),
      user('c', 'ready', 'reported'),
      user('b', 'ready', 'registered'),
      user('a2', 'ready', 'proven'),
      user('a1', 'unknown'),
      user('a3', 'ready', 'proven'),
    ];
    expect(orderUsers(users, 'ready-first').map((u) => u.id)).toEqual(['a2', 'a3', 'b', 'c', 'a1', 'd']);
    expect(orderUsers(users, 'upn').map((u) => u.id)).toEqual(['a1', 'a2', 'a3', 'b', 'c', 'd']);
  });

  it('orders by creation date, unknown dates last', () => {
    const users = [user('a'), user('b'), user('c')];
    const created = new Map([
      ['b', '2020-01-01T00:00:00Z'],
      ['c', '2019-01-01T00:00:00Z'],
    ]);
    expect(orderUsers(users, 'created', created).map((u) => u.id)).toEqual(['c', 'b', 'a']);
  });

  it('cuts waves of the size, the last one smaller, dated by the cadence', () => {
    const plan = makePlan([1, 2, 3, 4, 5, 6, 7].map((n) => user(n)));
    expect(plan.waves.map((w) => w.userIds.length)).toEqual([3, 3, 1]);
    expect(plan.waves.map((w) => w.date)).toEqual(['2026-12-01', '2026-12-08', '2026-12-15']);
    expect(plan.waves.map((w) => w.number)).toEqual([1, 2, 3]);
    expect(plan.upns['u001']).toBe('u001@contoso.edu');
    expect(plan.enforceGroup).toEqual(ENFORCE);
    expect(plan.bypassGroup).toEqual(BYPASS);
    expect(plan.epoch).toBe(0);
  });

  it('never plans excluded users (guests, disabled, break-glass): the assessment marks them excluded', () => {
    const guest = { ...user('guest', 'excluded'), exclusion: 'guest' as const };
    const disabled = { ...user('off', 'excluded'), exclusion: 'disabled' as const };
    const plan = makePlan([user(1), guest, disabled, user(2)]);
    expect(plan.waves.flatMap((w) => w.userIds)).toEqual(['u001', 'u002']);
  });

  it('is the same plan for the same inputs, whatever order the users come in', () => {
    const users = Array.from({ length: 50 }, (_, i) => user(i, i % 3 === 0 ? 'unknown' : 'ready'));
    const a = makePlan(users);
    const b = makePlan([...users].reverse());
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it('re-planning keeps the applied waves and puts a user added mid-rollout into a later wave', () => {
    const first = makePlan([1, 2, 3, 4, 5].map((n) => user(n)));
    // Wave 1 applied; user 6 joined the tenant, user 5 left it.
    const again = planRollout(
      {
        name: 'students',
        enforceGroup: ENFORCE,
        bypassGroup: BYPASS,
        scopeGroups: [],
        excludeGroups: [],
        excludeUsers: [],
        users: [1, 2, 3, 4, 6].map((n) => user(n)),
        plannedFrom: { runId: 2, collectedAt: '2026-12-02T09:00:00Z' },
        previous: { plan: first, keepWaves: new Set([1]) },
      },
      OPTIONS,
    );
    expect(again.waves[0]).toEqual(first.waves[0]);
    expect(again.waves.slice(1).map((w) => [w.number, w.date, w.userIds])).toEqual([
      [2, '2026-12-08', ['u004', 'u006']],
    ]);
    expect(again.epoch).toBe(0);
  });

  it('after a rollback, planning again starts a new epoch and keeps no wave', () => {
    const first = makePlan([1, 2, 3, 4].map((n) => user(n)));
    const again = planRollout(
      {
        name: 'students',
        enforceGroup: ENFORCE,
        bypassGroup: BYPASS,
        scopeGroups: [],
        excludeGroups: [],
        excludeUsers: [],
        users: [1, 2, 3, 4].map((n) => user(n)),
        plannedFrom: { runId: 2, collectedAt: null },
        previous: { plan: first, keepWaves: new Set([1]), rolledBack: true },
      },
      OPTIONS,
    );
    expect(again.epoch).toBe(1);
    expect(again.waves.map((w) => w.userIds.length)).toEqual([3, 1]);
  });

  it('refuses options the CLI must have checked', () => {
    expect(() => makePlan([user(1)], { waveSize: 0 })).toThrow(RangeError);
    expect(() => makePlan([user(1)], { readyThreshold: 1.5 })).toThrow(RangeError);
  });

  it('dates waves in UTC days', () => {
    expect(waveDate('2026-12-28', 7, 2)).toBe('2027-01-04');
  });
});
