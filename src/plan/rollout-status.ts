/**
 * Pure `rollout status`: per wave its members, verdicts and % ready; who is in the bypass group, since
 * when and why; who overstayed; and what `next` would do today (with who blocks it and why).
 */
import type { RolloutPlan, RolloutStep } from '../domain/rollout.js';
import type { Verdict } from '../domain/verdict.js';
import { journalState, rolloutNext, type RolloutNextInput } from './rollout-next.js';

export type WaveState = 'applied' | 'partly-applied' | 'due' | 'scheduled';

export interface WaveStatus {
  number: number;
  date: string;
  state: WaveState;
  users: number;
  /** Users still in scope (not excluded, not gone). */
  inScope: number;
  ready: number;
  /** ready / inScope; null when nobody is in scope. */
  readyShare: number | null;
  verdicts: Partial<Record<Verdict | 'missing', number>>;
  /** Of the wave, in the enforcement group by the plan (journal), and in the bypass group. */
  enforced: number;
  bypassed: number;
}

export interface BypassStatus {
  userId: string;
  upn: string;
  wave: number;
  since: string | null;
  days: number | null;
  verdict: Verdict | 'missing';
  overstayed: boolean;
  /** Written as a script (synced group): whether the group's current members show it; null when unknown. */
  arrived: boolean | null;
}

/** Changes written as a script (synced groups): whether the groups' current members show them. */
export interface ScriptedStatus {
  total: number;
  arrived: number;
  notArrived: number;
  /** The group's members are not in the latest run (collect with --scope-group for it). */
  unknown: number;
}

export interface RolloutStatus {
  plan: RolloutPlan;
  waves: WaveStatus[];
  bypass: BypassStatus[];
  scripted: ScriptedStatus;
  /** What `rollout next` would do today. */
  next: RolloutStep;
}

const DAY_MS = 86_400_000;

export function rolloutStatus(input: RolloutNextInput): RolloutStatus {
  const { plan } = input;
  const state = journalState(plan, input.journal);
  const next = rolloutNext(input);
  const enforce = state.groups.get(plan.enforceGroup.id);
  const bypassState = state.groups.get(plan.bypassGroup.id);
  const today = input.now.toISOString().slice(0, 10);
  const waveOf = new Map<string, number>();

  const waves: WaveStatus[] = plan.waves.map((w) => {
    const verdicts: Partial<Record<Verdict | 'missing', number>> = {};
    let inScope = 0;
    let ready = 0;
    let enforced = 0;
    let bypassed = 0;
    for (const id of w.userIds) {
      waveOf.set(id, w.number);
      const u = input.users.get(id);
      const v = u?.verdict ?? 'missing';
      verdicts[v] = (verdicts[v] ?? 0) + 1;
      if (u !== undefined && u.verdict !== 'excluded') inScope += 1;
      if (v === 'ready') ready += 1;
      if (enforce?.get(id)?.member === true) enforced += 1;
      if (bypassState?.get(id)?.member === true) bypassed += 1;
    }
    const started = state.started.has(w.number);
    const pending = next.advancing === w.number && started;
    const waveState: WaveState = started
      ? pending
        ? 'partly-applied'
        : 'applied'
      : w.date <= today
        ? 'due'
        : 'scheduled';
    return {
      number: w.number,
      date: w.date,
      state: waveState,
      users: w.userIds.length,
      inScope,
      ready,
      readyShare: inScope === 0 ? null : ready / inScope,
      verdicts,
      enforced,
      bypassed,
    };
  });

  const bypass: BypassStatus[] = [];
  for (const [userId, s] of [...(bypassState ?? [])].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!s.member || !s.ours) continue;
    const days = s.since === null ? null : Math.floor((input.now.getTime() - Date.parse(s.since)) / DAY_MS);
    const current = input.members?.bypass;
    bypass.push({
      userId,
      upn: plan.upns[userId] ?? userId,
      wave: waveOf.get(userId) ?? 0,
      since: s.since,
      days,
      verdict: input.users.get(userId)?.verdict ?? 'missing',
      overstayed: days !== null && days > plan.maxBypassDays,
      arrived: s.scripted ? (current === undefined ? null : current.has(userId)) : null,
    });
  }
  const scripted: ScriptedStatus = { total: 0, arrived: 0, notArrived: 0, unknown: 0 };
  for (const [group, current] of [
    [plan.enforceGroup, input.members?.enforce],
    [plan.bypassGroup, input.members?.bypass],
  ] as const) {
    for (const s of state.groups.get(group.id)?.entries() ?? []) {
      const [userId, m] = s;
      if (!m.scripted) continue;
      scripted.total += 1;
      if (current === undefined) scripted.unknown += 1;
      else if (current.has(userId) === m.member) scripted.arrived += 1;
      else scripted.notArrived += 1;
    }
  }
  return { plan, waves, bypass, scripted, next };
}
