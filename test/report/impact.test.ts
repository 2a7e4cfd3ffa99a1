import { describe, expect, it } from 'vitest';
import { impactOf } from '../../src/assess/impact.js';
import { renderImpactCsv, renderImpactTable } from '../../src/report/impact.js';
import { parseCsv } from '../support/csv.js';
import { assessed, assessmentOf, caPolicy } from '../assess/impact-builders.js';
import { snapshot, user } from '../assess/builders.js';

const ESC = '\u001b';

function impactWithNames(displayName: string, policyName: string) {
  const snap = snapshot({ users: [user('u-1', 'one@contoso.com', { displayName })] });
  return impactOf({
    snapshot: snap,
    assessment: assessmentOf([assessed('u-1', 'one@contoso.com', 'looping', { displayName })]),
    target: {
      kind: 'policy',
      policy: caPolicy('p1', { includeUsers: ['All'] }, { displayName: policyName }),
    },
  });
}

describe('impact words', () => {
  it('the table writes no terminal escape from tenant strings, and fits its width', () => {
    const text = renderImpactTable(impactWithNames(`Eve${ESC}[31m`, `Policy${ESC}]0;owned${ESC}\\`), {
      color: false,
      width: 80,
    });
    expect(text).not.toContain(ESC);
    for (const line of text.split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
    expect(text).toContain('Locked out or looping');
  });

  it('CSV cells cannot start a formula', () => {
    const csv = renderImpactCsv(impactWithNames('=HYPERLINK("http://x")', 'p'));
    const rows = parseCsv(csv);
    expect(rows[1]![2]).toBe('\'=HYPERLINK("http://x")');
  });

  it('no colour escapes without --color, some with it', () => {
    const impact = impactWithNames('One', 'p');
    expect(renderImpactTable(impact, { color: false })).not.toContain(ESC);
    expect(renderImpactTable(impact, { color: true })).toContain(ESC);
  });
});
