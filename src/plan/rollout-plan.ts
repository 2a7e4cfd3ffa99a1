/**
 * Pure planning of a rollout: who is in it, in which order, and in which wave on which day. Same
 * inputs, same plan: every order ends in a total tie-break (UPN, then id).
 */
import type { RolloutGroup, RolloutOrder, RolloutPlan, RolloutWave } from '../domain/rollout.js';
import { ROLLOUT_PLAN_VERSION } from '../domain/rollout.js';
import type { UserAssessment } from '../domain/verdict.js';

const DAY_MS = 86_400_000;

export interface RolloutPlanInput {
  name: string;
  enforceGroup: RolloutGroup;
  bypassGroup: RolloutGroup;
  scopeGroups: RolloutGroup[];
  excludeGroups: RolloutGroup[];
  /** Resolved user ids of `--exclude-user`. */
  excludeUsers: string[];
  /**
   * The assessed population of the latest run, with the plan's scope applied (`assess` with the scope
   * groups and exclusions): users `excluded` there (disabled, guests, excluded by option, service
   * accounts when asked) are never planned.
   */
  users: readonly UserAssessment[];
  /** createdDateTime by user id, for the `created` order (users without one sort last). */
  createdAt?: ReadonlyMap<string, string>;
  plannedFrom: { runId: number | null; collectedAt: string | null };
  /**
   * Re-planning an existing plan: its waves in `keepWaves` (those already applied, wholly or in part)
   * are kept as they are, their users stay in them; everyone else is planned again into the waves after.
   */
  previous?: { plan: RolloutPlan; keepWaves: ReadonlySet<number>; rolledBack?: boolean };
}

export interface RolloutPlanOptions {
  waveSize: number;
  everyDays: number;
  /** YYYY-MM-DD. */
  startDate: string;
  order: RolloutOrder;
  readyThreshold: number;
  maxBypassDays: number;
}

/** Ready proven first, then ready by a completed registration, then ready by the report, then the rest. */
function readyRank(u: UserAssessment): number {
  if (u.verdict !== 'ready') return 3;
  return u.confidence === 'proven' ? 0 : u.confidence === 'registered' ? 1 : 2;
}

interface Keyed {
  user: UserAssessment;
  rank: number;
  upn: string;
}

function compareKeyed(a: Keyed, b: Keyed): number {
  if (a.rank !== b.rank) return a.rank - b.rank;
  if (a.upn !== b.upn) return a.upn < b.upn ? -1 : 1;
  return a.user.id < b.user.id ? -1 : a.user.id > b.user.id ? 1 : 0;
}

/** The users in the given order (a new array). */
export function orderUsers(
  users: readonly UserAssessment[],
  order: RolloutOrder,
  createdAt: ReadonlyMap<string, string> = new Map(),
): UserAssessment[] {
  const keyed: Keyed[] = users.map((user) => {
    let rank = 0;
    if (order === 'ready-first') rank = readyRank(user);
    else if (order === 'created') {
      const t = Date.parse(createdAt.get(user.id) ?? '');
      rank = Number.isNaN(t) ? Number.MAX_SAFE_INTEGER : t;
    }
    return { user, rank, upn: user.userPrincipalName.toLowerCase() };
  });
  keyed.sort(compareKeyed);
  return keyed.map((k) => k.user);
}

/** The day `n` waves after the start (YYYY-MM-DD, UTC). */
export function waveDate(startDate: string, everyDays: number, waveNumber: number): string {
  const start = Date.parse(`${startDate}T00:00:00Z`);
  return new Date(start + (waveNumber - 1) * everyDays * DAY_MS).toISOString().slice(0, 10);
}

/** Makes the plan. Throws RangeError on options the CLI should have refused (a bug, not user input). */
export function planRollout(input: RolloutPlanInput, options: RolloutPlanOptions): RolloutPlan {
  if (!(Number.isInteger(options.waveSize) && options.waveSize >= 1)) throw new RangeError('waveSize');
  if (!(Number.isInteger(options.everyDays) && options.everyDays >= 1)) throw new RangeError('everyDays');
  if (!(options.readyThreshold >= 0 && options.readyThreshold <= 1)) throw new RangeError('readyThreshold');

  const kept: RolloutWave[] = [];
  const upns: Record<string, string> = {};
  const planned = new Set<string>();
  const rolledBack = input.previous?.rolledBack === true;
  const epoch = input.previous === undefined ? 0 : input.previous.plan.epoch + (rolledBack ? 1 : 0);
  if (input.previous !== undefined && !rolledBack) {
    for (const w of input.previous.plan.waves) {
      if (!input.previous.keepWaves.has(w.number)) continue;
      kept.push({ number: w.number, date: w.date, userIds: [...w.userIds] });
      for (const id of w.userIds) {
        planned.add(id);
        upns[id] = input.previous.plan.upns[id] ?? id;
      }
    }
  }
  // Never guests, disabled accounts or excluded users: the assessment marks them all `excluded`.
  const eligible = input.users.filter((u) => u.verdict !== 'excluded' && !planned.has(u.id));
  const ordered = orderUsers(eligible, options.order, input.createdAt);

  const waves = [...kept];
  let number = kept.reduce((max, w) => Math.max(max, w.number), 0);
  for (let i = 0; i < ordered.length; i += options.waveSize) {
    number += 1;
    const slice = ordered.slice(i, i + options.waveSize);
    for (const u of slice) upns[u.id] = u.userPrincipalName;
    waves.push({
      number,
      date: waveDate(options.startDate, options.everyDays, number),
      userIds: slice.map((u) => u.id),
    });
  }

  return {
    schema: ROLLOUT_PLAN_VERSION,
    name: input.name,
    enforceGroup: input.enforceGroup,
    bypassGroup: input.bypassGroup,
    waveSize: options.waveSize,
    everyDays: options.everyDays,
    startDate: options.startDate,
    scopeGroups: input.scopeGroups,
    excludeGroups: input.excludeGroups,
    excludeUsers: [...input.excludeUsers].sort(),
    order: options.order,
    readyThreshold: options.readyThreshold,
    maxBypassDays: options.maxBypassDays,
    plannedFrom: input.plannedFrom,
    epoch,
    waves,
    upns: sortedRecord(upns),
  };
}

function sortedRecord(r: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(r).sort()) out[k] = r[k]!;
  return out;
}
