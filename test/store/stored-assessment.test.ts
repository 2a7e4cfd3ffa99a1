import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assess, EVIDENCE_RULES } from '../../src/assess/index.js';
import { auditFacts } from '../../src/assess/audit-facts.js';
import { eventsFiledByOwner, HISTORY_SCOPE } from '../../src/assess/reuse.js';
import { resolveScope } from '../../src/assess/scope-resolution.js';
import { assessStoredRun } from '../../src/cli/stored-assessment.js';
import { readFolderRun, storeRun } from '../../src/cli/store-run.js';
import { demoDays } from '../../src/demo/demo-days.js';
import type { RunInfo } from '../../src/domain/history.js';
import type { AuditEvent, TenantSnapshot } from '../../src/domain/tenant.js';
import { load } from '../../src/load/index.js';
import { auditUserId, FILED_OWNERS, latestRun, openStore, type Store } from '../../src/store/index.js';

const DAY = 86_400_000;
let tmp: string;
let store: Store;
let run: RunInfo;

/** What `audit --db` made before stored assessments were reused: the run read whole, assessed whole. */
async function assessedWhole(now: Date): Promise<string> {
  const snapshot = await load({ kind: 'store', store, run }, 'assess', { rules: EVIDENCE_RULES });
  const scope = resolveScope(snapshot, HISTORY_SCOPE);
  return JSON.stringify(assess(snapshot, { now, scope: scope.values }, scope));
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'mfa-ready-stored-assessment-'));
  store = openStore(join(tmp, 'history.db'));
  // Several days of the demo's rollout: the last run carries events from the earlier ones.
  for (const day of demoDays(3)) {
    const dir = join(tmp, `day-${day.day}`);
    await day.writeExport(dir);
    storeRun(store, await readFolderRun(dir), { source: 'import', now: () => new Date(day.collectedAt) });
  }
  run = latestRun(store)!;
}, 60_000);
afterAll(async () => {
  store.close();
  await rm(tmp, { recursive: true, force: true });
});

