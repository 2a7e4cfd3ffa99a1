import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SignIn, TenantSnapshot } from '../../src/domain/tenant.js';
import { openStore, readEvents, writeRun, type Store } from '../../src/store/index.js';

let tmp: string;
let store: Store;
beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'mfa-ready-read-events-'));
  store = openStore(join(tmp, 'history.db'));
});
afterEach(async () => {
  store.close();
  await rm(tmp, { recursive: true, force: true });
});

const FACTS = {
  authenticatorApp: false,
  registrationInterrupt: false,
  securityInfoApp: false,
  mfa: {
    kind: 'direct' as const,
    methods: ['Mobile app notification'],
    detail: 'MFA successfully completed',
  },
};
const signIn = (id: string, at: string, extra: Partial<SignIn> = {}): SignIn => ({
  id,
  createdDateTime: at,
  userId: 'u1',
  errorCode: 0,
  appDisplayName: 'App "quoted" ,"facts": not a key',
  ...extra,
});

function store3(signIns: SignIn[]): void {
  const snapshot = { tenant: {}, coverage: {}, signIns } as unknown as TenantSnapshot;
  writeRun(store, snapshot, { source: 'import', toolVersion: 't', startedAt: '2026-11-20T09:00:00Z' });
}

describe('readEvents', () => {
  it('returns the stored sign-ins as written, newest first, ties by the greater id first', () => {
    const written = [
      signIn('a', '2026-11-19T10:00:00Z', { facts: FACTS }),
      signIn('c', '2026-11-19T10:00:00Z', { facts: null }),
      signIn('b', '2026-11-20T08:00:00Z', { facts: structuredClone(FACTS) }),
      // Not slim (no facts), and one whose facts are not its last key: both read whole.
      signIn('d', '2026-11-18T10:00:00Z'),
      { id: 'e', facts: structuredClone(FACTS), createdDateTime: '2026-11-17T10:00:00Z', errorCode: 0 },
    ];
    store3(written);
    const read = readEvents(store.db, 'signIn', {});
    expect(read.map((s) => s.id)).toEqual(['b', 'c', 'a', 'd', 'e']);
    for (const s of read) expect(s).toEqual(written.find((w) => w.id === s.id));
    // Equal facts are parsed once and shared, as the export reader's pool shares them.
    expect(read.find((s) => s.id === 'a')!.facts).toBe(read.find((s) => s.id === 'b')!.facts);
  });

  it('keeps to the time range asked for', () => {
    store3([
      signIn('a', '2026-11-01T00:00:00Z', { facts: FACTS }),
      signIn('b', '2026-11-10T00:00:00Z', { facts: FACTS }),
      signIn('c', '2026-11-20T00:00:00Z', { facts: FACTS }),
    ]);
    const read = readEvents(store.db, 'signIn', { from: '2026-11-05T00:00:00Z', to: '2026-11-15T00:00:00Z' });
    expect(read.map((s) => s.id)).toEqual(['b']);
  });
});
