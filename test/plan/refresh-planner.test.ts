/**
 * The planner's refresh choices, pure: which report rows a refresh reads again, and whose methods
 * lists, given the stored run (CollectBaseline) and what is new in the folder.
 */
import { describe, expect, it } from 'vitest';
import type { BaselineUser, CollectBaseline } from '../../src/domain/baseline.js';
import type { BulkEvidence, MethodsReadsRequest, RefreshFacts } from '../../src/domain/methods-plan.js';
import type { DirectoryUser, RegistrationDetail } from '../../src/domain/tenant.js';
import type { Verdict } from '../../src/domain/verdict.js';
import { methodsReads, registrationReads } from '../../src/plan/index.js';
import {
  NOW,
  ago,
  authenticatorRow,
  interrupt,
  mfaSignIn,
  row,
  securityInfo,
  user,
} from '../assess/builders.js';

const DAY_MIN = 24 * 60;
const t = (id: string) => ({ id, upn: `${id}@contoso.test` });

const OPEN = user('open', 'open@contoso.test');
const OLD = user('old', 'old@contoso.test');
const READY = user('ready', 'ready@contoso.test');
const GUEST = user('guest', 'guest_x#EXT#@contoso.test', { userType: 'guest' });
const NEW = user('new', 'new@contoso.test', { createdDateTime: ago(60) });

const ROWS: Record<string, RegistrationDetail> = {
  open: row('open', 'open@contoso.test'),
  old: row('old', 'old@contoso.test'),
  ready: authenticatorRow('ready', 'ready@contoso.test'),
  guest: row('guest', 'guest_x#EXT#@contoso.test', { userType: 'guest' }),
};

function stored(u: DirectoryUser, verdict: Verdict, readDaysAgo: number | null): [string, BaselineUser] {
  return [
    u.id,
    {
      user: u,
      registration: ROWS[u.id] ?? null,
      verdict,
      methodsReadAt: readDaysAgo === null ? null : ago(readDaysAgo * DAY_MIN),
    },
  ];
}

function baseline(over: Partial<CollectBaseline> = {}): CollectBaseline {
  return {
    runId: 1,
    collectedAt: ago(DAY_MIN),
    registrationReadAt: ago(2 * DAY_MIN),
    users: new Map([
      stored(OPEN, 'not-registered', 1),
      stored(OLD, 'not-registered', 40),
      stored(READY, 'ready', null),
      stored(GUEST, 'excluded', null),
    ]),
    ...over,
  };
}

function bulk(over: Partial<BulkEvidence> = {}): BulkEvidence {
  return {
    users: [OPEN, OLD, READY, GUEST, NEW],
    registration: Object.values(ROWS),
    audits: [],
    signIns: [],
    ...over,
  };
}

function facts(over: Partial<RefreshFacts> = {}): RefreshFacts {
  return { baseline: baseline(), policiesChanged: false, ...over };
}

function methods(b: BulkEvidence, f: RefreshFacts = facts()): string[] {
  const request: MethodsReadsRequest = {
    bulk: b,
    refresh: f,
    methodsMaxAgeDays: 30,
    mode: 'open',
    budgetRequests: 1000,
    now: NOW,
  };
  return methodsReads(request)
    .plan.chosen.map((n) => n.id)
    .sort();
}

describe('methods reads in a refresh', () => {
  it('reads the new user and the open user whose list is old; carries the open user who did not change', () => {
    const out = methodsReads({
      bulk: bulk(),
      refresh: facts(),
      methodsMaxAgeDays: 30,
      mode: 'open',
      budgetRequests: 1000,
      now: NOW,
    });
    expect(out.plan.chosen.map((n) => n.id).sort()).toEqual(['new', 'old']);
    expect(out.carried).toBe(1);
  });

  it('reads an open user again after a registration interrupt or a security-info event', () => {
    expect(methods(bulk({ signIns: [interrupt('s1', ago(30), t('open'))] }))).toContain('open');
    const registered = securityInfo(
      'a1',
      ago(30),
      t('open'),
      'User registered security info',
      'User registered Authenticator App',
    );
    expect(methods(bulk({ audits: [registered] }))).toContain('open');
    // MFA done says nothing about registration: no read.
    expect(methods(bulk({ signIns: [mfaSignIn('s2', ago(30), t('open'))] }))).not.toContain('open');
  });

  it('takes an event of the overlap the stored run already had for no news', () => {
    const seen = interrupt('s-old', ago(30), t('open'));
    const f = facts({ baseline: baseline({ overlapEventIds: new Set(['s-old']) }) });
    expect(methods(bulk({ signIns: [seen] }), f)).not.toContain('open');
    expect(methods(bulk({ signIns: [seen, interrupt('s-new', ago(20), t('open'))] }), f)).toContain('open');
  });

  it('never carries a ready verdict past a deletion: the ready user is read again', () => {
    const deleted = securityInfo(
      'a2',
      ago(30),
      t('ready'),
      'User deleted security info',
      'User deleted Authenticator App',
    );
    const out = methodsReads({
      bulk: bulk({ audits: [deleted] }),
      refresh: facts(),
      mode: 'open',
      budgetRequests: 1000,
      now: NOW,
    });
    const need = out.plan.chosen.find((n) => n.id === 'ready');
    expect(need?.reasons).toContain('ready-changed');
    // As in a first collection, the audit event and the re-read row decide the verdict; `needed`
    // (a budget too small for every open user) does not spend a call on the list.
    expect(need?.decidesReadiness).toBe(false);
    const needed = methodsReads({
      bulk: bulk({ audits: [deleted] }),
      refresh: facts(),
      mode: 'needed',
      budgetRequests: 0,
      now: NOW,
    });
    expect(needed.needs.find((n) => n.id === 'ready')?.reasons).toContain('ready-changed');
  });

  it('reads an open ready user again after a registration: the stored list is not carried past it', () => {
    const f = facts({
      baseline: baseline({ users: new Map([stored(OPEN, 'ready', 1), stored(READY, 'ready', null)]) }),
    });
    expect(methods(bulk(), f)).not.toContain('open');
    const registered = securityInfo(
      'a3',
      ago(30),
      t('open'),
      'User registered security info',
      'User registered Authenticator App',
    );
    expect(methods(bulk({ audits: [registered] }), f)).toContain('open');
  });

  it('reads a ready user whose report row moved, and not one whose row only refreshed', () => {
    const moved = bulk({
      registration: [ROWS.open!, ROWS.old!, ROWS.guest!, { ...ROWS.ready!, isMfaCapable: false }],
    });
    expect(methods(moved)).toContain('ready');
    const refreshed = bulk({
      registration: [ROWS.open!, ROWS.old!, ROWS.guest!, { ...ROWS.ready!, lastUpdatedDateTime: ago(5) }],
    });
    expect(methods(refreshed)).not.toContain('ready');
  });

  it('without the audit log, reads every open user: no change can be ruled out', () => {
    const out = methodsReads({
      bulk: bulk({ audits: undefined }),
      refresh: facts(),
      mode: 'open',
      budgetRequests: 1000,
      now: NOW,
    });
    expect(out.plan.chosen.map((n) => n.id).sort()).toEqual(['new', 'old', 'open']);
  });

  it('without a refresh, reads every open user as a first collection does', () => {
    const out = methodsReads({ bulk: bulk(), mode: 'open', budgetRequests: 1000, now: NOW });
    expect(out.plan.chosen.map((n) => n.id).sort()).toEqual(['new', 'old', 'open']);
    expect(out.carried).toBeUndefined();
  });
});

