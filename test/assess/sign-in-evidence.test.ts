import { describe, expect, it } from 'vitest';
import { signInFacts } from '../../src/assess/sign-in-facts.js';
import {
  ago,
  authenticator,
  authenticatorAppSignIn,
  claimSignIn,
  codes,
  methodsMap,
  mfaSignIn,
  password,
  phone,
  run,
  signIn,
  snapshot,
  user,
  userOf,
} from './builders.js';
import { AUTHENTICATOR_APP_ID, MFA_CLAIM_PHRASES } from '../../src/domain/well-known.js';

const BOB = { id: 'bbbbbbbb-0000-4000-8000-000000000001', upn: 'bob@contoso.com' };

describe('proven MFA in a sign-in', () => {
  it('does not take authenticationRequirement multiFactorAuthentication for an outcome', () => {
    // A requirement says MFA was asked for; with no result detail nothing says it was done.
    const s = signIn('s1', ago(10), BOB, {
      authenticationRequirement: 'multiFactorAuthentication',
      authenticationMethodsUsed: ['Password', 'Authenticator App'],
    });
    expect(signInFacts(s)).toBeUndefined();
    expect(signInFacts({ ...s, errorCode: 50074 })).toBeUndefined();
    // The same sign-in with the status detail a completed MFA writes is proof.
    const done = { ...s, additionalDetails: 'MFA completed in Azure AD' };
    expect(signInFacts(done)?.mfa).toEqual({
      kind: 'direct',
      methods: ['Authenticator App'],
      detail: 'MFA completed in Azure AD',
    });
  });

  it('accepts a succeeded MFA step even when a later control failed the sign-in', () => {
    const s = signIn('s2', ago(10), BOB, {
      errorCode: 53003,
      authenticationDetails: [
        {
          authenticationMethod: 'Password',
          succeeded: true,
          authenticationStepRequirement: 'Primary authentication',
        },
        {
          authenticationMethod: 'Text message',
          succeeded: true,
          authenticationStepResultDetail: 'MFA successfully completed',
          authenticationStepRequirement: 'MFA',
        },
      ],
    });
    expect(signInFacts(s)?.mfa).toEqual({
      kind: 'direct',
      methods: ['Text message'],
      detail: 'MFA successfully completed',
    });
  });

  it('does not accept a failed MFA step or a single-factor sign-in', () => {
    const failed = signIn('s3', ago(10), BOB, {
      errorCode: 500121,
      authenticationDetails: [
        {
          authenticationMethod: 'Mobile app notification',
          succeeded: false,
          authenticationStepRequirement: 'MFA',
        },
      ],
    });
    expect(signInFacts(failed)).toBeUndefined();
    expect(signInFacts(signIn('s4', ago(10), BOB))).toBeUndefined();
  });

  it('accepts MFA satisfied by a claim, in a step detail or in the status details', () => {
    for (const phrase of MFA_CLAIM_PHRASES) {
      expect(signInFacts(claimSignIn('c', ago(5), BOB, phrase))?.mfa).toEqual({
        kind: 'claim',
        detail: phrase,
      });
    }
    const inStatus = signIn('c2', ago(5), BOB, {
      additionalDetails: 'MFA requirement satisfied by claim in the token',
    });
    expect(signInFacts(inStatus)?.mfa?.kind).toBe('claim');
  });

  it('treats a v1.0 sign-in (no MFA fields) as no proof', () => {
    const v1 = { id: 'v1', createdDateTime: ago(5), userId: BOB.id, appId: 'x', errorCode: 0 };
    expect(signInFacts(v1)).toBeUndefined();
  });

  it('counts only successful Authenticator app sign-ins as the loop-risk precondition', () => {
    expect(signInFacts(authenticatorAppSignIn('a', ago(5), BOB))?.authenticatorApp).toBe(true);
    expect(
      signInFacts(signIn('a2', ago(5), BOB, { appId: AUTHENTICATOR_APP_ID, errorCode: 50126 })),
    ).toBeUndefined();
  });
});

describe('confidence from sign-ins', () => {
  const base = () => ({
    users: [user(BOB.id, BOB.upn)],
    methods: methodsMap({ [BOB.id]: [password(), phone('mobile'), authenticator('dev-b')] }),
  });

  it('is proven by an MFA sign-in within the 30-day retention window, and cites it', () => {
    const bob = userOf(
      run(snapshot({ ...base(), signIns: [mfaSignIn('si-mfa', ago(60 * 24 * 3), BOB)] })),
      BOB.upn,
    );
    expect(bob).toMatchObject({ verdict: 'ready', confidence: 'proven' });
    expect(bob.evidence.find((e) => e.code === 'mfa-sign-in')).toMatchObject({
      source: 'signIns',
      ref: 'si-mfa',
      fields: { authenticationMethod: 'Mobile app notification', withinRetention: true, count: 1 },
    });
  });

  it('is only registered by an MFA sign-in older than the retention window', () => {
    const bob = userOf(
      run(snapshot({ ...base(), signIns: [mfaSignIn('si-old', ago(60 * 24 * 45), BOB)] })),
      BOB.upn,
    );
    expect(bob.confidence).toBe('registered');
  });

  it('is reported without audits or sign-ins, and the verdict still stands on the methods list', () => {
    const bob = userOf(run(snapshot(base())), BOB.upn);
    expect(bob).toMatchObject({ verdict: 'ready', confidence: 'reported' });
    expect(codes(bob)).toContain('method-listed');
  });

  it('matches sign-ins by UPN when the user id is missing', () => {
    const { userId: _dropped, ...rest } = mfaSignIn('si-upn', ago(30), BOB);
    const s = { ...rest, userPrincipalName: 'BOB@contoso.com' };
    expect(userOf(run(snapshot({ ...base(), signIns: [s] })), BOB.upn).confidence).toBe('proven');
  });
});
