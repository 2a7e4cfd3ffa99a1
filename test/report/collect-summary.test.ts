/* eslint-disable no-control-regex -- these tests look for control characters on purpose. */
import { describe, expect, it } from 'vitest';
import type { CollectPart, CollectResult, FailureInfo, PartResult } from '../../src/collect/live/index.js';
import { COLLECT_PARTS, LOSS_BY_PART, LOSS_CODES } from '../../src/collect/live/index.js';
import type { GraphStats } from '../../src/collect/graph/index.js';
import { collectGaps, renderCollectSummary } from '../../src/report/collect-summary.js';
import { formatDuration, lossText } from '../../src/report/collect-words.js';

const flat = (s: string) => s.replace(/\s+/g, ' ');

function part(name: CollectPart, over: Partial<PartResult> = {}): PartResult {
  return {
    part: name,
    file: `${name}.ndjson`,
    queries: [],
    status: { state: 'complete' },
    rows: 10,
    pages: 1,
    ...over,
  };
}

function failed(name: CollectPart, failure: FailureInfo): PartResult {
  return part(name, {
    status: { state: 'failed', failure },
    rows: 0,
    pages: 0,
    lost: LOSS_BY_PART[name].map((l) => ({ ...l, verdicts: [...l.verdicts], confidence: [...l.confidence] })),
  });
}

const auditsRefused: FailureInfo = {
  kind: 'permission-missing',
  endpoint: 'GET /v1.0/auditLogs/directoryAudits',
  status: 403,
  message: 'Microsoft Graph refused GET /v1.0/auditLogs/directoryAudits (403)',
  permissions: ['AuditLog.Read.All', 'Directory.Read.All'],
  delegatedRoles: ['Reports Reader', 'Security Reader', 'Global Reader'],
};

const noLicence: FailureInfo = {
  kind: 'licence-required',
  endpoint: 'GET /beta/auditLogs/signIns',
  status: 403,
  message: 'needs a licence',
  licence: 'Microsoft Entra ID P1 or P2',
};

const stats: GraphStats = {
  requestsByBucket: { reports: 86, signInActivity: 0, directory: 10, conditionalAccess: 1 },
  httpRoundTrips: 37,
  batches: 22,
  throttled: 2,
  throttledByBucket: { reports: 2, signInActivity: 0, directory: 0, conditionalAccess: 0 },
  throttleWaitMs: 173_400,
  backoffWaitMs: 0,
  retries: 2,
  retriesByReason: { throttled: 2, unavailable: 0, network: 0, truncated: 0 },
};

function result(
  overrides: Partial<Record<CollectPart, PartResult>> = {},
  extra: Partial<CollectResult> = {},
): CollectResult {
  return {
    tenantId: 'tenant-1',
    cloud: 'global',
    outDir: './export',
    collectedAt: '2026-11-20T09:00:00Z',
    resumed: false,
    windows: {
      auditsSince: '2026-10-21T09:00:00Z',
      signInsSince: '2026-11-13T09:00:00Z',
      appSignInsSince: '2026-10-21T09:00:00Z',
    },
    parts: COLLECT_PARTS.map(
      (p) =>
        overrides[p] ??
        (p === 'signInActivity'
          ? part(p, { status: { state: 'skipped', reason: { code: 'not-requested' } }, rows: 0, pages: 0 })
          : part(p)),
    ),
    stats,
    ...extra,
  };
}

