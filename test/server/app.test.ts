import { beforeAll, describe, expect, it } from 'vitest';
import { assess, EVIDENCE_RULES } from '../../src/assess/index.js';
import type { TenantSnapshot } from '../../src/domain/tenant.js';
import type { Assessment } from '../../src/domain/verdict.js';
import { load } from '../../src/load/index.js';
import { createDashboardApp } from '../../src/server/app.js';
import type { DashboardData } from '../../src/server/dashboard-data.js';
import { SESSION_COOKIE } from '../../src/server/session-token.js';
import { parseCsv } from '../support/csv.js';

const TOKEN = 'test-token-0123456789abcdefghijklmnopqrstuv';
const ORIGIN = 'http://127.0.0.1:8123';
const HOSTS = new Set(['127.0.0.1:8123', 'localhost:8123']);
const EVIL_NAME = '<img src=x onerror=alert(1)>';

let snapshot: TenantSnapshot;
let assessment: Assessment;
let app: ReturnType<typeof createDashboardApp>;

beforeAll(async () => {
  snapshot = await load({ kind: 'folder', dir: 'demo/tenant' }, 'assess', { rules: EVIDENCE_RULES });
  // A tenant string that looks like markup: it must come back as the same text, never as HTML.
  snapshot.users![0]!.displayName = EVIL_NAME;
  assessment = assess(snapshot, { now: new Date(snapshot.tenant.collectedAt ?? Date.now()) });
  const data: DashboardData = {
    assessment,
    source: { kind: 'folder', where: 'demo/tenant' },
    groups: (snapshot.groups ?? []).map((g) => ({
      id: g.id,
      displayName: g.displayName ?? null,
      memberIds: g.memberIds ?? [],
    })),
    history: [],
    changes: null,
    rollouts: [],
    impacts: [],
    userHistory: () => null,
  };
  const assets = new Map([
    ['/index.html', { type: 'text/html; charset=utf-8', body: '<!doctype html><p>app</p>' }],
  ]);
  app = createDashboardApp({ data, token: TOKEN, hosts: HOSTS, assets });
});

const cookie = `${SESSION_COOKIE}=${TOKEN}`;
const get = (path: string, headers: Record<string, string> = { cookie }) =>
  app.request(`${ORIGIN}${path}`, { headers });
const json = async <T = Record<string, unknown>>(path: string): Promise<T> => {
  const res = await get(path);
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
};

