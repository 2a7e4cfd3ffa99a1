/**
 * `remediate status`, pure: what became of each journaled write, judged on a later run's evidence,
 * and "no evidence since" when the run was collected before the write.
 */
import { describe, expect, it } from 'vitest';
import { remediationStatus } from '../../src/apply/remediation-status.js';
import type { RemediationPlan } from '../../src/domain/remediation.js';
import type { TenantSnapshot } from '../../src/domain/tenant.js';
import type { JournalEntry } from '../../src/store/journal.js';
import { authenticator, methodsMap, password, securityInfo, signIn, snapshot } from '../assess/builders.js';

const U1 = { id: 'u1', upn: 'u1@uni.example' };
const U2 = { id: 'u2', upn: 'u2@uni.example' };
const DONE = '2025-06-10T12:00:00.000Z';

function plan(): RemediationPlan {
  return {
    planVersion: 1,
    kind: 'remediation',
    createdAt: DONE,
    basedOn: { generatedAt: DONE, collectedAt: null, tenantId: null },
    selection: { verdicts: [], users: [] },
    tapPolicy: {
      state: 'enabled',
      defaultLifetimeInMinutes: 60,
      minimumLifetimeInMinutes: null,
      maximumLifetimeInMinutes: null,
      isUsableOnce: null,
    },
    users: [U1, U2].map((u) => ({
      userId: u.id,
      userPrincipalName: u.upn,
      displayName: u.id,
      verdict: 'loop-risk' as const,
      isAdmin: false,
      federatedDomain: null,
      actions: [],
    })),
  };
}

function entry(over: Partial<JournalEntry>): JournalEntry {
  return {
    kind: 'remediation',
    plan: 'p',
    planVersion: 1,
    key: `create-tap:${over.target ?? 'u1'}`,
    operation: 'create-tap',
    target: 'u1',
    subject: null,
    status: 'done',
    attemptedAt: DONE,
    doneAt: DONE,
    detail: { status: 201, expiresAt: '2025-06-10T13:00:00.000Z' },
    ...over,
  };
}

function collected(at: string, parts: Partial<Omit<TenantSnapshot, 'tenant' | 'coverage'>>): TenantSnapshot {
  const s = snapshot(parts);
  return { ...s, tenant: { ...s.tenant, collectedAt: at } };
}

describe('remediationStatus', () => {
  it('a TAP is used when a sign-in used it', () => {
    const s = collected('2025-06-10T15:00:00Z', {
      signIns: [
        signIn('si-tap', '2025-06-10T12:20:00Z', U1, {
          authenticationDetails: [{ authenticationMethod: 'Temporary Access Pass', succeeded: true }],
        }),
      ],
    });
    const [row] = remediationStatus(plan(), [entry({})], s);
    expect(row).toMatchObject({ state: 'tap-used', userPrincipalName: 'u1@uni.example' });
    expect(row?.evidence).toContain('si-tap');
  });

  it('a TAP is used when the user registered a method after it was made', () => {
    const s = collected('2025-06-10T15:00:00Z', {
      methods: methodsMap({
        u1: [password(), authenticator('auth-new', { createdDateTime: '2025-06-10T12:25:00Z' })],
      }),
    });
    expect(remediationStatus(plan(), [entry({})], s)[0]?.state).toBe('tap-used');
  });

  it('a TAP expired unused only when the run was collected after it expired', () => {
    const after = collected('2025-06-10T15:00:00Z', { signIns: [] });
    expect(remediationStatus(plan(), [entry({})], after)[0]?.state).toBe('tap-expired-unused');
    const during = collected('2025-06-10T12:30:00Z', { signIns: [] });
    expect(remediationStatus(plan(), [entry({})], during)[0]?.state).toBe('tap-not-used-yet');
    const before = collected('2025-06-10T11:00:00Z', { signIns: [] });
    expect(remediationStatus(plan(), [entry({})], before)[0]?.state).toBe('no-evidence-since');
    expect(remediationStatus(plan(), [entry({})], undefined)[0]?.state).toBe('no-evidence-since');
  });

  it('a deletion followed by a registration in the audit log, and one not yet', () => {
    const del = (target: string) =>
      entry({
        key: `delete-method:${target}:a`,
        operation: 'delete-method',
        target,
        subject: 'a',
        detail: { status: 204 },
      });
    const s = collected('2025-06-11T12:00:00Z', {
      audits: [
        securityInfo(
          'audit-1',
          '2025-06-10T13:00:00Z',
          U2,
          'User registered security info',
          'User registered Authenticator App with Notification and Code',
        ),
      ],
    });
    const rows = remediationStatus(plan(), [del('u1'), del('u2')], s);
    expect(rows.map((r) => [r.userId, r.state])).toEqual([
      ['u1', 'deleted-not-registered-yet'],
      ['u2', 'deleted-registered-again'],
    ]);
  });

  it('says a failed write failed, with the refusal', () => {
    const rows = remediationStatus(
      plan(),
      [entry({ status: 'failed', doneAt: DONE, detail: { refused: 'guest' } })],
      undefined,
    );
    expect(rows[0]).toMatchObject({ state: 'failed', evidence: 'guest' });
  });
});
