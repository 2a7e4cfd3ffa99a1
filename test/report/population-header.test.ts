import { describe, expect, it } from 'vitest';
import { assessmentJsonSchema, renderJson } from '../../src/report/json.js';
import { renderTable } from '../../src/report/table.js';
import { displayWidth } from '../../src/report/text-width.js';
import type { AssessedPopulation } from '../../src/domain/verdict.js';
import { assessment, sampleUsers } from './builder.js';

const users = sampleUsers();
const withPopulation = (over: Partial<AssessedPopulation>) => {
  const a = assessment(users);
  return { ...a, population: { ...a.population, ...over } };
};
const head = (text: string) => (text.split('Summary')[0] ?? '').replace(/\s+/g, ' ');

describe('the population and the clock, in the table header', () => {
  it('everyone in the export when no scope is given', () => {
    expect(head(renderTable(assessment(users), { color: false }))).toContain(
      `population: ${users.length} users, everyone in the export`,
    );
  });

  it('names scope groups and exclusions, and only the first five of a long list', () => {
    const excluded = Array.from({ length: 7 }, (_, i) => ({
      id: `id-${i}`,
      userPrincipalName: `svc-${i}@contoso.edu`,
    }));
    const a = withPopulation({
      scopeGroups: [{ id: 'g-1', displayName: 'MFA_Required' }],
      excludeGroups: [{ id: 'g-2', displayName: null }],
      excludeUsers: excluded,
    });
    const text = head(renderTable(a, { color: false }));
    expect(text).toContain(
      'members of MFA_Required (g-1); excluding members of g-2 and the users svc-0@contoso.edu',
    );
    expect(text).toContain('svc-4@contoso.edu and 2 more');
    expect(text).not.toContain('svc-5@contoso.edu');
  });

  it('warns when the data is much older than the clock, within the width', () => {
    const a = withPopulation({ dataAgeDays: 15, staleData: true, now: '2025-05-16T10:00:00.000Z' });
    const text = renderTable(a, { color: false, width: 80 });
    expect(head(text)).toContain(
      'data collected 15 days before the clock: loops and recency are judged at 2025-05-16 10:00:00 UTC',
    );
    expect(head(text)).toContain('--now 2025-05-01T09:55:00Z');
    for (const line of (text.split('Summary')[0] ?? '').split('\n'))
      expect(displayWidth(line)).toBeLessThanOrEqual(80);
  });

  it('no warning for fresh data', () => {
    expect(renderTable(assessment(users), { color: false })).not.toContain('before the clock');
  });
});

describe('the population in the JSON contract', () => {
  it('is there, after users, and validates', () => {
    const doc = JSON.parse(renderJson(withPopulation({ scopeGroups: [{ id: 'g-1', displayName: null }] })));
    expect(Object.keys(doc).at(-1)).toBe('population');
    expect(assessmentJsonSchema.parse(doc).population).toEqual({
      users: users.length,
      scopeGroups: [{ id: 'g-1', displayName: null }],
      excludeGroups: [],
      excludeUsers: [],
      now: '2025-05-01T10:00:00.000Z',
      collectedAt: '2025-05-01T09:55:00Z',
      dataAgeDays: 0,
      staleData: false,
    });
  });
});
