/**
 * The two incidents of test/fixtures/incidents as TenantSnapshots (the export folders in test/fixtures/incidents
 * hold the same facts as raw Graph JSON).
 */
import type { TenantSnapshot } from '../../src/domain/tenant.js';
import {
  ago,
  authenticator,
  authenticatorAppSignIn,
  authenticatorRow,
  claimSignIn,
  deviceJson,
  domain,
  group,
  interrupt,
  methodsMap,
  mySignInsSignIn,
  password,
  phoneAppDetailUpdate,
  policy,
  row,
  securityInfo,
  snapshot,
  strongAuthMethodUpdate,
  user,
} from './builders.js';
import type { Target } from './builders.js';

export const MFATEST1: Target = { id: '5f0e4d2a-1c3b-4e6f-9a8b-7c6d5e4f3a21', upn: 'MFATest1@contoso.com' };
export const MFATEST2: Target = { id: '8b7a6c5d-4e3f-4a2b-9c1d-0e9f8a7b6c54', upn: 'MFATest2@contoso.com' };
export const MFATEST1_DEVICE = 'a1b2c3d4-0001-4f00-8000-00000000aa01';
export const MFATEST2_DEVICE = 'a1b2c3d4-0002-4f00-8000-00000000aa02';

/** The four events MFATest1 produced within one minute (test/fixtures/incidents/incident-1). */
export function mfaTest1Events(startMinutesAgo: number) {
  const t = (s: number) => new Date(Date.parse(ago(startMinutesAgo)) + s * 1000).toISOString();
  return [
    phoneAppDetailUpdate('audit-t1-1', t(0), MFATEST1, [], [deviceJson(MFATEST1_DEVICE)]),
    securityInfo(
      'audit-t1-2',
      t(5),
      MFATEST1,
      'User started security info registration',
      'User started the registration for Authenticator App with Notification and Code',
    ),
    strongAuthMethodUpdate(
      'audit-t1-3',
      t(40),
      MFATEST1,
      [],
      [
        { MethodType: 6, Default: true },
        { MethodType: 7, Default: false },
      ],
    ),
    securityInfo(
      'audit-t1-4',
      t(42),
      MFATEST1,
      'User registered security info',
      'User registered Authenticator App with Notification and Code',
    ),
  ];
}

/** MFATest2: only the StrongAuthenticationService's `Update user`: the QR code was scanned, nothing after. */
export function mfaTest2Events(startMinutesAgo: number) {
  return [
    phoneAppDetailUpdate('audit-t2-1', ago(startMinutesAgo), MFATEST2, [], [deviceJson(MFATEST2_DEVICE)]),
  ];
}

/**
 * Incident 1. Both users' methods lists and report rows say the same thing; only the audit log
 * tells them apart.
 */
export function incident1(over: Partial<Omit<TenantSnapshot, 'tenant' | 'coverage'>> = {}): TenantSnapshot {
  return snapshot({
    users: [user(MFATEST1.id, MFATEST1.upn), user(MFATEST2.id, MFATEST2.upn)],
    registration: [authenticatorRow(MFATEST1.id, MFATEST1.upn), authenticatorRow(MFATEST2.id, MFATEST2.upn)],
    methods: methodsMap({
      [MFATEST1.id]: [password(), authenticator(MFATEST1_DEVICE)],
      [MFATEST2.id]: [password(), authenticator(MFATEST2_DEVICE)],
    }),
    audits: [...mfaTest1Events(3 * 24 * 60), ...mfaTest2Events(3 * 24 * 60 - 10)],
    signIns: [],
    methodsPolicy: policy(),
    ...over,
  });
}

export const STUDENT_RISK: Target = { id: 'c0a80001-0000-4000-8000-000000000001', upn: 's1001@uni.example' };
export const STUDENT_LOOP: Target = { id: 'c0a80001-0000-4000-8000-000000000002', upn: 's1002@uni.example' };
export const STUDENT_READY: Target = { id: 'c0a80001-0000-4000-8000-000000000003', upn: 's1003@uni.example' };
export const STAFF_IDP_MFA: Target = {
  id: 'c0a80001-0000-4000-8000-000000000004',
  upn: 'lecturer@uni.example',
};
export const MFA_REQUIRED = 'f1000000-0000-4000-8000-00000000000a';
export const MFA_BYPASS = 'f1000000-0000-4000-8000-00000000000b';
export const STUDENT_READY_DEVICE = 'd3000000-0000-4000-8000-000000000003';

