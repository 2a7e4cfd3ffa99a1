import type { Coverage, DatasetName } from './datasets.js';
import type { MethodKind, TenantInfo } from './tenant.js';

/** In order of precedence: when several verdicts fit a user, the first one listed wins. */
export const VERDICTS = [
  'excluded',
  'ready',
  'looping',
  'unverified',
  'policy-blocked',
  'loop-risk',
  'not-registered',
] as const;
export type Verdict = (typeof VERDICTS)[number];

/** Worst first: the order the people-facing table lists users who need action. */
export const VERDICT_SEVERITY: readonly Verdict[] = [
  'looping',
  'loop-risk',
  'unverified',
  'policy-blocked',
  'not-registered',
  'ready',
  'excluded',
];

/**
 * How strongly a `ready` verdict is supported: proven by a successful MFA sign-in, by a completed
 * registration in the audit log, or only reported by the registration report / methods list.
 */
export type Confidence = 'proven' | 'registered' | 'reported' | null;

export type MethodState = 'usable' | 'unverified' | 'policy-blocked' | 'not-mfa' | 'unknown';

export type ExclusionReason = 'disabled' | 'guest' | 'excluded-user' | 'excluded-group';

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
}

export interface Assessment {
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
}

/** Evidence codes: what a finding rests on. The words live in report/messages.ts. */
export const EVIDENCE_CODES = [
  // account and scope
  'account-disabled',
  'guest-user',
  'excluded-by-user-option',
  'excluded-by-group-option',
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

export interface Evidence {
  code: EvidenceCode;
  /** Dataset the finding rests on. */
  source: DatasetName | 'options';
  /** Id of the event, sign-in, report row, method or file it rests on. */
  ref: string;
  /** When it happened, where known (ISO 8601). */
  at: string | null;
  /** The values the finding rests on (method ids, error codes, counts, …). Never secrets. */
  fields?: Record<string, string | number | boolean | null | string[]>;
}

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

export interface Action {
  code: ActionCode;
  fields?: Record<string, string | number | boolean | null | string[]>;
}

/** What the population is limited to; percentages are computed within it. */
export interface AssessScope {
  /** Only members (transitive) of these groups are assessed; empty = everyone. */
  scopeGroups: string[];
  /** Members of these groups are `excluded` (break-glass, service accounts). */
  excludeGroups: string[];
  /** UPNs (case-insensitive) or ids that are `excluded`. */
  excludeUsers: string[];
}

export interface AssessOptions {
  now: Date;
  scope?: AssessScope;
}
