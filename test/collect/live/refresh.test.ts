/**
 * A refresh against the emulator: the second `collect`, handed the baseline of the first one's
 * folder, asks Graph only for what is new (checked in the emulator's request log), and its folder
 * still reads as a complete tenant (users and report rows).
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readExportFolder } from '../../../src/load/read-export-folder.js';
import { REFRESH_OVERLAP_MS, graphQueries } from '../../../src/collect/live/index.js';
import type { CollectResult, CollectSource } from '../../../src/collect/live/index.js';
import { readTree } from './collect-helpers.js';
import { SimulatedKill } from './fake-graph-source.js';
import { GraphRequestFailed } from '../../../src/collect/graph/index.js';
import { tempFolders } from '../temp-files.js';
import {
  COLLECTED_AT,
  DAY_MS,
  baselineFromFolder,
  collect,
  requestsSince,
  startRig,
} from './refresh-support.js';
import type { Rig } from './refresh-support.js';

const temp = tempFolders();
let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
  await temp.cleanup();
});

const REFRESH_AT = new Date(Date.parse(COLLECTED_AT) + DAY_MS);
const ODATA_SINCE = graphQueries.odataDateTime(new Date(Date.parse(COLLECTED_AT) - REFRESH_OVERLAP_MS));

const byId = <T extends { id: string }>(rows: readonly T[] | undefined): T[] =>
  [...(rows ?? [])].sort((a, b) => a.id.localeCompare(b.id));

function methodIds(requests: readonly string[]): string[] {
  return requests
    .map((r) => /^GET \/beta\/users\/([^/]+)\/authentication\/methods/.exec(r)?.[1])
    .filter((id): id is string => id !== undefined)
    .sort();
}

async function firstRun(r: Rig): Promise<{ dir: string; result: CollectResult; requests: string[] }> {
  const dir = await temp.make();
  const result = await collect(r.source, r.options(dir));
  return { dir, result, requests: r.em.requests() as string[] };
}

describe('a refresh with the baseline of the first collection', () => {
  it('asks only for the new events, reads users by delta, and writes complete users and report rows', async () => {
    rig = await startRig();
    const first = await firstRun(rig);
    expect(first.result.parts.filter((p) => p.status.state === 'failed')).toEqual([]);
    // The first run saved where the users delta starts, with one request and no users.
    const deltaRequests = first.requests.filter((r) => r.startsWith('GET /v1.0/users/delta'));
    expect(deltaRequests).toEqual([expect.stringContaining('$deltatoken=latest')]);

    const baseline = await baselineFromFolder(first.dir, 1);
    expect(baseline.usersDeltaLink).toMatch(/\/v1\.0\/users\/delta\?\$deltatoken=/);
    const before = rig.em.requests().length;
    const out = await temp.make();
    const result = await collect(rig.source, rig.options(out, { now: REFRESH_AT, baseline }));
    expect(result.parts.filter((p) => p.status.state === 'failed')).toEqual([]);
    const requests = requestsSince(rig.em, before);

    // Audits and every sign-in query: from the first collection less the overlap, never further back.
    const logs = requests.filter((r) => /auditLogs\/(directoryAudits|signIns)/.test(r));
    expect(logs.length).toBeGreaterThan(0);
    for (const r of logs.filter((x) => x.includes('$filter='))) {
      expect(r).toMatch(new RegExp(`(activityDateTime|createdDateTime) ge ${ODATA_SINCE}`));
    }
    expect(logs.some((r) => r.includes("appId eq '4813382a-8fa7-425e-ab75-3b753aab3abb'"))).toBe(true);
    expect(result.windows).toEqual({
      auditsSince: ODATA_SINCE,
      signInsSince: ODATA_SINCE,
      appSignInsSince: ODATA_SINCE,
    });

    // Users: one delta round from the stored deltaLink, no full read.
    expect(requests.filter((r) => r.startsWith('GET /v1.0/users?'))).toEqual([]);
    expect(requests.filter((r) => r.startsWith('GET /v1.0/users/delta'))).toEqual([
      `GET ${new URL(baseline.usersDeltaLink!).pathname}${decodeURIComponent(new URL(baseline.usersDeltaLink!).search)}`,
    ]);
    // The report: row by row for the few users with a reason, not the whole list.
    expect(requests.filter((r) => /userRegistrationDetails(\?|$)/.test(r))).toEqual([]);
    // Nobody changed, and the report was not refreshed since (one probe row says so): the users
    // created after it, still without a row, are not asked for.
    const rowReads = requests.filter((r) => /userRegistrationDetails\/[^/?]+/.test(r));
    expect(rowReads.length).toBeLessThanOrEqual(1);

    // Methods: exactly the users the planner named, far fewer than the first run's.
    const firstMethods = methodIds(first.requests);
    const refreshMethods = methodIds(requests);
    expect(refreshMethods).toEqual(result.methods!.needs.map((n) => n.id).sort());
    expect(firstMethods.length).toBeGreaterThan(10);
    // Nothing changed: every open user's stored list is carried, none is read again.
    expect(refreshMethods).toEqual([]);
    expect(result.methods?.carried).toBeGreaterThan(10);
    const files = (await readdir(path.join(out, 'authenticationMethods')).catch(() => [] as string[])).sort();
    expect(files).toEqual(refreshMethods.map((id) => `${id}.json`));

    // The folder: users and report rows equal the first run's (the tenant did not change).
    const a = await readExportFolder(first.dir);
    const b = await readExportFolder(out);
    expect(byId(b.users)).toEqual(byId(a.users));
    expect(byId(b.registration)).toEqual(byId(a.registration));
    const tenant = JSON.parse(await readFile(path.join(out, 'tenant.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(tenant).toMatchObject({
      baselineRunId: 1,
      registrationReadAt: baseline.registrationReadAt,
      windows: { audits: ODATA_SINCE, signIns: ODATA_SINCE, appSignIns: ODATA_SINCE },
    });
    expect(tenant['usersDeltaLink']).toMatch(/\$deltatoken=/);
    expect(tenant['usersDeltaLink']).not.toBe(baseline.usersDeltaLink);
    // The new events only: every event in the folder is inside the window.
    for (const e of b.audits ?? [])
      expect(Date.parse(e.activityDateTime)).toBeGreaterThanOrEqual(Date.parse(ODATA_SINCE));
    for (const s of b.signIns ?? [])
      expect(Date.parse(s.createdDateTime)).toBeGreaterThanOrEqual(Date.parse(ODATA_SINCE));
  });
});

describe('a refresh after the directory changed', () => {
  it('merges the delta round into complete users, reads the changed users’ rows, and re-reads methods only where the verdict is open', async () => {
    // Three report pages: three rows read by id are no dearer than the whole report.
    rig = await startRig(3000);
    const first = await firstRun(rig);
    const baseline = await baselineFromFolder(first.dir, 7);
    const stored = [...baseline.users.values()];
    const openUser = stored.find(
      (u) => u.user !== null && u.verdict === 'not-registered' && u.methodsReadAt !== null,
    )!;
    const readyUser = stored.find(
      (u) => u.user !== null && u.verdict === 'ready' && u.user.accountEnabled !== false,
    )!;
    const goneUser = stored.find(
      (u) => u.user !== null && u !== openUser && u !== readyUser && u.registration !== null,
    )!;
    expect([openUser, readyUser, goneUser].every((u) => u !== undefined)).toBe(true);

    // The directory moves: two users renamed, one deleted, one created.
    const users = rig.em.tenant.users as unknown as Record<string, unknown>[];
    const find = (id: string) => users.find((u) => u['id'] === id)!;
    find(openUser.user!.id)['displayName'] = 'Renamed Open';
    find(readyUser.user!.id)['displayName'] = 'Renamed Ready';
    users.splice(users.indexOf(find(goneUser.user!.id)), 1);
    const newcomer = {
      ...find(openUser.user!.id),
      id: '0f0f0f0f-0000-4000-8000-00000000abcd',
      userPrincipalName: 'newcomer@contoso.example',
      displayName: 'New Comer',
      createdDateTime: '2026-11-20T12:00:00Z',
    };
    users.push(newcomer);

    const before = rig.em.requests().length;
    const out = await temp.make();
    const result = await collect(rig.source, rig.options(out, { now: REFRESH_AT, baseline }));
    const requests = requestsSince(rig.em, before);

    const b = await readExportFolder(out);
    const ids = new Set((b.users ?? []).map((u) => u.id));
    expect(ids.has(goneUser.user!.id)).toBe(false);
    expect(ids.has(newcomer.id)).toBe(true);
    expect(b.users?.length).toBe(baseline.users.size);
    expect(b.users?.find((u) => u.id === openUser.user!.id)?.displayName).toBe('Renamed Open');
    // The deleted user's row leaves with them; the other rows are all there.
    const rows = new Set((b.registration ?? []).map((r) => r.id));
    expect(rows.has(goneUser.user!.id)).toBe(false);
    expect(rows.size).toBe([...baseline.users.values()].filter((u) => u.registration !== null).length - 1);

    // Rows read again: the renamed users and the newcomer (no row yet: 404), not everyone.
    const rowIds = requests
      .map((r) => /userRegistrationDetails\/([^/?]+)/.exec(r)?.[1])
      .filter((x): x is string => x !== undefined);
    expect(rowIds).toEqual(expect.arrayContaining([openUser.user!.id, readyUser.user!.id, newcomer.id]));
    expect(rowIds.length).toBeLessThan(10);

    // Methods: the open user who changed and the newcomer; not the ready user (a rename ends no readiness).
    const methods = methodIds(requests);
    expect(methods).toEqual(expect.arrayContaining([openUser.user!.id, newcomer.id]));
    expect(methods).not.toContain(readyUser.user!.id);
    expect(result.methods?.carried).toBeGreaterThan(0);
  });

  it('reads the rows of users who had none once the report was refreshed since the stored one', async () => {
    rig = await startRig(150);
    const first = await firstRun(rig);
    const baseline = await baselineFromFolder(first.dir, 8);
    // The stored report is a day older than the one Graph serves now.
    for (const u of baseline.users.values()) {
      if (u.registration?.lastUpdatedDateTime !== undefined) {
        u.registration = {
          ...u.registration,
          lastUpdatedDateTime: new Date(
            Date.parse(u.registration.lastUpdatedDateTime) - DAY_MS,
          ).toISOString(),
        };
      }
    }
    const waiting = [...baseline.users.values()].filter(
      (u) => u.user !== null && u.registration === null && u.user.accountEnabled !== false,
    );
    expect(waiting.length).toBeGreaterThan(0);
    const before = rig.em.requests().length;
    const out = await temp.make();
    await collect(rig.source, rig.options(out, { now: REFRESH_AT, baseline }));
    const rowIds = requestsSince(rig.em, before)
      .map((r) => /userRegistrationDetails\/([^/?]+)/.exec(r)?.[1])
      .filter((x): x is string => x !== undefined);
    expect(rowIds).toEqual(expect.arrayContaining(waiting.map((u) => u.user!.id)));
    expect(rowIds.length).toBe(waiting.length + 1);
  });

  it('reads the report in full when the methods policy changed since the stored run', async () => {
    rig = await startRig(60);
    const first = await firstRun(rig);
    const baseline = { ...(await baselineFromFolder(first.dir, 2)), methodsPolicy: '{"changed":true}' };
    const before = rig.em.requests().length;
    const out = await temp.make();
    await collect(rig.source, rig.options(out, { now: REFRESH_AT, baseline }));
    const requests = requestsSince(rig.em, before);
    expect(requests.filter((r) => /userRegistrationDetails(\?|$)/.test(r)).length).toBeGreaterThan(0);
    expect(requests.filter((r) => /userRegistrationDetails\/[^/?]+/.test(r))).toEqual([]);
    const tenant = JSON.parse(await readFile(path.join(out, 'tenant.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(tenant['registrationReadAt']).toBe(REFRESH_AT.toISOString());
  });

  it('reads the users in full (and saves a new deltaLink) when Graph refuses the stored one', async () => {
    rig = await startRig(60);
    const first = await firstRun(rig);
    const baseline = {
      ...(await baselineFromFolder(first.dir, 3)),
      usersDeltaLink: `${rig.em.url}/v1.0/users/delta?$deltatoken=expired-token`,
    };
    const before = rig.em.requests().length;
    const out = await temp.make();
    const result = await collect(rig.source, rig.options(out, { now: REFRESH_AT, baseline }));
    expect(result.parts.find((p) => p.part === 'users')?.status.state).toBe('complete');
    const requests = requestsSince(rig.em, before);
    expect(requests.filter((r) => r.startsWith('GET /v1.0/users?$select=id,userPrincipalName'))).toHaveLength(
      1,
    );
    expect(requests.filter((r) => r.includes('$deltatoken=latest'))).toHaveLength(1);
    const a = await readExportFolder(first.dir);
    const b = await readExportFolder(out);
    expect(byId(b.users)).toEqual(byId(a.users));
  });
});

/** The source, but the run dies (as a kill would) at the first request whose URL matches, after `after`. */
function dyingAt(source: CollectSource, match: RegExp, after = 0): CollectSource {
  let seen = 0;
  const check = (url: string): void => {
    if (match.test(url) && seen++ >= after) throw new SimulatedKill(url);
  };
  return {
    get: (p, o) => (check(p), source.get(p, o)),
    pages: (p, o) => (check(o?.startLink ?? p), source.pages(p, o)),
    batch: (r, o) => {
      for (const x of r) check(x.url);
      return source.batch(r, o);
    },
    stats: () => source.stats?.(),
  } as CollectSource;
}

