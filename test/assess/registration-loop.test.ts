import { describe, expect, it } from 'vitest';
import {
  ago,
  authenticator,
  interrupt,
  methodsMap,
  mfaSignIn,
  mySignInsSignIn,
  password,
  run,
  securityInfo,
  snapshot,
  user,
  userOf,
} from './builders.js';
import type { SignIn } from '../../src/domain/tenant.js';
import type { AuditEvent } from '../../src/domain/tenant.js';

const EVE = { id: 'eeeeeeee-0000-4000-8000-000000000001', upn: 'eve@contoso.com' };

function verdictWith(signIns: SignIn[], audits: AuditEvent[] = [], methods = [password()]) {
  const snap = snapshot({
    users: [user(EVE.id, EVE.upn)],
    methods: methodsMap({ [EVE.id]: methods }),
    signIns,
    audits,
  });
  return userOf(run(snap), EVE.upn);
}

describe('registration loop detection', () => {
  it('sees three registration sign-ins within 15 minutes, successful ones included, as a loop now', () => {
    const eve = verdictWith([
      mySignInsSignIn('l1', ago(40), EVE, 0),
      interrupt('l2', ago(35), EVE, 50072),
      mySignInsSignIn('l3', ago(26), EVE, 0),
    ]);
    expect(eve.verdict).toBe('looping');
    expect(eve.evidence.find((e) => e.code === 'registration-loop')).toMatchObject({
      ref: 'l3',
      fields: { count: 3, signInIds: ['l1', 'l2', 'l3'], firstAt: ago(40), lastAt: ago(26) },
    });
  });

  it('needs the three within the window: spread over 20 minutes is no loop', () => {
    const eve = verdictWith([
      interrupt('l1', ago(40), EVE),
      interrupt('l2', ago(30), EVE),
      interrupt('l3', ago(20), EVE),
    ]);
    expect(eve.verdict).toBe('not-registered');
    // The latest interrupt is still cited, outside any loop.
    expect(eve.evidence.filter((e) => e.code === 'registration-interrupt').map((e) => e.ref)).toEqual(['l3']);
  });

  it('is not "now" when the last sign-in is more than 24 hours before now', () => {
    const h = 60;
    const eve = verdictWith([
      interrupt('l1', ago(25 * h + 10), EVE),
      interrupt('l2', ago(25 * h + 5), EVE),
      interrupt('l3', ago(25 * h), EVE),
    ]);
    expect(eve.verdict).toBe('not-registered');
  });

  it('is broken by a successful security-info registration after the first sign-in of the window', () => {
    const signIns = [
      interrupt('l1', ago(40), EVE),
      mySignInsSignIn('l2', ago(38), EVE),
      mySignInsSignIn('l3', ago(36), EVE),
    ];
    const registered = securityInfo(
      'reg',
      ago(37),
      EVE,
      'User registered security info',
      'User registered Authenticator App',
    );
    expect(verdictWith(signIns, [registered]).verdict).not.toBe('looping');
    const before = securityInfo(
      'reg0',
      ago(45),
      EVE,
      'User registered security info',
      'User registered Authenticator App',
    );
    // A registration before the window does not end it (e.g. the loop is about a new requirement).
    expect(verdictWith(signIns, [before]).verdict).toBe('looping');
  });

  it('is not broken by a failed or cancelled registration', () => {
    const signIns = [
      interrupt('l1', ago(40), EVE),
      mySignInsSignIn('l2', ago(38), EVE),
      mySignInsSignIn('l3', ago(36), EVE),
    ];
    const failed = securityInfo(
      'f',
      ago(37),
      EVE,
      'User registered all required security info',
      'User canceled security info registration.',
      'failure',
    );
    expect(verdictWith(signIns, [failed]).verdict).toBe('looping');
  });

  it('loses to ready: a user who can do MFA is not looping', () => {
    const signIns = [
      interrupt('l1', ago(40), EVE),
      interrupt('l2', ago(38), EVE),
      interrupt('l3', ago(36), EVE),
      mfaSignIn('m', ago(20), EVE),
    ];
    expect(verdictWith(signIns, [], [password(), authenticator('d')]).verdict).toBe('ready');
  });

  it('picks the latest window of a long loop', () => {
    const signIns = Array.from({ length: 10 }, (_, i) => interrupt(`x${i}`, ago(100 - i * 6), EVE));
    const loop = verdictWith(signIns).evidence.find((e) => e.code === 'registration-loop');
    expect(loop?.ref).toBe('x9');
    expect(loop?.fields?.count).toBe(3);
  });
});