describe('a stored run read again at a later clock', () => {
  const collected = () => Date.parse(run.collectedAt!);

  it.each([0, 60_000, 6 * 3_600_000, DAY, 2 * DAY + 1, 7 * DAY, 29 * DAY, 31 * DAY, 45 * DAY, 400 * DAY])(
    'at collection + %i ms is the assessment of the whole run, key for key',
    async (offset) => {
      const now = new Date(collected() + offset);
      const { assessment } = await assessStoredRun(store, run, now);
      expect(JSON.stringify(assessment)).toBe(await assessedWhole(now));
    },
    30_000,
  );

  it('assesses again only the users a clock comparison has turned for, more as time goes on', async () => {
    const at = (offset: number) => assessStoredRun(store, run, new Date(collected() + offset));
    const same = await at(0);
    expect(same.info).toEqual({ how: 'reused', assessedAgain: 0 });
    const day = await at(DAY + 1);
    const month = await at(31 * DAY);
    expect(day.info.how).toBe('reused');
    expect(day.info.assessedAgain).toBeGreaterThan(0);
    // 31 days on, every MFA sign-in of the collection is past Entra's retention: most users turn.
    expect(month.info.assessedAgain).toBeGreaterThan(day.info.assessedAgain);
  });

  it('is exact at each stored stable-until: the millisecond before keeps the stored assessment, the one at it assesses again', async () => {
    const untils = store.db
      .prepare(
        'SELECT DISTINCT stable_until FROM verdict_versions WHERE last_run = ? AND stable_until < 8.64e15 ORDER BY stable_until LIMIT 25',
      )
      .pluck()
      .all(run.id) as number[];
    expect(untils.length).toBeGreaterThan(5);
    for (const until of untils) {
      for (const ms of [until - 1, until]) {
        const now = new Date(ms);
        const { assessment } = await assessStoredRun(store, run, now);
        expect(JSON.stringify(assessment), new Date(ms).toISOString()).toBe(await assessedWhole(now));
      }
    }
  }, 120_000);

  it('a clock before the run assesses it whole', async () => {
    const now = new Date(collected() - DAY);
    const { assessment, info } = await assessStoredRun(store, run, now);
    expect(info).toMatchObject({ how: 'whole', why: 'the clock is before the run' });
    expect(JSON.stringify(assessment)).toBe(await assessedWhole(now));
  });

  it('a run assessed by other code is assessed whole, never trusted', async () => {
    const frameHash = store.db
      .prepare("SELECT hash FROM run_datasets WHERE run_id = ? AND dataset = 'assessmentFrame'")
      .pluck()
      .get(run.id) as string;
    const before = store.db.prepare('SELECT data FROM blobs WHERE hash = ?').pluck().get(frameHash) as string;
    const frame = JSON.parse(before) as { engine: string };
    store.db
      .prepare('UPDATE blobs SET data = ? WHERE hash = ?')
      .run(JSON.stringify({ ...frame, engine: 'another build' }), frameHash);
    try {
      const now = new Date(collected() + DAY);
      const { assessment, info } = await assessStoredRun(store, run, now);
      expect(info).toMatchObject({ how: 'whole', why: 'assessed by other code' });
      expect(JSON.stringify(assessment)).toBe(await assessedWhole(now));
    } finally {
      store.db.prepare('UPDATE blobs SET data = ? WHERE hash = ?').run(before, frameHash);
    }
  });

  it('rows stored without a stable-until (an older build) are assessed again', async () => {
    const ids = store.db
      .prepare('SELECT user_id FROM verdict_versions WHERE last_run = ? LIMIT 10')
      .pluck()
      .all(run.id) as string[];
    const saved = ids.map(
      (id) =>
        store.db
          .prepare('SELECT stable_until FROM verdict_versions WHERE user_id = ? AND last_run = ?')
          .pluck()
          .get(id, run.id) as number | null,
    );
    const set = store.db.prepare(
      'UPDATE verdict_versions SET stable_until = ? WHERE user_id = ? AND last_run = ?',
    );
    ids.forEach((id) => set.run(null, id, run.id));
    try {
      const now = new Date(collected());
      const { assessment, info } = await assessStoredRun(store, run, now);
      expect(info).toEqual({ how: 'reused', assessedAgain: 10 });
      expect(JSON.stringify(assessment)).toBe(await assessedWhole(now));
    } finally {
      ids.forEach((id, i) => set.run(saved[i], id, run.id));
    }
  });
});

describe('eventsFiledByOwner', () => {
  const filed = FILED_OWNERS;

  it('holds for the demo history: each event is filed under the user the rules give it to', async () => {
    const snapshot = await load({ kind: 'store', store, run }, 'assess', { rules: EVIDENCE_RULES });
    expect(eventsFiledByOwner(snapshot, filed)).toBe(true);
  });

  it('fails when a registration event names its user in another letter case than the directory', async () => {
    const snapshot = await load({ kind: 'store', store, run }, 'assess', { rules: EVIDENCE_RULES });
    const audits = snapshot.audits ?? [];
    // An event a rule reads (it has MFA-registration facts), filed under a user id with letters in it.
    const i = audits.findIndex((a) => auditFacts(a).length > 0 && /[a-f]/.test(auditUserId(a) ?? ''));
    expect(i).toBeGreaterThanOrEqual(0);
    const shouted: AuditEvent = {
      ...audits[i]!,
      targetResources: audits[i]!.targetResources.map((t) =>
        t.type?.toLowerCase() === 'user' ? { ...t, id: (t.id ?? '').toUpperCase() } : t,
      ),
    };
    const changed: TenantSnapshot = { ...snapshot, audits: audits.map((a, j) => (j === i ? shouted : a)) };
    expect(eventsFiledByOwner(changed, filed)).toBe(false);
  });
});
