/**
 * `GET /users/delta` as documented (https://learn.microsoft.com/graph/api/user-delta,
 * https://learn.microsoft.com/graph/delta-query-overview): a first round of every user ending with
 * a deltaLink, `$deltatoken=latest`, a later round with only what changed (`@removed` for users
 * gone), the `$select` carried by the tokens, an unknown token refused.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
import type { Caller } from './support.js';
import { graphError, startWithCaller } from './support.js';

let s: { em: RunningEmulator; caller: Caller; close(): Promise<void> } | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

interface DeltaPage {
  '@odata.context': string;
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
  value: Record<string, unknown>[];
}

/** A whole round: every page from `start`, following nextLinks to the deltaLink. */
async function round(
  caller: Caller,
  start: string,
): Promise<{ items: Record<string, unknown>[]; deltaLink: string; pages: number }> {
  const items: Record<string, unknown>[] = [];
  let url = start;
  for (let pages = 1; pages < 100; pages++) {
    const r = await caller.get(url);
    expect(r.status).toBe(200);
    const page = r.json as DeltaPage;
    items.push(...page.value);
    if (page['@odata.deltaLink'] !== undefined) {
      expect(page['@odata.nextLink']).toBeUndefined();
      return { items, deltaLink: page['@odata.deltaLink'], pages };
    }
    const next = page['@odata.nextLink'];
    expect(next).toMatch(/\/v1\.0\/users\/delta\?.*\$skiptoken=/);
    url = next!;
  }
  throw new Error('no deltaLink after 100 pages');
}

describe('GET /users/delta', () => {
  it('a first round returns every user (selected properties and id), paged, ending with a deltaLink', async () => {
    s = await startWithCaller({ throttling: false });
    const first = await round(s.caller, '/v1.0/users/delta?$select=displayName,accountEnabled');
    expect(first.pages).toBeGreaterThan(0);
    expect(first.items).toHaveLength(s.em.tenant.users.length);
    expect(Object.keys(first.items[0]!).sort()).toEqual(['accountEnabled', 'displayName', 'id']);
    expect(first.deltaLink).toMatch(new RegExp(`^${s.em.url}/v1\\.0/users/delta\\?\\$deltatoken=[\\w-]+$`));
    // Nothing changed since: the next round is empty, with a new deltaLink.
    const next = await round(s.caller, first.deltaLink);
    expect(next.items).toEqual([]);
    expect(next.deltaLink).not.toBe(first.deltaLink);
  });

  it('$deltatoken=latest gives a deltaLink and no users; the next round names the changed, added and removed users', async () => {
    s = await startWithCaller({ throttling: false });
    const r = await s.caller.get('/v1.0/users/delta?$select=displayName&$deltatoken=latest');
    expect(r.status).toBe(200);
    const latest = r.json as DeltaPage;
    expect(latest.value).toEqual([]);
    expect(latest['@odata.context']).toBe(`${s.em.url}/v1.0/$metadata#users(displayName)`);

    const users = s.em.tenant.users as unknown as Record<string, unknown>[];
    const [renamed, gone] = [users[3]!, users[5]!];
    renamed['displayName'] = 'Someone Else';
    users.splice(5, 1);
    users.push({ ...users[0]!, id: 'aaaaaaaa-0000-4000-8000-000000000001', displayName: 'Newcomer' });

    const changes = await round(s.caller, latest['@odata.deltaLink']!);
    expect(changes.items).toEqual(
      expect.arrayContaining([
        { id: renamed['id'], displayName: 'Someone Else' },
        { id: 'aaaaaaaa-0000-4000-8000-000000000001', displayName: 'Newcomer' },
        { id: gone['id'], '@removed': { reason: 'changed' } },
      ]),
    );
    expect(changes.items).toHaveLength(3);
  });

  it('only properties the round selected are tracked', async () => {
    s = await startWithCaller({ throttling: false });
    const latest = (await s.caller.get('/v1.0/users/delta?$select=accountEnabled&$deltatoken=latest'))
      .json as DeltaPage;
    (s.em.tenant.users as unknown as Record<string, unknown>[])[2]!['displayName'] = 'Not Tracked';
    expect((await round(s.caller, latest['@odata.deltaLink']!)).items).toEqual([]);
  });

  it('refuses an unknown token and options the delta function does not take', async () => {
    s = await startWithCaller({ throttling: false });
    const unknown = await s.caller.get('/v1.0/users/delta?$deltatoken=not-a-token');
    expect(unknown.status).toBe(410);
    expect(graphError(unknown).code).toBe('syncStateNotFound');
    const top = await s.caller.get('/v1.0/users/delta?$top=5');
    expect(top.status).toBe(400);
  });
});
