/**
 * Pure "what now" of a rollout: from the plan, today, the latest assessment, the groups' current
 * members and the journal of what was written before, today's change set and why a wave holds.
 *
 * The journal is the plan's memory: a change journaled `done` (or `scripted`, for a group synced from
 * on-premises) is what the plan did; replaying it gives who the plan put in which group and since when.
 * Journal keys are `e<epoch>:<tag>:<op>:<group>:<user>` with tag `w<wave>`, `graduate` or `rollback`:
 * asking again for the same change gives the same key, so the applier never sends a done one twice.
 */
import type {
  Blocker,
  GroupChange,
  HoldReason,
  RolloutGroup,
  RolloutJournalRecord,
  RolloutNotice,
  RolloutPlan,
  RolloutState,
  RolloutStep,
} from '../domain/rollout.js';
import type { UserAssessment } from '../domain/verdict.js';

const DAY_MS = 86_400_000;

export interface RolloutNextInput {
  plan: RolloutPlan;
  state: RolloutState;
  /** Today (the wave due is the first whose date is on or before this day, UTC). */
  now: Date;
  /**
   * The latest assessment with the plan's scope applied, by user id: users `excluded` there or absent
   * have left the scope.
   */
  users: ReadonlyMap<string, UserAssessment>;
  /** The groups' current members (transitive ids), where known: to see whether scripted changes arrived. */
  members?: { enforce?: ReadonlySet<string>; bypass?: ReadonlySet<string> };
  /** The plan's journal, oldest first. */
  journal: readonly RolloutJournalRecord[];
  /** When the evidence `users` were assessed from was collected (ISO 8601), if known. */
  evidenceAt?: string | null;
}

/** What the journal says the plan did to one member of one group. */
export interface MemberState {
  member: boolean;
  /** When the last done change for it was made (doneAt). */
  since: string | null;
  /** The plan put the user there (false: the user already was a member when the plan added them). */
  ours: boolean;
  /** The last change was written as a script, not through Graph. */
  scripted: boolean;
  /** The tag of the key of the last change (`w3`, `graduate`, `rollback`). */
  tag: string;
}

export interface JournalState {
  /** group id → user id → state, for the current epoch's and earlier changes alike. */
  groups: Map<string, Map<string, MemberState>>;
  /** Waves with any journaled change in the plan's epoch: started (applied wholly or in part). */
  started: Set<number>;
  /** Per started wave, the first time one of its changes was done: "since it was applied". */
  appliedAt: Map<number, string>;
  /** Keys journaled but not done (pending: a crash; failed: refused), with their records. */
  unfinished: Map<string, RolloutJournalRecord>;
}

export function changeKey(
  epoch: number,
  tag: string,
  op: GroupChange['op'],
  groupId: string,
  userId: string,
): string {
  return `e${epoch}:${tag}:${op}:${groupId}:${userId}`;
}

const KEY = /^e(\d+):([^:]+):/;

/** Replays the journal. */
export function journalState(plan: RolloutPlan, journal: readonly RolloutJournalRecord[]): JournalState {
  const groups = new Map<string, Map<string, MemberState>>();
  const started = new Set<number>();
  const appliedAt = new Map<number, string>();
  const unfinished = new Map<string, RolloutJournalRecord>();
  for (const e of journal) {
    const m = KEY.exec(e.key);
    const epoch = m === null ? -1 : Number(m[1]);
    const tag = m?.[2] ?? '';
    const wave = tag.startsWith('w') ? Number(tag.slice(1)) : NaN;
    if (epoch === plan.epoch && Number.isInteger(wave)) {
      started.add(wave);
      if (e.status === 'done' || e.status === 'scripted') {
        const at = e.doneAt ?? e.attemptedAt;
        const first = appliedAt.get(wave);
        if (first === undefined || at < first) appliedAt.set(wave, at);
      }
    }
    if (e.status === 'pending' || e.status === 'failed') {
      if (epoch === plan.epoch) unfinished.set(e.key, e);
      continue;
    }
    unfinished.delete(e.key);
    if (e.subject === null) continue;
    let byUser = groups.get(e.target);
    if (byUser === undefined) groups.set(e.target, (byUser = new Map()));
    const add = e.operation === 'add-member';
    byUser.set(e.subject, {
      member: add,
      since: e.doneAt,
      ours: add ? e.detail?.['alreadyMember'] !== true : false,
      scripted: e.status === 'scripted',
      tag,
    });
  }
  return { groups, started, appliedAt, unfinished };
}

/** The waves to keep when the plan is made again: every wave started in the plan's epoch. */
export function appliedWaves(plan: RolloutPlan, journal: readonly RolloutJournalRecord[]): Set<number> {
  return journalState(plan, journal).started;
}

function memberOf(state: JournalState, group: RolloutGroup, userId: string): MemberState | undefined {
  return state.groups.get(group.id)?.get(userId);
}

