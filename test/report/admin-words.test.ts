import { describe, expect, it } from 'vitest';
import { LOSS_CODES } from '../../src/collect/live/index.js';
import { ACTION_CODES, EVIDENCE_CODES } from '../../src/domain/verdict.js';
import { lossText } from '../../src/report/collect-words.js';
import { renderJson } from '../../src/report/json.js';
import { actionBrief, actionText, evidenceText } from '../../src/report/messages.js';
import { renderTable } from '../../src/report/table.js';
import { renderUserDetail } from '../../src/report/user-detail.js';
import { action, assessment, evidence, user } from './builder.js';

/** A policy-blocked user as the engine records one: the methods policy's configuration ids in the fields. */
function blockedUser() {
  return user({
    verdict: 'policy-blocked',
    confidence: null,
    evidence: [
      evidence('report-mfa-registered-not-capable', {
        source: 'registration',
        fields: {
          methodsRegistered: ['microsoftAuthenticatorPush', 'softwareOneTimePasscode', 'mobilePhone'],
        },
      }),
      evidence('policy-method-disabled', {
        source: 'methodsPolicy',
        ref: 'SoftwareOath',
        fields: { configurationId: 'SoftwareOath', methodType: 'softwareOath' },
      }),
      evidence('policy-user-not-targeted', {
        source: 'methodsPolicy',
        ref: 'MicrosoftAuthenticator',
        fields: {
          configurationId: 'MicrosoftAuthenticator',
          includeTargets: ['0b7e2c1a-5d4f-4e3b-9a8c-1f2e3d4c5b6a'],
          includeGroupNames: ['SG-Authenticator-Pilot'],
          methodType: 'microsoftAuthenticator',
        },
      }),
      evidence('policy-user-excluded', {
        source: 'methodsPolicy',
        ref: 'Fido2',
        fields: { configurationId: 'Fido2', groupName: 'SG-No-Passkeys', methodType: 'fido2' },
      }),
    ],
    action: {
      code: 'allow-method-in-policy',
      fields: { configurationIds: ['SoftwareOath', 'MicrosoftAuthenticator', 'Fido2'] },
    },
  });
}

const INTERNAL_IDS =
  /\b(MicrosoftAuthenticator|SoftwareOath|Fido2|TemporaryAccessPass|microsoftAuthenticatorPush|softwareOneTimePasscode)\b/;

describe('messages speak the portal’s words, not Graph ids', () => {
  it('names policy method configurations as the Entra admin center lists them', () => {
    const u = blockedUser();
    const [, disabled, notTargeted, excluded] = u.evidence;
    expect(evidenceText(disabled!)).toBe(
      'Authentication methods policy: Third-party software OATH tokens is disabled (Software OATH token)',
    );
    expect(evidenceText(notTargeted!)).toBe(
      'Authentication methods policy: Microsoft Authenticator is not enabled for this user (include targets: SG-Authenticator-Pilot)',
    );
    expect(evidenceText(excluded!)).toBe(
      'Authentication methods policy: user is excluded from Passkey (FIDO2) by SG-No-Passkeys',
    );
    expect(
      evidenceText(
        evidence('policy-method-disabled', { fields: { configurationId: 'TemporaryAccessPass' } }),
      ),
    ).toContain('Temporary Access Pass is disabled');
  });

  it('says where to click, with the portal names, in the full action and the brief', () => {
    const u = blockedUser();
    const full = actionText(u.action, u);
    expect(full).toContain(
      'enable Third-party software OATH tokens (Entra admin center › Protection › Authentication methods › Policies › Third-party software OATH tokens › Enable and target)',
    );
    expect(full).toContain(
      'add the user to an include group (SG-Authenticator-Pilot) of Microsoft Authenticator',
    );
    expect(full).toContain('remove the user from SG-No-Passkeys, which Passkey (FIDO2) excludes');
    const brief = actionBrief(u.action, u);
    expect(brief).toMatch(/^Authentication methods policy: enable Third-party software OATH tokens; /);
    for (const text of [full, brief]) expect(text).not.toMatch(INTERNAL_IDS);
  });

  it("names the registration report's methods as the report does", () => {
    const u = blockedUser();
    expect(evidenceText(u.evidence[0]!)).toContain(
      '(Microsoft Authenticator (notification), Software OATH token (verification code), Mobile phone (SMS/voice))',
    );
  });

  it('keeps an id it has no name for, rather than dropping it', () => {
    const e = evidence('policy-method-disabled', { fields: { configurationId: 'SomeFutureMethod' } });
    expect(evidenceText(e)).toBe(
      'Authentication methods policy: SomeFutureMethod is disabled (FIDO2 security key / passkey)',
    );
  });

  it('shows no Graph id in the table or the drill-down, while the JSON keeps the ids', () => {
    const u = blockedUser();
    const a = assessment([u]);
    expect(renderTable(a, { color: false, width: 160 })).not.toMatch(INTERNAL_IDS);
    const detail = renderUserDetail(u, { color: false, width: 200 });
    // The drill-down's [ref …] tags and method ids are Graph's own, for cross-checking: only the prose counts.
    expect(detail.replace(/\[ref [^\]]*\]/g, '')).not.toMatch(INTERNAL_IDS);
    const json = renderJson(a);
    expect(json).toContain('"configurationId": "MicrosoftAuthenticator"');
    expect(json).toContain('"SoftwareOath"');
  });
});

describe('no message refers to internal case names', () => {
  it('no evidence, action or collection-loss text mentions an "incident"', () => {
    const texts: string[] = [];
    for (const code of EVIDENCE_CODES) texts.push(evidenceText(evidence(code)));
    const u = user({ verdict: 'not-registered', confidence: null });
    for (const code of ACTION_CODES) {
      texts.push(actionText(action(code), u), actionBrief(action(code), u));
    }
    for (const code of LOSS_CODES) texts.push(lossText(code));
    expect(texts.length).toBeGreaterThan(EVIDENCE_CODES.length);
    for (const t of texts) expect(t).not.toMatch(/incident/i);
  });
});
