/**
 * Moving the emulator's "now" forward a day between two collections (RunningEmulator.advanceDay): an
 * incremental collection that asks for events since the previous now gets the day's new events and
 * nothing else, and the overlapping past reads exactly as it did.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_VOLUME, generateTenant } from '../../src/demo/generate-tenant.js';
import type { RunningEmulator } from '../../src/emulator/index.js';
import type { Caller } from './support.js';
import { COLLECTED_AT, start, startWithCaller } from './support.js';

const DAY = 86_400_000;
/** Enough users that the first day of the rollout changes someone (60 users may have a quiet day). */
const USERS = 200;
const NEXT_DAY = new Date(Date.parse(COLLECTED_AT) + DAY).toISOString().replace('.000Z', 'Z');
const TWO_DAYS_BEFORE = new Date(Date.parse(COLLECTED_AT) - 2 * DAY).toISOString().replace('.000Z', 'Z');

let em: RunningEmulator;
let caller: Caller;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ em, caller, close } = await startWithCaller({ users: USERS, throttling: false }));
});
afterAll(async () => {
  await close();
});

type Item = Record<string, unknown>;
const audits = async (since: string) =>
  (await caller.all(`/v1.0/auditLogs/directoryAudits?$filter=activityDateTime ge ${since}`)).items;
const signIns = async (since: string) =>
  (await caller.all(`/beta/auditLogs/signIns?$filter=createdDateTime ge ${since}`)).items;
const at = (item: Item, field: string) => Date.parse(item[field] as string);
const ids = (items: Item[]) => items.map((x) => x['id']);

describe('advanceDay', () => {
  it('serves the next day of the same tenant: only the new day is new, the past reads the same', async () => {
    const auditsBefore = await audits(TWO_DAYS_BEFORE);
    const signInsBefore = await signIns(TWO_DAYS_BEFORE);
    const usersBefore = (await caller.all('/v1.0/users')).items;
    // Nothing newer than now yet: an incremental read from now is empty.
    expect(await audits(COLLECTED_AT)).toEqual([]);
    expect(auditsBefore.length).toBeGreaterThan(0);
    const statsBefore = em.stats();

    expect(em.advanceDay()).toBe(NEXT_DAY);
    expect(em.tenant.tenant.collectedAt).toBe(NEXT_DAY);

    // The incremental read: since the previous now, only the day's events, all of them new.
    const newAudits = await audits(COLLECTED_AT);
    const newSignIns = await signIns(COLLECTED_AT);
    expect(newAudits.length).toBeGreaterThan(0);
    expect(newSignIns.length).toBeGreaterThan(0);
    const seen = new Set([...ids(auditsBefore), ...ids(signInsBefore)]);
    for (const a of newAudits) {
      expect(at(a, 'activityDateTime')).toBeGreaterThanOrEqual(Date.parse(COLLECTED_AT));
      expect(at(a, 'activityDateTime')).toBeLessThan(Date.parse(NEXT_DAY));
      expect(seen.has(a['id'])).toBe(false);
    }
    for (const s of newSignIns) expect(seen.has(s['id'])).toBe(false);
    // Exactly the day the generator adds for that collectedAt.
    const expected = generateTenant({
      users: USERS,
      seed: 7,
      collectedAt: NEXT_DAY,
      rolloutStart: COLLECTED_AT,
      volume: DEMO_VOLUME,
    }).audits.filter((a) => Date.parse(a.activityDateTime) >= Date.parse(COLLECTED_AT));
    expect(ids(newAudits)).toEqual(expected.map((a) => a.id));

    // The overlapping past: the same events, same contents, followed by the new ones.
    const auditsAfter = await audits(TWO_DAYS_BEFORE);
    expect(auditsAfter.slice(newAudits.length)).toEqual(auditsBefore);
    expect(auditsAfter.slice(0, newAudits.length)).toEqual(newAudits);
    const signInsAfter = await signIns(TWO_DAYS_BEFORE);
    expect(signInsAfter.slice(newSignIns.length)).toEqual(signInsBefore);
    // The same users (a new hire may have joined since).
    const usersAfter = (await caller.all('/v1.0/users')).items;
    const byId = new Map(usersAfter.map((u) => [u['id'], u]));
    for (const u of usersBefore) {
      const { onPremisesLastSyncDateTime: _a, ...rest } = u;
      const { onPremisesLastSyncDateTime: _b, ...after } = byId.get(u['id']) ?? {};
      expect(after).toEqual(rest);
    }

    // The stats carried on across the move.
    const statsAfter = em.stats();
    const route = 'GET /v1.0/auditLogs/directoryAudits';
    expect(statsAfter.graphRequests).toBeGreaterThan(statsBefore.graphRequests);
    expect(statsAfter.byRoute[route]).toBeGreaterThanOrEqual((statsBefore.byRoute[route] ?? 0) + 2);
  });

  it('refuses anything but whole days forward', () => {
    expect(() => em.advanceDay(0)).toThrow(RangeError);
    expect(() => em.advanceDay(0.5)).toThrow(RangeError);
  });

  it('serves on a restart with rolloutStart what advanceDay served', async () => {
    const restarted = await start({
      users: USERS,
      throttling: false,
      rolloutStart: COLLECTED_AT,
      collectedAt: NEXT_DAY,
    });
    try {
      expect(restarted.tenant.tenant.collectedAt).toBe(NEXT_DAY);
      const fresh = generateTenant({ users: USERS, seed: 7, collectedAt: NEXT_DAY, volume: DEMO_VOLUME });
      // Not the single-day tenant of that date: the same tenant a day on.
      expect(ids(restarted.tenant.audits as unknown as Item[])).not.toEqual(
        ids(fresh.audits as unknown as Item[]),
      );
      expect(restarted.tenant.audits.slice(0, 20)).toEqual(
        generateTenant({
          users: USERS,
          seed: 7,
          collectedAt: NEXT_DAY,
          rolloutStart: COLLECTED_AT,
          volume: DEMO_VOLUME,
        }).audits.slice(0, 20),
      );
    } finally {
      await restarted.close();
    }
  });
});