/** Ready, with a registration verified by an MFA sign-in or by the audit log: may leave the bypass group. */
export function canGraduate(u: UserAssessment | undefined): boolean {
  return (
    u !== undefined && u.verdict === 'ready' && (u.confidence === 'proven' || u.confidence === 'registered')
  );
}

function inScope(u: UserAssessment | undefined): u is UserAssessment {
  return u !== undefined && u.verdict !== 'excluded';
}

function waveOf(plan: RolloutPlan): Map<string, number> {
  const out = new Map<string, number>();
  for (const w of plan.waves) for (const id of w.userIds) out.set(id, w.number);
  return out;
}

function change(
  plan: RolloutPlan,
  op: GroupChange['op'],
  group: RolloutGroup,
  userId: string,
  reason: GroupChange['reason'],
  wave: number,
  tag: string,
): GroupChange {
  return {
    op,
    group,
    userId,
    upn: plan.upns[userId] ?? userId,
    reason,
    wave,
    key: changeKey(plan.epoch, tag, op, group.id, userId),
  };
}

/** Notices that hold whatever today's decision: overstays, regressions, scripts not arrived. */
function standingNotices(input: RolloutNextInput, state: JournalState): RolloutNotice[] {
  const { plan, now } = input;
  const notices: RolloutNotice[] = [];
  const waves = waveOf(plan);
  const bypass = state.groups.get(plan.bypassGroup.id) ?? new Map<string, MemberState>();
  for (const [userId, s] of [...bypass].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!s.member || !s.ours || s.since === null) continue;
    const days = Math.floor((now.getTime() - Date.parse(s.since)) / DAY_MS);
    if (days > plan.maxBypassDays) notices.push({ code: 'overstayed', userId, since: s.since, days });
  }
  const enforce = state.groups.get(plan.enforceGroup.id) ?? new Map<string, MemberState>();
  for (const [userId, s] of bypass) {
    // Graduated (taken out of bypass by the plan) and still enforced, but no longer ready.
    if (s.member || s.tag !== 'graduate' || enforce.get(userId)?.member !== true) continue;
    const u = input.users.get(userId);
    if (u?.verdict !== 'ready')
      notices.push({
        code: 'regressed',
        userId,
        wave: waves.get(userId) ?? 0,
        verdict: u?.verdict ?? 'missing',
      });
  }
  for (const [group, current] of [
    [plan.enforceGroup, input.members?.enforce],
    [plan.bypassGroup, input.members?.bypass],
  ] as const) {
    if (current === undefined) continue;
    for (const [userId, s] of state.groups.get(group.id) ?? []) {
      if (!s.scripted || current.has(userId) === s.member) continue;
      notices.push({
        code: 'script-not-arrived',
        userId,
        groupId: group.id,
        op: s.member ? 'add-member' : 'remove-member',
      });
    }
  }
  return notices;
}

/** Users of the previous wave who were sent to register again, or loop, since it was applied. */
function previousWaveBlockers(input: RolloutNextInput, state: JournalState, wave: number): Blocker[] {
  const prev = input.plan.waves.find((w) => w.number === wave);
  if (prev === undefined) return [];
  const since = Date.parse(state.appliedAt.get(wave) ?? '');
  const after = (at: string | null | undefined): boolean =>
    at !== null && at !== undefined && !Number.isNaN(since) && Date.parse(at) >= since;
  const out: Blocker[] = [];
  for (const id of prev.userIds) {
    const u = input.users.get(id);
    if (!inScope(u)) continue;
    const loop = u.evidence.find(
      (e) => e.code === 'registration-loop' && (after(e.fields.lastAt) || after(e.at)),
    );
    if (loop !== undefined || u.verdict === 'looping') {
      out.push({ code: 'new-loop', userId: id, wave, at: loop?.at ?? null });
      continue;
    }
    const interrupt = u.evidence.find((e) => e.code === 'registration-interrupt' && after(e.at));
    if (interrupt !== undefined) out.push({ code: 'new-interrupt', userId: id, wave, at: interrupt.at });
  }
  return out;
}