describe('a refresh without its change feed', () => {
  it('reads the report in full when the audit log was refused: no row can be carried', async () => {
    rig = await startRig(60);
    const first = await firstRun(rig);
    const baseline = await baselineFromFolder(first.dir, 4);
    const inner = rig.source;
    const refusing = {
      get: (p, o) => inner.get(p, o),
      pages: (p, o) => {
        if (p.includes('directoryAudits')) {
          throw new GraphRequestFailed('GET /auditLogs/directoryAudits failed (403)', {
            endpoint: 'GET /v1.0/auditLogs/directoryAudits',
            status: 403,
            code: 'Authorization_RequestDenied',
          });
        }
        return inner.pages(p, o);
      },
      batch: (r, o) => inner.batch(r, o),
      stats: () => inner.stats(),
    } as CollectSource;
    const before = rig.em.requests().length;
    const out = await temp.make();
    const result = await collect(refusing, rig.options(out, { now: REFRESH_AT, baseline }));
    expect(result.parts.find((p) => p.part === 'audits')?.status.state).toBe('failed');
    const requests = requestsSince(rig.em, before);
    expect(requests.filter((r) => /userRegistrationDetails(\?|$)/.test(r)).length).toBeGreaterThan(0);
    expect(requests.filter((r) => /userRegistrationDetails\/[^/?]+/.test(r))).toEqual([]);
  });
});

