/* eslint-disable no-control-regex -- these tests look for control characters on purpose. */
import { describe, expect, it } from 'vitest';
import { renderTable } from '../../src/report/table.js';
import { displayWidth } from '../../src/report/text-width.js';
import { action, assessment, coverage, evidence, sampleUsers, user } from './builder.js';

const ANSI = /\x1b/;

/** The order in which `upns` first appear in `text`. */
function order(text: string, upns: string[]): string[] {
  return [...upns].sort((a, b) => text.indexOf(a) - text.indexOf(b));
}

describe('renderTable', () => {
  const a = assessment(sampleUsers());

  it('writes no escape sequence at all without colour, and colours when asked', () => {
    expect(renderTable(a, { color: false })).not.toMatch(ANSI);
    expect(renderTable(a, { color: false, width: 60 })).not.toMatch(ANSI);
    expect(renderTable(a, { color: true })).toMatch(ANSI);
  });

  it('opens with the tenant, the time and the report refresh', () => {
    const text = renderTable(a, { color: false });
    expect(text.split('\n')[0]).toContain('Contoso University');
    expect(text).toContain('generated 2025-05-01 10:00:00 UTC');
    expect(text).toContain('registration report refreshed 2025-05-01 02:00:00 UTC (8 h before)');
  });

  it('lists missing datasets and what they cost', () => {
    const partial = assessment(sampleUsers(), { coverage: { ...coverage(['signIns', 'audits']) } });
    const text = renderTable(partial, { color: false, width: 160 });
    expect(text).toContain('sign-ins (signIns.json)');
    expect(text).toContain('no ready verdict can be "proven"');
    expect(text).toContain('directory audits (directoryAudits.json)');
    expect(text).toContain('registration report refresh time unknown');
    expect(renderTable(a, { color: false })).not.toContain('Missing data');
  });

  it('computes % ready among enabled members in scope, leaving excluded users out', () => {
    const users = [
      user({ verdict: 'ready' }),
      user({ verdict: 'ready' }),
      user({ verdict: 'ready' }),
      user({ verdict: 'not-registered', confidence: null, action: action('register-strong-method') }),
      user({ verdict: 'excluded', confidence: null, exclusion: 'disabled' }),
      user({ verdict: 'excluded', confidence: null, exclusion: 'guest' }),
      user({ verdict: 'excluded', confidence: null, exclusion: 'excluded-group' }),
      user({ verdict: 'excluded', confidence: null, exclusion: 'excluded-user' }),
    ];
    const text = renderTable(assessment(users), { color: false });
    expect(text).toContain('75.0% ready: 3 of 4 enabled members in scope (4 excluded users not counted)');
  });

  it('never shows 100% while someone is not ready, and copes with nobody in scope', () => {
    const many = [
      ...Array.from({ length: 2000 }, () => user()),
      user({ verdict: 'not-registered', confidence: null }),
    ];
    expect(renderTable(assessment(many), { color: false })).toContain('99.9% ready');
    const none = [user({ verdict: 'excluded', confidence: null, exclusion: 'disabled' })];
    expect(renderTable(assessment(none), { color: false })).toContain('n/a ready: 0 of 0');
  });

  it('lists the users who need action worst first, admins first within a verdict', () => {
    const users = [
      user({ userPrincipalName: 'nr@x', verdict: 'not-registered', confidence: null }),
      user({ userPrincipalName: 'pb@x', verdict: 'policy-blocked', confidence: null }),
      user({ userPrincipalName: 'unv@x', verdict: 'unverified', confidence: null }),
      user({ userPrincipalName: 'risk@x', verdict: 'loop-risk', confidence: null }),
      user({ userPrincipalName: 'aloop@x', verdict: 'looping', confidence: null }),
      user({ userPrincipalName: 'zadmin-loop@x', verdict: 'looping', confidence: null, isAdmin: true }),
      user({ userPrincipalName: 'ready@x' }),
      user({ userPrincipalName: 'gone@x', verdict: 'excluded', confidence: null, exclusion: 'disabled' }),
    ];
    for (const width of [120, 60]) {
      const text = renderTable(assessment(users), { color: false, width });
      const listed = text.slice(text.indexOf('Users who need action'));
      expect(order(listed, ['nr@x', 'pb@x', 'unv@x', 'risk@x', 'aloop@x', 'zadmin-loop@x'])).toEqual([
        'zadmin-loop@x',
        'aloop@x',
        'risk@x',
        'unv@x',
        'pb@x',
        'nr@x',
      ]);
      expect(listed).not.toContain('ready@x');
      expect(listed).not.toContain('gone@x');
    }
  });

  it('calls out admins who are not ready', () => {
    const text = renderTable(a, { color: false });
    expect(text).toMatch(/Admins not ready: 1: user\d+@contoso\.edu \(looping now\)/);
  });

  it('shows the one-line reason and the next action for each listed user', () => {
    const text = renderTable(a, { color: false, width: 160 });
    expect(text).toContain('Registration loop: 4');
    expect(text).toContain('MFA_ProofUpBypass');
    expect(text).toContain('enable Microsoft Authenticator');
  });

  it('honours the limit and says how many more there are', () => {
    const text = renderTable(a, { color: false, limit: 2 });
    expect(text).toContain('Users who need action: 5, worst first');
    expect(text).toContain('… and 3 more');
  });

  it('says so when nobody needs action', () => {
    expect(renderTable(assessment([user()]), { color: false })).toContain('No user needs action');
  });

  it('neutralises control characters in tenant strings', () => {
    const evil = user({
      verdict: 'not-registered',
      confidence: null,
      userPrincipalName: 'mallory\x1b[2J@contoso.edu',
      displayName: 'Mallory\x1b]0;pwned\x07\rAdmin\u202e',
      isAdmin: true,
      evidence: [evidence('excluded-by-group-option', { fields: { groupId: 'g-1', groupName: 'G\x1b[5m' } })],
    });
    const tenant = { displayName: 'Contoso\x1b[31m\r', tenantId: 't' };
    for (const width of [120, 60]) {
      const text = renderTable(assessment([evil], { tenant }), { color: false, width });
      expect(text).not.toMatch(/[\x1b\x07\r\u202e]/);
      expect(text).toContain('mallory\\x1b[2J@contoso.edu');
    }
    // With colour on, the only escapes are our own SGR colour codes.
    const coloured = renderTable(assessment([evil], { tenant }), { color: true });
    expect(coloured.replace(/\x1b\[[0-9;]*m/g, '')).not.toMatch(/[\x1b\x07\r]/);
  });

  it('keeps Graph paths and long words whole instead of cutting them off', () => {
    const u = user({
      verdict: 'not-registered',
      confidence: null,
      userPrincipalName:
        'a.very.long.user.principal.name.for.testing@students.contoso-university.example.edu',
      action: action('collect-user-methods'),
    });
    const text = renderTable(assessment([u]), { color: false, width: 100 });
    expect(text).not.toContain('…');
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });
});

describe('renderTable layout', () => {
  it('keeps the users grid aligned with wide (CJK, emoji) and combining characters', () => {
    const users = [
      user({
        verdict: 'not-registered',
        confidence: null,
        displayName: '山田 太郎 🎓',
        userPrincipalName: '山田@contoso.jp',
      }),
      user({
        verdict: 'not-registered',
        confidence: null,
        displayName: 'Zoë Ñúñez',
        userPrincipalName: 'zoe@contoso.es',
      }),
    ];
    const text = renderTable(assessment(users), { color: true, width: 100 });
    const listed = text.slice(text.indexOf('Users who need action'));
    const grid = listed.split('\n').filter((l) => /^[┌│├└]/.test(l.replace(/\x1b\[[0-9;]*m/g, '')));
    expect(grid.length).toBeGreaterThan(4);
    const widths = new Set(grid.map((l) => displayWidth(l)));
    expect([...widths]).toHaveLength(1);
    expect([...widths][0]).toBeLessThanOrEqual(100);
  });
});
