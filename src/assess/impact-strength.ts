import type { ConditionalAccessPolicy, MethodKind } from '../domain/tenant.js';

/** What a policy's grant controls ask for, as far as MFA goes. */
export type ImpactRequirement =
  /** `builtInControls` holds `mfa` (or security defaults, or a target group meant for an MFA policy). */
  | { kind: 'mfa'; operator?: string; otherControls: string[] }
  /** An authentication strength: only the listed method combinations satisfy it. */
  | {
      kind: 'strength';
      id: string;
      displayName: string | null;
      /** Normalised (no spaces, lower case), as listed; empty when neither the policy nor a built-in says. */
      allowedCombinations: string[];
      /** Where the combinations come from: the policy response, or the built-in table below. */
      combinationsFrom: 'policy' | 'built-in' | 'unknown';
      operator?: string;
      otherControls: string[];
    }
  /** No MFA control: `block`, a compliant device, terms of use, or no grant at all. */
  | { kind: 'none'; controls: string[] };

/**
 * The built-in strengths and their allowed combinations, as Graph lists them
 * (https://learn.microsoft.com/graph/api/authenticationstrengthroot-list-policies?view=graph-rest-beta,
 * example 1). Used when the policy response names the strength without its combinations (older
 * responses, and exports that kept only `{ id, displayName }`).
 */
const BUILT_IN_STRENGTHS: ReadonlyMap<string, { displayName: string; combinations: readonly string[] }> =
  new Map([
    [
      '00000000-0000-0000-0000-000000000002',
      {
        displayName: 'Multifactor authentication',
        combinations: [
          'windowsHelloForBusiness',
          'fido2',
          'x509CertificateMultiFactor',
          'deviceBasedPush',
          'temporaryAccessPassOneTime',
          'temporaryAccessPassMultiUse',
          'password,microsoftAuthenticatorPush',
          'password,softwareOath',
          'password,hardwareOath',
          'password,sms',
          'password,voice',
          'federatedMultiFactor',
          'federatedSingleFactor,microsoftAuthenticatorPush',
          'federatedSingleFactor,softwareOath',
          'federatedSingleFactor,hardwareOath',
          'federatedSingleFactor,sms',
          'federatedSingleFactor,voice',
        ],
      },
    ],
    [
      '00000000-0000-0000-0000-000000000003',
      {
        displayName: 'Passwordless MFA',
        combinations: ['windowsHelloForBusiness', 'fido2', 'x509CertificateMultiFactor', 'deviceBasedPush'],
      },
    ],
    [
      '00000000-0000-0000-0000-000000000004',
      {
        displayName: 'Phishing-resistant MFA',
        combinations: ['windowsHelloForBusiness', 'fido2', 'x509CertificateMultiFactor'],
      },
    ],
  ]);

/** `password, sms` and `sms,password` are the same combination: sorted, no spaces, lower case. */
function normaliseCombination(c: string): string {
  return c
    .split(',')
    .map((m) => m.trim().toLowerCase())
    .filter((m) => m !== '')
    .sort()
    .join(',');
}

/** What the policy's grant controls ask for. */
export function requirementOf(policy: ConditionalAccessPolicy): ImpactRequirement {
  const controls = policy.builtInControls.map((c) => c.toLowerCase());
  const operator = policy.grantOperator;
  const strength = policy.authenticationStrength ?? idOnly(policy.authenticationStrengthId);
  // `block` wins over everything: the user cannot get in, whatever they registered.
  if (controls.includes('block')) return { kind: 'none', controls: policy.builtInControls };
  const otherControls = policy.builtInControls.filter((c) => c.toLowerCase() !== 'mfa');
  if (strength !== undefined) {
    const builtIn = BUILT_IN_STRENGTHS.get(strength.id.toLowerCase());
    const fromPolicy = strength.allowedCombinations;
    const combinations =
      fromPolicy !== undefined && fromPolicy.length > 0 ? fromPolicy : (builtIn?.combinations ?? []);
    return {
      kind: 'strength',
      id: strength.id,
      displayName: strength.displayName ?? builtIn?.displayName ?? null,
      allowedCombinations: [...new Set(combinations.map(normaliseCombination))],
      combinationsFrom:
        fromPolicy !== undefined && fromPolicy.length > 0
          ? 'policy'
          : builtIn !== undefined
            ? 'built-in'
            : 'unknown',
      ...(operator !== undefined ? { operator } : {}),
      otherControls,
    };
  }
  if (controls.includes('mfa'))
    return { kind: 'mfa', ...(operator !== undefined ? { operator } : {}), otherControls };
  return { kind: 'none', controls: policy.builtInControls };
}

