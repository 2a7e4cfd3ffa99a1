/**
 * A readiness-gated rollout: users added in waves to an enforcement group, those of a wave who are not
 * ready yet also to a bypass group, and taken out of the bypass group once their registration is
 * verified. Everything here is data: the plan the planner makes (src/plan/rollout-plan.ts), the
 * changes one `rollout next` asks for (src/plan/rollout-next.ts), and why a wave holds; the words are
 * in src/report/rollout.ts.
 */
import type { Verdict } from './verdict.js';

/** The version of the stored plan's shape (plans.data): bump it when a field changes meaning. */
export const ROLLOUT_PLAN_VERSION = 1;

/**
 * Who goes first. `ready-first`: ready and proven by an MFA sign-in, then ready by a completed
 * registration, then ready by the report only, then the rest (ties by UPN). `upn`: by UPN.
 * `created`: oldest accounts first (createdDateTime; ties and unknown dates by UPN). The users
 * dataset has no department (src/domain/tenant.ts DIRECTORY_USER_FIELDS), so no order by it.
 */
export const ROLLOUT_ORDERS = ['ready-first', 'upn', 'created'] as const;
export type RolloutOrder = (typeof ROLLOUT_ORDERS)[number];

/** A stored plan's state (src/store/plans.ts PlanState). */
export type RolloutState = 'active' | 'paused' | 'rolled-back' | 'done';

/** A group the plan writes to or reads from, as found in the run it was planned from. */
export interface RolloutGroup {
  id: string;
  displayName: string | null;
  /**
   * Synced from on-premises AD: Graph refuses membership writes ("Unable to update the specified
   * properties for on-premises mastered Directory Sync objects…",
   * https://learn.microsoft.com/entra/fundamentals/concept-learn-about-groups): changes are written
   * as an AD PowerShell script and a CSV instead.
   */
  onPremisesSyncEnabled: boolean;
}

export interface RolloutWave {
  /** 1, 2, … in the order the waves are due. */
  number: number;
  /** The day the wave is due (YYYY-MM-DD, UTC). */
  date: string;
  userIds: string[];
}

export interface RolloutPlan {
  schema: typeof ROLLOUT_PLAN_VERSION;
  name: string;
  enforceGroup: RolloutGroup;
  bypassGroup: RolloutGroup;
  waveSize: number;
  /** Days between two waves. */
  everyDays: number;
  /** The first wave's day (YYYY-MM-DD). */
  startDate: string;
  /** Only (transitive) members of these; empty: every enabled member user. */
  scopeGroups: RolloutGroup[];
  /** Break-glass and other accounts never to enforce, as `audit --exclude-group` takes them. */
  excludeGroups: RolloutGroup[];
  /** User ids never to enforce (`--exclude-user`, resolved). */
  excludeUsers: string[];
  order: RolloutOrder;
  /** A wave is held while fewer than this share (0–1) of its users in scope are ready. */
  readyThreshold: number;
  /** Users longer than this in the bypass group are listed as overstaying. */
  maxBypassDays: number;
  /** The stored run whose verdicts ordered the users. */
  plannedFrom: { runId: number | null; collectedAt: string | null };
  /**
   * Starts at 0 and grows by one with each plan made after a rollback: the journal keys carry it, so
   * what a rolled-back rollout did is never taken for what the new one did.
   */
  epoch: number;
  /** The waves, in order; a re-plan keeps the waves already applied as they were. */
  waves: RolloutWave[];
  /**
   * UPN of every user in a wave, by id: what the AD script names them by, and what the reports show for
   * a user who has since left the tenant.
   */
  upns: Record<string, string>;
}

/** Why a change is asked for. */
export type ChangeReason =
  /** The wave is due and may advance: its users go into the enforcement group. */
  | 'wave-enforce'
  /** A user of the advancing wave is not ready: into the bypass group too, to register. */
  | 'wave-bypass'
  /** Ready, with a registration proven by use or by the audit log: out of the bypass group. */
  | 'graduated'
  /** `rollout rollback`: everything the plan added is removed. */
  | 'rollback';

export interface GroupChange {
  op: 'add-member' | 'remove-member';
  group: RolloutGroup;
  userId: string;
  upn: string;
  reason: ChangeReason;
  /** The wave the user belongs to (0 when not in any wave of the plan). */
  wave: number;
  /**
   * The journal key: the same every time the plan asks for this change, new once the previous one
   * like it was done (so a user added, removed and added again gets three keys).
   */
  key: string;
}

/** Why a user of the due wave keeps it from advancing. */
export type Blocker =
  /** Not ready (the verdict says why). */
  | { code: 'not-ready'; userId: string; verdict: Verdict }
  /** Of the previous wave: sent to register again (50072/50079) since the wave was applied. */
  | { code: 'new-interrupt'; userId: string; wave: number; at: string | null }
  /** Of the previous wave: looping between sign-in and registration since the wave was applied. */
  | { code: 'new-loop'; userId: string; wave: number; at: string | null };

/** Why no wave advances today. */
export type HoldReason =
  | { code: 'paused' }
  | { code: 'rolled-back' }
  /** Fewer than the threshold of the due wave's users in scope are ready. */
  | { code: 'below-threshold'; wave: number; ready: number; inScope: number; threshold: number }
  /** The previous wave's users show new interrupts or loops in the sign-ins since it was applied. */
  | { code: 'previous-wave-failing'; wave: number; previous: number; users: number }
  /**
   * The evidence was collected before the previous wave was applied: whether its users can sign in
   * since cannot be seen yet. Collect, then run next again.
   */
  | {
      code: 'evidence-before-previous-wave';
      wave: number;
      previous: number;
      collectedAt: string;
      appliedAt: string;
    };

/** What a `next` found worth saying besides the changes. */
export type RolloutNotice =
  /** A wave user no longer in scope (disabled, deleted, guest, excluded, left the scope group): skipped. */
  | { code: 'left-scope'; userId: string; wave: number }
  /** A graduated user (out of the bypass group, enforced) whose verdict is no longer ready. */
  | { code: 'regressed'; userId: string; wave: number; verdict: Verdict | 'missing' }
  /** In the bypass group for longer than maxBypassDays. */
  | { code: 'overstayed'; userId: string; since: string; days: number }
  /** A change written as a script (synced group) that the latest group members do not show yet. */
  | { code: 'script-not-arrived'; userId: string; groupId: string; op: GroupChange['op'] }
  /** Nothing is due: the next wave's day. */
  | { code: 'next-wave'; wave: number; date: string }
  /** Every wave is applied and the bypass group holds nobody of the plan. */
  | { code: 'complete' };

/** Today's decision: the changes to make, and why a wave did not advance. */
export interface RolloutStep {
  /** The wave advancing today, if any. */
  advancing: number | null;
  changes: GroupChange[];
  hold: HoldReason | null;
  blockers: Blocker[];
  notices: RolloutNotice[];
}

/**
 * One journaled write, as the planner reads it (the fields of src/store/journal.ts JournalEntry it
 * uses): what the plan asked for before, and what became of it.
 */
export interface RolloutJournalRecord {
  key: string;
  operation: string;
  /** The group id. */
  target: string;
  /** The user id. */
  subject: string | null;
  status: 'pending' | 'done' | 'failed' | 'scripted';
  attemptedAt: string;
  doneAt: string | null;
  detail: Record<string, unknown> | null;
}
