/** What a collection run did, part by part: the collector's result, which the report words. */
import type { CollectPart, ConfidenceLoss, FailureInfo } from './collection.js';
import type { CloudName, GraphStats } from './graph-run.js';
import type { MethodsMode, MethodsNeed, MethodsReason } from './methods-plan.js';

export type SkipReason =
  /** Left out by `--only` (or `--last-sign-in` not given). */
  | { code: 'not-requested' }
  /** The API does not exist in this national cloud (https://learn.microsoft.com/graph/deployments). */
  | { code: 'unavailable-in-cloud'; cloud: CloudName; message: string }
  /** It needs data that this run could not read (e.g. no user list to pick users from). */
  | { code: 'no-input'; needs: CollectPart[] }
  /** Nothing to fetch (no group the policies name, no user the bulk data leaves open). */
  | { code: 'nothing-to-fetch' };

export type PartStatus =
  | { state: 'complete' }
  | { state: 'skipped'; reason: SkipReason }
  /** A typed Graph error (403, licence, retries exhausted…) as data. The run went on without it. */
  | { state: 'failed'; failure: FailureInfo };

export interface PartResult {
  part: CollectPart;
  /** File or folder in the export folder. */
  file: string;
  /** The first-page queries sent (paths relative to the version root, `$filter` included). */
  queries: string[];
  status: PartStatus;
  rows: number;
  /** Pages (for per-entity folders: `$batch` calls or collections fetched). */
  pages: number;
  /**
   * Set when the part is not complete, or complete with items unread (`unread`): what the assessment
   * loses without it.
   */
  lost?: ConfidenceLoss[];
  /**
   * A complete part some of whose items could not be read: domains.json written, but these federated
   * domains' federationConfiguration refused (the first refusal as data).
   */
  unread?: { items: string[]; failure: FailureInfo };
  /** This run found it complete in the checkpoint and did not fetch it again. */
  fromCheckpoint?: true;
  /** Restarts from the first page after Graph refused a saved nextLink, and duplicates dropped. */
  restarts?: number;
  duplicatesSkipped?: number;
}

/** The per-user methods step: whom it chose, why, and how it went. */
export interface MethodsOutcome {
  /** Users whose verdict the bulk data leaves open, with the reasons (before `methodsFor`). */
  needs: MethodsNeed[];
  /** How many users each reason named (a user may have several). */
  reasons: Partial<Record<MethodsReason, number>>;
  /** `--methods` as asked, and what `auto` resolved to. */
  requested: MethodsMode;
  mode: Exclude<MethodsMode, 'auto'>;
  /** Open users (phone-only aside) the mode left unread. */
  deferred: number;
  /** What reading the deferred users would take at the reports bucket's rate, in minutes. */
  deferredMinutes: number;
  /** `auto`'s budget, in minutes. */
  budgetMinutes: number;
  /** Users chosen to fetch. */
  planned: number;
  /**
   * A refresh: open users whose stored list the store carries forward (nothing about them changed
   * and the list is not older than `--methods-max-age`); their files are not in the folder.
   */
  carried?: number;
  /** Methods files already in the folder (a resumed run), not fetched again. */
  alreadyWritten: number;
  fetched: number;
  /** Users Graph no longer knows (deleted since the user list was read). */
  notFound: string[];
  /** Users whose request failed for another reason; a resumed run asks for them again. */
  failed: { id: string; failure: FailureInfo }[];
}

export interface GroupsOutcome {
  /** Groups whose transitive members were collected, and why each one matters. */
  groups: { id: string; why: ('conditional-access' | 'methods-policy' | 'scope' | 'role')[] }[];
  /** Scope-group values that matched no group id or display name. */
  unresolvedScope: string[];
  failed: { id: string; failure: FailureInfo }[];
}

export interface CollectResult {
  tenantId: string;
  cloud: CloudName;
  outDir: string;
  /** The collection's reference time (tenant.json), kept from the first run when resumed. */
  collectedAt: string;
  resumed: boolean;
  /**
   * Where each window starts: directory audits; sign-ins (MFA evidence, registration interrupts); the
   * sign-ins to the Authenticator app and My Signins, read over the whole retention.
   */
  windows: { auditsSince: string; signInsSince: string; appSignInsSince: string };
  /** Set by `replace`: whether the new collection was swapped in (false: nothing usable, the old one kept). */
  replaced?: boolean;
  /** In collection order (COLLECT_PARTS). */
  parts: PartResult[];
  methods?: MethodsOutcome;
  groups?: GroupsOutcome;
  /** The Graph module's counters, when the source offers them (LiveGraphSource does). */
  stats?: GraphStats;
}
