import { describe, expect, it } from 'vitest';
import { authenticatorRow, codes, row, run, userOf } from './builders.js';
import {
  MFATEST1,
  MFATEST1_DEVICE,
  MFATEST2,
  MFATEST2_DEVICE,
  STAFF_IDP_MFA,
  STUDENT_LOOP,
  STUDENT_READY,
  STUDENT_RISK,
  incident1,
  incident2,
} from './incident-scenarios.js';

describe('incident 1: the half-finished Authenticator registration', () => {
  it('gives MFATest1 ready and MFATest2 unverified although their methods lists and report rows match', () => {
    const snap = incident1();
    // The premise: method presence cannot tell them apart.
    const strip = (id: string) => snap.methods!.get(id)!.methods.map(({ id: _id, ...rest }) => rest);
    expect(strip(MFATEST1.id)).toEqual(strip(MFATEST2.id));
    const rows = snap.registration!.map(
      ({ id: _i, userPrincipalName: _u, userDisplayName: _d, ...rest }) => rest,
    );
    expect(rows[0]).toEqual(rows[1]);

    const a = run(snap);
    const t1 = userOf(a, MFATEST1.upn);
    const t2 = userOf(a, MFATEST2.upn);
    expect(t1.verdict).toBe('ready');
    expect(t1.confidence).toBe('registered');
    expect(t2.verdict).toBe('unverified');
    expect(t2.confidence).toBeNull();
    expect(t2.methods).toContainEqual({
      id: MFATEST2_DEVICE,
      type: 'microsoftAuthenticator',
      state: 'unverified',
    });
    expect(t1.methods).toContainEqual({
      id: MFATEST1_DEVICE,
      type: 'microsoftAuthenticator',
      state: 'usable',
    });
    expect(t2.action).toEqual({
      code: 'complete-authenticator-registration',
      fields: { methodIds: [MFATEST2_DEVICE] },
    });
  });

  it('cites the StrongAuthenticationService event for MFATest2 and the completing events for MFATest1', () => {
    const a = run(incident1());
    const added = userOf(a, MFATEST2.upn).evidence.find((e) => e.code === 'authenticator-device-added');
    expect(added).toMatchObject({
      source: 'audits',
      ref: 'audit-t2-1',
      fields: { methodId: MFATEST2_DEVICE, deviceName: 'iPhone 14 Pro Max', completed: false },
    });
    const t1 = userOf(a, MFATEST1.upn);
    expect(t1.evidence.find((e) => e.code === 'authenticator-device-added')?.fields?.completed).toBe(true);
    expect(t1.evidence.find((e) => e.code === 'strong-auth-methods-set')).toMatchObject({
      ref: 'audit-t1-3',
      fields: {
        methodTypes: ['PhoneAppNotification', 'PhoneAppOTP'],
        defaultMethodType: 'PhoneAppNotification',
      },
    });
    expect(codes(t1)).toContain('security-info-registered');
  });

  it('completes MFATest2 by a later MFA sign-in with the app, and by nothing that came before the device', () => {
    const later = incident1({
      signIns: [
        {
          id: 'si-t2',
          createdDateTime: new Date(
            Date.parse(incident1().audits![4]!.activityDateTime) + 3_600_000,
          ).toISOString(),
          userId: MFATEST2.id,
          errorCode: 0,
          authenticationRequirement: 'multiFactorAuthentication',
          authenticationDetails: [
            {
              authenticationMethod: 'Mobile app notification',
              succeeded: true,
              authenticationStepResultDetail: 'MFA successfully completed',
              authenticationStepRequirement: 'MFA',
            },
          ],
        },
      ],
    });
    expect(userOf(run(later), MFATEST2.upn).verdict).toBe('ready');

    const earlier = incident1({
      signIns: [
        {
          id: 'si-t2-before',
          createdDateTime: '2025-05-01T00:00:00Z',
          userId: MFATEST2.id,
          errorCode: 0,
          authenticationRequirement: 'multiFactorAuthentication',
          authenticationDetails: [
            {
              authenticationMethod: 'Mobile app notification',
              succeeded: true,
              authenticationStepResultDetail: 'MFA successfully completed',
              authenticationStepRequirement: 'MFA',
            },
          ],
        },
      ],
    });
    expect(userOf(run(earlier), MFATEST2.upn).verdict).toBe('unverified');
  });

  it('still finds the unfinished device if the methods list and the audit log named it differently', () => {
    const snap = incident1();
    const list = snap.methods!.get(MFATEST2.id)!;
    list.methods = list.methods.map((m) =>
      m.kind === 'microsoftAuthenticator' ? { ...m, id: 'graph-side-id' } : m,
    );
    expect(userOf(run(snap), MFATEST2.upn).verdict).toBe('unverified');
  });

  it('tells them apart from the report and the audit log alone, when no methods lists were collected', () => {
    const a = run(incident1({ methods: undefined }));
    expect(userOf(a, MFATEST1.upn).verdict).toBe('ready');
    expect(userOf(a, MFATEST2.upn).verdict).toBe('unverified');
    // The report's Authenticator becomes the device the audit log names, so the action can target it.
    expect(userOf(a, MFATEST2.upn).action.fields).toEqual({ methodIds: [MFATEST2_DEVICE] });
  });

  it('tells them apart from the audit log alone for users not yet in the report or the lists', () => {
    const a = run(incident1({ methods: undefined, registration: [] }));
    expect(userOf(a, MFATEST1.upn)).toMatchObject({ verdict: 'ready', confidence: 'registered' });
    expect(userOf(a, MFATEST2.upn).verdict).toBe('unverified');
  });

  it('without audit evidence, flags an Authenticator with no default MFA method as unverified (report basis)', () => {
    const snap = incident1({
      audits: undefined,
      registration: [
        authenticatorRow(MFATEST1.id, MFATEST1.upn),
        row(MFATEST2.id, MFATEST2.upn, {
          isMfaRegistered: true,
          isMfaCapable: true,
          methodsRegistered: ['microsoftAuthenticatorPush'],
          defaultMfaMethod: 'none',
        }),
      ],
    });
    const a = run(snap);
    expect(userOf(a, MFATEST1.upn)).toMatchObject({ verdict: 'ready', confidence: 'reported' });
    const t2 = userOf(a, MFATEST2.upn);
    expect(t2.verdict).toBe('unverified');
    expect(t2.evidence.find((e) => e.code === 'report-no-default-method')).toMatchObject({
      source: 'registration',
      ref: MFATEST2.id,
      fields: { methodIds: [MFATEST2_DEVICE] },
    });
    expect(codes(t2)).not.toContain('authenticator-device-added');
  });
});

