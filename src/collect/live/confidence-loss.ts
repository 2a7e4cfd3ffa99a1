import type { Confidence, Verdict } from '../../domain/verdict.js';
import type { CollectPart } from './collect-parts.js';

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

function loss(
  code: LossCode,
  verdicts: Verdict[],
  confidence: Exclude<Confidence, null>[] = [],
): ConfidenceLoss {
  return { code, verdicts, confidence };
}

/**
 * Per part, what its absence costs ("says what confidence is lost").
 * Derived from what each rule reads: e.g. `proven` needs beta sign-ins, `registered` the audit log.
 */
export const LOSS_BY_PART: Readonly<Record<CollectPart, readonly ConfidenceLoss[]>> = {
  tenant: [loss('context-only', [])],
  users: [loss('disabled-and-new-users-unseen', ['excluded', 'not-registered'])],
  registration: [
    loss('no-registration-report', ['unverified', 'policy-blocked', 'not-registered'], ['reported']),
  ],
  methods: [loss('methods-lists-missing', ['ready', 'unverified', 'not-registered'])],
  audits: [
    loss('registration-trail-missing', ['unverified'], ['registered']),
    loss('report-staleness-undetectable', ['ready', 'not-registered']),
  ],
  signInsInteractive: [loss('mfa-sign-ins-missing', ['ready', 'looping'], ['proven'])],
  signInsNonInteractive: [loss('authenticator-app-sign-ins-missing', ['loop-risk', 'looping'])],
  methodsPolicy: [loss('methods-policy-missing', ['policy-blocked'])],
  groups: [loss('group-membership-unknown', ['policy-blocked', 'excluded'])],
  groupMembers: [loss('group-membership-unknown', ['policy-blocked', 'excluded'])],
  conditionalAccess: [loss('ca-target-groups-unknown', [])],
  domains: [loss('federation-unknown', ['ready'], ['proven'])],
  securityDefaults: [loss('context-only', [])],
  signInActivity: [loss('context-only', [])],
};

/** Per part, what it costs when the part is written but some of its items were refused (PartResult.unread). */
const UNREAD_LOSS_BY_PART: Readonly<Partial<Record<CollectPart, readonly ConfidenceLoss[]>>> = {
  domains: [loss('federated-mfa-behaviour-unknown', ['ready'], ['proven'])],
};

/** A copy of UNREAD_LOSS_BY_PART's entry (empty for a part without one). */
export function unreadLossOf(part: CollectPart): ConfidenceLoss[] {
  return (UNREAD_LOSS_BY_PART[part] ?? []).map((l) => ({
    ...l,
    verdicts: [...l.verdicts],
    confidence: [...l.confidence],
  }));
}

/** A copy (callers may keep or change it). */
export function lossOf(part: CollectPart): ConfidenceLoss[] {
  return LOSS_BY_PART[part].map((l) => ({ ...l, verdicts: [...l.verdicts], confidence: [...l.confidence] }));
}