describe('the per-run token', () => {
  it('answers 401 on every API route without it, and with a wrong one', async () => {
    for (const path of [
      '/api/overview',
      '/api/users',
      '/api/users.csv',
      '/api/trend',
      '/api/groups',
      '/api/users/x',
    ]) {
      expect((await get(path, {})).status, path).toBe(401);
      expect((await get(path, { cookie: `${SESSION_COOKIE}=${TOKEN}x` })).status, path).toBe(401);
    }
    expect((await get('/', {})).status).toBe(401);
  });

  it('sets an HttpOnly, SameSite=Strict cookie from the URL once, and takes the token out of the address', async () => {
    const res = await get(`/?token=${TOKEN}`, {});
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/');
    const set = res.headers.get('set-cookie') ?? '';
    expect(set).toContain(`${SESSION_COOKIE}=${TOKEN}`);
    expect(set).toMatch(/HttpOnly/i);
    expect(set).toMatch(/SameSite=Strict/i);
    expect((await get('/?token=wrong', {})).status).toBe(401);
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<p>app</p>');
  });

  it('refuses a Host it was not started on (DNS rebinding), and a write from another origin', async () => {
    const res = await app.request('http://evil.example:8123/api/overview', { headers: { cookie } });
    expect(res.status).toBe(421);
    const post = await app.request(`${ORIGIN}/api/overview`, {
      method: 'POST',
      headers: { cookie, origin: 'http://evil.example' },
    });
    expect(post.status).toBe(403);
  });

  it('sends headers that keep the page from loading anything from outside', async () => {
    const res = await get('/api/overview');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});

describe('the API', () => {
  it('gives the overview the same counts and funnel as the assessment', async () => {
    const o = await json<{ funnel: Record<string, number>; verdicts: { verdict: string; users: number }[] }>(
      '/api/overview',
    );
    for (const v of o.verdicts)
      expect(v.users).toBe(assessment.summary[v.verdict as keyof Assessment['summary']]);
    const enabled = assessment.users.filter((u) => u.verdict !== 'excluded').length;
    expect(o.funnel['enabledMembers']).toBe(enabled);
  });

  it('filters by verdict and text, sorts, and pages without overlap', async () => {
    const looping = assessment.users.filter((u) => u.verdict === 'looping').length;
    expect(looping).toBeGreaterThan(0);
    const byVerdict = await json<{ total: number; rows: { verdict: string }[] }>(
      '/api/users?verdict=looping',
    );
    expect(byVerdict.total).toBe(looping);
    expect(byVerdict.rows.every((r) => r.verdict === 'looping')).toBe(true);

    const text = await json<{ total: number; rows: { userPrincipalName: string }[] }>('/api/users?q=MFATEST');
    expect(text.total).toBe(assessment.users.filter((u) => /mfatest/i.test(u.userPrincipalName)).length);

    const first = await json<{ rows: { id: string }[] }>('/api/users?sort=upn&limit=5');
    const second = await json<{ rows: { id: string }[] }>('/api/users?sort=upn&limit=5&offset=5');
    const upns = assessment.users.map((u) => u.userPrincipalName.toLowerCase()).sort();
    const got = [...first.rows, ...second.rows].map((r) =>
      assessment.users.find((u) => u.id === r.id)!.userPrincipalName.toLowerCase(),
    );
    expect(got).toEqual(upns.slice(0, 10));
    const desc = await json<{ rows: { id: string }[] }>('/api/users?sort=upn&dir=desc&limit=1');
    expect(assessment.users.find((u) => u.id === desc.rows[0]!.id)!.userPrincipalName.toLowerCase()).toBe(
      upns.at(-1),
    );
  });

  it('refuses a filter value that names nothing, naming the field, instead of showing everyone', async () => {
    for (const [path, field] of [
      ['/api/users?verdict=redy', 'verdict'],
      ['/api/users?group=no-such-group', 'group'],
      ['/api/users?sort=age', 'sort'],
      ['/api/users?limit=-1', 'limit'],
    ] as const) {
      const res = await get(path);
      expect(res.status, path).toBe(400);
      expect(((await res.json()) as { field: string }).field).toBe(field);
    }
  });

  it('filters by group membership', async () => {
    const group = (snapshot.groups ?? []).find((g) => (g.memberIds?.length ?? 0) > 0)!;
    const inScope = new Set(assessment.users.map((u) => u.id));
    const expected = (group.memberIds ?? []).filter((id) => inScope.has(id)).length;
    const res = await json<{ total: number }>(`/api/users?group=${encodeURIComponent(group.id)}`);
    expect(res.total).toBe(expected);
  });

  it('returns tenant strings as the same text (never markup) in JSON and CSV', async () => {
    const u = assessment.users.find((x) => x.displayName === EVIL_NAME)!;
    const detail = await json<{ user: { displayName: string }; words: { action: string } }>(
      `/api/users/${u.id}`,
    );
    expect(detail.user.displayName).toBe(EVIL_NAME);
    expect(detail.words.action.length).toBeGreaterThan(0);
    const res = await get(`/api/users.csv?q=${encodeURIComponent('onerror')}`);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const rows = parseCsv((await res.text()).replace(/^\uFEFF/, ''));
    expect(rows.length).toBe(2);
    expect(rows[1]).toContain(EVIL_NAME);
  });

  it('exports the whole filtered view as CSV, not one page', async () => {
    const res = await get('/api/users.csv?verdict=ready&limit=1');
    const rows = parseCsv((await res.text()).replace(/^\uFEFF/, ''));
    expect(rows.length - 1).toBe(assessment.summary.ready);
  });

  it('answers 404 for a user not in the snapshot', async () => {
    expect((await get('/api/users/00000000-0000-0000-0000-000000000000')).status).toBe(404);
  });
});
