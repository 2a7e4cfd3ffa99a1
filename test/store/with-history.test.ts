/**
 * withStoredHistory's carried methods lists in a refresh: a stored list is carried only while it still
 * holds. A report row that moved since the stored run, or a list the caller calls stale, is left out.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TenantSnapshot } from '../../src/domain/tenant.js';
import { openStore, withStoredHistory, writeRun } from '../../src/store/index.js';
import type { Store } from '../../src/store/index.js';
import { authenticatorRow, methodsMap, password, row, snapshot, user } from '../assess/builders.js';

const USERS = [user('a', 'a@contoso.test'), user('b', 'b@contoso.test'), user('c', 'c@contoso.test')];
const ROWS = [row('a', 'a@contoso.test'), row('b', 'b@contoso.test'), row('c', 'c@contoso.test')];

let dir: string;
let store: Store;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mfa-ready-with-history-'));
  store = openStore(path.join(dir, 'history.db'));
  const first: TenantSnapshot = {
    ...snapshot({
      users: USERS,
      registration: ROWS,
      methods: methodsMap({ a: [password()], b: [password()], c: [password()] }),
    }),
  };
  first.tenant = { ...first.tenant, collectedAt: '2026-11-20T09:00:00Z' };
  writeRun(store, first, { source: 'collect', toolVersion: 't', startedAt: '2026-11-20T09:00:00Z' });
});
afterEach(async () => {
  store.close();
  await rm(dir, { recursive: true, force: true });
});

/** The next day's refresh folder: b registered (its row moved), no list read again. */
function refresh(): TenantSnapshot {
  const next = snapshot({
    users: USERS,
    registration: [ROWS[0]!, authenticatorRow('b', 'b@contoso.test'), ROWS[2]!],
    methods: new Map(),
  });
  next.tenant = { ...next.tenant, collectedAt: '2026-11-21T09:00:00Z', baselineRunId: 1 };
  return next;
}

describe('withStoredHistory: carried methods lists', () => {
  it('carries the lists of users whose row did not move, with their read date; not one whose row moved', () => {
    const { snapshot: joined } = withStoredHistory(store, refresh(), { carryMethods: true });
    expect([...(joined.methods?.keys() ?? [])].sort()).toEqual(['a', 'c']);
    expect(joined.methods?.get('a')?.readAt).toBe('2026-11-20T09:00:00Z');
    expect(joined.coverage.methods).toMatchObject({ present: true, rows: 2 });
  });

  it('leaves out the carried lists the caller finds stale', () => {
    const seen: TenantSnapshot[] = [];
    const { snapshot: joined } = withStoredHistory(store, refresh(), {
      carryMethods: true,
      staleLists: (s) => {
        seen.push(s);
        return new Set(['c']);
      },
    });
    expect([...(joined.methods?.keys() ?? [])]).toEqual(['a']);
    expect(joined.coverage.methods).toMatchObject({ rows: 1 });
    expect(seen).toHaveLength(1);
  });

  it('an imported folder of its own carries nothing', () => {
    const { snapshot: joined } = withStoredHistory(store, refresh(), { carryMethods: false });
    expect(joined.methods?.size).toBe(0);
  });
});
