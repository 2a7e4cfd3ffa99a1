/**
 * Group membership writes (https://learn.microsoft.com/graph/api/group-post-members,
 * https://learn.microsoft.com/graph/api/group-delete-members): alone and inside `$batch`, Graph's refusals,
 * the write limit, and reads after writes.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/collect/graph/clock.js';
import { resolveCloud } from '../../src/collect/graph/clouds.js';
import { chooseCredential } from '../../src/collect/graph/credentials.js';
import { createGraphSource } from '../../src/collect/graph/graph-client.js';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { CLOUD_ROLLOUT_GROUPS, DEFAULT_PERMISSIONS, extraGroupId } from '../../src/emulator/index.js';
import type { Caller, Reply } from './support.js';
import { graphError, startWithCaller } from './support.js';

const WRITE_PERMISSIONS = [...DEFAULT_PERMISSIONS, 'GroupMember.ReadWrite.All'];
const ENFORCE = extraGroupId('MFA_Enforced_Cloud');
const BYPASS = extraGroupId('MFA_Bypass_Cloud');
const ALREADY =
  "One or more added object references already exist for the following modified properties: 'members'.";
const SYNCED =
  'Unable to update the specified properties for on-premises mastered Directory Sync objects or objects currently undergoing migration.';

interface Inner {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}
const responses = (r: Reply) => (r.json as { responses: Inner[] }).responses;
const ref = (id: string, kind = 'directoryObjects') => ({
  '@odata.id': `https://graph.microsoft.com/v1.0/${kind}/${id}`,
});

function post(caller: Caller, groupId: string, body: unknown): Promise<Reply> {
  return caller.raw(`/v1.0/groups/${groupId}/members/$ref`, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });
}
const del = (caller: Caller, groupId: string, memberId: string) =>
  caller.raw(`/v1.0/groups/${groupId}/members/${memberId}/$ref`, { method: 'DELETE' });
const addInner = (id: string, groupId: string, userId: string) => ({
  id,
  method: 'POST',
  url: `/groups/${groupId}/members/$ref`,
  body: ref(userId),
  headers: { 'Content-Type': 'application/json' },
});
const delInner = (id: string, groupId: string, userId: string) => ({
  id,
  method: 'DELETE',
  url: `/groups/${groupId}/members/${userId}/$ref`,
});

async function memberIds(caller: Caller, groupId: string, rel = 'members'): Promise<string[]> {
  const { items } = await caller.all(`/v1.0/groups/${groupId}/${rel}?$select=id`);
  return items.map((i) => i['id'] as string).sort();
}

describe('group membership writes', () => {
  let em: RunningEmulator;
  let caller: Caller;
  let close: () => Promise<void>;
  let users: string[];
  let synced: string;
  let cloud: string;

  beforeAll(async () => {
    ({ em, caller, close } = await startWithCaller({
      throttling: false,
      grantedPermissions: WRITE_PERMISSIONS,
      extraGroups: CLOUD_ROLLOUT_GROUPS,
      logRequests: true,
    }));
    users = em.tenant.users.map((u) => u.id);
    synced = em.tenant.groups.find((g) => g.displayName === 'MFA_ProofUpBypass')?.id as string;
    cloud = em.tenant.groups.find((g) => g.displayName === 'IT Admins')?.id as string;
  });
  afterAll(() => close());

  it('serves the extra cloud groups next to the synced MFA_Required / MFA_ProofUpBypass, empty at first', async () => {
    const { items } = await caller.all('/v1.0/groups?$select=id,displayName,onPremisesSyncEnabled');
    const byName = new Map(items.map((g) => [g['displayName'], g]));
    expect(byName.get('MFA_Enforced_Cloud')).toMatchObject({ id: ENFORCE, onPremisesSyncEnabled: null });
    expect(byName.get('MFA_Bypass_Cloud')).toMatchObject({ id: BYPASS, onPremisesSyncEnabled: null });
    expect(byName.get('MFA_Required')).toMatchObject({ onPremisesSyncEnabled: true });
    expect(byName.get('MFA_ProofUpBypass')).toMatchObject({ onPremisesSyncEnabled: true });
    expect(await memberIds(caller, ENFORCE)).toEqual([]);
  });

  it('adds a member alone (204, no body), visible to members and transitiveMembers; again is 400 "already exist"', async () => {
    const u = users[0] as string;
    const r = await post(caller, ENFORCE, ref(u));
    expect(r.status).toBe(204);
    expect(r.text).toBe('');
    expect(await memberIds(caller, ENFORCE)).toEqual([u]);
    expect(await memberIds(caller, ENFORCE, 'transitiveMembers')).toEqual([u]);
    const again = await post(caller, ENFORCE, ref(u, 'users'));
    expect(again.status).toBe(400);
    expect(graphError(again)).toEqual({ code: 'Request_BadRequest', message: ALREADY });
  });

  it('404 for an unknown object or an unknown group', async () => {
    const unknownUser = '00000000-0000-4000-8000-00000000dead';
    const r = await post(caller, ENFORCE, ref(unknownUser));
    expect(r.status).toBe(404);
    expect(graphError(r)).toEqual({
      code: 'Request_ResourceNotFound',
      message: `Resource '${unknownUser}' does not exist or one of its queried reference-property objects are not present.`,
    });
    const noGroup = await post(caller, unknownUser, ref(users[1] as string));
    expect(noGroup.status).toBe(404);
    expect(graphError(noGroup).message).toContain(unknownUser);
  });

  it('refuses a group synced from on-premises with 400, for adds and removes, and changes nothing', async () => {
    const before = await memberIds(caller, synced);
    const outsider = users.find((u) => !before.includes(u)) as string;
    const add = await post(caller, synced, ref(outsider));
    expect(add.status).toBe(400);
    expect(graphError(add)).toEqual({ code: 'Request_BadRequest', message: SYNCED });
    const insider = before[0] as string;
    expect(insider).toBeDefined();
    const remove = await del(caller, synced, insider);
    expect(remove.status).toBe(400);
    expect(graphError(remove).message).toBe(SYNCED);
    expect(await memberIds(caller, synced)).toEqual(before);
  });

  it('refuses a malformed body with 400', async () => {
    for (const body of [{}, { '@odata.id': 'not a url' }, { '@odata.id': 42 }, []]) {
      const r = await post(caller, BYPASS, body);
      expect(r.status).toBe(400);
      expect(graphError(r).code).toBe('Request_BadRequest');
    }
    expect(await memberIds(caller, BYPASS)).toEqual([]);
  });

  it('removes a member (204) of a cloud group of the tenant itself; removing again is 404', async () => {
    const before = await memberIds(caller, cloud);
    const member = before[0] as string;
    expect(member).toBeDefined();
    const r = await del(caller, cloud, member);
    expect(r.status).toBe(204);
    expect(await memberIds(caller, cloud)).toEqual(before.filter((m) => m !== member));
    const again = await del(caller, cloud, member);
    expect(again.status).toBe(404);
    expect(graphError(again).code).toBe('Request_ResourceNotFound');
    // Put back, as it was.
    expect((await post(caller, cloud, ref(member))).status).toBe(204);
    expect(await memberIds(caller, cloud)).toEqual(before);
  });

  it('answers each inner write of a $batch on its own, and every write is in the write log with its status', async () => {
    const [a, b, c] = users.slice(10, 13) as [string, string, string];
    const logBefore = em.writes().length;
    const r = await caller.batch('v1.0', [
      addInner('1', BYPASS, a),
      addInner('2', BYPASS, b),
      addInner('3', BYPASS, a),
      addInner('4', synced, c),
      addInner('5', BYPASS, '00000000-0000-4000-8000-00000000beef'),
      delInner('6', BYPASS, c),
    ]);
    expect(r.status).toBe(200);
    const byId = new Map(responses(r).map((x) => [x.id, x]));
    expect([...byId.values()].map((x) => `${x.id}:${x.status}`)).toEqual([
      '1:204',
      '2:204',
      '3:400',
      '4:400',
      '5:404',
      '6:404',
    ]);
    expect((byId.get('3')?.body as { error: { message: string } }).error.message).toBe(ALREADY);
    expect((byId.get('4')?.body as { error: { message: string } }).error.message).toBe(SYNCED);
    expect(await memberIds(caller, BYPASS)).toEqual([a, b].sort());
    const log = em.writes().slice(logBefore);
    expect(log.map((w) => `${w.method} ${w.path} ${w.status}`)).toEqual([
      `POST /v1.0/groups/${BYPASS}/members/$ref 204`,
      `POST /v1.0/groups/${BYPASS}/members/$ref 204`,
      `POST /v1.0/groups/${BYPASS}/members/$ref 400`,
      `POST /v1.0/groups/${synced}/members/$ref 400`,
      `POST /v1.0/groups/${BYPASS}/members/$ref 404`,
      `DELETE /v1.0/groups/${BYPASS}/members/${c}/$ref 404`,
    ]);
    // The plain request log has them too.
    expect(em.requests().filter((l) => l.startsWith(`DELETE /v1.0/groups/${BYPASS}`))).toHaveLength(1);
  });

  it('removes inside $batch, and the change survives advanceDay (a later collect sees it)', async () => {
    const [a, b] = users.slice(10, 12) as [string, string];
    const r = await caller.batch('v1.0', [delInner('x', BYPASS, a)]);
    expect(responses(r)[0]?.status).toBe(204);
    em.advanceDay();
    expect(await memberIds(caller, BYPASS)).toEqual([b]);
    expect(await memberIds(caller, ENFORCE)).toEqual([users[0]]);
  });

  it('a body without Content-Type inside $batch is refused (json-batching requires it)', async () => {
    const r = await caller.batch('v1.0', [
      { id: '1', method: 'POST', url: `/groups/${BYPASS}/members/$ref`, body: ref(users[20] as string) },
    ]);
    expect(responses(r)[0]?.status).toBe(400);
    expect(await memberIds(caller, BYPASS)).not.toContain(users[20]);
  });
});

describe('group membership write permissions', () => {
  let session: Awaited<ReturnType<typeof startWithCaller>> | undefined;
  afterEach(async () => {
    await session?.close();
    session = undefined;
  });

  it('403 Authorization_RequestDenied with the read-only permissions, alone and in $batch', async () => {
    session = await startWithCaller({ throttling: false, extraGroups: CLOUD_ROLLOUT_GROUPS });
    const { caller, em } = session;
    const u = em.tenant.users[0]?.id as string;
    const r = await post(caller, ENFORCE, ref(u));
    expect(r.status).toBe(403);
    expect(graphError(r)).toEqual({
      code: 'Authorization_RequestDenied',
      message: 'Insufficient privileges to complete the operation.',
    });
    const b = await caller.batch('v1.0', [delInner('1', ENFORCE, u)]);
    expect(responses(b)[0]?.status).toBe(403);
    expect(await memberIds(caller, ENFORCE)).toEqual([]);
  });

  it.each([['Group.ReadWrite.All'], ['Directory.ReadWrite.All']])('%s is enough', async (permission) => {
    session = await startWithCaller({
      throttling: false,
      extraGroups: CLOUD_ROLLOUT_GROUPS,
      grantedPermissions: [...DEFAULT_PERMISSIONS, permission],
    });
    const u = session.em.tenant.users[0]?.id as string;
    expect((await post(session.caller, ENFORCE, ref(u))).status).toBe(204);
  });
});

describe('write throttling', () => {
  it('meters each inner write: past 3,000 writes in 2 min 30 s Graph answers 429 WriteLimitExceeded with Retry-After', async () => {
    const clock = new ManualClock({ start: Date.parse('2026-11-20T09:00:00Z') });
    const s = await startWithCaller({
      clock,
      grantedPermissions: WRITE_PERMISSIONS,
      // A large tenant: 8,000 resource units per 10 s, so the write limit is what stops us.
      users: 600,
      extraGroups: [{ displayName: 'Big', members: [] }],
    });
    try {
      const big = extraGroupId('Big');
      const ids = s.em.tenant.users.map((u) => u.id);
      let sent = 0;
      // Add then remove the same users: 150 batches of 20 = 3,000 writes, all admitted.
      for (let round = 0; round < 150; round++) {
        const reqs = Array.from({ length: 20 }, (_, i) => {
          const user = ids[(round % 30) * 20 + i] as string;
          const n = sent++;
          return Math.floor(round / 30) % 2 === 0
            ? addInner(String(n), big, user)
            : delInner(String(n), big, user);
        });
        const r = await s.caller.batch('v1.0', reqs);
        const statuses = new Set(responses(r).map((x) => x.status));
        expect(statuses).toEqual(new Set([204]));
        clock.advance(100);
      }
      const over = await s.caller.batch('v1.0', [delInner('last', big, ids[0] as string)]);
      const inner = responses(over)[0] as Inner;
      expect(inner.status).toBe(429);
      expect(inner.headers['x-ms-throttle-information']).toBe('WriteLimitExceeded');
      expect(Number(inner.headers['Retry-After'])).toBeGreaterThan(0);
      // Waiting it out lets the write in.
      clock.advance(Number(inner.headers['Retry-After']) * 1000);
      const later = await s.caller.batch('v1.0', [delInner('later', big, ids[0] as string)]);
      expect(responses(later)[0]?.status).toBe(204);
    } finally {
      await s.close();
    }
  }, 60_000);
});

describe('the Graph module writing to the emulator', () => {
  it('45 adds go as 3 $batch round trips; a re-run is refused "already exist" as data; a read sees them', async () => {
    const clock = new ManualClock();
    const s = await startWithCaller({
      clock,
      users: 120,
      grantedPermissions: WRITE_PERMISSIONS,
      extraGroups: CLOUD_ROLLOUT_GROUPS,
    });
    const cloud = resolveCloud({ graphUrl: s.em.url, loginUrl: s.em.loginUrl });
    const choice = chooseCredential(
      { tenant: s.em.tenantId, clientId: 'writer', clientSecret: 'pw' },
      {},
      cloud,
      { ca: s.em.caPem },
    );
    const source = createGraphSource({
      graphUrl: s.em.url,
      credential: choice.credential,
      clock,
      ca: s.em.caPem,
      random: () => 0.5,
    });
    try {
      const users = s.em.tenant.users.slice(0, 45).map((u) => u.id);
      const requests = users.map((id, i) => ({
        id: `add-${i}`,
        method: 'POST' as const,
        url: `/groups/${ENFORCE}/members/$ref`,
        body: { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${id}` },
      }));
      const rounds: number[] = [];
      const first = await source.write(requests, { onAnswered: (a) => rounds.push(a.length) });
      expect(first.map((a) => a.status)).toEqual(Array(45).fill(204));
      expect(rounds).toEqual([20, 20, 5]);
      expect(s.em.writes().filter((w) => w.status === 204)).toHaveLength(45);
      const again = await source.write(requests);
      expect(again.every((a) => a.status === 400 && a.error?.data.code === 'Request_BadRequest')).toBe(true);
      expect(again[0]?.error?.message).toContain('already exist');
      const alone = await source.write([
        { id: 'rm', method: 'DELETE', url: `/groups/${ENFORCE}/members/${users[0] as string}/$ref` },
      ]);
      expect(alone).toEqual([{ id: 'rm', status: 204, body: undefined }]);
      const seen: string[] = [];
      for await (const page of source.pages<{ id: string }>(`/groups/${ENFORCE}/members?$select=id`))
        seen.push(...page.items.map((m) => m.id));
      expect(seen.sort()).toEqual(users.slice(1).sort());
      // 45 + 45 + 1 writes reached the emulator, no more (nothing re-sent).
      expect(s.em.writes()).toHaveLength(91);
    } finally {
      source.close();
      await s.close();
    }
  });
});

describe('transitiveMembers', () => {
  it('expands nested groups (once each, the groups themselves included); members stays direct', async () => {
    const s = await startWithCaller({
      throttling: false,
      grantedPermissions: WRITE_PERMISSIONS,
      extraGroups: [
        { displayName: 'Outer', members: [extraGroupId('Inner')] },
        { displayName: 'Inner', members: [] },
      ],
    });
    try {
      const { em, caller } = s;
      const outer = extraGroupId('Outer');
      const inner = extraGroupId('Inner');
      const itAdmins = em.tenant.groups.find((g) => g.displayName === 'IT Admins')?.id as string;
      const admins = (em.tenant.groupMembers.get(itAdmins) ?? []).map((m) => m.id);
      expect(admins.length).toBeGreaterThan(0);
      const lone = em.tenant.users.find((u) => !admins.includes(u.id))?.id as string;
      // Inner gets a user and the tenant's IT Admins group; IT Admins' first member is also direct in Outer.
      expect((await post(caller, inner, ref(lone))).status).toBe(204);
      expect((await post(caller, inner, ref(itAdmins, 'groups'))).status).toBe(204);
      expect((await post(caller, outer, ref(admins[0] as string))).status).toBe(204);

      const direct = await caller.all(`/v1.0/groups/${outer}/members?$select=id`);
      expect(direct.items.map((i) => i['@odata.type'] as string).sort()).toEqual([
        '#microsoft.graph.group',
        '#microsoft.graph.user',
      ]);
      const all = await memberIds(caller, outer, 'transitiveMembers');
      expect(all).toEqual([inner, itAdmins, lone, ...admins].sort());
      // A cycle (IT Admins is not changed; Inner → Outer) is walked once.
      expect((await post(caller, inner, ref(outer, 'groups'))).status).toBe(204);
      expect(await memberIds(caller, inner, 'transitiveMembers')).toEqual(
        [outer, itAdmins, lone, ...admins].sort(),
      );
    } finally {
      await s.close();
    }
  });
});