/**
 * Incident 2: a hybrid university (AD FS, synced groups MFA_Required and MFA_ProofUpBypass).
 * One student signed into the Authenticator app but never registered (loop-risk), one is caught in the
 * loop right now, one completed registration and does MFA through AD FS (claim from the external
 * provider), and a lecturer does MFA at AD FS with no Entra method at all.
 */
export function incident2(over: Partial<Omit<TenantSnapshot, 'tenant' | 'coverage'>> = {}): TenantSnapshot {
  const sync = { onPremisesSyncEnabled: true };
  const students = [STUDENT_RISK, STUDENT_LOOP, STUDENT_READY];
  const loop = (n: number, minutes: number) => `loop-${n}-${minutes}`;
  return snapshot({
    users: [...students, STAFF_IDP_MFA].map((s) => user(s.id, s.upn, sync)),
    registration: [
      row(STUDENT_RISK.id, STUDENT_RISK.upn),
      row(STUDENT_LOOP.id, STUDENT_LOOP.upn),
      authenticatorRow(STUDENT_READY.id, STUDENT_READY.upn),
      row(STAFF_IDP_MFA.id, STAFF_IDP_MFA.upn),
    ],
    methods: methodsMap({
      [STUDENT_RISK.id]: [password()],
      [STUDENT_LOOP.id]: [password()],
      [STUDENT_READY.id]: [password(), authenticator(STUDENT_READY_DEVICE, { displayName: 'Pixel 8' })],
      [STAFF_IDP_MFA.id]: [password()],
    }),
    groups: [
      group(
        MFA_REQUIRED,
        'MFA_Required',
        [...students, STAFF_IDP_MFA].map((s) => s.id),
        sync,
      ),
      group(MFA_BYPASS, 'MFA_ProofUpBypass', [STUDENT_RISK.id], sync),
    ],
    domains: [domain('uni.example', 'Federated'), domain('uniexample.onmicrosoft.com', 'Managed')],
    audits: [
      phoneAppDetailUpdate(
        'audit-s3-1',
        ago(9 * 24 * 60),
        STUDENT_READY,
        [],
        [deviceJson(STUDENT_READY_DEVICE, { DeviceName: 'Pixel 8' })],
      ),
      strongAuthMethodUpdate(
        'audit-s3-2',
        ago(9 * 24 * 60 - 1),
        STUDENT_READY,
        [],
        [
          { MethodType: 'PhoneAppNotification', Default: true },
          { MethodType: 'PhoneAppOTP', Default: false },
        ],
      ),
      securityInfo(
        'audit-s3-3',
        ago(9 * 24 * 60 - 1),
        STUDENT_READY,
        'User registered security info',
        'User registered Authenticator App with Notification and Code',
      ),
    ],
    signIns: [
      authenticatorAppSignIn('si-risk-app', ago(12 * 24 * 60), STUDENT_RISK),
      authenticatorAppSignIn('si-loop-app', ago(20 * 24 * 60), STUDENT_LOOP),
      mySignInsSignIn(loop(1, 14), ago(74), STUDENT_LOOP),
      interrupt(loop(2, 13), ago(73), STUDENT_LOOP, 50079),
      mySignInsSignIn(loop(3, 9), ago(69), STUDENT_LOOP),
      interrupt(loop(4, 8), ago(68), STUDENT_LOOP, 50079),
      mySignInsSignIn(loop(5, 4), ago(64), STUDENT_LOOP),
      claimSignIn(
        'si-ready-mfa',
        ago(2 * 24 * 60),
        STUDENT_READY,
        'MFA requirement satisfied by claim provided by external provider',
      ),
      claimSignIn(
        'si-staff-mfa',
        ago(3 * 24 * 60),
        STAFF_IDP_MFA,
        'MFA requirement satisfied by claim provided by external provider',
      ),
    ],
    methodsPolicy: policy(),
    ...over,
  });
}
