import { describe, expect, it } from 'vitest';
import { ACTION_CODES, EVIDENCE_CODES, VERDICTS } from '../../src/domain/verdict.js';
import { MY_SIGNINS_APP_ID } from '../../src/domain/well-known.js';
import type { EvidenceFieldsByCode, MethodState } from '../../src/domain/verdict.js';
import {
  actionBrief,
  actionText,
  confidenceLabel,
  evidenceText,
  methodStateLabel,
  reasonText,
  verdictLabel,
  verdictMeaning,
} from '../../src/report/messages.js';
import { action, BARE_FIELDS, evidence, user } from './builder.js';

const ESC = '\x1b';
/** Tenant strings as a hostile tenant could set them: terminal escapes, an OSC 8 link, a bidi override. */
const EVIL = `Evil${ESC}[31mName${ESC}]8;;http://evil${ESC}\\\u202e`;
const SIGN_IN = { appId: EVIL, errorCode: 50072, appDisplayName: EVIL, isInteractive: true };

/** Every field of every code filled in, every tenant string hostile. */
const RICH_FIELDS: EvidenceFieldsByCode = {
  'account-disabled': { accountEnabled: false },
  'guest-user': { userType: EVIL },
  'excluded-by-user-option': { userPrincipalName: EVIL, value: EVIL },
  'excluded-by-group-option': { groupId: EVIL, groupName: EVIL },
  'service-account': { kind: 'entra-cloud-sync', matched: 'displayName', value: EVIL, excluded: true },
  'federated-user': { domain: EVIL },
  'report-mfa-capable': {
    methodsRegistered: [EVIL, 'microsoftAuthenticatorPush'],
    isMfaRegistered: true,
    isMfaCapable: true,
    defaultMfaMethod: EVIL,
    lastUpdatedDateTime: EVIL,
  },
  'report-mfa-registered-not-capable': {
    methodsRegistered: [EVIL],
    isMfaRegistered: true,
    isMfaCapable: false,
    defaultMfaMethod: EVIL,
    lastUpdatedDateTime: '2025-04-01T00:00:00Z',
  },
  'report-not-registered': { methodsRegistered: [EVIL], isMfaRegistered: false, isMfaCapable: false },
  'report-missing-user': { reason: 'created-after-report', createdDateTime: EVIL, reportRefreshedAt: EVIL },
  'report-stale': {
    lastUpdatedDateTime: EVIL,
    newerAt: EVIL,
    newerEvidence: EVIL,
    newerEventId: EVIL,
    newerEvents: 3,
  },
  'report-no-default-method': {
    methodIds: [EVIL],
    methodTypes: ['microsoftAuthenticator'],
    defaultMfaMethod: EVIL,
    userPreferredMethodForSecondaryAuthentication: EVIL,
    noDefault: true,
  },
  'method-listed': {
    methodId: EVIL,
    methodType: 'unknown',
    odataType: EVIL,
    displayName: EVIL,
    deviceTag: EVIL,
    phoneAppVersion: EVIL,
    phoneType: EVIL,
    state: 'unknown',
  },
  'methods-list-missing': { inventory: 'audits' },
  'tap-usable': {
    methodId: EVIL,
    startDateTime: EVIL,
    endDateTime: EVIL,
    lifetimeInMinutes: 60,
    isUsableOnce: true,
  },
  'authenticator-device-added': {
    methodId: EVIL,
    deviceName: EVIL,
    deviceTag: EVIL,
    phoneAppVersion: EVIL,
    initiatedBy: EVIL,
    completed: false,
    removed: true,
  },
  'strong-auth-methods-set': { methodTypes: [EVIL], previousMethodTypes: [EVIL], defaultMethodType: EVIL },
  'security-info-registration-started': { resultReason: EVIL, methodType: 'phone' },
  'security-info-registered': { resultReason: EVIL, methodType: 'fido2', byAdmin: true, allRequired: true },
  'security-info-registration-cancelled': { resultReason: EVIL, methodType: 'microsoftAuthenticator' },
  'security-info-deleted': { resultReason: EVIL, methodType: 'phone', byAdmin: false },
  'security-info-registration-failed': {
    activity: EVIL,
    result: 'failure',
    resultReason: EVIL,
    methodType: 'microsoftAuthenticator',
    byAdmin: true,
  },
  'security-info-default-changed': { resultReason: EVIL, methodType: 'phone', byAdmin: false },
  'security-info-unknown-reason': { activity: EVIL, resultReason: EVIL, methodType: 'fido2' },
  'mfa-sign-in': {
    ...SIGN_IN,
    count: 4,
    withinRetention: true,
    tokenIssuerType: EVIL,
    authenticationMethod: EVIL,
  },
  'mfa-satisfied-by-claim': {
    ...SIGN_IN,
    count: 2,
    withinRetention: false,
    tokenIssuerType: EVIL,
    detail: EVIL,
    federation: 'issuer',
  },
  'authenticator-app-sign-in': { ...SIGN_IN, count: 2 },
  'registration-interrupt': SIGN_IN,
  'security-info-app-sign-in': SIGN_IN,
  'registration-loop': {
    count: 4,
    firstAt: EVIL,
    lastAt: EVIL,
    signInIds: [EVIL],
    interrupts: 2,
    securityInfoSignIns: 2,
  },
  'policy-not-migrated': { policyMigrationState: EVIL },
  'policy-method-disabled': { configurationId: EVIL, methodId: EVIL, methodType: 'phone' },
  'policy-user-not-targeted': {
    configurationId: EVIL,
    includeTargets: [EVIL],
    includeGroupNames: [EVIL],
    methodId: EVIL,
    methodType: 'phone',
  },
  'policy-user-excluded': {
    configurationId: EVIL,
    groupId: EVIL,
    groupName: EVIL,
    methodId: EVIL,
    methodType: 'phone',
  },
  'policy-membership-unknown': {
    configurationId: EVIL,
    groupId: EVIL,
    groupName: EVIL,
    targetKind: 'exclude',
  },
  'weak-phone-only': { methodIds: [EVIL] },
  'admin-role': {},
  'mfa-requirement-skipped': { ...SIGN_IN, count: 2, detail: EVIL },
  'mfa-satisfied-earlier': {
    ...SIGN_IN,
    count: 2,
    withinRetention: true,
    tokenIssuerType: EVIL,
    detail: EVIL,
  },
};

