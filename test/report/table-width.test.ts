import { describe, expect, it } from 'vitest';
import { terminalWidth } from '../../src/cli/output.js';
import { wrap } from '../../src/report/format.js';
import { actionBrief, reasonText, verdictLabel } from '../../src/report/messages.js';
import { renderTable } from '../../src/report/table.js';
import { renderUserDetail } from '../../src/report/user-detail.js';
import { displayWidth, stripSgr } from '../../src/report/text-width.js';
import type { UserAssessment } from '../../src/domain/verdict.js';
import { action, assessment, evidence, sampleUsers, user } from './builder.js';

/** Users with the long words real tenants have: long UPNs, CJK and emoji names, long group names. */
function realisticUsers(): UserAssessment[] {
  return [
    ...sampleUsers(),
    user({
      verdict: 'not-registered',
      confidence: null,
      userPrincipalName: 'alexandra.konstantinopoulou-vanderbilt@students.contoso-university.example.edu',
      displayName: 'Alexandra Konstantinopoulou-Vanderbilt',
      action: action('collect-user-methods'),
    }),
    user({
      verdict: 'policy-blocked',
      confidence: null,
      userPrincipalName: '山田太郎@contoso.jp',
      displayName: '山田 太郎 🎓',
      evidence: [
        evidence('policy-user-excluded', {
          fields: {
            configurationId: 'MicrosoftAuthenticator',
            groupName: 'SG-Students-Authenticator-Exclusions-Autumn-Term-2026',
          },
        }),
      ],
      action: { code: 'allow-method-in-policy', fields: { configurationIds: ['MicrosoftAuthenticator'] } },
    }),
  ];
}

/** Whitespace carries no content once text is wrapped: compare what is left. */
const squash = (s: string) => s.replace(/\s+/g, '');

/**
 * The users grid read back: for each row, each column's text with its lines joined. Wrapping only ever
 * drops spaces, so a cell's squashed text must equal the squashed source text.
 */
function gridCells(text: string): string[][] {
  const rows: string[][] = [];
  let current: string[] | undefined;
  const listed = text.slice(text.indexOf('Users who need action'));
  for (const raw of listed.split('\n')) {
    const line = stripSgr(raw);
    if (/^[┌├└]/.test(line)) {
      if (current !== undefined) rows.push(current);
      current = /^[┌└]/.test(line) ? undefined : [];
      continue;
    }
    if (!line.startsWith('│') || current === undefined) {
      if (line.startsWith('│') && current === undefined) current = [];
      else continue;
    }
    const cells = line.slice(1, -1).split('│');
    cells.forEach((cell, i) => (current![i] = `${current![i] ?? ''}${cell}`));
  }
  // The first block is the heading row.
  return rows.slice(1).map((r) => r.map(squash));
}

describe('the table fits the width it is given', () => {
  const users = realisticUsers();
  const a = assessment(users);
  const needing = users.filter((u) => u.verdict !== 'ready' && u.verdict !== 'excluded');

  for (const width of [80, 100, 160]) {
    it(`at ${width} columns no line is wider, colour or not`, () => {
      for (const color of [false, true]) {
        const text = renderTable(a, { color, width });
        for (const line of text.split('\n')) expect(displayWidth(line)).toBeLessThanOrEqual(width);
      }
    });

    it(`at ${width} columns every listed user's UPN, reason and action are all there`, () => {
      const text = renderTable(a, { color: false, width });
      if (width >= 100) {
        const cells = gridCells(text);
        expect(cells).toHaveLength(needing.length);
        for (const u of needing) {
          const row = cells.find((r) => r[1]!.startsWith(squash(u.userPrincipalName)));
          expect(row, u.userPrincipalName).toBeDefined();
          expect(row![0]).toBe(squash(verdictLabel(u.verdict)));
          expect(row![2]).toBe(squash(reasonText(u, a.generatedAt)));
          expect(row![3]).toBe(squash(actionBrief(u.action, u)));
        }
      } else {
        // Below 100 columns users are blocks: heading, "why:" and "do:" lines.
        const flat = squash(text);
        for (const u of needing) {
          expect(flat).toContain(squash(u.userPrincipalName));
          expect(flat).toContain(squash(`why: ${reasonText(u, a.generatedAt)}`));
          expect(flat).toContain(squash(`do: ${actionBrief(u.action, u)}`));
        }
      }
    });
  }

  it('keeps the security-info link on one line at 100 columns, so it can be clicked', () => {
    const text = renderTable(a, { color: false, width: 100 });
    expect(text).toContain('https://aka.ms/mysecurityinfo');
  });

  it('wraps a long UPN after a dot, a dash or its @, never in the middle of a word', () => {
    const text = renderTable(a, { color: false, width: 100 });
    const upn = 'alexandra.konstantinopoulou-vanderbilt@students.contoso-university.example.edu';
    const column = text
      .split('\n')
      .map((l) => l.split('│')[2]?.trim() ?? '')
      .filter((cell) => cell !== '');
    const start = column.findIndex((cell) => upn.startsWith(cell) && cell.length > 5);
    expect(start).toBeGreaterThanOrEqual(0);
    const pieces: string[] = [];
    for (let i = start; pieces.join('') !== upn; i++) {
      expect(pieces.join('').length).toBeLessThan(upn.length);
      pieces.push(column[i]!);
    }
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces.slice(0, -1)) expect(piece).toMatch(/[@.\-/]$/);
  });

  it('wraps the header and the closing hints too, not only the grid', () => {
    const tenant = { displayName: 'Contoso University of Applied Sciences (demo)', tenantId: 'x'.repeat(36) };
    const text = renderTable(assessment(users, { tenant }), { color: false, width: 80, limit: 1 });
    for (const line of text.split('\n')) expect(displayWidth(line)).toBeLessThanOrEqual(80);
    expect(squash(text)).toContain(squash(`(${'x'.repeat(36)})`));
    expect(squash(text)).toContain(squash('mfa-ready audit --user UPN'));
  });
});

