/**
 * `remediate` end to end against the Graph emulator: collect, plan, apply with --apply. Every TAP value
 * the emulator issued is looked for in every output, the emulator's request log, the history database
 * file, the journal and a later export and audit: it must be in the owner-only TAP file alone. A
 * second apply sends no write at all.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RemediationApplyResult, RemediationPlan } from '../../src/domain/remediation.js';
import { applyRemediation, plannedWrites } from '../../src/apply/remediation.js';
import { chooseCredential, createGraphSource, resolveCloud } from '../../src/collect/graph/index.js';
import type { GraphWriter } from '../../src/collect/graph/writes.js';
import { DEFAULT_PERMISSIONS } from '../../src/emulator/index.js';
import { openStore } from '../../src/store/index.js';
import { readJournal } from '../../src/store/journal.js';
import { readPlan } from '../../src/store/plans.js';
import {
  COLLECTED_AT,
  SECRET,
  allText,
  runLive,
  startTestEmulator,
  tempDirs,
  type TestEmulator,
} from './live-support.js';

const WRITE = [...DEFAULT_PERMISSIONS, 'UserAuthenticationMethod.ReadWrite.All'];

describe('remediate against the emulator', () => {
  let t: TestEmulator;
  const dirs = tempDirs();
  let dir: string;
  let db: string;
  const outputs: string[] = [];
  let plan: RemediationPlan;
  let result: RemediationApplyResult;
  let tapValues: string[];

  beforeAll(async () => {
    t = await startTestEmulator({ grantedPermissions: WRITE, logRequests: true, throttling: false });
    dir = await dirs.make();
    db = path.join(dir, 'history.db');
    const collect = await runLive(['collect', ...t.args, '--db', db, '-q'], t.deps);
    expect(collect.code).toBe(0);
    const planned = await runLive(
      ['remediate', 'plan', '--db', db, '--now', COLLECTED_AT, '--out', path.join(dir, 'plan.json'), '-q'],
      t.deps,
    );
    expect(planned.code, planned.stderr).toBe(0);
    outputs.push(planned.stdout, planned.stderr);
    plan = JSON.parse(await readFile(path.join(dir, 'plan.json'), 'utf8')) as RemediationPlan;
    const applied = await runLive(
      [
        'remediate',
        'apply',
        path.join(dir, 'plan.json'),
        '--apply',
        '--db',
        db,
        '--tap-file',
        path.join(dir, 'taps.csv'),
        '--format',
        'json',
        ...t.args,
      ],
      t.deps,
    );
    expect(applied.code, applied.stderr).toBe(0);
    outputs.push(applied.stdout, applied.stderr);
    result = JSON.parse(applied.stdout) as RemediationApplyResult;
    const rows = (await readFile(path.join(dir, 'taps.csv'), 'utf8')).trim().split('\n').slice(1);
    tapValues = rows.map((r) => r.split(',')[2] as string);
  }, 240_000);

  afterAll(async () => {
    await t.close();
    await dirs.cleanup();
  });

  it('issues the planned TAPs into a file of mode 0600', async () => {
    const planned = plan.users.filter((u) => u.actions.some((a) => a.code === 'create-tap')).length;
    expect(planned).toBeGreaterThan(0);
    expect(result.taps).toHaveLength(planned);
    expect(tapValues).toHaveLength(planned);
    for (const v of tapValues) expect(v).toMatch(/^\S{8,48}$/);
    expect((await stat(path.join(dir, 'taps.csv'))).mode & 0o777).toBe(0o600);
    expect(result.tapFile).toBe(path.join(dir, 'taps.csv'));
  });

  it('deletes the half-registered entries, moving the default first where Graph would refuse', () => {
    const deletions = result.outcomes.filter((o) => o.action === 'delete-authenticator');
    expect(deletions.length).toBeGreaterThan(0);
    for (const d of deletions) expect(d.status, d.detail ?? '').toBe('done');
    const deleted = t.em.writes().filter((w) => w.method === 'DELETE');
    expect(deleted.every((w) => w.status === 204 || w.status === 400)).toBe(true);
  });

  it('keeps every TAP value out of outputs, the request log, the store, the journal and later exports', async () => {
    const reassess = await runLive(
      ['collect', ...t.args, '--db', db, '-q', '--out', path.join(dir, 'export')],
      t.deps,
    );
    expect(reassess.code, reassess.stderr).toBe(0);
    const audit = await runLive(['audit', '--db', db, '--format', 'json', '-q'], t.deps);
    const status = await runLive(['remediate', 'status', '--db', db, '--format', 'csv'], t.deps);
    expect(status.code, status.stderr).toBe(0);
    outputs.push(reassess.stdout, reassess.stderr, audit.stdout, audit.stderr, status.stdout, status.stderr);
    const store = openStore(db);
    const journal = JSON.stringify(readJournal(store, 'remediation', plan.name as string));
    store.close();
    const storeBytes = await readFile(db);
    const exported = await allText(path.join(dir, 'export'));
    const requestLog = t.em.requests().join('\n');
    const everything = [...outputs, journal, exported, requestLog].join('\n');
    expect(tapValues.length).toBeGreaterThan(0);
    for (const v of tapValues) {
      expect(everything).not.toContain(v);
      expect(storeBytes.includes(Buffer.from(v))).toBe(false);
    }
  });

  it('a second apply sends no write', async () => {
    const before = t.em.writes().length;
    const again = await runLive(
      [
        'remediate',
        'apply',
        path.join(dir, 'plan.json'),
        '--apply',
        '--db',
        db,
        '--tap-file',
        path.join(dir, 'taps.csv'),
        ...t.args,
      ],
      t.deps,
    );
    expect(again.code, again.stderr).toBe(0);
    expect(t.em.writes().length).toBe(before);
    expect(again.stdout).toContain('already-done');
  });
});

describe('remediate apply resumed after a crash, against the emulator', () => {
  let t: TestEmulator;
  const dirs = tempDirs();

  beforeAll(async () => {
    t = await startTestEmulator({ grantedPermissions: WRITE, throttling: false });
  });
  afterAll(async () => {
    await t.close();
    await dirs.cleanup();
  });

  it('sends each write once in all: what was answered before the crash is not sent again', async () => {
    const dir = await dirs.make();
    const db = path.join(dir, 'history.db');
    expect((await runLive(['collect', ...t.args, '--db', db, '-q'], t.deps)).code).toBe(0);
    const planned = await runLive(
      ['remediate', 'plan', '--db', db, '--now', COLLECTED_AT, '--name', 'crash', '-q'],
      t.deps,
    );
    expect(planned.code, planned.stderr).toBe(0);

    const endpoints = resolveCloud({ graphUrl: t.em.url, loginUrl: t.em.loginUrl });
    const choice = chooseCredential(
      { clientId: 'test-app', clientSecret: SECRET, tenant: t.em.tenantId },
      {},
      endpoints,
      { ca: t.em.caPem },
    );
    const source = createGraphSource({
      graphUrl: endpoints.graphUrl,
      credential: choice.credential,
      clock: t.clock,
      ca: t.em.caPem,
      redact: choice.redact,
    });
    // The process dies once Graph answered the first two writes of a phase.
    let crashed = false;
    const crashing: GraphWriter = {
      async write(requests, opts) {
        if (crashed || requests.length <= 2) return source.write(requests, opts);
        await source.write(requests.slice(0, 2), opts);
        crashed = true;
        throw new Error('simulated crash');
      },
    };
    const store = openStore(db);
    try {
      const stored = readPlan<RemediationPlan>(store, 'remediation', 'crash')!;
      const input = { name: stored.name, version: stored.version, plan: stored.data };
      const deps = {
        store,
        reader: source,
        now: () => new Date(COLLECTED_AT),
        tapFile: path.join(dir, 'taps.csv'),
      };
      await expect(applyRemediation(input, { ...deps, writer: crashing })).rejects.toThrow('simulated crash');
      const afterCrash = t.em.writes().length;
      expect(afterCrash).toBe(2);
      const resumed = await applyRemediation(input, { ...deps, writer: source });
      const writes = t.em.writes().map((w) => `${w.method} ${w.path}`);
      expect(writes.length).toBe(plannedWrites(stored.data).length);
      expect(new Set(writes).size).toBe(writes.length);
      expect(resumed.outcomes.filter((o) => o.status === 'already-done')).toHaveLength(2);
      const lines = (await readFile(path.join(dir, 'taps.csv'), 'utf8')).trim().split('\n');
      expect(lines.length - 1).toBe(
        plannedWrites(stored.data).filter((w) => w.action === 'create-tap').length,
      );
    } finally {
      store.close();
      source.close();
    }
  }, 240_000);
});

describe('remediate with the TAP policy disabled, against the emulator', () => {
  let t: TestEmulator;
  const dirs = tempDirs();

  beforeAll(async () => {
    t = await startTestEmulator({
      grantedPermissions: WRITE,
      throttling: false,
      temporaryAccessPassPolicy: { state: 'disabled' },
    });
  });
  afterAll(async () => {
    await t.close();
    await dirs.cleanup();
  });

  it('plans no pass, says where to enable the policy, and apply makes none', async () => {
    const dir = await dirs.make();
    const db = path.join(dir, 'history.db');
    expect((await runLive(['collect', ...t.args, '--db', db, '-q'], t.deps)).code).toBe(0);
    const planned = await runLive(
      [
        'remediate',
        'plan',
        '--db',
        db,
        '--now',
        COLLECTED_AT,
        '--name',
        'off',
        '--out',
        path.join(dir, 'p.json'),
      ],
      t.deps,
    );
    expect(planned.code, planned.stderr).toBe(0);
    expect(planned.stdout).toContain('the Temporary Access Pass policy is disabled');
    expect(planned.stdout).toContain(
      'Entra admin center → Protection → Authentication methods → Policies → Temporary Access Pass',
    );
    const plan = JSON.parse(await readFile(path.join(dir, 'p.json'), 'utf8')) as RemediationPlan;
    expect(plan.tapPolicy.state).toBe('disabled');
    expect(plan.users.flatMap((u) => u.actions).some((a) => a.code === 'create-tap')).toBe(false);
    const applied = await runLive(
      ['remediate', 'apply', 'off', '--apply', '--db', db, '--tap-file', path.join(dir, 't.csv'), ...t.args],
      t.deps,
    );
    expect(applied.code, applied.stderr).toBe(0);
    expect(t.em.writes().filter((w) => w.method === 'POST')).toEqual([]);
  }, 240_000);
});