describe('registration reads in a refresh', () => {
  const request = (f: RefreshFacts, b: BulkEvidence = bulk({ registration: undefined }), maxAge = 7) =>
    registrationReads({ bulk: b, refresh: f, reportMaxAgeDays: maxAge, now: NOW });

  /** A stored report of 3,000 more rows (three pages): reading a few rows by id is the cheaper way. */
  const large = (): CollectBaseline => {
    const b = baseline();
    const users = new Map(b.users);
    for (let i = 0; i < 3000; i++) {
      users.set(`r${i}`, {
        user: null,
        registration: row(`r${i}`, `r${i}@contoso.test`),
        verdict: null,
        methodsReadAt: null,
      });
    }
    return { ...b, users };
  };

  it('reads per user only the rows that may have moved', () => {
    const event = securityInfo(
      'a3',
      ago(30),
      t('ready'),
      'User deleted security info',
      'User deleted Authenticator App',
    );
    const renamed = { ...OLD, displayName: 'Someone Else' };
    const out = request(
      facts({ baseline: large() }),
      bulk({ registration: undefined, audits: [event], users: [OPEN, renamed, READY, GUEST, NEW] }),
    );
    expect(out).toEqual({
      kind: 'per-user',
      ids: ['old', 'ready', 'new'],
      reasons: { 'user-changed': 1, 'security-info-event': 1, 'new-user': 1 },
    });
  });

  it('re-reads an enabled user who had no row (new users reach the report late) once the report moved on, not a disabled one', () => {
    const disabled = user('off', 'off@contoso.test', { accountEnabled: false });
    const b = baseline();
    const users = new Map(b.users);
    users.set('late', {
      user: user('late', 'late@contoso.test'),
      registration: null,
      verdict: 'unknown',
      methodsReadAt: null,
    });
    users.set('off', { user: disabled, registration: null, verdict: 'not-registered', methodsReadAt: null });
    // Created long before the stored report and still not in it: out of its scope, not re-read daily.
    const old = user('left-out', 'left-out@contoso.test', { createdDateTime: ago(400 * DAY_MIN) });
    users.set('left-out', { user: old, registration: null, verdict: 'unknown', methodsReadAt: null });
    const out = request(
      facts({ baseline: { ...b, users } }),
      bulk({
        registration: undefined,
        users: [OPEN, OLD, READY, GUEST, user('late', 'late@contoso.test'), disabled, old],
      }),
    );
    // Read only if the report was refreshed since: a user with a stored row tells.
    expect(out).toEqual({
      kind: 'per-user',
      ids: [],
      reasons: { 'no-row': 1 },
      whenRefreshed: { probe: 'open', ids: ['late'] },
    });
  });

  it('reads in full when more rows moved than the whole report has pages', () => {
    const b = baseline();
    const users = new Map(b.users);
    const many = Array.from({ length: 3 }, (_, i) => user(`n${i}`, `n${i}@contoso.test`));
    // 4 stored rows: one page; three new users are three requests, more than the page.
    const out = request(
      facts({ baseline: { ...b, users } }),
      bulk({ registration: undefined, users: [OPEN, OLD, READY, GUEST, ...many] }),
    );
    expect(out).toEqual({ kind: 'full', why: 'cheaper-in-full' });
  });

  it('reads in full when the policies changed, the stored report is too old, or there is none', () => {
    expect(request(facts({ policiesChanged: true }))).toEqual({ kind: 'full', why: 'policies-changed' });
    expect(request(facts(), undefined, 1)).toEqual({ kind: 'full', why: 'max-age' });
    expect(request(facts(), bulk({ registration: undefined, audits: undefined }))).toEqual({
      kind: 'full',
      why: 'no-audit-log',
    });
    const b = baseline();
    delete b.registrationReadAt;
    expect(request(facts({ baseline: b }))).toEqual({ kind: 'full', why: 'no-stored-report' });
  });
});
