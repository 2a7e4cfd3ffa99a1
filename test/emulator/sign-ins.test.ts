/**
 * Sign-ins and directory audits as the collector asks for them: beta returns interactive sign-ins
 * only unless the filter names signInEventTypes (https://learn.microsoft.com/graph/api/signin-list), newest first, and every filter
 * answers exactly what a brute-force evaluation over the tenant's events gives.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTHENTICATOR_APP_ID } from '../../src/domain/well-known.js';
import type { RunningEmulator } from '../../src/emulator/index.js';
import type { Caller } from './support.js';
import { graphError, startWithCaller } from './support.js';

let em: RunningEmulator;
let caller: Caller;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ em, caller, close } = await startWithCaller({ throttling: false, users: 120 }));
});
afterAll(() => close());

type Row = Record<string, unknown>;
const ids = (rows: Row[]) => rows.map((r) => r['id']);
const q = (filter: string) => `/beta/auditLogs/signIns?$filter=${encodeURIComponent(filter)}`;

describe('interactive only by default (https://learn.microsoft.com/graph/api/signin-list)', () => {
  it('beta without a signInEventTypes filter lists interactive sign-ins only, newest first', async () => {
    const { items } = await caller.all('/beta/auditLogs/signIns');
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((s) => s['isInteractive'] === true)).toBe(true);
    expect(ids(items)).toEqual([...em.tenant.iterateSignIns({ interactive: true })].map((s) => s.id));
    const times = items.map((s) => Date.parse(String(s['createdDateTime'])));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('a filter on other properties does not lift the default (isInteractive eq false finds nothing)', async () => {
    const { items } = await caller.all(q(`appId eq '${AUTHENTICATOR_APP_ID}'`));
    expect(items.every((s) => s['isInteractive'] === true)).toBe(true);
    expect((await caller.all(q('isInteractive eq false'))).items).toEqual([]);
  });

  it('naming signInEventTypes returns what it names', async () => {
    const non = await caller.all(q("signInEventTypes/any(t: t eq 'nonInteractiveUser')"));
    expect(non.items.length).toBeGreaterThan(0);
    expect(non.items.every((s) => s['isInteractive'] === false)).toBe(true);
    const both = await caller.all(
      q("signInEventTypes/any(t: t eq 'interactiveUser' or t eq 'nonInteractiveUser')"),
    );
    expect(ids(both.items)).toEqual([...em.tenant.iterateSignIns()].map((s) => s.id));
  });

  it('v1.0 lists interactive sign-ins, and has no signInEventTypes to filter on', async () => {
    const { items } = await caller.all('/v1.0/auditLogs/signIns');
    expect(items.every((s) => s['isInteractive'] === true && !('signInEventTypes' in s))).toBe(true);
    const r = await caller.get(
      `/v1.0/auditLogs/signIns?$filter=${encodeURIComponent("signInEventTypes/any(t: t eq 'nonInteractiveUser')")}`,
    );
    expect(r.status).toBe(400);
    expect(graphError(r).code).toBe('Request_UnsupportedQuery');
  });
});

describe('filters the collector sends give exactly the matching rows', () => {
  it('time window + Authenticator app, non-interactive (the loop-risk signal)', async () => {
    const since = '2026-11-16T00:00:00Z';
    const until = '2026-11-19T12:00:00Z';
    const { items } = await caller.all(
      q(
        `createdDateTime ge ${since} and createdDateTime le ${until} and appId eq '${AUTHENTICATOR_APP_ID}' and signInEventTypes/any(t: t eq 'nonInteractiveUser')`,
      ),
    );
    const expected = [
      ...em.tenant.iterateSignIns({ interactive: false, appId: AUTHENTICATOR_APP_ID }),
    ].filter((s) => s.createdDateTime >= since && s.createdDateTime <= until);
    expect(expected.length).toBeGreaterThan(0);
    expect(ids(items)).toEqual(expected.map((s) => s.id));
  });

  it('one user, by id or by UPN; registration interrupts by error code', async () => {
    const user = [...em.tenant.iterateSignIns({ interactive: true })][0];
    const byId = await caller.all(q(`userId eq '${user?.userId}'`));
    const byUpn = await caller.all(q(`userPrincipalName eq '${user?.userPrincipalName.toUpperCase()}'`));
    expect(byId.items.length).toBeGreaterThan(0);
    expect(ids(byUpn.items)).toEqual(ids(byId.items));
    expect(byId.items.every((s) => s['userId'] === user?.userId)).toBe(true);

    const interrupts = await caller.all(
      q(
        "(status/errorCode eq 50072 or status/errorCode eq 50079) and signInEventTypes/any(t: t eq 'interactiveUser')",
      ),
    );
    const expected = [...em.tenant.iterateSignIns({ interactive: true })].filter((s) =>
      [50072, 50079].includes(s.status.errorCode),
    );
    expect(ids(interrupts.items)).toEqual(expected.map((s) => s.id));
  });

  it('directory audits: security-info and Update user activities in a window, and one user’s events', async () => {
    const since = '2026-11-01T00:00:00Z';
    const filter = `activityDateTime ge ${since} and (loggedByService eq 'Authentication Methods' or activityDisplayName eq 'Update user')`;
    const { items } = await caller.all(
      `/v1.0/auditLogs/directoryAudits?$filter=${encodeURIComponent(filter)}`,
    );
    const expected = [...em.tenant.iterateAudits({ since })].filter(
      (a) => a.loggedByService === 'Authentication Methods' || a.activityDisplayName === 'Update user',
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(ids(items)).toEqual(expected.map((a) => a.id));

    const target = expected[0]?.targetResources.find((t) => t.type === 'User')?.id ?? '';
    const mine = await caller.all(
      `/v1.0/auditLogs/directoryAudits?$filter=${encodeURIComponent(`targetResources/any(t: t/id eq '${target}')`)}`,
    );
    const all = [...em.tenant.iterateAudits()].filter((a) => a.targetResources.some((t) => t.id === target));
    expect(ids(mine.items)).toEqual(all.map((a) => a.id));
  });

  it('unsupported filters and orderings are a 400 with Graph’s error body', async () => {
    for (const path of [
      q('createdDateTime ge 2026-13-45'),
      q("contains(appDisplayName, 'x')"),
      q("userAgent eq 'x'"),
      '/beta/auditLogs/signIns?$orderby=createdDateTime asc',
      '/beta/auditLogs/signIns?$expand=x',
    ]) {
      const r = await caller.get(path);
      expect(r.status, path).toBe(400);
      expect(graphError(r).message, path).not.toBe('');
    }
    expect((await caller.get('/beta/auditLogs/signIns?$orderby=createdDateTime desc&$top=1')).status).toBe(
      200,
    );
  });
});
