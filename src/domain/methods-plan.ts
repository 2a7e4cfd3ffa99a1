/**
 * What the collector asks the planner (src/plan/) and what it answers: which users' per-user methods
 * lists to read, and in a refresh, which registration-report rows to read again. The collector
 * holds the Graph calls, the planner the reading of the evidence (the verdict engine's own
 * classifiers); these types are the contract between them, so neither imports the other.
 */
import type { EvidenceRules } from './evidence-rules.js';
import type { CollectBaseline } from './baseline.js';
import type { AuditEvent, SignIn, TenantSnapshot } from './tenant.js';

export const METHODS_REASONS = [
  /** No report row: disabled users are never in it, new users appear late (https://learn.microsoft.com/graph/api/resources/userregistrationdetails). */
  'missing-from-report',
  /**
   * The report lists no MFA method. It counts only completed registrations, so an Authenticator added
   * but never verified (incident-1 (test/fixtures/incidents) without an audit trail, older than the 30-day log) is invisible in
   * it: `not-registered` and `unverified` look the same until the methods list is read.
   */
  'report-not-registered',
  /** Authenticator listed without a default MFA method: the report-only trace of incident-1 (test/fixtures/incidents). */
  'authenticator-without-default',
  /** MFA audit events newer than the report's refresh: the row no longer describes the user. */
  'report-stale',
  /** `isMfaRegistered && !isMfaCapable`: registered methods the policy may refuse; which ones? */
  'registered-not-capable',
  /**
   * Only phone methods (the weak flag). Reported, but not fetched by default (fetchedByDefault):
   * the report names the phone slots, so the list cannot change the verdict or the flag, and phone-only
   * users can be a large share of a tenant.
   */
  'phone-only',
  /** Registration interrupts (50072/50079) or My Signins sign-ins: a loop, or a registration since. */
  'registration-sign-ins',
  /** Signed into the Authenticator app while the report says not MFA-capable: the proof-up loop's precondition (test/fixtures/incidents/incident-2). */
  'authenticator-app-sign-in',
  /**
   * Ready in the previous run, but a security-info deletion or change since, or a report row that
   * moved, may end it: never carry a `ready` forward past such a change.
   */
  'ready-changed',
] as const;
export type MethodsReason = (typeof METHODS_REASONS)[number];

/** Why a user has no report row. */
export type ReportAbsence = 'no-report' | 'disabled' | 'created-after-report' | 'not-in-report';

export interface MethodsNeed {
  id: string;
  userPrincipalName?: string;
  reasons: MethodsReason[];
  /** With `missing-from-report`: why the row is missing. */
  absence?: ReportAbsence;
  /**
   * Whether the list can decide if the user is ready at all. When false it only refines a verdict the
   * bulk data already gives: which not-ready verdict (an unverified Authenticator behind a report that
   * says "not registered"), which method a policy refuses, a disabled user's methods.
   */
  decidesReadiness: boolean;
}

/**
 * How many of the open users get a per-user call (`--methods`):
 * - `needed`: those whose list can decide readiness (decidesReadiness);
 * - `open`: every open user but the phone-only ones;
 * - `none`: nobody;
 * - `auto` (default): `open` when it fits the time budget, else `needed`. The calls share the reports
 *   bucket's 5 requests per 10 s (https://learn.microsoft.com/graph/throttling-limits): 20,000 open users of a large tenant would take 11
 *   hours to tell an unverified Authenticator from no method at all, a distinction between two verdicts
 *   that both keep the user out of enforcement; a small tenant gets it in minutes.
 */
export const METHODS_MODES = ['auto', 'needed', 'open', 'none'] as const;
export type MethodsMode = (typeof METHODS_MODES)[number];

export function isMethodsMode(value: string): value is MethodsMode {
  return (METHODS_MODES as readonly string[]).includes(value);
}

export interface MethodsPlan {
  requested: MethodsMode;
  /** What `auto` resolved to. */
  mode: Exclude<MethodsMode, 'auto'>;
  chosen: MethodsNeed[];
  /** Open users (phone-only aside) left unread by the mode; `--methods open` reads them. */
  deferred: number;
}

/** The bulk datasets a choice rests on (undefined: not collected). */
export type BulkEvidence = Pick<TenantSnapshot, 'users' | 'registration' | 'audits' | 'signIns'> &
  Partial<Pick<TenantSnapshot, 'domains'>>;

/** What a refresh learned besides the folder's files, for the planner's choices. */
export interface RefreshFacts {
  baseline: CollectBaseline;
  /** Users the users delta named as added or changed (ids, lower case); undefined: users read in full. */
  changedUsers?: ReadonlySet<string>;
  /**
   * The authentication methods policy or security defaults differ from the baseline's (or either is
   * unknown on one side): every report row may have moved (isMfaCapable reads the policy).
   */
  policiesChanged: boolean;
}

export interface RegistrationReadsRequest {
  /** This run's users (complete) and its new audit events and sign-ins; no report yet. */
  bulk: BulkEvidence;
  refresh: RefreshFacts;
  /** `--report-max-age`: a report read in full longer ago than this is read in full again. */
  reportMaxAgeDays: number;
  now: Date;
}

export type RegistrationReadsReason =
  'new-user' | 'user-changed' | 'no-row' | 'security-info-event' | 'registration-sign-in';

export type RegistrationReads =
  | {
      kind: 'full';
      why: 'no-stored-report' | 'policies-changed' | 'max-age' | 'no-audit-log' | 'cheaper-in-full';
    }
  | {
      kind: 'per-user';
      /** Users whose row is read again, as Graph spells their ids. */
      ids: string[];
      /**
       * Users without a stored row, created after the stored report's refresh: read only when the
       * report was refreshed since, as the row of `probe` (a user with a stored row) tells.
       */
      whenRefreshed?: { probe: string; ids: string[] };
      reasons: Partial<Record<RegistrationReadsReason, number>>;
    };

export interface MethodsReadsRequest {
  bulk: BulkEvidence;
  /** A refresh: only users whose verdict is open and who changed, or whose stored list is old. */
  refresh?: RefreshFacts;
  /** `--methods-max-age`: a stored list older than this is read again (open verdicts only). */
  methodsMaxAgeDays?: number;
  mode: MethodsMode;
  /** How many calls `auto` may spend on the open users. */
  budgetRequests: number;
  /** An exact choice that replaces the mode's (tests, callers with their own rule). */
  pick?: ((need: MethodsNeed) => boolean) | undefined;
  now: Date;
}

export interface MethodsReads {
  /** Users whose verdict the bulk data leaves open, with the reasons (a refresh: those worth a read). */
  needs: MethodsNeed[];
  plan: MethodsPlan;
  /** A refresh: open users whose stored list is carried forward (nothing changed, list not too old). */
  carried?: number;
}

/**
 * The planner the collector is handed (src/plan/index.ts collectPlanner, wired by src/cli): the
 * filters of its re-read of the folder, and its two choices.
 */
export interface CollectPlanner {
  /** The assessment's evidence rules: the collector's re-read of its own export keeps what they keep. */
  rules: EvidenceRules;
  /** The audit events a choice can use (the re-read keeps only these). */
  keepAudit: (event: AuditEvent) => boolean;
  /** The sign-ins that can change a choice (not the many that only prove MFA). */
  keepSignIn: (signIn: SignIn) => boolean;
  registrationReads(request: RegistrationReadsRequest): RegistrationReads;
  methodsReads(request: MethodsReadsRequest): MethodsReads;
}
