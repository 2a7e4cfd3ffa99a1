import type { Coverage } from './datasets.js';
import type { Action, Evidence } from './evidence.js';
import type { MethodKind, TenantInfo } from './tenant.js';

// Each code's fields live in evidence.ts; re-exported so that imports from here keep working.
export type {
  Action,
  ActionFieldsByCode,
  ActionOf,
  Evidence,
  EvidenceFieldsByCode,
  EvidenceOf,
} from './evidence.js';

/** In order of precedence: when several verdicts fit a user, the first one listed wins. */
export const VERDICTS = [
  'excluded',
  'ready',
  'looping',
  'unverified',
  'policy-blocked',
  'loop-risk',
  'not-registered',
  'unknown',
] as const;
export type Verdict = (typeof VERDICTS)[number];

/** Worst first: the order the people-facing table lists users who need action. */
export const VERDICT_SEVERITY: readonly Verdict[] = [
  'looping',
  'loop-risk',
  'unverified',
  'policy-blocked',
  'not-registered',
  'unknown',
  'ready',
  'excluded',
];

/**
 * How strongly a `ready` verdict is supported: proven by a successful MFA sign-in, by a completed
 * registration in the audit log, or only reported by the registration report / methods list.
 */
export type Confidence = 'proven' | 'registered' | 'reported' | null;

export type MethodState = 'usable' | 'unverified' | 'policy-blocked' | 'not-mfa' | 'unknown';

export type ExclusionReason = 'disabled' | 'guest' | 'excluded-user' | 'excluded-group' | 'service-account';

export interface MethodAssessment {
  id: string;
  type: MethodKind;
  state: MethodState;
}

export interface UserAssessment {
  id: string;
  userPrincipalName: string;
  displayName: string;
  verdict: Verdict;
  confidence: Confidence;
  /** Only phone (SMS/voice) methods are usable. */
  weak: boolean;
  isAdmin: boolean;
  /** Set when verdict is `excluded`. */
  exclusion?: ExclusionReason;
  methods: MethodAssessment[];
  /** Findings as data, in time order where they have a time; rendered to words by report/. */
  evidence: Evidence[];
  action: Action;
  /**
   * The enabled and report-only Conditional Access policies asking for MFA that cover the user
   * (assess/covered-by.ts); absent when the policies were not read.
   */
  coveredBy?: CoveredBy;
}

/** A Conditional Access policy that asks for MFA (builtInControls `mfa`, or an authentication strength). */
export interface CoveringPolicy {
  id: string;
  displayName: string | null;
  state: 'enabled' | 'report-only';
  /** The authentication strength's name (or id) when the policy asks for one; null for plain MFA. */
  strength: string | null;
  /**
   * What sign-ins it asks for MFA at: every app, some apps, or user actions only (registering
   * security info, joining a device), which no ordinary sign-in passes through.
   */
  appliesTo: 'all-apps' | 'some-apps' | 'user-actions';
}

export interface CoveredBy {
  /** Policies whose conditions include the user and do not exclude them. */
  policies: CoveringPolicy[];
  /** Policies whose answer for the user rests on evidence not collected (group members, role holders). */
  undecided: CoveringPolicy[];
}

/**
 * The version of the assessment's contract: the `Assessment` below, `mfa-ready audit --format json`
 * and the JSON Schema `mfa-ready schema` prints (schema/assessment.schema.json). Bump it when a change
 * can break a consumer that validates or reads the output: a key or an evidence/action/verdict code
 * removed or renamed, a field's type or meaning changed, an optional field made required. Additions (a
 * new code, a new optional field, a new key) keep the version; the schema file changes with them.
 */
export const SCHEMA_VERSION = 1;

export interface Assessment {
  schemaVersion: typeof SCHEMA_VERSION;
  /** The `now` the assessment was made at. */
  generatedAt: string;
  tenant: TenantInfo;
  coverage: Coverage & {
    reportRefreshedAt?: string;
    /** MFA result details not in the table of well-known ones, with how many sign-ins had each: never proof. */
    unknownMfaResultDetails?: Record<string, number>;
  };
  summary: Record<Verdict, number>;
  /** Users in the population (scope applied), ordered as reports list them. */
  users: UserAssessment[];
  /** Who was assessed and at which clock: what the figures above were computed on. */
  population: AssessedPopulation;
}