describe('an interrupted refresh', () => {
  it('resumes from its checkpoint to the folder an uninterrupted refresh writes', async () => {
    rig = await startRig(60);
    const first = await firstRun(rig);
    const baseline = await baselineFromFolder(first.dir, 5);
    const whole = await temp.make();
    await collect(rig.source, rig.options(whole, { now: REFRESH_AT, baseline }));

    const out = await temp.make();
    await expect(
      collect(
        dyingAt(rig.source, /\/authentication\/methods|userRegistrationDetails\//),
        rig.options(out, { now: REFRESH_AT, baseline }),
      ),
    ).rejects.toBeInstanceOf(SimulatedKill);
    // Another history's run cannot take it over.
    await expect(
      collect(
        rig.source,
        rig.options(out, { now: REFRESH_AT, baseline: { ...baseline, runId: 6 }, resume: true }),
      ),
    ).rejects.toThrow(/refresh of stored run 5/);
    const result = await collect(rig.source, rig.options(out, { now: REFRESH_AT, baseline, resume: true }));
    expect(result.resumed).toBe(true);
    expect(result.parts.filter((p) => p.status.state === 'failed')).toEqual([]);

    const withoutLink = (files: Map<string, string>) => {
      const tenant = JSON.parse(files.get('tenant.json')!) as Record<string, unknown>;
      delete tenant['usersDeltaLink'];
      files.set('tenant.json', JSON.stringify(tenant));
      return files;
    };
    expect(withoutLink(await readTree(out))).toEqual(withoutLink(await readTree(whole)));
  });
});
