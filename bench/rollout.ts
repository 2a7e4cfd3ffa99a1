/**
 * Benchmark of the rollout (src/plan/rollout-*.ts, src/apply/group-changes.ts). Not part of `npm test`.
 *
 *   npm run bench:rollout                        both parts below
 *   node --import tsx bench/rollout.ts plan [USERS]    (default 100000)
 *   node --import tsx bench/rollout.ts apply [WAVE]    (default 1000)
 *
 * plan: planRollout of USERS assessed users (a verdict mix like a tenant part-way through a rollout),
 *   then rolloutNext for the first wave and for a later one with the journal of the waves before:
 *   wall time of each, median of 5.
 * apply: the Graph emulator in-process (throttling on, its clock shared), a cloud group, and
 *   `rollout next --apply` of a WAVE-user wave (every user not ready, so 2 × WAVE adds: enforcement and
 *   bypass) through the live Graph client's write path: the `$batch` round trips it took (from the
 *   emulator's request log) against ⌈changes / 20⌉, then the same command again: the writes it made
 *   (target 0).
 *
 * Each part appends its figures to bench/results.json as an object with "bench": "rollout".
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { RolloutJournalRecord } from '../src/domain/rollout.js';
import type { UserAssessment, Verdict } from '../src/domain/verdict.js';
import { rolloutNext } from '../src/plan/rollout-next.js';
import { planRollout } from '../src/plan/rollout-plan.js';

const argv = process.argv.slice(2);
const mode = argv[0] ?? 'all';

function record(result: Record<string, unknown>): void {
  const file = 'bench/results.json';
  const all = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>[];
  all.push({ bench: 'rollout', ...result });
  writeFileSync(file, `${JSON.stringify(all, null, 2)}\n`);
  console.log(JSON.stringify(result));
}

const gitHead = () => execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const MIX: [Verdict, number][] = [
  ['ready', 0.62],
  ['not-registered', 0.15],
  ['unknown', 0.08],
  ['loop-risk', 0.05],
  ['unverified', 0.04],
  ['looping', 0.02],
  ['policy-blocked', 0.02],
  ['excluded', 0.02],
];

/** Deterministic users: the i-th user's verdict from a fixed hash of i. */
export function syntheticUsers(n: number): UserAssessment[] {
  const out: UserAssessment[] = [];
  for (let i = 0; i < n; i++) {
    const x = ((i * 2654435761) % 2 ** 32) / 2 ** 32;
    let acc = 0;
    let verdict: Verdict = 'unknown';
    for (const [v, share] of MIX) {
      acc += share;
      if (x < acc) {
        verdict = v;
        break;
      }
    }
    const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    out.push({
      id,
      userPrincipalName: `user${String((i * 7919) % n).padStart(6, '0')}@contoso.edu`,
      displayName: `User ${i}`,
      verdict,
      confidence: verdict === 'ready' ? (['proven', 'registered', 'reported'] as const)[i % 3]! : null,
      weak: false,
      isAdmin: false,
      methods: [],
      evidence: [],
      action: { code: 'none', fields: {} } as UserAssessment['action'],
    });
  }
  return out;
}

const GROUP = { id: 'g-enforce', displayName: 'MFA_Required', onPremisesSyncEnabled: false };
const BYPASS = { id: 'g-bypass', displayName: 'MFA_ProofUpBypass', onPremisesSyncEnabled: false };

function benchPlan(n: number): void {
  const users = syntheticUsers(n);
  const byId = new Map(users.map((u) => [u.id, u]));
  const times: number[] = [];
  let plan = undefined as ReturnType<typeof planRollout> | undefined;
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    plan = planRollout(
      {
        name: 'bench',
        enforceGroup: GROUP,
        bypassGroup: BYPASS,
        scopeGroups: [],
        excludeGroups: [],
        excludeUsers: [],
        users,
        plannedFrom: { runId: 1, collectedAt: '2026-12-01T00:00:00Z' },
      },
      {
        waveSize: 1000,
        everyDays: 7,
        startDate: '2026-12-01',
        order: 'ready-first',
        readyThreshold: 0.5,
        maxBypassDays: 14,
      },
    );
    times.push(performance.now() - t0);
  }
  const p = plan!;
  const nextTimes: number[] = [];
  const laterTimes: number[] = [];
  // The journal of waves 1..10 applied, for a `next` part-way through.
  const journal: RolloutJournalRecord[] = p.waves.slice(0, 10).flatMap((w) =>
    w.userIds.map((id) => ({
      key: `e0:w${w.number}:add-member:${GROUP.id}:${id}`,
      operation: 'add-member',
      target: GROUP.id,
      subject: id,
      status: 'done' as const,
      attemptedAt: w.date,
      doneAt: `${w.date}T10:00:00.000Z`,
      detail: null,
    })),
  );
  for (let r = 0; r < 5; r++) {
    let t0 = performance.now();
    rolloutNext({
      plan: p,
      state: 'active',
      now: new Date('2026-12-01T10:00:00Z'),
      users: byId,
      journal: [],
    });
    nextTimes.push(performance.now() - t0);
    t0 = performance.now();
    rolloutNext({ plan: p, state: 'active', now: new Date('2027-02-10T10:00:00Z'), users: byId, journal });
    laterTimes.push(performance.now() - t0);
  }
  record({
    mode: 'plan',
    build: gitHead(),
    users: n,
    waves: p.waves.length,
    planMs: Math.round(median(times)),
    nextFirstWaveMs: Math.round(median(nextTimes)),
    nextAfter10WavesMs: Math.round(median(laterTimes)),
    targetMs: 2000,
  });
}

if (mode === 'plan' || mode === 'all') benchPlan(Number(argv[mode === 'plan' ? 1 : 99] ?? 100_000));
if (mode === 'apply' || mode === 'all') {
  const { benchApply } = await import('./rollout-apply.js');
  await benchApply(Number(argv[mode === 'apply' ? 1 : 99] ?? 1000), record, gitHead);
}
