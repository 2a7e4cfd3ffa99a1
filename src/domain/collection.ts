/**
 * A collection as data: its parts, what each costs the assessment when missing, how a Graph failure is
 * recorded, and why a user's methods list is worth a call. Shared by the collector that records them
 * and the report that words them.
 */
import type { TransientKind } from './graph-run.js';
import type { Confidence, Verdict } from './verdict.js';

/**
 * The units the collector fetches, checkpoints and reports on. Finer than CollectDataset: the
 * sign-ins come as two queries (interactive and non-interactive, https://learn.microsoft.com/graph/api/signin-list) and "policies"
 * is four endpoints, each of which can fail on its own.
 */
export const COLLECT_PARTS = [
  'tenant',
  'users',
  'registration',
  'conditionalAccess',
  'methodsPolicy',
  'securityDefaults',
  'domains',
  'roleAssignments',
  'groups',
  'groupMembers',
  'audits',
  'signInsInteractive',
  'signInsNonInteractive',
  'signInActivity',
  'methods',
] as const;
export type CollectPart = (typeof COLLECT_PARTS)[number];

/** What the assessment loses when a part is not collected. Codes are data; the lead renders words. */
export const LOSS_CODES = [
  /** No users.json: disabled users (never in the report) and users created since its refresh are unseen. */
  'disabled-and-new-users-unseen',
  /** No registration report: no MFA flags, no default method, no admin flag; methods lists are the only source. */
  'no-registration-report',
  /** No methods lists: verdicts rest on the report, which lags by hours (https://learn.microsoft.com/graph/api/resources/userregistrationdetails). */
  'methods-lists-missing',
  /** No audit log: an Authenticator added but never completed (test/fixtures/incidents/incident-1) is only guessed from the report. */
  'registration-trail-missing',
  /** No audit log: a report older than the user's last security-info change cannot be detected. */
  'report-staleness-undetectable',
  /** No interactive sign-ins: MFA cannot be proven, registration loops cannot be seen. */
  'mfa-sign-ins-missing',
  /** No non-interactive sign-ins: Authenticator-app sign-ins (the proof-up loop's precondition (test/fixtures/incidents/incident-2)) are unseen. */
  'authenticator-app-sign-ins-missing',
  /** No authentication methods policy: whether a method is allowed falls back to the report's flags. */
  'methods-policy-missing',
  /** No group members: policy targets and scope groups cannot be resolved (assumed to match). */
  'group-membership-unknown',
  /** No Conditional Access policies: the groups they target are not known, so their members are not collected. */
  'ca-target-groups-unknown',
  /** No domains: federated users whose MFA happens at their IdP cannot be recognised. */
  'federation-unknown',
  /**
   * A federated domain's federationConfiguration unread: whether it rejects MFA done at its IdP
   * (`federatedIdpMfaBehavior` `rejectMfaByFederatedIdp`) is unknown, so an IdP's MFA claim is counted.
   */
  'federated-mfa-behaviour-unknown',
  /** No directory role assignments: who a Conditional Access role condition (includeRoles) covers is unknown. */
  'role-holders-unknown',
  /** Context only (security defaults, tenant name, last sign-in): no verdict depends on it. */
  'context-only',
] as const;
export type LossCode = (typeof LOSS_CODES)[number];

export interface ConfidenceLoss {
  code: LossCode;
  /** Verdicts that can no longer be reached, or only on weaker evidence. */
  verdicts: Verdict[];
  /** `ready` confidences that can no longer be reached. */
  confidence: Exclude<Confidence, null>[];
}

export interface FailureBase {
  /** `GET /beta/auditLogs/signIns`: no host, no query, ids as `{id}`. */
  endpoint: string;
  status: number;
  code?: string;
  requestId?: string;
  /** The Graph module's message (secrets already redacted there). */
  message: string;
  hint?: string;
}

/** A typed Graph error as data, for the result and the checkpoint (JSON-safe). */
export type FailureInfo =
  | (FailureBase & { kind: 'permission-missing'; permissions: string[]; delegatedRoles: string[] })
  | (FailureBase & { kind: 'licence-required'; licence: string })
  | (FailureBase & { kind: 'credential-rejected' })
  | (FailureBase & { kind: 'certificate-untrusted'; tlsCode: string })
  | (FailureBase & { kind: 'retries-exhausted'; attempts: number; reason: TransientKind })
  | (FailureBase & { kind: 'next-link-rejected' })
  | (FailureBase & { kind: 'request-failed' });

export type FailureKind = FailureInfo['kind'];

// The methods plan's words (reasons, needs, modes) live with the planner's contract.
export {
  METHODS_MODES,
  METHODS_REASONS,
  type MethodsMode,
  type MethodsNeed,
  type MethodsReason,
  type ReportAbsence,
} from './methods-plan.js';