describe('wrap breaks long words at sensible points', () => {
  it('after a slash, an @, a dot or a dash, never mid-word when one of those is at hand', () => {
    expect(wrap('register at https://aka.ms/mysecurityinfo now', 20)).toEqual([
      'register at',
      'https://aka.ms/',
      'mysecurityinfo now',
    ]);
    expect(wrap('amelia.muller@contoso.edu', 20)).toEqual(['amelia.muller@', 'contoso.edu']);
    expect(wrap('SG-Students-Authenticator-Exclusions', 16)).toEqual([
      'SG-Students-',
      'Authenticator-',
      'Exclusions',
    ]);
  });

  it('cuts a word with no break point where it must, losing nothing, CJK measured as two columns', () => {
    expect(wrap('abcdefghijklmnopqrstuvwxyz', 10)).toEqual(['abcdefghij', 'klmnopqrst', 'uvwxyz']);
    const lines = wrap('山田太郎山田太郎@contoso.jp', 10);
    expect(lines.join('')).toBe('山田太郎山田太郎@contoso.jp');
    for (const l of lines) expect(displayWidth(l)).toBeLessThanOrEqual(10);
  });
});

describe('terminalWidth', () => {
  it("takes a terminal's own width first, then COLUMNS, else leaves the default to the renderer", () => {
    expect(terminalWidth({ isTTY: true, columns: 132 } as { isTTY: boolean }, { COLUMNS: '100' })).toBe(132);
    expect(terminalWidth({ isTTY: false }, { COLUMNS: '100' })).toBe(100);
    expect(terminalWidth({ isTTY: true, columns: 0 } as { isTTY: boolean }, { COLUMNS: '90' })).toBe(90);
    expect(terminalWidth({ isTTY: false }, {})).toBeUndefined();
    for (const bad of ['', 'wide', '-5', '0', '80px']) {
      expect(terminalWidth({ isTTY: false }, { COLUMNS: bad })).toBeUndefined();
    }
  });

  it('renders a pipe at 100 columns by default', () => {
    const text = renderTable(assessment(realisticUsers()), { color: false });
    const widths = text.split('\n').map((l) => displayWidth(l));
    expect(Math.max(...widths)).toBe(100);
  });
});

describe('the --user drill-down fits the width too', () => {
  const u = user({
    verdict: 'unverified',
    confidence: null,
    isAdmin: true,
    displayName: 'Adrian Moreau (admin)',
    userPrincipalName: 'adm-adrian.moreau@contosodemo.onmicrosoft.com',
    methods: [
      { id: '28c10230-6103-485e-b985-444c60001490', type: 'password', state: 'not-mfa' },
      { id: 'a95dfd1b-0a41-4103-a941-16bbc6d63b36', type: 'microsoftAuthenticator', state: 'unverified' },
      { id: 'b1c2d3e4-0000-4000-8000-00000000fido', type: 'fido2', state: 'policy-blocked' },
    ],
    evidence: [
      evidence('method-listed', {
        source: 'methods',
        fields: { methodId: 'a95dfd1b-0a41-4103-a941-16bbc6d63b36', displayName: 'iPhone 16 Pro' },
      }),
    ],
    action: action('complete-authenticator-registration'),
  });

  for (const width of [60, 80, 100]) {
    it(`at ${width} columns, with every method id whole`, () => {
      const text = renderUserDetail(u, { color: true, width });
      for (const line of text.split('\n')) expect(displayWidth(line)).toBeLessThanOrEqual(width);
      for (const m of u.methods) expect(text).toContain(`id ${m.id}`);
      expect(squash(stripSgr(text))).toContain(
        squash('Adrian Moreau (admin) <adm-adrian.moreau@contosodemo.onmicrosoft.com>'),
      );
    });
  }

  it('keeps one row per method where it fits', () => {
    const text = renderUserDetail(u, { color: false, width: 160 });
    expect(text).toMatch(/ {2}Password +not an MFA method +id 28c10230-6103-485e-b985-444c60001490\n/);
  });
});
