import { describe, expect, it } from 'vitest';
import type { UserAssessment, Verdict } from '../../src/domain/verdict.js';
import { diffVerdicts, verdictChangesOnly } from '../../src/report/verdict-diff.js';
import { renderDiffCsv, renderDiffTable } from '../../src/report/diff-render.js';
import { ageText, userHistory } from '../../src/report/user-history.js';
import { renderHistoryCsv, withTrend } from '../../src/report/history.js';
import { evidence, user } from './builder.js';

const byId = (...users: UserAssessment[]) => new Map(users.map((u) => [u.id, u]));
const as = (u: UserAssessment, verdict: Verdict, more: Partial<UserAssessment> = {}): UserAssessment => ({
  ...u,
  verdict,
  confidence: verdict === 'ready' ? u.confidence : null,
  ...more,
});

describe('diffVerdicts', () => {
  it('orders worst news first: ready → not ready, worse, new, improved, excluded, gone, detail', () => {
    const lost = user({ userPrincipalName: 'z-lost@contoso.edu' });
    const worse = user({ verdict: 'not-registered', confidence: null });
    const better = user({ verdict: 'looping', confidence: null, userPrincipalName: 'a-better@contoso.edu' });
    const excluded = user();
    const gone = user();
    const detail = user({ confidence: 'reported' });
    const fresh = user({ verdict: 'unknown', confidence: null });
    const diff = diffVerdicts(
      byId(lost, worse, better, excluded, gone, detail),
      byId(
        as(lost, 'unverified'),
        as(worse, 'looping'),
        as(better, 'ready', { confidence: 'registered' }),
        as(excluded, 'excluded', { exclusion: 'disabled' }),
        { ...detail, confidence: 'proven' },
        fresh,
      ),
    );
    expect(diff.changes.map((c) => [c.kind, c.id])).toEqual([
      ['lost-ready', lost.id],
      ['worse', worse.id],
      ['new', fresh.id],
      ['improved', better.id],
      ['scope', excluded.id],
      ['gone', gone.id],
      ['detail', detail.id],
    ]);
    expect(diff.unchanged).toBe(0);
    expect(verdictChangesOnly(diff).changes.map((c) => c.kind)).not.toContain('detail');
  });

  it('never calls a move into or out of unknown an improvement', () => {
    const a = user({ verdict: 'not-registered', confidence: null });
    const b = user({ verdict: 'unknown', confidence: null });
    const diff = diffVerdicts(byId(a, b), byId(as(a, 'unknown'), as(b, 'not-registered')));
    expect(diff.changes.map((c) => c.kind)).toEqual(['worse', 'worse']);
  });

  it('counts users per transition, most first', () => {
    const users = [1, 2, 3].map(() => user({ verdict: 'not-registered', confidence: null }));
    const other = user();
    const diff = diffVerdicts(
      byId(...users, other),
      byId(...users.map((u) => as(u, 'ready', { confidence: 'reported' })), as(other, 'looping')),
    );
    expect(diff.transitions).toEqual([
      { from: 'not-registered', to: 'ready', users: 3 },
      { from: 'ready', to: 'looping', users: 1 },
    ]);
  });

  it('names the evidence that appeared by code, ref and time; a refreshed report row is not new', () => {
    const signIn = evidence('registration-interrupt', {
      source: 'signIns',
      ref: 'si-1',
      at: '2024-05-11T10:00:00Z',
    });
    const rowBefore = evidence('report-not-registered', {
      source: 'registration',
      ref: 'row',
      at: '2024-05-10T06:00:00Z',
    });
    const rowAfter = { ...rowBefore, at: '2024-05-11T06:00:00Z' };
    const later = { ...signIn, at: '2024-05-11T10:05:00Z' };
    const u = user({ verdict: 'unverified', confidence: null, evidence: [rowBefore, signIn] });
    const diff = diffVerdicts(byId(u), byId(as(u, 'looping', { evidence: [rowAfter, signIn, later] })));
    expect(diff.changes[0]!.appeared).toEqual([later]);
    expect(diff.changes[0]!.disappeared).toEqual([]);
  });

  it('reports method states that changed, appeared or went', () => {
    const u = user({
      methods: [
        { id: 'm1', type: 'microsoftAuthenticator', state: 'unverified' },
        { id: 'm2', type: 'phone', state: 'usable' },
      ],
    });
    const diff = diffVerdicts(
      byId(u),
      byId({
        ...u,
        methods: [
          { id: 'm1', type: 'microsoftAuthenticator', state: 'usable' },
          { id: 'm3', type: 'fido2', state: 'usable' },
        ],
      }),
    );
    expect(diff.changes[0]!.kind).toBe('detail');
    expect(diff.changes[0]!.methods).toEqual([
      { id: 'm1', type: 'microsoftAuthenticator', before: 'unverified', after: 'usable' },
      { id: 'm3', type: 'fido2', before: null, after: 'usable' },
      { id: 'm2', type: 'phone', before: 'usable', after: null },
    ]);
  });

  it('leaves out the users the caller says are not gone (outside a scope, not out of the tenant)', () => {
    const kept = user();
    const outside = user();
    const diff = diffVerdicts(byId(kept, outside), byId(kept), { gone: (id) => id !== outside.id });
    expect(diff.changes).toEqual([]);
    expect(diff.unchanged).toBe(1);
  });
});

