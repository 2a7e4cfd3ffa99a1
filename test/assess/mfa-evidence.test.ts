import { describe, expect, it } from 'vitest';
import { mfaResultOutcome, signInMethodKind } from '../../src/assess/mfa-result.js';
import { signInFacts } from '../../src/assess/sign-in-facts.js';
import { normaliseDomain, normaliseSignIn } from '../../src/load/schemas.js';
import { MFA_RESULT_DETAILS } from '../../src/domain/mfa-result-details.js';
import type { SignIn } from '../../src/domain/tenant.js';
import { evidenceText } from '../../src/report/evidence-messages.js';
import {
  ago,
  authenticator,
  codes,
  domain,
  methodsMap,
  password,
  phone,
  row,
  run,
  snapshot,
  user,
  userOf,
} from './builders.js';

/**
 * What a sign-in proves about MFA, on records shaped as GET /beta/auditLogs/signIns returns them
 * (https://learn.microsoft.com/graph/api/resources/signin?view=graph-rest-beta), read through the
 * export normaliser as `audit` reads them.
 */

const PAT = { id: '0f1e2d3c-4b5a-4968-8776-655443322110', upn: 'pat@contoso.com' };
const RILEY = { id: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', upn: 'riley@fabrikam.com' };

interface Step {
  authenticationMethod: string;
  authenticationMethodDetail?: string | null;
  succeeded: boolean;
  authenticationStepResultDetail: string;
  authenticationStepRequirement: string;
}

/** A beta sign-in record as Graph writes it (the fields mfa-ready reads, and a few it does not). */
function betaRecord(
  id: string,
  at: string,
  who: { id: string; upn: string },
  over: {
    status?: { errorCode: number; failureReason?: string; additionalDetails?: string | null } | null;
    steps?: Step[] | null;
    tokenIssuerType?: string;
    requirementProvider?: string;
  } = {},
): Record<string, unknown> {
  const record: Record<string, unknown> = {
    id,
    createdDateTime: at,
    userDisplayName: who.upn.split('@')[0],
    userPrincipalName: who.upn,
    userId: who.id,
    appId: '00000003-0000-0ff1-ce00-000000000000',
    appDisplayName: 'Office 365 SharePoint Online',
    ipAddress: '198.51.100.23',
    clientAppUsed: 'Browser',
    conditionalAccessStatus: 'notApplied',
    isInteractive: true,
    tokenIssuerType: over.tokenIssuerType ?? 'AzureAD',
    tokenIssuerName: '',
    authenticationRequirement: 'multiFactorAuthentication',
    authenticationRequirementPolicies: [
      { requirementProvider: over.requirementProvider ?? 'user', detail: 'Per-user MFA' },
    ],
    signInEventTypes: ['interactiveUser'],
    authenticationMethodsUsed: [],
    status:
      over.status === undefined
        ? { errorCode: 0, failureReason: 'Other.', additionalDetails: null }
        : over.status,
    authenticationDetails: over.steps === undefined ? [] : over.steps,
  };
  if (over.status === null) delete record['status'];
  if (over.steps === null) delete record['authenticationDetails'];
  return record;
}

const PASSWORD_STEP: Step = {
  authenticationMethod: 'Password',
  authenticationMethodDetail: 'Password in the cloud',
  succeeded: true,
  authenticationStepResultDetail: 'Correct password',
  authenticationStepRequirement: 'Primary authentication',
};

function step(
  method: string,
  detail: string,
  succeeded = true,
  requirement = 'Multifactor authentication',
): Step {
  return {
    authenticationMethod: method,
    authenticationMethodDetail: null,
    succeeded,
    authenticationStepResultDetail: detail,
    authenticationStepRequirement: requirement,
  };
}

function read(raw: Record<string, unknown>, index = 0): SignIn {
  return normaliseSignIn(raw, { file: 'signIns.json', index });
}

/**
 * A user with nothing but sign-ins: no methods list, and a report row, refreshed ten days ago (before
 * every sign-in here), that says not registered. A sign-in that proves MFA makes this user ready.
 */
function signInsOnly(who: { id: string; upn: string }, signIns: SignIn[], extra = {}) {
  return snapshot({
    users: [user(who.id, who.upn)],
    registration: [
      row(who.id, who.upn, {
        isMfaRegistered: false,
        isMfaCapable: false,
        methodsRegistered: [],
        lastUpdatedDateTime: ago(60 * 24 * 10),
      }),
    ],
    signIns,
    ...extra,
  });
}

describe('the table of MFA result details', () => {
  it('classifies every documented detail, as the log words it, whatever the case and trailing punctuation', () => {
    expect(mfaResultOutcome('MFA successfully completed')).toBe('done-now');
    expect(mfaResultOutcome('mfa completed in azure ad.')).toBe('done-now');
    expect(mfaResultOutcome('MFA requirement satisfied by claim in the token')).toBe('done-earlier');
    expect(mfaResultOutcome('MFA requirement skipped due to remembered device')).toBe('done-earlier');
    expect(mfaResultOutcome('MFA requirement satisfied by claim provided by external provider;')).toBe(
      'done-by-federated-claim',
    );
    expect(mfaResultOutcome('MFA requirement skipped due to IP address')).toBe('skipped');
    expect(mfaResultOutcome('MFA requirement skipped due to location')).toBe('skipped');
    expect(mfaResultOutcome('MFA denied; user declined the authentication')).toBe('failed');
    expect(mfaResultOutcome('MFA denied; user did not respond to mobile app notification')).toBe('failed');
    // A whole family by its lead: any skip or denial, even one the table does not list.
    expect(
      mfaResultOutcome(
        'MFA requirement skipped due to ADFS-issued InsideCorpNet claim; tenant was configured to skip MFA if this claim is present',
      ),
    ).toBe('skipped');
    expect(mfaResultOutcome('MFA denied; Phone App Reported Fraud')).toBe('failed');
    for (const d of MFA_RESULT_DETAILS) {
      expect(mfaResultOutcome(d.detail), d.detail).toBe(d.outcome);
      expect(d.source).toMatch(/^https:\/\/learn\.microsoft\.com\//);
    }
  });

  it('knows no proof by lead or by likeness: an unknown text is unknown', () => {
    expect(mfaResultOutcome('MFA requirement satisfied by external authentication method')).toBeUndefined();
    expect(mfaResultOutcome('MFA successfully completed by magic')).toBeUndefined();
    expect(mfaResultOutcome('MFA completed')).toBeUndefined();
  });

  it('maps the log’s method names to method kinds, and names it does not know to unknown', () => {
    expect(signInMethodKind('Passwordless phone sign-in')).toBe('passwordlessMicrosoftAuthenticator');
    expect(signInMethodKind('Microsoft Authenticator (passwordless)')).toBe(
      'passwordlessMicrosoftAuthenticator',
    );
    expect(signInMethodKind('Mobile app notification')).toBe('microsoftAuthenticator');
    expect(signInMethodKind('Mobile app verification code')).toBe('microsoftAuthenticator');
    expect(signInMethodKind('Windows Hello for Business')).toBe('windowsHelloForBusiness');
    expect(signInMethodKind('FIDO2 security key')).toBe('fido2');
    expect(signInMethodKind('Passkey (device-bound)')).toBe('fido2');
    expect(signInMethodKind('Temporary Access Pass')).toBe('temporaryAccessPass');
    expect(signInMethodKind('Text message')).toBe('phone');
    expect(signInMethodKind('Voice call')).toBe('phone');
    expect(signInMethodKind('Phone call')).toBe('phone');
    expect(signInMethodKind('OATH verification code')).toBe('softwareOath');
    expect(signInMethodKind('Certificate-based authentication')).toBe('unknown');
    expect(signInMethodKind('previously satisfied')).toBe('previouslySatisfied');
    expect(signInMethodKind('Claim in access token')).toBe('previouslySatisfied');
    expect(signInMethodKind('Carrier pigeon')).toBe('unknown');
  });
});

describe('a requirement is not an outcome', () => {
  // A per-user-MFA sign-in from a trusted IP: MFA was required, and Entra skipped it.
  const trustedIp = betaRecord('si-trusted-ip', ago(60 * 24 * 2), PAT, {
    steps: [
      PASSWORD_STEP,
      step(
        'Previously satisfied',
        'MFA requirement skipped due to IP address',
        true,
        'Multifactor authentication',
      ),
    ],
    status: {
      errorCode: 0,
      failureReason: 'Other.',
      additionalDetails: 'MFA requirement skipped due to IP address',
    },
  });

  it('does not take a per-user-MFA sign-in skipped by a trusted IP for proof', () => {
    const facts = signInFacts(read(trustedIp));
    expect(facts?.mfa).toBeUndefined();
    expect(facts?.mfaSkipped).toBe('MFA requirement skipped due to IP address');
  });

  it('does not make its user ready on that alone, and says why', () => {
    const pat = userOf(run(signInsOnly(PAT, [read(trustedIp)])), PAT.upn);
    expect(pat.verdict).toBe('not-registered');
    expect(pat.confidence).toBeNull();
    const skipped = pat.evidence.find((e) => e.code === 'mfa-requirement-skipped');
    expect(skipped).toMatchObject({
      ref: 'si-trusted-ip',
      fields: { detail: 'MFA requirement skipped due to IP address', count: 1 },
    });
    expect(evidenceText(skipped!)).toContain('MFA was required at Office 365 SharePoint Online but skipped');
    expect(codes(pat)).not.toContain('mfa-sign-in');
  });

  it('does not raise a ready user to proven', () => {
    const a = run(
      snapshot({
        users: [user(PAT.id, PAT.upn)],
        methods: methodsMap({ [PAT.id]: [password(), phone('mobile')] }),
        signIns: [read(trustedIp)],
      }),
    );
    expect(userOf(a, PAT.upn)).toMatchObject({ verdict: 'ready', confidence: 'reported' });
  });

  it('proves MFA by a done-now step with a registrable method, and cites the detail and the kind', () => {
    const done = betaRecord('si-done', ago(60 * 24), PAT, {
      steps: [PASSWORD_STEP, step('Mobile app notification', 'MFA successfully completed')],
    });
    const pat = userOf(run(signInsOnly(PAT, [read(done)])), PAT.upn);
    expect(pat).toMatchObject({ verdict: 'ready', confidence: 'proven' });
    const cited = pat.evidence.find((e) => e.code === 'mfa-sign-in');
    expect(cited?.fields).toMatchObject({
      resultDetail: 'MFA successfully completed',
      methodKinds: ['microsoftAuthenticator'],
      proves: true,
    });
    expect(evidenceText(cited!)).toContain('with Mobile app notification [Microsoft Authenticator]');
  });

  it('never takes a failed step, or an abridged sign-in without status and steps, for proof', () => {
    const denied = betaRecord('si-denied', ago(60), PAT, {
      status: {
        errorCode: 500121,
        failureReason: 'Authentication failed during strong authentication request.',
      },
      steps: [PASSWORD_STEP, step('Mobile app notification', 'MFA successfully completed', false)],
    });
    expect(signInFacts(read(denied))).toBeUndefined();
    // $select left out status and authenticationDetails: only the requirement is left.
    const abridged = betaRecord('si-abridged', ago(60), PAT, { status: null, steps: null });
    expect(read(abridged)).toMatchObject({
      errorCode: 0,
      authenticationRequirement: 'multiFactorAuthentication',
    });
    expect(signInFacts(read(abridged))).toBeUndefined();
    const pat = userOf(run(signInsOnly(PAT, [read(denied), read(abridged)])), PAT.upn);
    expect(pat.verdict).toBe('not-registered');
  });

  it('never takes a Temporary Access Pass sign-in for proof of a registered method', () => {
    const tapSignIn = betaRecord('si-tap', ago(60 * 5), PAT, {
      steps: [
        step(
          'Temporary Access Pass',
          'MFA requirement satisfied by strong authentication',
          true,
          'Primary authentication',
        ),
      ],
    });
    expect(signInFacts(read(tapSignIn))?.mfa).toMatchObject({
      kind: 'direct',
      methods: ['Temporary Access Pass'],
    });
    const pat = userOf(run(signInsOnly(PAT, [read(tapSignIn)])), PAT.upn);
    expect(pat.verdict).toBe('not-registered');
    const cited = pat.evidence.find((e) => e.code === 'mfa-sign-in');
    expect(cited?.fields).toMatchObject({ methodKinds: ['temporaryAccessPass'], proves: false });
    expect(evidenceText(cited!)).toContain('a Temporary Access Pass, which proves no registered method');
    // Nor does it make a ready user proven.
    const withPhone = run(
      snapshot({
        users: [user(PAT.id, PAT.upn)],
        methods: methodsMap({ [PAT.id]: [password(), phone('mobile')] }),
        signIns: [read(tapSignIn)],
      }),
    );
    expect(userOf(withPhone, PAT.upn).confidence).toBe('reported');
  });

  it('takes an unknown result detail for no proof, and counts it', () => {
    const odd = betaRecord('si-odd', ago(60 * 3), PAT, {
      steps: [
        PASSWORD_STEP,
        step('Mobile app notification', 'MFA requirement satisfied by a future feature'),
      ],
    });
    const odd2 = { ...odd, id: 'si-odd-2', createdDateTime: ago(60 * 2) };
    expect(signInFacts(read(odd))).toMatchObject({
      unknownMfaDetail: 'MFA requirement satisfied by a future feature',
    });
    expect(signInFacts(read(odd))?.mfa).toBeUndefined();
    const a = run(signInsOnly(PAT, [read(odd), read(odd2, 1)]));
    expect(userOf(a, PAT.upn).verdict).toBe('not-registered');
    expect(a.coverage.unknownMfaResultDetails).toEqual({
      'MFA requirement satisfied by a future feature': 2,
    });
    // A known proof in the same sign-in wins, and nothing is counted.
    const both = betaRecord('si-both', ago(60), PAT, {
      steps: [
        PASSWORD_STEP,
        step('Mobile app notification', 'MFA requirement satisfied by a future feature'),
        step('Mobile app notification', 'MFA successfully completed'),
      ],
    });
    const b = run(signInsOnly(PAT, [read(both)]));
    expect(userOf(b, PAT.upn)).toMatchObject({ verdict: 'ready', confidence: 'proven' });
    expect(b.coverage.unknownMfaResultDetails).toBeUndefined();
  });
});

describe('MFA satisfied by a claim', () => {
  const claimStep = step('Previously satisfied', 'MFA requirement satisfied by claim in the token');
  const federatedPrimary: Step = {
    authenticationMethod: 'Password',
    authenticationMethodDetail: 'Password in AD FS',
    succeeded: true,
    authenticationStepResultDetail: 'First factor requirement satisfied by claim in the token',
    authenticationStepRequirement: 'Primary authentication',
  };
  const adfs = betaRecord('si-adfs', ago(60 * 24 * 4), RILEY, {
    tokenIssuerType: 'ADFederationServices',
    requirementProvider: 'multiConditionalAccess',
    steps: [federatedPrimary, claimStep],
    status: {
      errorCode: 0,
      failureReason: 'Other.',
      additionalDetails: 'MFA requirement satisfied by claim in the token',
    },
  });

  it('makes a user with no Entra method ready and proven when the token came from a federated IdP, without domains.json', () => {
    const riley = userOf(run(signInsOnly(RILEY, [read(adfs)])), RILEY.upn);
    expect(riley).toMatchObject({ verdict: 'ready', confidence: 'proven' });
    const cited = riley.evidence.find((e) => e.code === 'mfa-satisfied-by-claim');
    expect(cited?.fields).toMatchObject({ federation: 'issuer', tokenIssuerType: 'ADFederationServices' });
    expect(evidenceText(cited!)).toContain(
      'done at the federated IdP that issued the token (ADFederationServices)',
    );
  });

  it('is not proof when the domain rejects MFA done by its federated IdP', () => {
    const federation = normaliseDomain(
      {
        id: 'fabrikam.com',
        authenticationType: 'Federated',
        isVerified: true,
        isDefault: false,
        federationConfiguration: [
          {
            '@odata.type': '#microsoft.graph.internalDomainFederation',
            id: '6601d14b-d113-8f64-fda2-9b5ddda18ecc',
            displayName: 'Fabrikam AD FS',
            issuerUri: 'http://adfs.fabrikam.com/adfs/services/trust',
            preferredAuthenticationProtocol: 'wsFed',
            federatedIdpMfaBehavior: 'rejectMfaByFederatedIdp',
          },
        ],
      },
      { file: 'domains.json', index: 0 },
    );
    expect(federation.federatedIdpMfaBehavior).toBe('rejectMfaByFederatedIdp');
    const riley = userOf(run(signInsOnly(RILEY, [read(adfs)], { domains: [federation] })), RILEY.upn);
    expect(riley.verdict).toBe('not-registered');
    const cited = riley.evidence.find((e) => e.code === 'mfa-satisfied-by-claim');
    expect(evidenceText(cited!)).toContain('rejectMfaByFederatedIdp');
    // Accepted (the default, or said so on the entry): ready and proven by the domain.
    const accepting = { ...federation, federatedIdpMfaBehavior: 'acceptIfMfaDoneByFederatedIdp' };
    expect(userOf(run(signInsOnly(RILEY, [read(adfs)], { domains: [accepting] })), RILEY.upn)).toMatchObject({
      verdict: 'ready',
      confidence: 'proven',
    });
  });

  it('proves only what the earlier sign-in proved in a managed domain: never ready on its own', () => {
    const managed = betaRecord('si-session', ago(60 * 24), PAT, { steps: [PASSWORD_STEP, claimStep] });
    const alone = userOf(
      run(signInsOnly(PAT, [read(managed)], { domains: [domain('contoso.com', 'Managed')] })),
      PAT.upn,
    );
    expect(alone.verdict).toBe('not-registered');
    // Without domains.json too: the token came from Entra itself.
    expect(userOf(run(signInsOnly(PAT, [read(managed)])), PAT.upn).verdict).toBe('not-registered');
    // A user ready by a registered method: the claim says MFA was done before, not now.
    const ready = run(
      snapshot({
        users: [user(PAT.id, PAT.upn)],
        methods: methodsMap({ [PAT.id]: [password(), authenticator('dev-1')] }),
        signIns: [read(managed)],
      }),
    );
    expect(userOf(ready, PAT.upn)).toMatchObject({ verdict: 'ready', confidence: 'registered' });
  });

  it('does not take an old AD FS token for proof once domains.json lists the domain as managed', () => {
    const riley = userOf(
      run(signInsOnly(RILEY, [read(adfs)], { domains: [domain('fabrikam.com', 'Managed')] })),
      RILEY.upn,
    );
    expect(riley.verdict).toBe('not-registered');
  });

  it('reads how MFA was satisfied from the steps, which the status does not overrule', () => {
    const mixed = {
      ...adfs,
      id: 'si-mixed',
      status: { errorCode: 0, failureReason: 'Other.', additionalDetails: 'MFA completed in Azure AD' },
    };
    expect(signInFacts(read(mixed))?.mfa).toEqual({
      kind: 'claim',
      detail: 'MFA requirement satisfied by claim in the token',
    });
  });

  it('keeps AzureADBackupAuth as Entra’s own issuer', () => {
    const backup = { ...adfs, id: 'si-backup', tokenIssuerType: 'AzureADBackupAuth' };
    expect(userOf(run(signInsOnly(RILEY, [read(backup)])), RILEY.upn).verdict).toBe('not-registered');
  });
});
