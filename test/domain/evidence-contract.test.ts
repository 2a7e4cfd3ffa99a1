/*
 * The evidence contract is checked by the compiler: each `@ts-expect-error` below marks a line that
 * must NOT compile (`npm run typecheck` covers test/, and fails if any of them ever compiles). The
 * runtime assertions only show that the lines that do compile build what they say.
 */
import { describe, expect, it } from 'vitest';
import { evidence } from '../../src/assess/evidence.js';
import { ACTION_FIELDS, EVIDENCE_FIELDS } from '../../src/domain/evidence.js';
import type { ActionCode, Evidence, EvidenceCode } from '../../src/domain/verdict.js';
import { ACTION_BRIEFS, ACTION_MESSAGES } from '../../src/report/action-messages.js';
import { EVIDENCE_MESSAGES } from '../../src/report/evidence-messages.js';

const SIGN_IN = { appId: '00000002-0000-0ff1-ce00-000000000000', errorCode: 0 };

describe('the evidence contract, at compile time', () => {
  it('builds a finding whose fields match its code, dropping undefined optional values', () => {
    const e = evidence('mfa-sign-in', 'signIns', 's-1', '2025-05-01T09:00:00Z', {
      ...SIGN_IN,
      appDisplayName: undefined,
      count: 2,
      withinRetention: true,
      authenticationMethod: 'Mobile app notification',
    });
    expect(e).toEqual({
      code: 'mfa-sign-in',
      source: 'signIns',
      ref: 's-1',
      at: '2025-05-01T09:00:00Z',
      fields: {
        ...SIGN_IN,
        count: 2,
        withinRetention: true,
        authenticationMethod: 'Mobile app notification',
      },
    });
    expect(evidence('admin-role', 'registration', 'u-1', null).fields).toEqual({});
  });

  it('refuses a misspelt, missing, mistyped or foreign field, and an unknown code', () => {
    const misspelt = evidence('mfa-sign-in', 'signIns', 's-1', null, {
      ...SIGN_IN,
      count: 1,
      withinRetention: true,
      // @ts-expect-error: the field is authenticationMethod
      authenticationMetod: 'Mobile app notification',
    });
    // @ts-expect-error: federated-user needs its domain
    const missing = evidence('federated-user', 'domains', 'contoso.edu', null);
    const mistyped = evidence('registration-interrupt', 'signIns', 's-2', null, {
      appId: null,
      // @ts-expect-error: errorCode is a number, as Graph sends it
      errorCode: '50072',
    });
    const fields = { domain: 'contoso.edu' };
    // @ts-expect-error: domain is a field of federated-user, not of admin-role
    const foreign: Evidence = { code: 'admin-role', source: 'registration', ref: 'u-1', at: null, fields };
    // @ts-expect-error: no such evidence code
    const unknownCode = evidence('mfa-skipped-by-trusted-ip', 'signIns', 's-3', null, {});
    // Nothing checks a finding at run time (the hot path stays cheap): the compiler is the only guard,
    // which is why the lines above must keep failing to compile.
    expect(misspelt.fields).toHaveProperty('authenticationMetod');
    expect(missing.fields).toEqual({});
    expect(mistyped.fields.errorCode).toBe('50072');
    expect(foreign.fields).toEqual({ domain: 'contoso.edu' });
    expect(unknownCode.code).toBe('mfa-skipped-by-trusted-ip');
  });

  it('lets a renderer read a field only once the code is known', () => {
    const countOf = (e: Evidence): number | undefined => {
      // @ts-expect-error: not every finding has a count
      const unknown: number = e.fields.count;
      void unknown;
      return e.code === 'registration-loop' ? e.fields.count : undefined;
    };
    const loop = evidence('registration-loop', 'signIns', 's-9', null, {
      count: 3,
      firstAt: '2025-05-01T09:00:00Z',
      lastAt: '2025-05-01T09:10:00Z',
      signInIds: ['s-7', 's-8', 's-9'],
      interrupts: 2,
      securityInfoSignIns: 1,
    });
    expect(countOf(loop)).toBe(3);
  });

  it('has fields and words for exactly the codes there are: a new code without them does not compile', () => {
    type NewEvidenceCode = EvidenceCode | 'mfa-skipped-by-trusted-ip';
    type NewActionCode = ActionCode | 'exclude-service-account';
    // The tables hold every code (these compile)...
    const fields: Record<EvidenceCode, unknown> = EVIDENCE_FIELDS;
    const words: Record<EvidenceCode, unknown> = EVIDENCE_MESSAGES;
    const actions: Record<ActionCode, unknown>[] = [ACTION_FIELDS, ACTION_MESSAGES, ACTION_BRIEFS];
    // ...and none more, so a code added to EVIDENCE_CODES or ACTION_CODES without an entry fails:
    // @ts-expect-error: no fields for the new evidence code
    const newFields: Record<NewEvidenceCode, unknown> = EVIDENCE_FIELDS;
    // @ts-expect-error: no words for the new evidence code
    const newWords: Record<NewEvidenceCode, unknown> = EVIDENCE_MESSAGES;
    // @ts-expect-error: no fields for the new action code
    const newActionFields: Record<NewActionCode, unknown> = ACTION_FIELDS;
    // @ts-expect-error: no words for the new action code
    const newActionWords: Record<NewActionCode, unknown> = ACTION_MESSAGES;
    // @ts-expect-error: no brief for the new action code
    const newActionBriefs: Record<NewActionCode, unknown> = ACTION_BRIEFS;
    void [newFields, newWords, newActionFields, newActionWords, newActionBriefs];
    expect(Object.keys(fields).sort()).toEqual(Object.keys(words).sort());
    for (const table of actions) expect(Object.keys(table).sort()).toEqual(Object.keys(ACTION_FIELDS).sort());
  });
});
