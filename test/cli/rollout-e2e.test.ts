/**
 * A whole rollout against the Graph emulator, end to end through the CLI: collect, plan, then rounds of
 * (move the emulated tenant's days on while its users register, collect, `rollout next --apply`). Each
 * round's decision is checked against the verdicts `audit` gives on the same stored run: a wave
 * advances only when enough of its users are ready, holds otherwise, and the groups in the emulator
 * hold exactly what the plan says. Then a crash between two `$batch`es, and a re-run that makes no
 * duplicate write (from the emulator's log of writes).
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { applyGroupChanges } from '../../src/apply/group-changes.js';
import { openGraphSession } from '../../src/cli/graph-session.js';
import type { GraphWriter } from '../../src/collect/graph/writes.js';
import type { GroupChange, RolloutPlan, RolloutStep } from '../../src/domain/rollout.js';
import { CLOUD_ROLLOUT_GROUPS, DEFAULT_PERMISSIONS, extraGroupId } from '../../src/emulator/index.js';
import { openStore, readJournal, readPlan } from '../../src/store/index.js';
import { Capture } from '../support/cli.js';
import type { TestEmulator } from './live-support.js';
import { COLLECTED_AT, STACK_LINE, runLive, startTestEmulator, tempDirs } from './live-support.js';

const temp = tempDirs();
afterAll(() => temp.cleanup());
const DAY = 86_400_000;
const ENFORCE = extraGroupId('MFA_Enforced_Cloud');
const BYPASS = extraGroupId('MFA_Bypass_Cloud');
const THRESHOLD = 0.6;
/** The emulated tenant's last day the rollout may run to (src/demo/rollout.ts MAX_ROLLOUT_DAYS is 30). */
const LAST_DAY = 28;

interface StepJson extends RolloutStep {
  result?: { sent: number; done: number; skipped: number; failed: unknown[] };
}

/** Membership writes the emulator answered since `from` (inner `$batch` requests included). */
function memberWrites(t: TestEmulator, from = 0): string[] {
  return t.em
    .writes()
    .slice(from)
    .filter((w) => w.path.includes('/members/'))
    .map((w) => `${w.method} ${w.path}`);
}

async function members(t: TestEmulator, groupId: string): Promise<Set<string>> {
  const session = openGraphSession(
    flagsOf(t),
    { stdout: new Capture(false), stderr: new Capture(false), env: {} },
    t.deps,
  );
  try {
    const ids = new Set<string>();
    for await (const page of session.source.pages<{ id: string }>(`/groups/${groupId}/members?$select=id`))
      for (const m of page.items) ids.add(m.id);
    return ids;
  } finally {
    session.close();
  }
}

function flagsOf(t: TestEmulator) {
  const a = t.args;
  const v = (f: string) => a[a.indexOf(f) + 1]!;
  return {
    tenant: v('--tenant'),
    graphUrl: v('--graph-url'),
    loginUrl: v('--login-url'),
    clientId: v('--client-id'),
    clientSecret: v('--client-secret'),
  };
}

const start = () =>
  startTestEmulator({
    logRequests: true,
    rolloutStart: COLLECTED_AT,
    extraGroups: CLOUD_ROLLOUT_GROUPS,
    grantedPermissions: [...DEFAULT_PERMISSIONS, 'GroupMember.ReadWrite.All'],
  });