describe('the diff renderers', () => {
  const from = { runId: 1, at: '2024-05-10T12:00:00Z', source: 'import' };
  const to = { runId: 2, at: '2024-05-11T12:00:00Z', source: 'collect' };

  it('make tenant strings inert: terminal controls escaped in the table, formulas neutralised in CSV', () => {
    const u = user({
      displayName: '=HYPERLINK("http://x")\u001b[2J',
      verdict: 'not-registered',
      confidence: null,
    });
    const diff = diffVerdicts(byId(u), byId(as(u, 'ready', { confidence: 'reported' })));
    const table = renderDiffTable(diff, from, to, { color: false });
    expect(table).not.toContain('\u001b');
    expect(table).toContain('\\x1b[2J');
    const csv = renderDiffCsv(diff, from, to);
    expect(csv).toContain(`"'=HYPERLINK(""http://x"")\\x1b[2J"`);
  });

  it('say when nobody changed, with how many were compared', () => {
    const u = user();
    const table = renderDiffTable(diffVerdicts(byId(u), byId(u)), from, to, { color: false });
    expect(table).toContain('No user changed verdict, confidence or method states (1 users compared).');
  });
});

describe('history and user history models', () => {
  it('the trend skips runs without figures, and a fall in ready users is a plain negative number in CSV', () => {
    const figures = (ready: number) => ({
      counts: {
        excluded: 0,
        ready,
        looping: 0,
        unverified: 0,
        'policy-blocked': 0,
        'loop-risk': 0,
        'not-registered': 0,
        unknown: 5 - ready,
      },
      readyShare: ready / 5,
      funnel: { enabledMembers: 5, anyStrongMethod: ready, usable: ready, proven: 0 },
    });
    const rows = withTrend([
      { runId: 1, at: '2024-05-10T12:00:00Z', source: 'import', figures: figures(4) },
      { runId: 2, at: '2024-05-11T12:00:00Z', source: 'import', figures: null, gap: 'group-not-in-run' },
      { runId: 3, at: '2024-05-12T12:00:00Z', source: 'import', figures: figures(1) },
    ]);
    expect(rows.map((r) => r.readyChange)).toEqual([null, null, -3]);
    const csv = renderHistoryCsv({ file: 'x.db', scopeGroup: null, rows });
    expect(csv.split('\n')[2]).toBe('2,2024-05-11T12:00:00Z,import,group-not-in-run,,,,,,,,,,,,,,');
    expect(csv.split('\n')[3]).toMatch(/^3,.*,0\.2,-3,5,1,1,0$/);
  });

  it('ages read in minutes, hours or days', () => {
    const now = '2024-05-17T10:00:00Z';
    expect(ageText('2024-05-17T09:15:00Z', now)).toBe('45 minutes ago');
    expect(ageText('2024-05-16T10:00:00Z', now)).toBe('24 hours ago');
    expect(ageText('2024-04-02T10:00:00Z', now)).toBe('45 days ago');
    expect(ageText(null, now)).toBe('undated');
  });

  it('a finding cited by several runs is listed once, with the runs that cited it', () => {
    const old = evidence('security-info-registered', { ref: 'a1', at: '2024-04-02T10:15:40Z' });
    const u1 = user({ evidence: [old] });
    const u2 = { ...u1, verdict: 'unverified' as const, confidence: null };
    const h = userHistory(
      [
        { runId: 1, at: '2024-05-10T12:00:00Z', source: 'import', assessment: u1 },
        { runId: 2, at: '2024-05-11T12:00:00Z', source: 'import' },
        { runId: 3, at: '2024-05-12T12:00:00Z', source: 'import', assessment: u2 },
      ],
      new Date('2024-05-17T10:15:40Z'),
    );
    expect(h.runs.map((r) => [r.verdict, r.status])).toEqual([
      ['ready', 'assessed'],
      [null, 'absent'],
      ['unverified', 'assessed'],
    ]);
    expect(h.evidence).toEqual([{ evidence: old, firstRunId: 1, lastRunId: 3, ageDays: 45 }]);
  });
});
