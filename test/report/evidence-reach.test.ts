/** How far back each kind of evidence reaches, as the report header and the collect summary say it. */
import { describe, expect, it } from 'vitest';
import { evidenceReach } from '../../src/report/evidence-reach.js';

const AT = '2026-11-20T09:00:00Z';

describe('evidenceReach', () => {
  it('says each window the collector recorded, in days and since when', () => {
    expect(
      evidenceReach({
        collectedAt: AT,
        windows: {
          signIns: '2026-11-13T09:00:00Z',
          appSignIns: '2026-10-21T09:00:00Z',
          audits: '2026-11-01T00:00:00Z',
        },
        signIns: { present: true, rows: 40 },
        audits: { present: true, rows: 3 },
      }),
    ).toBe(
      'sign-ins: MFA evidence 7 days (since 2026-11-13 09:00 UTC), Authenticator app and My Signins 30 days ' +
        '(since 2026-10-21 09:00 UTC); directory audits 19 days (since 2026-11-01 00:00 UTC)',
    );
  });

  it('one sign-in window when --signin-days covered the apps too (30 days)', () => {
    expect(
      evidenceReach({
        collectedAt: AT,
        windows: { signIns: '2026-10-21T09:00:00Z', appSignIns: '2026-10-21T09:00:00Z' },
        signIns: { present: true, rows: 1 },
      }),
    ).toBe('sign-ins: 30 days (since 2026-10-21 09:00 UTC), the Authenticator app and My Signins included');
  });

  it('without a recorded window, the span actually read, never an assumed window', () => {
    expect(
      evidenceReach({
        collectedAt: AT,
        signIns: {
          present: true,
          rows: 2,
          oldest: '2026-11-02T10:00:00.000Z',
          newest: '2026-11-19T17:30:00.000Z',
        },
        audits: { present: true, rows: 0 },
      }),
    ).toBe(
      'sign-ins in the file from 2026-11-02 10:00 UTC to 2026-11-19 17:30 UTC (no collection window recorded); ' +
        'directory audits: none in the file',
    );
  });

  it('says nothing of datasets that were not read', () => {
    expect(
      evidenceReach({
        collectedAt: AT,
        windows: { signIns: '2026-11-13T09:00:00Z' },
        signIns: { present: false, rows: 0 },
      }),
    ).toBeUndefined();
  });
});