describe('incident 2: the AD FS proof-up loop', () => {
  it('finds the loop-risk student, the student looping now and the registered student', () => {
    const a = run(incident2());
    expect(userOf(a, STUDENT_RISK.upn)).toMatchObject({ verdict: 'loop-risk', confidence: null });
    expect(userOf(a, STUDENT_LOOP.upn)).toMatchObject({
      verdict: 'looping',
      action: { code: 'break-registration-loop' },
    });
    expect(userOf(a, STUDENT_READY.upn)).toMatchObject({ verdict: 'ready', confidence: 'proven' });
    expect(userOf(a, STUDENT_RISK.upn).action.code).toBe('register-before-enforcement');
  });

  it('cites the Authenticator app sign-in and every sign-in of the loop window, "Success" entries included', () => {
    const a = run(incident2());
    expect(
      userOf(a, STUDENT_RISK.upn).evidence.find((e) => e.code === 'authenticator-app-sign-in'),
    ).toMatchObject({
      source: 'signIns',
      ref: 'si-risk-app',
      fields: { isInteractive: false, errorCode: 0 },
    });
    const looping = userOf(a, STUDENT_LOOP.upn);
    const loop = looping.evidence.find((e) => e.code === 'registration-loop');
    expect(loop?.fields).toMatchObject({ count: 5, interrupts: 2, securityInfoSignIns: 3 });
    expect(loop?.ref).toBe('loop-5-4');
    expect(
      looping.evidence
        .filter((e) => e.code === 'security-info-app-sign-in')
        .every((e) => e.fields?.errorCode === 0),
    ).toBe(true);
  });

  it('makes a federated user with no Entra method ready when MFA was satisfied by a claim from the IdP', () => {
    const staff = userOf(run(incident2()), STAFF_IDP_MFA.upn);
    expect(staff).toMatchObject({ verdict: 'ready', confidence: 'proven', weak: false });
    expect(codes(staff)).toEqual(expect.arrayContaining(['federated-user', 'mfa-satisfied-by-claim']));
  });

  it('does not accept a claim as readiness for a managed user with no method', () => {
    const snap = incident2({ domains: [{ id: 'uni.example', authenticationType: 'Managed' }] });
    expect(userOf(run(snap), STAFF_IDP_MFA.upn).verdict).toBe('not-registered');
  });
});