describe('evidenceText', () => {
  it.each(EVIDENCE_CODES)('renders %s with only the fields it always has', (code) => {
    const text = evidenceText(evidence(code));
    expect(text.trim().length).toBeGreaterThan(10);
    expect(text).not.toMatch(/undefined|null|\[object/);
  });

  it.each(EVIDENCE_CODES)(
    'renders %s with every field, escaping control characters from the tenant',
    (code) => {
      const text = evidenceText(evidence(code, { fields: RICH_FIELDS[code] }));
      expect(text.trim().length).toBeGreaterThan(10);
      expect(text).not.toContain(ESC);
      expect(text).not.toContain('\u202e');
      expect(text).not.toMatch(/undefined|\[object/);
    },
  );

  it('uses the fields it knows', () => {
    const interrupt = { ...BARE_FIELDS['registration-interrupt'], appDisplayName: 'Outlook' };
    expect(evidenceText(evidence('registration-interrupt', { fields: interrupt }))).toContain(
      'Outlook (error 50072) interrupted',
    );
    expect(
      evidenceText(evidence('security-info-app-sign-in', { fields: { appId: null, errorCode: 0 } })),
    ).toBe(`Sign-in: My Signins (${MY_SIGNINS_APP_ID}) (succeeded), the security info registration page`);
    expect(
      evidenceText(
        evidence('strong-auth-methods-set', {
          fields: {
            methodTypes: ['6', '7'],
            previousMethodTypes: ['OneWaySMS'],
            defaultMethodType: 'PhoneAppNotification',
          },
        }),
      ),
    ).toBe(
      'Audit: StrongAuthenticationMethod set to PhoneAppNotification, PhoneAppOTP (default PhoneAppNotification), was OneWaySMS',
    );
    expect(
      evidenceText(
        evidence('policy-method-disabled', {
          fields: { configurationId: 'Sms', methodId: 'phone-1', methodType: 'phone' },
        }),
      ),
    ).toBe('Authentication methods policy: SMS is disabled (Phone (SMS/voice))');
    expect(evidenceText(evidence('registration-loop'))).toBe(
      'Registration loop: 3 registration sign-ins within 10 min, the last at 2025-05-01 09:10:00 UTC, and no security info registered since',
    );
  });

  it('names the group by its id when its name is unknown', () => {
    expect(evidenceText(evidence('policy-user-excluded'))).toBe(
      'Authentication methods policy: user is excluded from SMS by 7b1d2c3e-0000-4000-8000-0000000000cc',
    );
    const named = { ...BARE_FIELDS['policy-user-excluded'], groupName: 'No-SMS' };
    expect(evidenceText(evidence('policy-user-excluded', { fields: named }))).toContain('by No-SMS');
  });
});

describe('actionText and actionBrief', () => {
  const shapes = [
    user(),
    user({ verdict: 'excluded', exclusion: 'guest' }),
    user({ verdict: 'unverified', methods: [] }),
    user({ displayName: `x${ESC}[2J`, userPrincipalName: `bad${ESC}[2J@contoso.edu` }),
  ];
  for (const code of ACTION_CODES) {
    it.each(shapes.map((u, i) => [i, u] as const))(`renders ${code} for user shape %i`, (_i, u) => {
      const text = actionText(action(code), u);
      const brief = actionBrief(action(code), u);
      expect(text.trim().length).toBeGreaterThan(3);
      expect(brief.trim().length).toBeGreaterThan(3);
      expect(text).not.toContain(ESC);
      expect(brief).not.toContain(ESC);
      expect(text).not.toMatch(/undefined|\[object/);
    });
  }

  it('tells how to remove a half-registered Authenticator, with the Graph call and where to re-register', () => {
    const u = user({
      id: 'u-1',
      userPrincipalName: 'mfatest2@contoso.edu',
      verdict: 'unverified',
      methods: [{ id: 'auth-1', type: 'microsoftAuthenticator', state: 'unverified' }],
      evidence: [
        evidence('authenticator-device-added', {
          fields: { methodId: 'auth-1', deviceName: 'iPhone 14 Pro Max', completed: false },
        }),
      ],
    });
    const text = actionText(action('complete-authenticator-registration', { methodIds: ['auth-1'] }), u);
    expect(text).toContain('DELETE /users/u-1/authentication/microsoftAuthenticatorMethods/auth-1');
    expect(text).toContain('Entra admin center › Users › mfatest2@contoso.edu › Authentication methods');
    expect(text).toContain('https://aka.ms/mysecurityinfo');
    expect(text).toContain('approving the test notification');
    expect(text).toContain('"iPhone 14 Pro Max"');
  });

  it('breaks a loop with the bypass group and a one-time TAP, and says to remove the bypass', () => {
    const text = actionText(action('break-registration-loop', { tapUsable: false }), user({ id: 'u-2' }));
    expect(text).toContain('MFA_ProofUpBypass');
    expect(text).toContain('Temporary Access Pass');
    expect(text).toContain('POST /users/u-2/authentication/temporaryAccessPassMethods');
    expect(text).toContain('remove from bypass once registration is verified');
    const withTap = user({
      id: 'u-3',
      evidence: [
        evidence('tap-usable', {
          source: 'methods',
          fields: { methodId: 'tap-1', endDateTime: '2025-05-02T10:00:00Z', isUsableOnce: true },
        }),
      ],
    });
    expect(actionText(action('break-registration-loop', { tapUsable: true }), withTap)).toContain(
      'have the user sign in with their usable Temporary Access Pass (valid until 2025-05-02 10:00:00 UTC)',
    );
    expect(actionBrief(action('break-registration-loop', { tapUsable: true }), withTap)).toContain(
      'their usable TAP',
    );
  });

  it('names the method configuration and the groups a policy-blocked user needs', () => {
    const u = user({
      verdict: 'policy-blocked',
      evidence: [
        evidence('policy-method-disabled', { source: 'methodsPolicy' }),
        evidence('policy-user-not-targeted', {
          source: 'methodsPolicy',
          fields: { ...BARE_FIELDS['policy-user-not-targeted'], includeGroupNames: ['MFA-Pilot'] },
        }),
        evidence('policy-user-excluded', {
          source: 'methodsPolicy',
          fields: { ...BARE_FIELDS['policy-user-excluded'], groupName: 'No-SMS' },
        }),
      ],
    });
    const allow = action('allow-method-in-policy', {
      configurationIds: ['Fido2', 'MicrosoftAuthenticator', 'Sms'],
    });
    const text = actionText(allow, u);
    expect(text).toContain(
      'enable Passkey (FIDO2) (Entra admin center › Protection › Authentication methods › Policies › Passkey (FIDO2)',
    );
    expect(text).toContain('include group (MFA-Pilot) of Microsoft Authenticator');
    expect(text).toContain('remove the user from No-SMS');
    expect(actionBrief(allow, u)).toContain('enable Passkey (FIDO2)');
  });

  it('names the configurations of the action when no finding says more', () => {
    const allow = action('allow-method-in-policy', { configurationIds: ['Fido2', 'Sms'] });
    expect(actionBrief(allow, user({ verdict: 'policy-blocked' }))).toBe(
      'Authentication methods policy: enable Passkey (FIDO2), SMS for the user',
    );
  });

  it('tells a user with a usable TAP to sign in with it and register', () => {
    const u = user({
      evidence: [
        evidence('tap-usable', {
          source: 'methods',
          fields: { methodId: 'tap-1', endDateTime: '2025-05-02T10:00:00Z' },
        }),
      ],
    });
    const text = actionText(action('register-with-tap'), u);
    expect(text).toContain(
      'sign in with their usable Temporary Access Pass (valid until 2025-05-02 10:00:00 UTC)',
    );
    expect(text).toContain('register');
  });
});

describe('labels', () => {
  it('has words for every verdict, confidence and method state', () => {
    for (const v of VERDICTS) {
      expect(verdictLabel(v)).not.toBe('');
      expect(verdictMeaning(v)).not.toBe('');
    }
    for (const c of ['proven', 'registered', 'reported', null] as const)
      expect(confidenceLabel(c)).not.toBe('');
    const states: MethodState[] = ['usable', 'unverified', 'policy-blocked', 'not-mfa', 'unknown'];
    for (const s of states) expect(methodStateLabel(s)).not.toBe('');
  });
});

describe('reasonText', () => {
  it('picks the most telling evidence for the verdict, not the first recorded', () => {
    const u = user({
      verdict: 'looping',
      evidence: [
        evidence('admin-role', { source: 'registration' }),
        evidence('registration-interrupt', { source: 'signIns', at: '2025-05-01T09:00:00Z' }),
        evidence('registration-loop', {
          source: 'signIns',
          at: '2025-05-01T09:10:00Z',
          fields: { ...BARE_FIELDS['registration-loop'], count: 5 },
        }),
      ],
    });
    expect(reasonText(u)).toContain('Registration loop: 5');
  });

  it('never gives a flag as the reason, and falls back to what the verdict means', () => {
    const u = user({
      verdict: 'not-registered',
      evidence: [evidence('admin-role', { source: 'registration' })],
    });
    expect(reasonText(u)).toBe(verdictMeaning('not-registered'));
  });

  it("with the report clock, a sign-in or audit finding older than Entra's 30-day logs says its age", () => {
    const loopRisk = (at: string, source: 'signIns' | 'methods' = 'signIns') =>
      user({ verdict: 'loop-risk', evidence: [evidence('authenticator-app-sign-in', { source, at })] });
    const now = '2025-06-15T12:00:00Z';
    const old = reasonText(loopRisk('2025-04-30T11:00:00Z'), now);
    expect(old).toBe(`${reasonText(loopRisk('2025-04-30T11:00:00Z'))} (46 days ago)`);
    // Exactly 30 days is still within the logs; a day more is not.
    expect(reasonText(loopRisk('2025-05-16T12:00:00Z'), now)).not.toContain('ago');
    expect(reasonText(loopRisk('2025-05-15T11:00:00Z'), now)).toContain('(31 days ago)');
    // Not log evidence (kept by Entra as long as the method exists), no clock, or no time: no age.
    expect(reasonText(loopRisk('2025-04-30T11:00:00Z', 'methods'), now)).not.toContain('ago');
    expect(reasonText(loopRisk('2025-04-30T11:00:00Z'))).not.toContain('ago');
  });
});