/** Today's change set. Paused and rolled-back plans make no change. */
export function rolloutNext(input: RolloutNextInput): RolloutStep {
  const { plan } = input;
  const state = journalState(plan, input.journal);
  const step: RolloutStep = {
    advancing: null,
    changes: [],
    hold: null,
    blockers: [],
    notices: standingNotices(input, state),
  };
  if (input.state === 'rolled-back') return { ...step, hold: { code: 'rolled-back' } };
  if (input.state === 'paused') return { ...step, hold: { code: 'paused' } };
  const waves = waveOf(plan);

  // Graduation: out of the bypass group, for every user the plan put there whose registration is verified.
  // Never a user whose readiness is unknown or only reported: that would be a false-ready.
  const bypass = state.groups.get(plan.bypassGroup.id) ?? new Map<string, MemberState>();
  for (const userId of [...bypass.keys()].sort()) {
    const s = bypass.get(userId)!;
    if (s.member && s.ours && canGraduate(input.users.get(userId)))
      step.changes.push(
        change(
          plan,
          'remove-member',
          plan.bypassGroup,
          userId,
          'graduated',
          waves.get(userId) ?? 0,
          'graduate',
        ),
      );
  }

  // A wave started before (a crash, a refusal, a user back in scope) is finished first, ungated: it
  // passed its gate when it started. Its bypass adds are re-sent only when unfinished, never for a
  // user who regressed after graduating (that is for the admin to decide: a `regressed` notice).
  for (const w of plan.waves) {
    if (!state.started.has(w.number)) continue;
    const tag = `w${w.number}`;
    let any = false;
    for (const id of w.userIds) {
      const u = input.users.get(id);
      if (!inScope(u)) continue;
      const bypassKey = changeKey(plan.epoch, tag, 'add-member', plan.bypassGroup.id, id);
      const enforced = memberOf(state, plan.enforceGroup, id)?.member === true;
      if (!enforced) {
        step.changes.push(change(plan, 'add-member', plan.enforceGroup, id, 'wave-enforce', w.number, tag));
        any = true;
      }
      const bypassed = memberOf(state, plan.bypassGroup, id)?.member === true;
      if (!bypassed && u.verdict !== 'ready' && (!enforced || state.unfinished.has(bypassKey))) {
        step.changes.push(change(plan, 'add-member', plan.bypassGroup, id, 'wave-bypass', w.number, tag));
        any = true;
      }
    }
    if (any && step.advancing === null) step.advancing = w.number;
  }
  if (step.advancing !== null) return step;

  const today = input.now.toISOString().slice(0, 10);
  for (const w of plan.waves) {
    if (state.started.has(w.number)) continue;
    if (w.date > today) {
      step.notices.push({ code: 'next-wave', wave: w.number, date: w.date });
      return step;
    }
    const members = w.userIds.map((id) => [id, input.users.get(id)] as const);
    const present = members.filter((m): m is readonly [string, UserAssessment] => inScope(m[1]));
    for (const [id, u] of members)
      if (!inScope(u)) step.notices.push({ code: 'left-scope', userId: id, wave: w.number });
    // A wave nobody of which is in scope any more holds nothing up.
    if (present.length === 0) continue;

    const notReady = present.filter(([, u]) => u.verdict !== 'ready');
    const ready = present.length - notReady.length;
    let hold: HoldReason | null = null;
    if (ready < plan.readyThreshold * present.length) {
      hold = {
        code: 'below-threshold',
        wave: w.number,
        ready,
        inScope: present.length,
        threshold: plan.readyThreshold,
      };
      for (const [id, u] of notReady)
        step.blockers.push({ code: 'not-ready', userId: id, verdict: u.verdict });
    }
    const previous = [...state.started].filter((n) => n < w.number).reduce((m, n) => Math.max(m, n), 0);
    const appliedAt = state.appliedAt.get(previous);
    if (
      hold === null &&
      previous > 0 &&
      appliedAt !== undefined &&
      input.evidenceAt !== undefined &&
      input.evidenceAt !== null &&
      Date.parse(input.evidenceAt) < Date.parse(appliedAt)
    )
      hold = {
        code: 'evidence-before-previous-wave',
        wave: w.number,
        previous,
        collectedAt: input.evidenceAt,
        appliedAt,
      };
    if (previous > 0) {
      const failing = previousWaveBlockers(input, state, previous);
      if (failing.length > 0) {
        hold ??= { code: 'previous-wave-failing', wave: w.number, previous, users: failing.length };
        step.blockers.push(...failing);
      }
    }
    if (hold !== null) return { ...step, hold };

    const tag = `w${w.number}`;
    step.advancing = w.number;
    for (const [id, u] of present) {
      step.changes.push(change(plan, 'add-member', plan.enforceGroup, id, 'wave-enforce', w.number, tag));
      if (u.verdict !== 'ready')
        step.changes.push(change(plan, 'add-member', plan.bypassGroup, id, 'wave-bypass', w.number, tag));
    }
    return step;
  }
  // Every wave started: complete once nobody the plan put in the bypass group is left there.
  const waiting = [...bypass.values()].some((s) => s.member && s.ours);
  if (!waiting && step.changes.length === 0) step.notices.push({ code: 'complete' });
  return step;
}

/** Rollback: remove everything the plan added (never a user who already was a member before it). */
export function rolloutRollback(plan: RolloutPlan, journal: readonly RolloutJournalRecord[]): GroupChange[] {
  const state = journalState(plan, journal);
  const waves = waveOf(plan);
  const out: GroupChange[] = [];
  for (const group of [plan.bypassGroup, plan.enforceGroup]) {
    const byUser = state.groups.get(group.id);
    if (byUser === undefined) continue;
    for (const userId of [...byUser.keys()].sort()) {
      const s = byUser.get(userId)!;
      if (s.member && s.ours)
        out.push(
          change(plan, 'remove-member', group, userId, 'rollback', waves.get(userId) ?? 0, 'rollback'),
        );
    }
  }
  // Removals journaled before but not done (a crash during an earlier rollback) come again under their key.
  return out;
}
