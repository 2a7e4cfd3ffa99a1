/* eslint-disable no-control-regex -- these tests look for control characters on purpose. */
import { describe, expect, it } from 'vitest';
import { timeline, renderUserDetail } from '../../src/report/user-detail.js';
import { evidence, sampleUsers, user } from './builder.js';

describe('timeline', () => {
  it('sorts by time, keeps ties in engine order, and puts undated evidence last', () => {
    const list = [
      evidence('report-no-default-method', { ref: 'undated-1', at: null }),
      evidence('security-info-registered', { ref: 'c', at: '2025-04-20T09:00:05Z' }),
      evidence('authenticator-device-added', { ref: 'a', at: '2025-04-20T09:00:00Z' }),
      evidence('method-listed', { ref: 'undated-2', at: null }),
      evidence('strong-auth-methods-set', { ref: 'b1', at: '2025-04-20T09:00:03Z' }),
      evidence('security-info-registration-started', { ref: 'b2', at: '2025-04-20T09:00:03Z' }),
      evidence('mfa-sign-in', { ref: 'offset', at: '2025-04-20T11:00:04+02:00' }),
    ];
    expect(timeline(list).map((e) => e.ref)).toEqual([
      'a',
      'b1',
      'b2',
      'offset',
      'c',
      'undated-1',
      'undated-2',
    ]);
  });
});

describe('renderUserDetail', () => {
  const unverified = sampleUsers().find((u) => u.verdict === 'unverified')!;

  it('shows verdict, confidence, flags, methods with states, the timeline and the next action', () => {
    const text = renderUserDetail(unverified, { color: false });
    expect(text).toContain('UNVERIFIED: an MFA method is listed but its registration was never completed');
    expect(text).toMatch(/Confidence\s+n\/a/);
    expect(text).toMatch(/Flags\s+none/);
    expect(text).toMatch(
      /Microsoft Authenticator "iPhone 14 Pro Max"\s+NOT usable: registration never completed/,
    );
    expect(text).toMatch(/Password\s+not an MFA method/);
    expect(text).toContain('Evidence timeline');
    expect(text).toContain('2025-04-20 09:00:00');
    expect(text.replace(/\s+/g, ' ')).toContain('[ref ref-authenticator-device-added]');
    expect(text).toContain('Next action');
    expect(text).toContain('microsoftAuthenticatorMethods/');
    // the dated audit event comes before the undated methods-list finding
    expect(text.indexOf('QR code scanned')).toBeLessThan(text.indexOf('Methods list:'));
  });

  it('flags admin, weak and why a user is excluded', () => {
    const text = renderUserDetail(
      user({ isAdmin: true, weak: true, verdict: 'excluded', confidence: null, exclusion: 'excluded-group' }),
      { color: false },
    );
    expect(text).toContain('admin');
    expect(text).toContain('weak: only phone (SMS/voice) methods are usable');
    expect(text).toContain('excluded: member of an --exclude-group group');
  });

  it('shows the confidence of a ready user', () => {
    expect(renderUserDetail(user({ confidence: 'registered' }), { color: false })).toContain(
      'registered: a completed registration in the audit log',
    );
  });

  it('writes no escape sequence without colour, and colours when asked', () => {
    for (const u of sampleUsers()) expect(renderUserDetail(u, { color: false })).not.toMatch(/\x1b/);
    expect(renderUserDetail(unverified, { color: true })).toMatch(/\x1b\[/);
  });

  it('neutralises control characters in the display name, UPN, ids and evidence fields', () => {
    const evil = user({
      id: 'id\x1b[1m',
      displayName: 'Mallory\x1b]0;title\x07\r\u202eAdmin',
      userPrincipalName: 'mallory\x1b[2J@contoso.edu',
      methods: [{ id: 'm\x1b[0m', type: 'phone', state: 'usable' }],
      evidence: [
        evidence('security-info-registered', {
          ref: 'r\x1b[K',
          at: 'not a date\x1b[1m',
          fields: { resultReason: 'x\x1b[31m', byAdmin: false },
        }),
      ],
    });
    for (const color of [false, true]) {
      const text = renderUserDetail(evil, { color }).replace(/\x1b\[[0-9;]*m/g, color ? '' : '\x1b');
      expect(text).not.toMatch(/[\x1b\x07\r\u202e]/);
    }
    expect(renderUserDetail(evil, { color: false })).toContain('Mallory\\x1b]0;title\\x07\\r\\u202eAdmin');
  });

  it('says so when there are no methods or no evidence', () => {
    const text = renderUserDetail(user({ methods: [], evidence: [] }), { color: false });
    expect(text).toContain('none listed');
    expect(text).toContain('no evidence recorded');
  });
});
