import { describe, expect, it } from 'vitest';
import type { AuthMethod } from '../../src/domain/tenant.js';
import {
  ago,
  authenticator,
  codes,
  email,
  fido2,
  methodsMap,
  password,
  phone,
  run,
  snapshot,
  tap,
  user,
  userOf,
} from './builders.js';

const FRANK = { id: 'ffffffff-0000-4000-8000-000000000001', upn: 'frank@contoso.com' };

function frank(methods: AuthMethod[]) {
  return userOf(
    run(snapshot({ users: [user(FRANK.id, FRANK.upn)], methods: methodsMap({ [FRANK.id]: methods }) })),
    FRANK.upn,
  );
}

describe('method states', () => {
  it('counts password, email and a Temporary Access Pass as not MFA', () => {
    const f = frank([password(), email(), tap()]);
    expect(f.verdict).toBe('not-registered');
    expect(f.methods.map((m) => m.state)).toEqual(['not-mfa', 'not-mfa', 'not-mfa']);
  });

  it('notes a usable TAP as bootstrap evidence and advises registering with it', () => {
    const f = frank([password(), tap({ startDateTime: ago(30), lifetimeInMinutes: 60 })]);
    expect(f.evidence.find((e) => e.code === 'tap-usable')).toMatchObject({
      source: 'methods',
      ref: 'tap-1',
      at: ago(30),
      fields: { lifetimeInMinutes: 60, isUsableOnce: true, endDateTime: ago(-30) },
    });
    expect(f.action.code).toBe('register-with-tap');
  });

  it('does not note a TAP that expired since it was listed, or one the policy made unusable', () => {
    expect(codes(frank([password(), tap({ startDateTime: ago(120), lifetimeInMinutes: 60 })]))).not.toContain(
      'tap-usable',
    );
    expect(
      codes(frank([password(), tap({ isUsable: false, methodUsabilityReason: 'DisabledByPolicy' })])),
    ).not.toContain('tap-usable');
  });

  it('keeps an unknown method type as unknown, neither usable nor dismissed', () => {
    const odd: AuthMethod = {
      id: 'odd-1',
      kind: 'unknown',
      odataType: '#microsoft.graph.futureAuthenticationMethod',
    };
    const f = frank([password(), odd]);
    expect(f.methods[1]).toEqual({ id: 'odd-1', type: 'unknown', state: 'unknown' });
    const listed = f.evidence.find((e) => e.ref === 'odd-1');
    expect(listed?.code === 'method-listed' ? listed.fields.odataType : undefined).toBe(
      '#microsoft.graph.futureAuthenticationMethod',
    );
  });

  it('flags a user whose only usable methods are phones as weak, and not one with a stronger method', () => {
    const weak = frank([password(), phone('mobile'), phone('alternateMobile')]);
    expect(weak).toMatchObject({ verdict: 'ready', weak: true, action: { code: 'add-stronger-method' } });
    expect(weak.evidence.find((e) => e.code === 'weak-phone-only')?.fields?.methodIds).toHaveLength(2);
    expect(frank([password(), phone(), fido2()])).toMatchObject({
      verdict: 'ready',
      weak: false,
      action: { code: 'none' },
    });
  });

  it('cites every listed method except the password with its id and state', () => {
    const f = frank([password(), authenticator('dev-f')]);
    expect(f.evidence.find((e) => e.code === 'method-listed')).toMatchObject({
      source: 'methods',
      ref: 'dev-f',
      fields: {
        methodId: 'dev-f',
        methodType: 'microsoftAuthenticator',
        deviceTag: 'SoftwareTokenActivated',
        state: 'usable',
      },
    });
    expect(f.evidence.some((e) => e.ref === '28c10230-6103-485e-b985-444c60001490')).toBe(false);
  });
});
