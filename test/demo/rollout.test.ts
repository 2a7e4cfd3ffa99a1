/**
 * Several days of one synthetic tenant (src/demo/rollout.ts): what a day adds never rewrites the past,
 * the rollout moves the verdict counts, and the answer key of every day is what both the engine and the
 * independent reading of the spec conclude from that day's export.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assess } from '../../src/assess/assess.js';
import { EVIDENCE_RULES } from '../../src/assess/evidence-filter.js';
import { load } from '../../src/load/index.js';
import { DEMO_VOLUME, generateTenant, MAX_ROLLOUT_DAYS } from '../../src/demo/generate-tenant.js';
import type { SyntheticTenant } from '../../src/demo/generate-tenant.js';
import type { GraphAuthenticationMethod } from '../../src/demo/graph-types.js';
import { writeExportFolder } from '../../src/demo/write-export-folder.js';
import { judgeTenant } from './support/spec-oracle.js';

const DAY = 86_400_000;
const START = '2026-11-20T09:00:00Z';
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const dayOf = (k: number) => iso(Date.parse(START) + k * DAY);
const generate = (k: number, users = 150, seed = 31) =>
  generateTenant({ users, seed, collectedAt: dayOf(k), volume: DEMO_VOLUME, rolloutStart: START });

const DAYS = 5;
const tenants: SyntheticTenant[] = Array.from({ length: DAYS }, (_, k) => generate(k));

/** Graph recomputes a TAP's usability on every read; everything else in a methods list is stored. */
const stored = (list: readonly GraphAuthenticationMethod[] | undefined) =>
  list?.map((m) => {
    const { isUsable: _u, methodUsabilityReason: _r, ...rest } = m as unknown as Record<string, unknown>;
    return rest;
  });

