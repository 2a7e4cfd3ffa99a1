/**
 * The generator must serve 10 to 300,000 users without holding a month of sign-ins in memory, and its
 * streaming queries must agree with the full dataset (the emulator answers `$filter`s with them).
 */
import { describe, expect, it } from 'vitest';
import { GAP, generateTenant, REALISTIC_VOLUME } from '../../src/demo/generate-tenant.js';
import type { SignIn } from '../../src/demo/graph-types.js';
import { AUTHENTICATOR_APP_ID, MY_SIGNINS_APP_ID } from '../../src/domain/well-known.js';

const COLLECTED_AT = '2026-11-20T09:00:00Z';
const HOUR = 3_600_000;
const ago = (hours: number) => new Date(Date.parse(COLLECTED_AT) - hours * HOUR).toISOString();

function take<T>(items: Iterable<T>, n: number): T[] {
  const out: T[] = [];
  for (const item of items) {
    if (out.length === n) break;
    out.push(item);
  }
  return out;
}

const newestFirst = (signIns: readonly SignIn[]) =>
  signIns.every((s, i) => i === 0 || s.createdDateTime <= (signIns[i - 1] as SignIn).createdDateTime);

describe('scaling', () => {
  it('generates a 10-user tenant with every dataset', () => {
    const t = generateTenant({ users: 10, collectedAt: COLLECTED_AT });
    expect(t.users).toHaveLength(10);
    expect(t.methods.size).toBe(10);
    expect(t.signIns.length).toBeGreaterThan(0);
    expect(t.audits.length).toBeGreaterThan(0);
  });

  it('serves 20,000 users at realistic volume by streaming, never materialising the month of sign-ins', () => {
    const t = generateTenant({ users: 20_000, seed: 3, collectedAt: COLLECTED_AT });
    expect(t.options.volume).toEqual(REALISTIC_VOLUME);
    let users = 0;
    for (const _ of t.iterateUsers()) users++;
    expect(users).toBe(20_000);
    let rows = 0;
    for (const _ of t.iterateRegistration()) rows++;
    expect(rows).toBeGreaterThan(18_000);
    expect(rows).toBeLessThan(20_000);

    // The whole 30-day log is ~7 million sign-ins; the first thousand arrive after one hour's slice.
    const first = take(t.iterateSignIns(), 1000);
    expect(first).toHaveLength(1000);
    expect(newestFirst(first)).toBe(true);

    const lastTwoHours = [...t.iterateSignIns({ since: ago(2) })];
    expect(lastTwoHours.length).toBeGreaterThan(1000);
    expect(lastTwoHours.every((s) => s.createdDateTime >= ago(2).replace('.000Z', 'Z'))).toBe(true);

    const appOnly = [
      ...t.iterateSignIns({ since: ago(24), appId: AUTHENTICATOR_APP_ID, interactive: false }),
    ];
    expect(appOnly.length).toBeGreaterThan(0);
    expect(appOnly.every((s) => s.appId === AUTHENTICATOR_APP_ID && !s.isInteractive)).toBe(true);

    const someone = t.users[12_345];
    expect(t.methodsOf(someone?.id ?? '')).toEqual(
      t.methodsOf(someone?.userPrincipalName.toUpperCase() ?? ''),
    );
    expect(t.methodsOf('no-such-user')).toBeUndefined();
    expect(take(t.iterateAudits({ since: ago(48) }), 10)).toHaveLength(10);
  });
});

describe('streaming queries agree with the full dataset', () => {
  const t = generateTenant({
    users: 300,
    seed: 8,
    collectedAt: COLLECTED_AT,
    volume: { signInDays: 3, auditDays: 10 },
  });
  const all = [...t.iterateSignIns()];
  const allAudits = [...t.iterateAudits()];

  it('a time window is the slice of the whole', () => {
    const since = ago(30);
    const until = ago(6);
    const window = [...t.iterateSignIns({ since, until })];
    const bounds = (s: SignIn) =>
      Date.parse(s.createdDateTime) >= Date.parse(since) && Date.parse(s.createdDateTime) < Date.parse(until);
    expect(window).toEqual(all.filter(bounds));
    expect(newestFirst(all)).toBe(true);
  });

  it('one user, one app or one kind is the filter of the whole', () => {
    for (const user of t.users.slice(0, 12)) {
      expect([...t.iterateSignIns({ userId: user.id })]).toEqual(all.filter((s) => s.userId === user.id));
      const audits = [...t.iterateAudits({ userId: user.id })];
      expect(audits).toEqual(
        allAudits.filter((a) => a.targetResources.some((r) => r.type === 'User' && r.id === user.id)),
      );
    }
    expect([...t.iterateSignIns({ appId: AUTHENTICATOR_APP_ID })]).toEqual(
      all.filter((s) => s.appId === AUTHENTICATOR_APP_ID),
    );
    expect([...t.iterateSignIns({ interactive: false })]).toEqual(all.filter((s) => !s.isInteractive));
    const apps = [AUTHENTICATOR_APP_ID, MY_SIGNINS_APP_ID];
    const ofApps = [...t.iterateSignIns({ appIds: apps, interactive: false })];
    expect(ofApps.length).toBeGreaterThan(0);
    expect(ofApps).toEqual(all.filter((s) => !s.isInteractive && apps.includes(s.appId)));
    expect([...t.iterateSignIns({ userId: 'nobody' })]).toEqual([]);
  });

  it('with gaps, the same events with GAPs between (every 2,048 members of a slice)', () => {
    const big = generateTenant({
      users: 5_000,
      seed: 2,
      collectedAt: COLLECTED_AT,
      volume: { signInDays: 1 },
    });
    const since = ago(3);
    const withGaps = [...big.iterateSignIns({ since, gaps: true })];
    const gaps = withGaps.filter((e) => e === GAP).length;
    // 3 hourly slices × 4 streams × 2 gaps (members 2,048 and 4,096 of 5,000).
    expect(gaps).toBe(3 * 4 * 2);
    expect(withGaps.filter((e) => e !== GAP)).toEqual([...big.iterateSignIns({ since })]);
    const audits = [...big.iterateAudits({ since: ago(48), gaps: true })];
    expect(audits.some((e) => e === GAP)).toBe(true);
    expect(audits.filter((e) => e !== GAP)).toEqual([...big.iterateAudits({ since: ago(48) })]);
  });

  it('the materialised datasets are the streams', () => {
    expect(t.signIns).toEqual(all);
    expect(t.audits).toEqual(allAudits);
    expect(t.users).toEqual([...t.iterateUsers()]);
  });
});
