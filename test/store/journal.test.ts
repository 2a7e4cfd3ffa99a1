import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  journalOutcomes,
  journalPending,
  listPlans,
  openStore,
  readJournal,
  readPlan,
  savePlan,
  setPlanState,
  type Store,
} from '../../src/store/index.js';

let tmp: string;
let store: Store;
beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'mfa-ready-journal-'));
  store = openStore(join(tmp, 'history.db'));
});
afterEach(async () => {
  store.close();
  await rm(tmp, { recursive: true, force: true });
});

const T0 = new Date('2026-03-02T08:00:00Z');
const T1 = new Date('2026-03-02T08:05:00Z');

describe('plans', () => {
  it('keeps every version and reads the latest', () => {
    expect(readPlan(store, 'rollout', 'students')).toBeUndefined();
    expect(savePlan(store, 'rollout', 'students', { waves: 1 }, T0).version).toBe(1);
    expect(savePlan(store, 'rollout', 'students', { waves: 2 }, T1).version).toBe(2);
    savePlan(store, 'remediation', 'students', { other: true }, T1);
    const latest = readPlan<{ waves: number }>(store, 'rollout', 'students');
    expect(latest).toMatchObject({ version: 2, state: 'active', data: { waves: 2 } });
    expect(listPlans(store, 'rollout').map((p) => [p.name, p.version])).toEqual([['students', 2]]);
  });

  it('pauses the latest version only, and says when there is no such plan', () => {
    savePlan(store, 'rollout', 'staff', { waves: 1 }, T0);
    savePlan(store, 'rollout', 'staff', { waves: 2 }, T1);
    expect(setPlanState(store, 'rollout', 'staff', 'paused')).toBe(true);
    expect(readPlan(store, 'rollout', 'staff')?.state).toBe('paused');
    const v1 = store.db.prepare("SELECT state FROM plans WHERE name = 'staff' AND version = 1").get() as {
      state: string;
    };
    expect(v1.state).toBe('active');
    expect(setPlanState(store, 'rollout', 'nobody', 'paused')).toBe(false);
  });
});

describe('journal', () => {
  const add = (user: string) => ({
    key: `add:g1:${user}`,
    operation: 'add-member',
    target: 'g1',
    subject: user,
  });

  it('journals changes pending, then records what Graph answered', () => {
    journalPending(store, 'rollout', 'students', 1, [add('u1'), add('u2')], T0);
    expect(readJournal(store, 'rollout', 'students').map((e) => e.status)).toEqual(['pending', 'pending']);
    journalOutcomes(
      store,
      'rollout',
      'students',
      [
        { key: 'add:g1:u1', status: 'done', detail: { status: 204 } },
        { key: 'add:g1:u2', status: 'failed', detail: { status: 400, code: 'Request_BadRequest' } },
      ],
      T1,
    );
    const entries = readJournal(store, 'rollout', 'students');
    expect(entries[0]).toMatchObject({ status: 'done', doneAt: T1.toISOString(), detail: { status: 204 } });
    expect(entries[1]).toMatchObject({ status: 'failed', detail: { code: 'Request_BadRequest' } });
  });

  it('keeps a done change done when the same change is journaled again (a re-run)', () => {
    journalPending(store, 'rollout', 'students', 1, [add('u1')], T0);
    journalOutcomes(store, 'rollout', 'students', [{ key: 'add:g1:u1', status: 'done' }], T0);
    journalPending(store, 'rollout', 'students', 2, [add('u1'), add('u3')], T1);
    const entries = readJournal(store, 'rollout', 'students');
    expect(entries.map((e) => [e.subject, e.status, e.planVersion])).toEqual([
      ['u1', 'done', 1],
      ['u3', 'pending', 2],
    ]);
    expect(entries[0]?.attemptedAt).toBe(T0.toISOString());
  });

  it('stores a display name that looks like SQL as text', () => {
    const name = "x'); DROP TABLE journal; --";
    journalPending(store, 'remediation', name, 1, [add(name)], T0);
    expect(readJournal(store, 'remediation', name)[0]?.subject).toBe(name);
  });
});
