/**
 * Loop-risk evidence reaches back as far as the logs do: a user whose only sign-in to the Microsoft
 * Authenticator app is 20 days old is `loop-risk` after a collection with the default --signin-days
 * (7), and the report says how far back each kind of evidence reaches.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTHENTICATOR_APP_ID } from '../../src/domain/well-known.js';
import { DEMO_VOLUME } from '../../src/demo/generate-tenant.js';
import type { TestEmulator } from './live-support.js';
import { COLLECTED_AT, runLive, startTestEmulator, tempDirs, verdictsFromJson } from './live-support.js';

const temp = tempDirs();
afterAll(() => temp.cleanup());

const DAY = 86_400_000;

describe('sign-ins of the Authenticator app and My Signins: the whole 30-day retention', () => {
  let t: TestEmulator;
  beforeAll(async () => {
    // Thirty days of sign-ins in the tenant; the named loop-risk student's one Authenticator sign-in is 20 days old.
    t = await startTestEmulator({
      volume: { ...DEMO_VOLUME, signInDays: 30 },
      staleAuthenticatorSignInDays: 20,
    });
  });
  afterAll(() => t.close());

  it('collects a 20-day-old Authenticator sign-in with the default --signin-days: the user is loop-risk', async () => {
    const student = [...t.em.tenant.expectations()][3]!;
    expect(student.persona).toBe('loop-risk-app-signed-in');
    const appSignIns = t.em.tenant.signIns.filter(
      (s) => s.userId === student.id && s.appId === AUTHENTICATOR_APP_ID,
    );
    // The premise: one sign-in to the app, 20 days before the collection.
    expect(appSignIns.map((s) => s.createdDateTime)).toEqual([
      new Date(Date.parse(COLLECTED_AT) - 20 * DAY).toISOString().replace('.000Z', 'Z'),
    ]);

    const dir = await temp.make();
    const before = t.em.stats().byRoute['GET /beta/auditLogs/signIns'] ?? 0;
    const r = await runLive(['audit', ...t.args, '--out-dir', dir, '--format', 'json'], t.deps);
    expect(r.code).toBe(0);
    expect(verdictsFromJson(r.stdout).get(student.id)?.verdict).toBe('loop-risk');

    const collected = (await readFile(path.join(dir, 'signIns.ndjson'), 'utf8'))
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { id: string; userId: string; appId: string; createdDateTime: string });
    expect(collected.filter((s) => s.userId === student.id && s.appId === AUTHENTICATOR_APP_ID)).toHaveLength(
      1,
    );
    // No sign-in twice, although the apps' interactive ones of this week match both interactive queries.
    expect(new Set(collected.map((s) => s.id)).size).toBe(collected.length);
    // The MFA evidence keeps --signin-days: nothing but the apps' sign-ins is older than 7 days.
    const weekAgo = Date.parse(COLLECTED_AT) - 7 * DAY;
    const older = collected.filter((s) => Date.parse(s.createdDateTime) < weekAgo);
    expect(older.length).toBeGreaterThan(0);
    expect(
      older.filter(
        (s) => s.appId !== AUTHENTICATOR_APP_ID && s.appId !== '19db86c3-b2b9-44cc-b339-36da233a3be2',
      ),
    ).toEqual([]);

    // What it costs: the interactive part asks two queries, the non-interactive one reads 30 days.
    const state = JSON.parse(await readFile(path.join(dir, '.collect-state.json'), 'utf8')) as {
      parts: Record<string, { queries: string[]; pages: number }>;
    };
    expect(state.parts.signInsInteractive?.queries).toHaveLength(2);
    const signInRequests = (t.em.stats().byRoute['GET /beta/auditLogs/signIns'] ?? 0) - before;
    expect(signInRequests).toBe(
      (state.parts.signInsInteractive?.pages ?? 0) + (state.parts.signInsNonInteractive?.pages ?? 0),
    );

    // tenant.json records the windows; the table header says how far back each kind reaches.
    const tenant = JSON.parse(await readFile(path.join(dir, 'tenant.json'), 'utf8')) as {
      windows: Record<string, string>;
    };
    expect(tenant.windows).toEqual({
      signIns: '2026-11-13T09:00:00Z',
      appSignIns: '2026-10-21T09:00:00Z',
      audits: '2026-10-21T09:00:00Z',
    });
    const table = await runLive(['audit', '--from', dir, '--now', COLLECTED_AT, '--no-color'], {});
    expect(table.code).toBe(0);
    expect(table.stdout.replace(/\s+/g, ' ')).toContain(
      'sign-ins: MFA evidence 7 days (since 2026-11-13 09:00 UTC), Authenticator app and My Signins 30 days (since 2026-10-21 09:00 UTC); directory audits 30 days (since 2026-10-21 09:00 UTC)',
    );
  });
});
