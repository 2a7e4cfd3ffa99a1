import { describe, expect, it } from 'vitest';
import {
  ago,
  authenticatorRow,
  codes,
  methodsMap,
  password,
  phone,
  row,
  run,
  securityInfo,
  snapshot,
  strongAuthMethodUpdate,
  user,
  userOf,
} from './builders.js';

const DAN = { id: 'dddddddd-1111-4000-8000-000000000001', upn: 'dan@contoso.com' };
const REPORT_AT = ago(6 * 60);

describe('the registration report lags and can be stale', () => {
  it('loses to a later "User deleted security info": the deleted method is gone', () => {
    const snap = snapshot({
      users: [user(DAN.id, DAN.upn)],
      registration: [authenticatorRow(DAN.id, DAN.upn, { lastUpdatedDateTime: REPORT_AT })],
      audits: [
        securityInfo('del-1', ago(60), DAN, 'User deleted security info', 'User deleted Authenticator App'),
      ],
    });
    const dan = userOf(run(snap), DAN.upn);
    expect(dan.verdict).toBe('not-registered');
    expect(dan.evidence.find((e) => e.code === 'report-stale')).toMatchObject({
      source: 'registration',
      ref: DAN.id,
      at: ago(60),
      fields: { lastUpdatedDateTime: REPORT_AT, newerAt: ago(60), newerEventId: 'del-1', newerEvents: 1 },
    });
    expect(dan.evidence.find((e) => e.code === 'security-info-deleted')).toMatchObject({
      ref: 'del-1',
      fields: { methodType: 'microsoftAuthenticator' },
    });
  });

  it('keeps a deletion the report already reflects from removing anything (no report-stale either)', () => {
    const snap = snapshot({
      users: [user(DAN.id, DAN.upn)],
      registration: [authenticatorRow(DAN.id, DAN.upn, { lastUpdatedDateTime: REPORT_AT })],
      audits: [securityInfo('del-0', ago(7 * 60), DAN, 'User deleted security info', 'User deleted Phone')],
    });
    const dan = userOf(run(snap), DAN.upn);
    expect(dan.verdict).toBe('ready');
    expect(codes(dan)).not.toContain('report-stale');
  });

  it('loses to the current methods list', () => {
    const snap = snapshot({
      users: [user(DAN.id, DAN.upn)],
      registration: [authenticatorRow(DAN.id, DAN.upn)],
      methods: methodsMap({ [DAN.id]: [password()] }),
    });
    const dan = userOf(run(snap), DAN.upn);
    expect(dan.verdict).toBe('not-registered');
    expect(dan.methods).toEqual([
      { id: '28c10230-6103-485e-b985-444c60001490', type: 'password', state: 'not-mfa' },
    ]);
  });

  it('is amended by a later completed registration: "not registered" in the report, ready by the audit log', () => {
    const snap = snapshot({
      users: [user(DAN.id, DAN.upn)],
      registration: [row(DAN.id, DAN.upn, { lastUpdatedDateTime: REPORT_AT })],
      audits: [
        strongAuthMethodUpdate('sam-1', ago(50), DAN, [], [{ MethodType: 1, Default: true }]),
        securityInfo('reg-1', ago(50), DAN, 'User registered security info', 'User registered Phone'),
      ],
    });
    const dan = userOf(run(snap), DAN.upn);
    expect(dan).toMatchObject({ verdict: 'ready', confidence: 'registered', weak: true });
    expect(dan.methods).toEqual([{ id: 'reg-1', type: 'phone', state: 'usable' }]);
    expect(codes(dan)).toContain('report-stale');
  });

  it('treats a StrongAuthenticationMethod cleared after the report as the phone methods removed', () => {
    const snap = snapshot({
      users: [user(DAN.id, DAN.upn)],
      registration: [
        row(DAN.id, DAN.upn, {
          isMfaRegistered: true,
          isMfaCapable: true,
          methodsRegistered: ['mobilePhone'],
          defaultMfaMethod: 'mobilePhone',
          lastUpdatedDateTime: REPORT_AT,
        }),
      ],
      audits: [strongAuthMethodUpdate('sam-clear', ago(30), DAN, [{ MethodType: 1, Default: true }], [])],
    });
    expect(userOf(run(snap), DAN.upn).verdict).toBe('not-registered');
  });

  it('leaves report methods in doubt after a deletion that names no method', () => {
    const snap = snapshot({
      users: [user(DAN.id, DAN.upn)],
      registration: [authenticatorRow(DAN.id, DAN.upn, { lastUpdatedDateTime: REPORT_AT })],
      audits: [securityInfo('del-x', ago(30), DAN, 'User deleted security info', '')],
    });
    const dan = userOf(run(snap), DAN.upn);
    expect(dan.methods.every((m) => m.state === 'unknown')).toBe(true);
    expect(dan.verdict).toBe('not-registered');
  });

  it('is beaten by the methods list even when it is fresh', () => {
    const snap = snapshot({
      users: [user(DAN.id, DAN.upn)],
      registration: [row(DAN.id, DAN.upn, { lastUpdatedDateTime: ago(1) })],
      methods: methodsMap({ [DAN.id]: [password(), phone()] }),
    });
    expect(userOf(run(snap), DAN.upn)).toMatchObject({
      verdict: 'ready',
      confidence: 'reported',
      weak: true,
    });
  });
});