function idOnly(id: string | undefined): ConditionalAccessPolicy['authenticationStrength'] {
  return id === undefined ? undefined : { id };
}

/**
 * The combinations a lasting method of this kind can complete, with a password (or a federated first
 * factor) where it is a second factor. Method modes: https://learn.microsoft.com/graph/api/resources/authenticationmethodmodes.
 * Kinds with no mode here (platform credentials, external methods, QR code + PIN, email) are not
 * matched: the user is then `unknown` rather than judged by a table that does not know the method.
 */
const COMBINATIONS_OF_KIND: Partial<Record<MethodKind, readonly string[]>> = {
  microsoftAuthenticator: [
    'password,microsoftAuthenticatorPush',
    'federatedSingleFactor,microsoftAuthenticatorPush',
  ],
  passwordlessMicrosoftAuthenticator: ['deviceBasedPush'],
  phone: ['password,sms', 'password,voice', 'federatedSingleFactor,sms', 'federatedSingleFactor,voice'],
  fido2: ['fido2'],
  windowsHelloForBusiness: ['windowsHelloForBusiness'],
  softwareOath: ['password,softwareOath', 'federatedSingleFactor,softwareOath'],
  hardwareOath: ['password,hardwareOath', 'federatedSingleFactor,hardwareOath'],
};

/** Kinds that prove nothing for a strength on their own and need no table entry. */
const NOT_LASTING: ReadonlySet<MethodKind> = new Set(['password', 'temporaryAccessPass', 'email']);

export interface StrengthMatch {
  /** The first allowed combination one of the usable methods completes. */
  satisfiedBy?: { kind: MethodKind; combination: string };
  /** Usable kinds this table cannot place: they might satisfy the strength. */
  unmapped: MethodKind[];
}

/** Whether any of the user's usable method kinds completes one of the strength's combinations. */
export function matchStrength(usableKinds: readonly MethodKind[], allowed: readonly string[]): StrengthMatch {
  const allowedSet = new Set(allowed);
  const unmapped: MethodKind[] = [];
  for (const kind of usableKinds) {
    const combos = COMBINATIONS_OF_KIND[kind];
    if (combos === undefined) {
      if (!NOT_LASTING.has(kind) && !unmapped.includes(kind)) unmapped.push(kind);
      continue;
    }
    for (const c of combos) {
      const n = normaliseCombination(c);
      if (allowedSet.has(n)) return { satisfiedBy: { kind, combination: n }, unmapped };
    }
  }
  return { unmapped };
}

/**
 * Modes a user with no method can register when the sign-in interrupts them: combined registration's
 * interrupt offers Microsoft Authenticator and a phone
 * (https://learn.microsoft.com/entra/identity/authentication/concept-registration-mfa-sspr-combined).
 * A strength that allows none of them (passwordless, phishing-resistant) needs the method registered
 * beforehand (https://learn.microsoft.com/entra/identity/authentication/concept-authentication-strength-how-it-works).
 */
const INLINE_REGISTRABLE = ['password,microsoftAuthenticatorPush', 'password,sms', 'password,voice'].map(
  normaliseCombination,
);

export function allowsInlineRegistration(allowed: readonly string[]): boolean {
  return INLINE_REGISTRABLE.some((c) => allowed.includes(c));
}
