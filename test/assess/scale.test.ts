import { describe, expect, it } from 'vitest';
import type { AuditEvent, SignIn, UserMethods } from '../../src/domain/tenant.js';
import {
  ago,
  authenticator,
  authenticatorRow,
  deviceJson,
  group,
  interrupt,
  mfaSignIn,
  password,
  phoneAppDetailUpdate,
  policy,
  row,
  run,
  snapshot,
  user,
} from './builders.js';

// Speed is measured by `npm run bench` (bench/assess.ts), not here: this test only checks that every rule
// still works when events for many users are interleaved.
const USERS = 20_000;

/** A tenant with a few events per user, for every rule at once. */
function bigTenant() {
  const users = [];
  const registration = [];
  const methods = new Map<string, UserMethods>();
  const audits: AuditEvent[] = [];
  const signIns: SignIn[] = [];
  const members: string[] = [];
  for (let i = 0; i < USERS; i++) {
    const t = { id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, upn: `user${i}@big.example` };
    users.push(user(t.id, t.upn));
    members.push(t.id);
    registration.push(i % 3 === 0 ? row(t.id, t.upn) : authenticatorRow(t.id, t.upn));
    if (i % 10 === 0) {
      const device = `dev-${i}`;
      methods.set(t.id, {
        key: t.id,
        source: `authenticationMethods/${t.id}.json`,
        methods: [password(), authenticator(device)],
      });
      audits.push(phoneAppDetailUpdate(`a-${i}`, ago(1000 + (i % 500)), t, [], [deviceJson(device)]));
    }
    signIns.push(mfaSignIn(`s-${i}`, ago(i % 20_000), t));
    if (i % 50 === 0) for (let k = 0; k < 3; k++) signIns.push(interrupt(`l-${i}-${k}`, ago(30 - k), t));
  }
  return snapshot({
    users,
    registration,
    methods,
    audits,
    signIns,
    groups: [group('g-all', 'Everyone', members)],
    methodsPolicy: policy({
      MicrosoftAuthenticator: { includeTargets: [{ id: 'g-all', targetType: 'group' }] },
    }),
  });
}

describe('scale', () => {
  it('assesses a large tenant with every rule firing', () => {
    const snap = bigTenant();
    const a = run(snap, {
      scope: { scopeGroups: ['g-all'], excludeGroups: [], excludeUsers: ['user1@big.example'] },
    });
    expect(a.users).toHaveLength(USERS);
    expect(a.summary.excluded).toBe(1);
    // Every rule ran at scale: all the interesting verdicts occur.
    for (const v of ['ready', 'looping', 'unverified', 'not-registered'] as const)
      expect(a.summary[v]).toBeGreaterThan(0);
  });
});
