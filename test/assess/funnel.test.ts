import { describe, expect, it } from 'vitest';
import { funnelOf, runSummary } from '../../src/assess/funnel.js';
import { assess } from '../../src/assess/index.js';
import { EVIDENCE_RULES } from '../../src/assess/evidence-filter.js';
import { load } from '../../src/load/index.js';
import type { UserAssessment } from '../../src/domain/verdict.js';

const user = (over: Partial<UserAssessment>): UserAssessment =>
  ({
    id: 'u',
    userPrincipalName: 'u@contoso.com',
    displayName: 'U',
    verdict: 'not-registered',
    confidence: null,
    weak: false,
    isAdmin: false,
    methods: [],
    evidence: [],
    action: { code: 'register-method', fields: {} },
    ...over,
  }) as UserAssessment;

describe('the rollout funnel', () => {
  it('counts each step within the one before; excluded users are outside it', () => {
    const f = funnelOf([
      user({ verdict: 'excluded' }),
      user({ verdict: 'not-registered', methods: [{ id: 'p', type: 'password', state: 'not-mfa' }] }),
      user({
        verdict: 'unverified',
        methods: [{ id: 'a', type: 'microsoftAuthenticator', state: 'unverified' }],
      }),
      user({
        verdict: 'ready',
        confidence: 'reported',
        methods: [{ id: 'a', type: 'microsoftAuthenticator', state: 'usable' }],
      }),
      user({
        verdict: 'ready',
        confidence: 'proven',
        methods: [{ id: 'f', type: 'fido2', state: 'usable' }],
      }),
      // Federated: MFA at the identity provider, no Entra method; ready and proven by the claim.
      user({
        verdict: 'ready',
        confidence: 'proven',
        methods: [{ id: 'p', type: 'password', state: 'not-mfa' }],
      }),
    ]);
    expect(f).toEqual({ enabledMembers: 5, anyStrongMethod: 4, usable: 3, proven: 2 });
  });

  it('on the demo tenant every step is within the one before, and ready users are all counted usable', async () => {
    const snapshot = await load({ kind: 'folder', dir: 'demo/tenant' }, 'assess', { rules: EVIDENCE_RULES });
    const assessment = assess(snapshot, { now: new Date('2026-11-20T09:00:00Z') });
    const { funnel, counts, readyShare } = runSummary(assessment);
    expect(funnel.enabledMembers).toBe(assessment.users.length - counts.excluded);
    expect(funnel.anyStrongMethod).toBeLessThanOrEqual(funnel.enabledMembers);
    expect(funnel.usable).toBeLessThanOrEqual(funnel.anyStrongMethod);
    expect(funnel.usable).toBeGreaterThanOrEqual(counts.ready);
    expect(funnel.proven).toBeLessThanOrEqual(counts.ready);
    expect(readyShare).toBeCloseTo(counts.ready / funnel.enabledMembers, 10);
  });
});
