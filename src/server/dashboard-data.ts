import type { Assessment } from '../domain/verdict.js';
import type { HistoryRow } from '../report/history.js';
import type { UserHistory } from '../report/user-history.js';
import type { VerdictDiff } from '../report/verdict-diff.js';
import type { ImpactPayload, RolloutBoardPayload } from './board-payloads.js';

/** A group the users table can filter by: a scope or policy group whose members were read. */
export interface DashboardGroup {
  id: string;
  displayName: string | null;
  /** Its (transitive) member user ids, as collected. */
  memberIds: readonly string[];
}

/**
 * Everything the dashboard shows, gathered by the command before the server starts: the server
 * computes nothing about users, it filters, sorts and pages what it is given.
 */
export interface DashboardData {
  assessment: Assessment;
  /** Where the evidence came from: the history database, an export folder, or the bundled demo. */
  source: { kind: 'store' | 'folder' | 'demo'; where: string };
  groups: readonly DashboardGroup[];
  /** One row per stored snapshot, oldest first (empty without a history). */
  history: readonly HistoryRow[];
  /** What changed since the previous snapshot; null when there is none to compare with. */
  changes: VerdictDiff | null;
  /** The rollouts planned in the history, each as `rollout status` sees it today. */
  rollouts: readonly RolloutBoardPayload[];
  /** For each Conditional Access policy that asks for MFA, and security defaults: who it would hit. */
  impacts: readonly ImpactPayload[];
  /** One user's verdicts over the stored snapshots and evidence timeline; null without a history. */
  userHistory(userId: string): UserHistory | null;
}
