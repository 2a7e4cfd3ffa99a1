import { describe, expect, it } from 'vitest';
import { ACTION_CODES, EVIDENCE_CODES, VERDICTS } from '../../src/domain/verdict.js';
import type { Evidence, MethodState } from '../../src/domain/verdict.js';
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
import { evidence, user } from './builder.js';

const ESC = '\x1b';

/** Fields a rule might plausibly attach, under the names the messages look for, some hostile. */
const richFields: NonNullable<Evidence['fields']> = {
  methodId: 'm-1',
  methodTypes: ['microsoftAuthenticator', '6', 'PhoneAppOTP'],
  displayName: `Evil${ESC}[31mPhone`,
  appDisplayName: 'My Signins',
  errorCode: 50072,
  reason: 'User registered Authenticator App with Notification and Code',
  count: 4,
  firstAt: '2025-05-01T09:00:00Z',
  lastAt: '2025-05-01T09:10:00Z',
  configurationId: 'MicrosoftAuthenticator',
  groupName: `Students${ESC}]8;;http://evil${ESC}\\`,
  policyMigrationState: 'migrationInProgress',
  lastUpdatedDateTime: '2025-04-01T00:00:00Z',
  startDateTime: '2025-05-01T08:00:00Z',
  lifetimeInMinutes: 60,
  isUsableOnce: true,
  domain: 'contoso.edu',
};

describe('evidenceText', () => {
  it.each(EVIDENCE_CODES)('renders %s without any fields', (code) => {
    const text = evidenceText({ code, source: 'audits', ref: 'r', at: null });
    expect(text.trim().length).toBeGreaterThan(10);
    expect(text).not.toMatch(/undefined|null|\[object/);
  });

  it.each(EVIDENCE_CODES)('renders %s with fields, escaping control characters from the tenant', (code) => {
    const text = evidenceText({ code, source: 'audits', ref: 'r', at: null, fields: richFields });
    expect(text.trim().length).toBeGreaterThan(10);
    expect(text).not.toContain(ESC);
    expect(text).not.toMatch(/undefined|\[object/);
  });

  it('uses the fields it knows', () => {
    expect(
      evidenceText(
        evidence('registration-interrupt', { fields: { appDisplayName: 'Outlook', errorCode: 50072 } }),
      ),
    ).toContain('Outlook (error 50072)');
    expect(
      evidenceText(evidence('strong-auth-methods-set', { fields: { methodTypes: ['6', '7'] } })),
    ).toContain('PhoneAppNotification, PhoneAppOTP');
    expect(
      evidenceText(evidence('policy-method-disabled', { fields: { configurationId: 'Sms' } })),
    ).toContain('Authentication methods policy: SMS is disabled');
    expect(evidenceText(evidence('registration-loop', { fields: { count: '3' } }))).toContain(
      '3 registration sign-ins',
    );
  });

  it('tolerates fields of unexpected types', () => {
    const odd = {
      code: 'tap-usable',
      source: 'methods',
      ref: 'r',
      at: null,
      fields: { lifetimeInMinutes: 'soon', isUsableOnce: 'maybe', startDateTime: null },
    } as const;
    expect(evidenceText(odd)).toBe('Usable Temporary Access Pass: can bootstrap registration');
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
      const text = actionText({ code }, u);
      const brief = actionBrief({ code }, u);
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
          fields: { methodId: 'auth-1', deviceName: 'iPhone 14 Pro Max' },
        }),
      ],
    });
    const text = actionText({ code: 'complete-authenticator-registration' }, u);
    expect(text).toContain('DELETE /users/u-1/authentication/microsoftAuthenticatorMethods/auth-1');
    expect(text).toContain('Entra admin center › Users › mfatest2@contoso.edu › Authentication methods');
    expect(text).toContain('https://aka.ms/mysecurityinfo');
    expect(text).toContain('approving the test notification');
    expect(text).toContain('"iPhone 14 Pro Max"');
  });

  it('breaks a loop with the bypass group and a one-time TAP, and says to remove the bypass', () => {
    const text = actionText({ code: 'break-registration-loop' }, user({ id: 'u-2' }));
    expect(text).toContain('MFA_ProofUpBypass');
    expect(text).toContain('Temporary Access Pass');
    expect(text).toContain('POST /users/u-2/authentication/temporaryAccessPassMethods');
    expect(text).toContain('remove from bypass once registration is verified');
    expect(
      actionText({ code: 'break-registration-loop', fields: { bypassGroup: 'SG-Bypass' } }, user()),
    ).toContain('SG-Bypass');
  });

  it('names the method configuration and the groups a policy-blocked user needs', () => {
    const u = user({
      verdict: 'policy-blocked',
      evidence: [
        evidence('policy-method-disabled', { source: 'methodsPolicy', fields: { configurationId: 'Fido2' } }),
        evidence('policy-user-not-targeted', {
          source: 'methodsPolicy',
          fields: { configurationId: 'MicrosoftAuthenticator', includeGroupNames: ['MFA-Pilot'] },
        }),
        evidence('policy-user-excluded', {
          source: 'methodsPolicy',
          fields: { configurationId: 'Sms', groupName: 'No-SMS' },
        }),
      ],
    });
    const text = actionText({ code: 'allow-method-in-policy' }, u);
    expect(text).toContain(
      'enable Passkey (FIDO2) (Entra admin center › Protection › Authentication methods › Policies › Passkey (FIDO2)',
    );
    expect(text).toContain('include group (MFA-Pilot) of Microsoft Authenticator');
    expect(text).toContain('remove the user from No-SMS');
    expect(actionBrief({ code: 'allow-method-in-policy' }, u)).toContain('enable Passkey (FIDO2)');
  });

  it('tells a user with a usable TAP to sign in with it and register', () => {
    const u = user({
      evidence: [
        evidence('tap-usable', { source: 'methods', fields: { endDateTime: '2025-05-02T10:00:00Z' } }),
      ],
    });
    const text = actionText({ code: 'register-with-tap' }, u);
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
          fields: { count: 5 },
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
});
