import { describe, expect, it } from 'vitest';
import { SlimSignInDecoder, SlimSignInEncoder } from '../../src/load/slim-sign-in-codec.js';
import type { EncodedSignIns } from '../../src/load/slim-sign-in-codec.js';
import { SignInFactsPool, slimSignIn } from '../../src/assess/sign-in-facts.js';
import type { SignIn } from '../../src/domain/tenant.js';

/** Slim sign-ins handed from a worker as columns must arrive as slimSignIn made them, batch after batch. */

const AUTHENTICATOR = '4813382a-8fa7-425e-ab75-3b753aab3abb';

function signIn(i: number, over: Partial<SignIn> = {}): SignIn {
  return {
    id: `si-${i}`,
    createdDateTime: `2026-11-20T08:${String(i % 60).padStart(2, '0')}:00.000Z`,
    userId: `user-${i % 3}`,
    userPrincipalName: `user${i % 3}@contoso.com`,
    appId: i % 2 === 0 ? AUTHENTICATOR : '00000002-0000-0ff1-ce00-000000000000',
    appDisplayName: i % 2 === 0 ? 'Microsoft Authenticator App' : 'Office 365 Exchange Online',
    errorCode: 0,
    isInteractive: i % 4 === 0,
    tokenIssuerType: 'AzureAD',
    authenticationDetails: [
      {
        authenticationMethod: 'Mobile app notification',
        succeeded: true,
        authenticationStepRequirement: 'MFA',
        authenticationStepResultDetail: 'MFA successfully completed',
      },
    ],
    ...over,
  };
}

const roundTrip = (batches: SignIn[][]) => {
  const encoder = new SlimSignInEncoder();
  const decoder = new SlimSignInDecoder();
  return batches.map((b) => decoder.decode(structuredClone(encoder.encode(b))));
};

describe('handing slim sign-ins from a worker to the main thread as columns', () => {
  it('gives back what slimSignIn made, across batches, optional fields absent or present', () => {
    const pool = new SignInFactsPool();
    const first = Array.from({ length: 20 }, (_, i) => slimSignIn(signIn(i), pool));
    const sparse: SignIn = { id: 'bare', createdDateTime: '2026-11-20T09:00:00.000Z', errorCode: 50_126 };
    const second = [
      slimSignIn(signIn(20, { errorCode: 50_079, authenticationDetails: [] }), pool),
      slimSignIn(sparse, pool),
      slimSignIn(signIn(21, { isInteractive: false, userPrincipalName: 'é😀"\\\u2028@contoso.com' }), pool),
      // An errorCode an Int32Array would not hold still arrives whole.
      slimSignIn(signIn(22, { errorCode: 2 ** 40 + 0.5 }), pool),
    ];
    const [a, b] = roundTrip([first, second]);
    expect(a).toStrictEqual(first);
    expect(b).toStrictEqual(second);
    expect(Object.keys(b?.[1] ?? {})).toEqual(['id', 'createdDateTime', 'errorCode', 'facts']);
    expect(b?.[1]?.facts).toBeNull();
  });

  it("carries a sign-in's Conditional Access results, on the sign-ins that have them only", () => {
    const pool = new SignInFactsPool();
    const applied = [{ id: 'ca-1', result: 'reportOnlyInterrupted' }];
    const batch = [
      slimSignIn(signIn(1, { appliedConditionalAccessPolicies: applied }), pool),
      slimSignIn(signIn(2), pool),
    ];
    const [got] = roundTrip([batch]);
    expect(got).toStrictEqual(batch);
    expect(got?.[0]?.appliedConditionalAccessPolicies).toEqual(applied);
    expect(got?.[1]).not.toHaveProperty('appliedConditionalAccessPolicies');
  });

  it('carries every fact of a sign-in: the result detail a proof rests on, a skipped MFA, an unknown detail', () => {
    const pool = new SignInFactsPool();
    const step = (method: string, detail: string) => [
      {
        authenticationMethod: method,
        succeeded: true,
        authenticationStepRequirement: 'MFA',
        authenticationStepResultDetail: detail,
      },
    ];
    const items = [
      slimSignIn(
        signIn(1, {
          authenticationDetails: step('Previously satisfied', 'MFA requirement skipped due to IP address'),
        }),
        pool,
      ),
      slimSignIn(
        signIn(3, {
          authenticationDetails: step(
            'Mobile app notification',
            'MFA requirement satisfied by a future feature',
          ),
        }),
        pool,
      ),
      slimSignIn(
        signIn(5, {
          authenticationDetails: step(
            'Previously satisfied',
            'MFA requirement skipped due to remembered device',
          ),
        }),
        pool,
      ),
      slimSignIn(
        signIn(7, {
          authenticationDetails: [],
          additionalDetails: 'MFA completed in Azure AD',
          authenticationAppDeviceDetails: { clientApp: 'Microsoft Authenticator' },
        }),
        pool,
      ),
    ];
    expect(items.map((s) => s.facts)).toEqual([
      expect.objectContaining({ mfaSkipped: 'MFA requirement skipped due to IP address' }),
      expect.objectContaining({ unknownMfaDetail: 'MFA requirement satisfied by a future feature' }),
      expect.objectContaining({
        mfa: { kind: 'earlier', detail: 'MFA requirement skipped due to remembered device' },
      }),
      expect.objectContaining({
        mfa: { kind: 'direct', methods: ['Microsoft Authenticator'], detail: 'MFA completed in Azure AD' },
      }),
    ]);
    const [back] = roundTrip([items]);
    expect(back).toStrictEqual(items);
  });

  it('hands equal facts over once, as one frozen copy, and equal strings as one copy', () => {
    const pool = new SignInFactsPool();
    const items = Array.from({ length: 10 }, (_, i) => slimSignIn(signIn(i), pool));
    const encoder = new SlimSignInEncoder();
    const decoder = new SlimSignInDecoder();
    const one = encoder.encode(items.slice(0, 5));
    const two = encoder.encode(items.slice(5));
    // Two distinct facts (the Authenticator app's sign-ins and the others'), sent in the first batch only.
    expect(JSON.parse(one.facts)).toHaveLength(2);
    expect(JSON.parse(two.facts)).toEqual([]);
    expect(JSON.parse(two.strings)).toEqual([]);
    const [x, y] = [decoder.decode(structuredClone(one)), decoder.decode(structuredClone(two))];
    expect(y?.[0]?.facts).toBe(x?.[1]?.facts);
    expect(Object.isFrozen(x?.[0]?.facts)).toBe(true);
    const mfa = x?.[0]?.facts?.mfa;
    expect(mfa?.kind === 'direct' && Object.isFrozen(mfa.methods)).toBe(true);
    expect(y?.[0]?.userId).toBe(x?.[2]?.userId);
  });

  it('refuses a sign-in that is not slim, and a batch that does not decode', () => {
    expect(() => new SlimSignInEncoder().encode([signIn(1)])).toThrow(TypeError);
    const batch = new SlimSignInEncoder().encode([slimSignIn(signIn(1))]);
    const decode = (b: EncodedSignIns) => () => new SlimSignInDecoder().decode(b);
    expect(decode({ ...batch, count: 2 })).toThrow(/does not decode/);
    expect(decode({ ...batch, strings: '[]' })).toThrow(/unknown string/);
    expect(decode({ ...batch, facts: '[]' })).toThrow(/unknown facts/);
  });
});