/**
 * Evidence codes: what a finding rests on. Each code's fields are in evidence.ts, its words in
 * report/evidence-messages.ts.
 */
export const EVIDENCE_CODES = [
  // account and scope
  'account-disabled',
  'guest-user',
  'excluded-by-user-option',
  'excluded-by-group-option',
  'service-account',
  'federated-user',
  // registration report
  'report-mfa-capable',
  'report-mfa-registered-not-capable',
  'report-not-registered',
  'report-missing-user',
  'report-stale',
  'report-no-default-method',
  // methods list
  'method-listed',
  'methods-list-missing',
  'tap-usable',
  // audit log
  'authenticator-device-added',
  'strong-auth-methods-set',
  'security-info-registration-started',
  'security-info-registered',
  'security-info-registration-cancelled',
  'security-info-deleted',
  'security-info-registration-failed',
  'security-info-default-changed',
  'security-info-unknown-reason',
  // sign-ins
  'mfa-sign-in',
  'mfa-satisfied-by-claim',
  'authenticator-app-sign-in',
  'registration-interrupt',
  'security-info-app-sign-in',
  'registration-loop',
  // authentication methods policy
  'policy-not-migrated',
  'policy-method-disabled',
  'policy-user-not-targeted',
  'policy-user-excluded',
  'policy-membership-unknown',
  // flags
  'weak-phone-only',
  'admin-role',
  // sign-ins: MFA required and not done (trusted IP, location, …); MFA done by an earlier sign-in
  'mfa-requirement-skipped',
  'mfa-satisfied-earlier',
] as const;
export type EvidenceCode = (typeof EVIDENCE_CODES)[number];

export const ACTION_CODES = [
  'none',
  'none-excluded',
  'complete-authenticator-registration',
  'break-registration-loop',
  'register-before-enforcement',
  'register-with-tap',
  'allow-method-in-policy',
  'register-strong-method',
  'add-stronger-method',
  'collect-user-methods',
] as const;
export type ActionCode = (typeof ACTION_CODES)[number];

/** What the population is limited to; percentages are computed within it. */
export interface AssessScope {
  /** Only members (transitive) of these groups are assessed; empty = everyone. */
  scopeGroups: string[];
  /** Members of these groups are `excluded` (break-glass, service accounts). */
  excludeGroups: string[];
  /** UPNs (case-insensitive) or ids that are `excluded`. */
  excludeUsers: string[];
  /** Directory-sync accounts (assess/service-accounts.ts) are `excluded`; without it they are only flagged. */
  excludeServiceAccounts?: boolean;
}

export interface AssessOptions {
  now: Date;
  scope?: AssessScope;
}

/** A group named by a scope option, as found in the export (displayName null when groups.json lacks it). */
export interface PopulationGroup {
  id: string;
  displayName: string | null;
}

/** A user named by `--exclude-user`, as found in the export. */
export interface PopulationUser {
  id: string;
  userPrincipalName: string;
}

/** The population an assessment was computed on, and its clock, as the reports state them. */
export interface AssessedPopulation {
  /** Users assessed: the scope applied, excluded users included. */
  users: number;
  /** Only (transitive) members of these were assessed; empty: every user in the export. */
  scopeGroups: PopulationGroup[];
  excludeGroups: PopulationGroup[];
  excludeUsers: PopulationUser[];
  /** The clock the verdicts were judged at (ISO 8601), as `generatedAt`. */
  now: string;
  /** When the evidence was collected (tenant.json), if known. */
  collectedAt: string | null;
  /** Whole days from `collectedAt` to `now` (negative when the clock is before it); null if unknown. */
  dataAgeDays: number | null;
  /** The clock is so far after the collection that "now" verdicts are judged on evidence that old. */
  staleData: boolean;
}