describe('rollout end to end against the emulator', () => {
  let t: TestEmulator;
  beforeAll(async () => {
    t = await start();
  });
  afterAll(() => t.close());

  it('plans, then waves advance or hold for the right reason while users register; the bypass group empties', async () => {
    const dir = await temp.make();
    const db = path.join(dir, 'history.db');
    let day = 0;
    const at = () => new Date(Date.parse(COLLECTED_AT) + day * DAY);
    const deps = () => ({ ...t.deps, now: at });
    const groupsFlags = ['--scope-group', ENFORCE, '--scope-group', BYPASS, '--scope-group', 'Break Glass'];

    // The users the emulated tenant never brings to a verified registration within LAST_DAY days (its
    // answer key on that day) are left out of the plan: with them the bypass group could never empty.
    const probe = await startTestEmulator({
      rolloutStart: COLLECTED_AT,
      collectedAt: new Date(Date.parse(COLLECTED_AT) + LAST_DAY * DAY).toISOString(),
    });
    const today = new Set([...t.em.tenant.expectations()].map((u) => u.id));
    const never = [...probe.em.tenant.expectations()]
      .filter((u) => today.has(u.id))
      .filter((u) => !(u.verdict === 'ready' && (u.confidence === 'proven' || u.confidence === 'registered')))
      .map((u) => u.id);
    await probe.close();

    // Each day the daily refresh into the history (collect --db): the first run reads in full, later
    // ones only what is new, as an admin's scheduled collection would.
    const collect = async () => {
      const r = await runLive(['collect', ...t.args, '--db', db, ...groupsFlags], deps());
      expect(r.stderr).not.toMatch(STACK_LINE);
      expect(r.code, r.stderr).toBe(0);
    };
    await collect();
    const planned = await runLive(
      [
        'rollout',
        'plan',
        '--name',
        'e2e',
        '--enforce-group',
        'MFA_Enforced_Cloud',
        '--bypass-group',
        'MFA_Bypass_Cloud',
        '--wave-size',
        '15',
        '--every',
        '2d',
        '--start',
        at().toISOString().slice(0, 10),
        '--ready-threshold',
        String(THRESHOLD),
        '--exclude-group',
        'Break Glass',
        ...never.flatMap((id) => ['--exclude-user', id]),
        '--db',
        db,
      ],
      deps(),
    );
    expect(planned.stderr).not.toMatch(STACK_LINE);
    expect(planned.code).toBe(0);
    const store = openStore(db);
    const plan = readPlan<RolloutPlan>(store, 'rollout', 'e2e')!.data;
    store.close();
    expect(plan.waves.length).toBeGreaterThanOrEqual(3);

    /** The wave's ready share, from `audit` on the same stored run (the assessment the decision rests on). */
    const readyShare = async (wave: number) => {
      const audit = await runLive(
        [
          'audit',
          '--db',
          db,
          '--format',
          'json',
          '--exclude-group',
          'Break Glass',
          ...never.flatMap((id) => ['--exclude-user', id]),
          '--now',
          at().toISOString(),
        ],
        deps(),
      );
      const verdicts = new Map(
        (JSON.parse(audit.stdout) as { users: { id: string; verdict: string }[] }).users.map((u) => [
          u.id,
          u.verdict,
        ]),
      );
      const ids = plan.waves
        .find((w) => w.number === wave)!
        .userIds.filter((id) => verdicts.has(id) && verdicts.get(id) !== 'excluded');
      return ids.filter((id) => verdicts.get(id) === 'ready').length / ids.length;
    };

    // One round a day, as an admin would: the tenant moves on a day (users register), collect, next --apply.
    const decisions: string[] = [];
    let complete = false;
    for (; day <= LAST_DAY && !complete;) {
      if (day > 0) await collect();
      const mark = t.em.writes().length;
      const r = await runLive(
        ['rollout', 'next', 'e2e', '--apply', '--format', 'json', '--db', db, ...t.args],
        deps(),
      );
      expect(r.stderr).not.toMatch(STACK_LINE);
      expect(r.code, r.stderr).toBe(0);
      const step = JSON.parse(r.stdout) as StepJson;
      // Exactly the change set went to Graph.
      expect(memberWrites(t, mark)).toHaveLength(step.changes.length);
      const enforce = await members(t, ENFORCE);
      if (step.advancing !== null) {
        decisions.push(`day ${day}: wave ${step.advancing} advances`);
        expect(await readyShare(step.advancing)).toBeGreaterThanOrEqual(THRESHOLD);
        const wave = plan.waves.find((w) => w.number === step.advancing)!;
        for (const id of wave.userIds) expect(enforce.has(id), id).toBe(true);
      }
      if (step.hold !== null) {
        decisions.push(`day ${day}: ${step.hold.code}`);
        expect(step.changes.every((c: GroupChange) => c.reason === 'graduated')).toBe(true);
        expect(step.blockers.length).toBeGreaterThan(0);
        if (step.hold.code === 'below-threshold')
          expect(await readyShare(step.hold.wave)).toBeLessThan(THRESHOLD);
        // Nobody of a held wave is enforced.
        const hold = step.hold;
        const held = plan.waves.find((w) => 'wave' in hold && w.number === hold.wave)!;
        for (const id of held.userIds) expect(enforce.has(id), id).toBe(false);
      }
      const graduated = step.changes.filter((c) => c.reason === 'graduated').length;
      if (graduated > 0) decisions.push(`day ${day}: ${graduated} graduate`);
      // Whoever the plan put in the bypass group is there in the emulator, and nobody else.
      const bypass = await members(t, BYPASS);
      const store2 = openStore(db);
      const journal = readJournal(store2, 'rollout', 'e2e');
      store2.close();
      const inBypass = new Set<string>();
      for (const e of journal.filter((j) => j.target === BYPASS && j.status === 'done'))
        if (e.operation === 'add-member') inBypass.add(e.subject!);
        else inBypass.delete(e.subject!);
      expect([...bypass].sort()).toEqual([...inBypass].sort());
      complete = step.notices.some((n) => n.code === 'complete');
      if (!complete && day < LAST_DAY) {
        t.em.advanceDay(1);
        await t.clock.advance(DAY);
      }
      day += 1;
    }
    expect(complete, decisions.join('\n')).toBe(true);
    expect(await members(t, BYPASS)).toEqual(new Set());
    const everyone = plan.waves.flatMap((w) => w.userIds);
    const enforce = await members(t, ENFORCE);
    expect(everyone.every((id) => enforce.has(id))).toBe(true);
    expect(decisions.filter((d) => d.includes('advances')).length).toBe(plan.waves.length);
    expect(decisions.some((d) => d.includes('below-threshold') || d.includes('previous-wave'))).toBe(true);
    expect(decisions.some((d) => d.includes('graduate'))).toBe(true);
  }, 900_000);

  it('a crash between two $batches, then the re-run: no duplicate write', async () => {
    const t = await start();
    onTestFinished(() => t.close());
    const dir = await temp.make();
    const db = path.join(dir, 'history.db');
    const deps = t.deps;
    expect(
      (
        await runLive(
          ['collect', ...t.args, '--db', db, '--scope-group', ENFORCE, '--scope-group', BYPASS],
          deps,
        )
      ).code,
    ).toBe(0);
    const plan = await runLive(
      [
        'rollout',
        'plan',
        '--name',
        'crash',
        '--enforce-group',
        ENFORCE,
        '--bypass-group',
        BYPASS,
        '--wave-size',
        '45',
        '--ready-threshold',
        '0',
        '--order',
        'upn',
        '--db',
        db,
      ],
      deps,
    );
    expect(plan.code).toBe(0);
    const review = await runLive(['rollout', 'next', 'crash', '--format', 'json', '--db', db], deps);
    const changes = (JSON.parse(review.stdout) as StepJson).changes;
    expect(changes.length).toBeGreaterThan(20);

    // Through the live client's write path, killed after its first $batch was answered.
    const session = openGraphSession(
      flagsOf(t),
      { stdout: new Capture(false), stderr: new Capture(false), env: {} },
      deps,
    );
    const source: GraphWriter = session.source;
    const crashing: GraphWriter = {
      async write(requests, opts) {
        const first = await source.write(requests.slice(0, 20), opts);
        void first;
        throw new Error('simulated crash between two $batches');
      },
    };
    const mark = t.em.writes().length;
    const store = openStore(db);
    try {
      const stored = readPlan<RolloutPlan>(store, 'rollout', 'crash')!;
      await expect(
        applyGroupChanges({
          store,
          plan: { name: 'crash', version: stored.version },
          changes,
          writer: crashing,
          now: () => new Date(),
        }),
      ).rejects.toThrow(/simulated crash/);
      const statuses = readJournal(store, 'rollout', 'crash').map((e) => e.status);
      expect(statuses.filter((s) => s === 'done')).toHaveLength(20);
      expect(statuses.filter((s) => s === 'pending')).toHaveLength(changes.length - 20);
    } finally {
      store.close();
      session.close();
    }
    expect(memberWrites(t, mark)).toHaveLength(20);

    const rerun = await runLive(
      ['rollout', 'next', 'crash', '--apply', '--format', 'json', '--db', db, ...t.args],
      deps,
    );
    expect(rerun.stderr).not.toMatch(STACK_LINE);
    expect(rerun.code, rerun.stderr).toBe(0);
    const writes = memberWrites(t, mark);
    // Every change written exactly once over the two runs (the first 20 by the crashed run only).
    expect(writes).toHaveLength(changes.length);
    const again = await runLive(
      ['rollout', 'next', 'crash', '--apply', '--format', 'json', '--db', db, ...t.args],
      deps,
    );
    expect(again.code).toBe(0);
    expect(memberWrites(t, mark)).toHaveLength(changes.length);
  }, 300_000);
});