describe('consecutive days of one tenant', () => {
  it('is day 0 exactly the single-day tenant of the same collectedAt', () => {
    const single = generateTenant({ users: 150, seed: 31, collectedAt: START, volume: DEMO_VOLUME });
    const day0 = tenants[0] as SyntheticTenant;
    expect(day0.options).toEqual(single.options);
    expect(day0.users).toEqual(single.users);
    expect(day0.audits).toEqual(single.audits);
    expect(day0.signIns).toEqual(single.signIns);
    expect([...day0.expectations()]).toEqual([...single.expectations()]);
  });

  it('agrees, day after day, on every event before the earlier collection that both windows hold', () => {
    for (let k = 0; k + 1 < DAYS; k++) {
      const [a, b] = [tenants[k] as SyntheticTenant, tenants[k + 1] as SyntheticTenant];
      const d = Date.parse(dayOf(k));
      const auditFloor = d + DAY - DEMO_VOLUME.auditDays * DAY;
      const signInFloor = d + DAY - DEMO_VOLUME.signInDays * DAY;
      const auditsIn = (t: SyntheticTenant) =>
        t.audits.filter(
          (x) => Date.parse(x.activityDateTime) >= auditFloor && Date.parse(x.activityDateTime) < d,
        );
      const signInsIn = (t: SyntheticTenant) =>
        t.signIns.filter(
          (x) => Date.parse(x.createdDateTime) >= signInFloor && Date.parse(x.createdDateTime) < d,
        );
      expect(auditsIn(a).length).toBeGreaterThan(50);
      expect(auditsIn(b)).toEqual(auditsIn(a));
      expect(signInsIn(a).length).toBeGreaterThan(50);
      expect(signInsIn(b)).toEqual(signInsIn(a));
      // The day's events are all new, after the earlier collection.
      const newIds = new Set(a.audits.map((x) => x.id));
      const added = b.audits.filter((x) => !newIds.has(x.id));
      expect(added.length).toBeGreaterThan(0);
      for (const x of added) expect(Date.parse(x.activityDateTime)).toBeGreaterThanOrEqual(d);

      // The same users, and new hires only after the earlier collection.
      expect(b.users.slice(0, a.users.length)).toEqual(a.users);
      for (const u of b.users.slice(a.users.length)) expect(Date.parse(u.createdDateTime)).toBeGreaterThan(d);
      // The same methods lists unless the user changed them that day (a change leaves audit events).
      const changed = new Set(added.flatMap((x) => x.targetResources.map((r) => r.id)));
      for (const u of a.users) {
        if (changed.has(u.id)) continue;
        expect(stored(b.methods.get(u.id)), u.userPrincipalName).toEqual(stored(a.methods.get(u.id)));
      }
    }
  });

  it('moves the verdict counts as a rollout does: ready rises, fewer users left to fix', () => {
    const counts = tenants.map((t) => {
      const c = new Map<string, number>();
      for (const e of t.expectations()) c.set(e.verdict, (c.get(e.verdict) ?? 0) + 1);
      return c;
    });
    const ready = counts.map((c) => c.get('ready') ?? 0);
    for (let k = 1; k < DAYS; k++) expect(ready[k]).toBeGreaterThanOrEqual(ready[k - 1] as number);
    expect(ready[DAYS - 1]).toBeGreaterThan(ready[0] as number);
    const stuck = (c: Map<string, number>) =>
      (c.get('not-registered') ?? 0) + (c.get('unverified') ?? 0) + (c.get('loop-risk') ?? 0);
    expect(stuck(counts[DAYS - 1] as Map<string, number>)).toBeLessThan(
      stuck(counts[0] as Map<string, number>),
    );
    // The answer key says what changed, and when: always inside the rollout, never after collection.
    const last = tenants[DAYS - 1] as SyntheticTenant;
    const changes = [...last.expectations()].filter((e) => e.change !== undefined);
    expect(new Set(changes.map((e) => e.change))).toContain('registered-authenticator');
    for (const e of changes) {
      expect(Date.parse(e.changedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(START) - DAY);
      expect(Date.parse(e.changedAt ?? '')).toBeLessThan(Date.parse(last.tenant.collectedAt));
    }
  });

  it('gives, on every day, the verdicts an independent reading of the spec finds in that day', () => {
    const rollout = (k: number, users: number, seed: number, volume: Partial<typeof DEMO_VOLUME>) =>
      generateTenant({ users, seed, collectedAt: dayOf(k), rolloutStart: START, volume });
    for (const t of [
      ...tenants,
      generate(MAX_ROLLOUT_DAYS, 300, 7),
      // The shortest windows: every sign-in-borne verdict needs a fresh sign-in each day, and the
      // registrations age out of a 3-day audit log within the rollout.
      rollout(2, 300, 5, { ...DEMO_VOLUME, signInDays: 1, auditDays: 3 }),
      rollout(6, 300, 5, { ...DEMO_VOLUME, signInDays: 1, auditDays: 3 }),
      // Realistic routine volume: noise around the changes flips nobody.
      rollout(3, 250, 17, { signInDays: 7 }),
    ]) {
      const judged = judgeTenant(t);
      const wrong = [...t.expectations()].filter((e) => {
        const j = judged.get(e.id);
        return (
          j === undefined || j.verdict !== e.verdict || j.confidence !== e.confidence || j.weak !== e.weak
        );
      });
      expect(
        wrong.map(
          (e) =>
            `${t.tenant.collectedAt} ${e.persona} ${e.change ?? ''}: ${JSON.stringify(judged.get(e.id))} vs ${e.verdict}/${e.confidence}`,
        ),
      ).toEqual([]);
    }
  });

  it('refuses a collectedAt that is not a whole number of rollout days after its start', () => {
    const at = (collectedAt: string) => () =>
      generateTenant({ users: 5, collectedAt, rolloutStart: START, volume: DEMO_VOLUME });
    expect(at('2026-11-21T10:00:00Z')).toThrow(RangeError);
    expect(at('2026-11-19T09:00:00Z')).toThrow(RangeError);
    expect(at(dayOf(MAX_ROLLOUT_DAYS + 1))).toThrow(RangeError);
    expect(() => generateTenant({ users: 5, collectedAt: START, rolloutStart: 'monday' })).toThrow(
      RangeError,
    );
    // The stale Authenticator sign-in must stay inside the window on the last day too.
    expect(() =>
      generateTenant({
        users: 5,
        collectedAt: dayOf(3),
        rolloutStart: START,
        volume: DEMO_VOLUME,
        staleAuthenticatorSignInDays: 4,
      }),
    ).toThrow(RangeError);
  });
});

describe('the engine on each day of the rollout', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'mfa-ready-rollout-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("agrees with each day's answer key on that day's export", async () => {
    const extremes = [
      generateTenant({
        users: 300,
        seed: 5,
        collectedAt: dayOf(6),
        rolloutStart: START,
        volume: { ...DEMO_VOLUME, signInDays: 1, auditDays: 3 },
      }),
      generateTenant({
        users: 250,
        seed: 17,
        collectedAt: dayOf(3),
        rolloutStart: START,
        volume: { signInDays: 7 },
      }),
    ];
    for (const [k, t] of [...tenants, ...extremes].entries()) {
      const dir = join(root, `day-${k}`);
      await writeExportFolder(dir, t);
      const snapshot = await load({ kind: 'folder', dir }, 'store', { rules: EVIDENCE_RULES });
      const result = assess(snapshot, { now: new Date(t.tenant.collectedAt) });
      const got = new Map(result.users.map((u) => [u.id, u]));
      const wrong = [...t.expectations()].filter((e) => {
        const u = got.get(e.id);
        return (
          u === undefined ||
          u.verdict !== e.verdict ||
          u.confidence !== e.confidence ||
          u.weak !== e.weak ||
          u.isAdmin !== e.isAdmin
        );
      });
      expect(
        wrong.map((e) => {
          const u = got.get(e.id);
          return `day ${k} ${e.userPrincipalName} ${e.persona} ${e.change ?? ''}: engine ${u?.verdict}/${u?.confidence}, key ${e.verdict}/${e.confidence}`;
        }),
      ).toEqual([]);
    }
  });
});
