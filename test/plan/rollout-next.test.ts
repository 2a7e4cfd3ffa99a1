import { describe, expect, it } from 'vitest';
import type { Evidence, UserAssessment } from '../../src/domain/verdict.js';
import type { RolloutJournalRecord } from '../../src/domain/rollout.js';
import {
  appliedWaves,
  rolloutNext,
  rolloutRollback,
  type RolloutNextInput,
} from '../../src/plan/rollout-next.js';
import { rolloutStatus } from '../../src/plan/rollout-status.js';
import { BYPASS, ENFORCE, byId, done, makePlan, user } from './rollout-fixtures.js';

const DEC1 = new Date('2026-12-01T10:00:00Z');
const DEC8 = new Date('2026-12-08T10:00:00Z');

function input(users: UserAssessment[], over: Partial<RolloutNextInput> = {}): RolloutNextInput {
  return {
    plan: makePlan(users),
    state: 'active',
    now: DEC1,
    users: byId(users),
    journal: [],
    ...over,
  };
}

const interrupt = (at: string): Evidence =>
  ({
    code: 'registration-interrupt',
    source: 'signIns',
    ref: 's1',
    at,
    fields: { appId: null, errorCode: 50072 },
  }) as unknown as Evidence;

describe('rolloutNext', () => {
  it('advances the due wave: all of it into the enforcement group, those not ready into the bypass group too', () => {
    const users = [user(1), user(2), user(3, 'not-registered'), user(4), user(5)];
    const step = rolloutNext(input(users));
    expect(step.hold).toBeNull();
    expect(step.advancing).toBe(1);
    // ready-first: u001, u002, u004 ready → wave 1 = u001,u002,u004; u003 is in wave 2.
    expect(step.changes.map((c) => `${c.op} ${c.group.id} ${c.userId} ${c.reason}`)).toEqual([
      'add-member g-enforce u001 wave-enforce',
      'add-member g-enforce u002 wave-enforce',
      'add-member g-enforce u004 wave-enforce',
    ]);
  });

  it('holds a wave below the threshold and names who blocks it and why', () => {
    const users = [user(1, 'unknown'), user(2, 'looping'), user(3)];
    const step = rolloutNext(input(users));
    expect(step.changes).toEqual([]);
    expect(step.advancing).toBeNull();
    expect(step.hold).toEqual({ code: 'below-threshold', wave: 1, ready: 1, inScope: 3, threshold: 0.5 });
    expect(step.blockers).toEqual([
      { code: 'not-ready', userId: 'u001', verdict: 'unknown' },
      { code: 'not-ready', userId: 'u002', verdict: 'looping' },
    ]);
  });

  it('puts unknown users of an advancing wave into the bypass group (unknown is never ready)', () => {
    const users = [user(1), user(2, 'unknown'), user(3)];
    const step = rolloutNext(input(users));
    expect(step.advancing).toBe(1);
    expect(step.changes.filter((c) => c.group.id === BYPASS.id).map((c) => c.userId)).toEqual(['u002']);
  });

  it('does nothing before the first wave is due, and says when it is', () => {
    const step = rolloutNext(input([user(1)], { now: new Date('2026-11-30T23:59:00Z') }));
    expect(step.changes).toEqual([]);
    expect(step.notices).toEqual([{ code: 'next-wave', wave: 1, date: '2026-12-01' }]);
  });

  it('a paused plan makes no change; a rolled-back one neither', () => {
    expect(rolloutNext(input([user(1)], { state: 'paused' }))).toMatchObject({
      changes: [],
      hold: { code: 'paused' },
    });
    expect(rolloutNext(input([user(1)], { state: 'rolled-back' }))).toMatchObject({
      changes: [],
      hold: { code: 'rolled-back' },
    });
  });

  it('graduates only users ready with a verified registration, never unknown or reported-only', () => {
    const users = [user(1, 'not-registered'), user(2, 'not-registered'), user(3, 'not-registered')];
    const base = input(users, { plan: makePlan(users, { readyThreshold: 0 }) });
    const first = rolloutNext(base);
    expect(first.changes).toHaveLength(6);
    const journal = done(first.changes, '2026-12-01T10:00:00Z');
    const later = [user(1, 'ready', 'registered'), user(2, 'ready', 'reported'), user(3, 'unknown')];
    const step = rolloutNext({ ...base, now: DEC8, users: byId(later), journal });
    expect(step.changes.map((c) => `${c.op} ${c.group.id} ${c.userId} ${c.reason}`)).toEqual([
      'remove-member g-bypass u001 graduated',
    ]);
  });

  it('makes the same change set again after a crash (pending), and nothing for what was done', () => {
    const users = [user(1, 'not-registered'), user(2), user(3)];
    const base = input(users, { plan: makePlan(users, { readyThreshold: 0 }) });
    const first = rolloutNext(base);
    const [a, ...rest] = first.changes;
    const journal: RolloutJournalRecord[] = [
      ...done([a!], '2026-12-01T10:00:00Z'),
      ...done(rest, '2026-12-01T10:00:00Z', 'pending'),
    ];
    const again = rolloutNext({ ...base, journal });
    expect(again.changes.map((c) => c.key)).toEqual(rest.map((c) => c.key));
    const all = rolloutNext({ ...base, journal: done(first.changes, '2026-12-01T10:00:00Z') });
    expect(all.changes).toEqual([]);
  });

  it('holds the next wave when the previous wave shows new registration interrupts since it was applied', () => {
    const users = [1, 2, 3, 4, 5, 6].map((n) => user(n));
    const base = input(users);
    const first = rolloutNext(base);
    const journal = done(first.changes, '2026-12-01T10:00:00Z');
    const old = { ...user(1), evidence: [interrupt('2026-11-20T08:00:00Z')] };
    const fresh = { ...user(2), evidence: [interrupt('2026-12-03T08:00:00Z')] };
    const quiet = rolloutNext({ ...base, now: DEC8, journal, users: byId([old, ...users.slice(1)]) });
    expect(quiet.advancing).toBe(2);
    const step = rolloutNext({
      ...base,
      now: DEC8,
      journal,
      users: byId([users[0]!, fresh, ...users.slice(2)]),
    });
    expect(step.hold).toEqual({ code: 'previous-wave-failing', wave: 2, previous: 1, users: 1 });
    expect(step.blockers).toEqual([
      { code: 'new-interrupt', userId: 'u002', wave: 1, at: '2026-12-03T08:00:00Z' },
    ]);
    expect(step.changes).toEqual([]);
  });

  it('skips users who left the scope and says so; a wave with nobody left holds nothing up', () => {
    const users = [1, 2, 3, 4].map((n) => user(n));
    const plan = makePlan(users);
    const gone = { ...user(2, 'excluded'), exclusion: 'disabled' as const };
    const step = rolloutNext(input(users, { plan, users: byId([users[0]!, gone, users[2]!, users[3]!]) }));
    expect(step.changes.filter((c) => c.group.id === ENFORCE.id).map((c) => c.userId)).toEqual([
      'u001',
      'u003',
    ]);
    expect(step.notices).toContainEqual({ code: 'left-scope', userId: 'u002', wave: 1 });
  });

  it('says who regressed after graduating, without putting them back by itself', () => {
    const users = [user(1, 'not-registered')];
    const base = input(users, { plan: makePlan(users, { readyThreshold: 0 }) });
    const first = rolloutNext(base);
    const j1 = done(first.changes, '2026-12-01T10:00:00Z');
    const grad = rolloutNext({ ...base, journal: j1, users: byId([user(1, 'ready', 'proven')]) });
    const j2 = [...j1, ...done(grad.changes, '2026-12-02T10:00:00Z')];
    const step = rolloutNext({ ...base, now: DEC8, journal: j2, users: byId([user(1, 'unverified')]) });
    expect(step.changes).toEqual([]);
    expect(step.notices).toContainEqual({
      code: 'regressed',
      userId: 'u001',
      wave: 1,
      verdict: 'unverified',
    });
  });

  it('lists who overstayed the bypass days, and completes when the bypass group is empty', () => {
    const users = [user(1, 'not-registered')];
    const base = input(users, { plan: makePlan(users, { readyThreshold: 0 }) });
    const j1 = done(rolloutNext(base).changes, '2026-12-01T10:00:00Z');
    const late = rolloutNext({ ...base, now: new Date('2026-12-20T10:00:00Z'), journal: j1 });
    expect(late.notices).toContainEqual({
      code: 'overstayed',
      userId: 'u001',
      since: '2026-12-01T10:00:00Z',
      days: 19,
    });
    const ready = byId([user(1, 'ready', 'registered')]);
    const grad = rolloutNext({ ...base, journal: j1, users: ready });
    const j2 = [...j1, ...done(grad.changes, '2026-12-02T10:00:00Z')];
    expect(rolloutNext({ ...base, journal: j2, users: ready }).notices).toContainEqual({ code: 'complete' });
  });

  it('rolls back what the plan added, not a user who already was a member', () => {
    const users = [user(1, 'not-registered'), user(2)];
    const base = input(users, { plan: makePlan(users, { readyThreshold: 0 }) });
    const first = rolloutNext(base);
    const journal = done(first.changes, '2026-12-01T10:00:00Z').map((e) =>
      e.subject === 'u002' ? { ...e, detail: { alreadyMember: true } } : e,
    );
    const back = rolloutRollback(base.plan, journal);
    expect(back.map((c) => `${c.op} ${c.group.id} ${c.userId}`)).toEqual([
      'remove-member g-bypass u001',
      'remove-member g-enforce u001',
    ]);
    const after = [...journal, ...done(back, '2026-12-02T10:00:00Z')];
    expect(rolloutRollback(base.plan, after)).toEqual([]);
    expect(appliedWaves(base.plan, after)).toEqual(new Set([1]));
  });

  it('status: per wave members, % ready and state; the bypass group with since when', () => {
    const users = [user(1, 'not-registered'), user(2), user(3), user(4)];
    const base = input(users, { plan: makePlan(users, { readyThreshold: 0 }) });
    const journal = done(rolloutNext(base).changes, '2026-12-01T10:00:00Z');
    const s = rolloutStatus({ ...base, now: DEC8, journal });
    expect(s.waves.map((w) => [w.number, w.state, w.users, w.ready, w.enforced])).toEqual([
      [1, 'applied', 3, 3, 3],
      [2, 'due', 1, 0, 0],
    ]);
    expect(s.bypass).toEqual([]);
    expect(s.next.advancing).toBe(2);
  });

  it('says whether scripted changes (synced groups) arrived in the latest collected members', () => {
    const users = [user(1), user(2, 'not-registered')];
    const base = input(users, { plan: makePlan(users, { readyThreshold: 0 }) });
    const journal = done(rolloutNext(base).changes, '2026-12-01T10:00:00Z', 'scripted');
    const unknown = rolloutStatus({ ...base, journal });
    expect(unknown.scripted).toEqual({ total: 3, arrived: 0, notArrived: 0, unknown: 3 });
    const partly = rolloutStatus({
      ...base,
      journal,
      members: { enforce: new Set(['u001', 'u002']), bypass: new Set() },
    });
    expect(partly.scripted).toEqual({ total: 3, arrived: 2, notArrived: 1, unknown: 0 });
    expect(partly.next.notices).toContainEqual({
      code: 'script-not-arrived',
      userId: 'u002',
      groupId: BYPASS.id,
      op: 'add-member',
    });
    expect(partly.bypass[0]).toMatchObject({ userId: 'u002', arrived: false });
  });

  it('holds the next wave on evidence collected before the previous wave was applied', () => {
    const users = [1, 2, 3, 4, 5, 6].map((n) => user(n));
    const base = input(users);
    const journal = done(rolloutNext(base).changes, '2026-12-01T10:00:00Z');
    const stale = rolloutNext({ ...base, now: DEC8, journal, evidenceAt: '2026-12-01T09:00:00Z' });
    expect(stale.hold).toEqual({
      code: 'evidence-before-previous-wave',
      wave: 2,
      previous: 1,
      collectedAt: '2026-12-01T09:00:00Z',
      appliedAt: '2026-12-01T10:00:00Z',
    });
    expect(stale.changes).toEqual([]);
    const fresh = rolloutNext({ ...base, now: DEC8, journal, evidenceAt: '2026-12-08T09:00:00Z' });
    expect(fresh.advancing).toBe(2);
  });
});