describe('renderCollectSummary', () => {
  it('full: every part with rows and status, the Graph figures, and no escape sequence without colour', () => {
    const text = renderCollectSummary(result(), { detail: 'full', color: false });
    expect(text).not.toMatch(/\x1b/);
    expect(text).toContain('Collected tenant tenant-1 (global cloud) into ./export');
    expect(text).toContain('Collection complete: 13 of 13 requested parts.');
    expect(text).toMatch(/^ {2}users +10 +1 +complete$/m);
    expect(text).toMatch(/^ {2}last sign-in \(signInActivity\) +– +– +not requested \(--last-sign-in\)$/m);
    expect(flat(text)).toContain(
      'Graph: 97 requests (reports 86 · directory 10 · Conditional Access 1) in 37 round trips (22 $batch); 2 answered 429; 2 min 53 s waiting for throttling; 2 retries.',
    );
    expect(text).not.toContain('Not collected');
    expect(renderCollectSummary(result(), { detail: 'full', color: true })).toMatch(/\x1b\[/);
  });

  it('problems: empty when nothing was missed', () => {
    expect(renderCollectSummary(result(), { detail: 'problems', color: false })).toBe('');
  });

  it('a refused part: the endpoint, the permission and roles to grant, what is lost, once per fix', () => {
    const r = result({
      audits: failed('audits', auditsRefused),
      signInsInteractive: failed('signInsInteractive', noLicence),
      signInsNonInteractive: failed('signInsNonInteractive', noLicence),
    });
    const text = flat(renderCollectSummary(r, { detail: 'problems', color: false, width: 80 }));
    expect(text).toContain(
      '✗ directory audits: GET /v1.0/auditLogs/directoryAudits answered 403: permission missing',
    );
    expect(text).toContain(
      'Lost: no audit trail: an Authenticator added but never completed (QR code scanned, no test notification approved) is only guessed from the report (verdicts affected: unverified · ready cannot be "registered")',
    );
    expect(text).toContain('ready cannot be "proven"');
    expect(text).toContain(
      '- Grant the Microsoft Graph application permissions AuditLog.Read.All and Directory.Read.All to the app registration, then grant admin consent.',
    );
    expect(text).toContain('one of the roles Reports Reader, Security Reader, Global Reader');
    expect(text.split('- The tenant needs Microsoft Entra ID P1 or P2').length).toBe(2);
    expect(text).toContain('- Then run the same command again with --resume');
    const full = renderCollectSummary(r, { detail: 'full', color: false });
    expect(full).toContain('Collection finished with gaps: 3 of 13 requested parts not collected');
    expect(full).toMatch(
      /^ {2}directory audits +– +– +FAILED: permission missing \(AuditLog\.Read\.All \+ Directory\.Read\.All\)$/m,
    );
  });

  it('wraps to the width and keeps every line within it', () => {
    const r = result({ audits: failed('audits', auditsRefused) });
    const text = renderCollectSummary(r, { detail: 'full', color: false, width: 60 });
    const long = text.split('\n').filter((l) => [...l].length > 60 && !/^ {2}\S.* {2}/.test(l));
    expect(long).toEqual([]);
  });

  it('a part not offered in the cloud says why', () => {
    const r = result(
      {
        audits: part('audits', {
          status: {
            state: 'skipped',
            reason: {
              code: 'unavailable-in-cloud',
              cloud: 'china',
              message: 'Directory audits are not offered in China.',
            },
          },
          rows: 0,
          pages: 0,
          lost: [...LOSS_BY_PART.audits],
        }),
      },
      { cloud: 'china' },
    );
    const text = renderCollectSummary(r, { detail: 'problems', color: false });
    expect(text).toContain('✗ directory audits: Directory audits are not offered in China.');
    expect(text).not.toContain('--resume');
  });

  it('names a --scope-group that matched nothing and users whose methods failed', () => {
    const r = result(
      {},
      {
        groups: { groups: [{ id: 'g1', why: ['scope'] }], unresolvedScope: ['Pilot\x1b[31m'], failed: [] },
        methods: {
          needs: [],
          reasons: {},
          requested: 'auto',
          mode: 'open',
          deferred: 0,
          deferredMinutes: 0,
          budgetMinutes: 30,
          planned: 3,
          alreadyWritten: 0,
          fetched: 2,
          notFound: [],
          failed: [
            {
              id: 'u1',
              failure: { ...auditsRefused, kind: 'request-failed', message: 'boom' } as FailureInfo,
            },
          ],
        },
      },
    );
    const text = flat(renderCollectSummary(r, { detail: 'problems', color: false }));
    expect(text).toContain('--scope-group Pilot\\x1b[31m matched no group id or display name');
    expect(text).toContain('The methods of 1 user could not be read (first: boom)');
  });

  it('says what the verdicts of users whose methods failed rest on, citing only what was read', () => {
    const methods: CollectResult['methods'] = {
      needs: [],
      reasons: {},
      requested: 'open',
      mode: 'open',
      deferred: 0,
      deferredMinutes: 0,
      budgetMinutes: 30,
      planned: 3,
      alreadyWritten: 0,
      fetched: 2,
      notFound: [],
      failed: [
        { id: 'u1', failure: { ...auditsRefused, kind: 'request-failed', message: 'boom' } as FailureInfo },
      ],
    };
    const all = flat(renderCollectSummary(result({}, { methods }), { detail: 'problems', color: false }));
    expect(all).toContain(
      'their verdicts rest on the registration report, the audit log and sign-ins (a user none of these names is "unknown")',
    );
    const noReport = result(
      { registration: failed('registration', auditsRefused), audits: failed('audits', auditsRefused) },
      { methods },
    );
    const text = flat(renderCollectSummary(noReport, { detail: 'problems', color: false }));
    expect(text).not.toContain('rest on the report');
    expect(text).not.toContain('the registration report,');
    expect(text).toContain('their verdicts rest on sign-ins (a user none of these names is "unknown")');
  });

  it('open users left unread: resume the folder, or, into the history, collect again with --methods open', () => {
    const methods: CollectResult['methods'] = {
      needs: [],
      reasons: {},
      requested: 'auto',
      mode: 'needed',
      deferred: 1200,
      deferredMinutes: 40,
      budgetMinutes: 30,
      planned: 0,
      alreadyWritten: 0,
      fetched: 0,
      notFound: [],
      failed: [],
    };
    const folder = flat(renderCollectSummary(result({}, { methods }), { detail: 'full', color: false }));
    expect(folder).toContain(
      'collect again with --resume --only methods --methods open into the same folder',
    );
    // Into the history the folder is a staging one, removed once the run is stored: no folder to resume.
    const history = flat(
      renderCollectSummary(result({}, { methods }), { detail: 'full', color: false, intoHistory: true }),
    );
    expect(history).toContain('collect again with --methods open');
    expect(history).not.toContain('same folder');
  });

  it('the summary of a resumed run says which parts came from the earlier run', () => {
    const r = result({ users: part('users', { fromCheckpoint: true }) }, { resumed: true });
    const text = renderCollectSummary(r, { detail: 'full', color: false });
    expect(text).toContain('resumed: what the earlier run completed was kept');
    expect(text).toMatch(/^ {2}users +10 +1 +complete \(from the earlier run\)$/m);
  });
});

describe('collectGaps', () => {
  it('usable when a user list came back; not when both the users and the report were refused', () => {
    expect(collectGaps(result()).usable).toBe(true);
    const refused: FailureInfo = { ...auditsRefused, permissions: ['User.Read.All'] };
    const none = result({ users: failed('users', refused), registration: failed('registration', refused) });
    expect(collectGaps(none)).toMatchObject({ usable: false });
    expect(collectGaps(result({ users: failed('users', refused) })).usable).toBe(true);
  });

  it('usable when --only left the user sources out on purpose (topping up a folder)', () => {
    const notRequested = (p: CollectPart) =>
      part(p, { status: { state: 'skipped', reason: { code: 'not-requested' } }, rows: 0, pages: 0 });
    const overrides = Object.fromEntries(
      COLLECT_PARTS.filter((p) => p !== 'tenant' && p !== 'audits').map((p) => [p, notRequested(p)]),
    );
    expect(collectGaps(result(overrides)).usable).toBe(true);
    expect(collectGaps(result({ ...overrides, audits: failed('audits', auditsRefused) })).usable).toBe(false);
  });
});

describe('the collector words', () => {
  it('every loss code has words', () => {
    for (const code of LOSS_CODES) expect(lossText(code).length).toBeGreaterThan(10);
  });

  it('durations read as people say them', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(42_000)).toBe('42 s');
    expect(formatDuration(173_400)).toBe('2 min 53 s');
    expect(formatDuration(3_900_000)).toBe('1 h 05 min');
  });
});
