import type { Coverage } from './datasets.js';
import type { AssessedPopulation, Verdict } from './verdict.js';

/**
 * The rollout funnel of one assessment, each step a subset of the one before: users who must do MFA
 * (enabled members in scope), who hold any strong method, whose method the policies let them use, and
 * whose MFA a sign-in or the audit log proves.
 */
export interface Funnel {
  enabledMembers: number;
  anyStrongMethod: number;
  usable: number;
  proven: number;
}

/** What the history keeps of each run's assessment beside the per-user verdicts: what `history` lists. */
export interface RunSummary {
  counts: Record<Verdict, number>;
  /** Ready users over the users in scope who are not excluded; null when there is nobody. */
  readyShare: number | null;
  funnel: Funnel;
  population: AssessedPopulation;
}

/** One complete run of the history database. */
export interface RunInfo {
  id: number;
  startedAt: string;
  finishedAt: string;
  source: 'import' | 'collect';
  toolVersion: string;
  tenantId: string | null;
  /** When its evidence was collected (tenant.json `collectedAt`); null when the export did not say. */
  collectedAt: string | null;
  coverage: Coverage;
  /** Null for runs stored without an assessment (schema 1). */
  summary: RunSummary | null;
}
