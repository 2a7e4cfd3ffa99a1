import type { Confidence, Verdict } from '../../domain/verdict.js';
import type { CollectPart } from './collect-parts.js';
import type { ConfidenceLoss, LossCode } from '../../domain/collection.js';

export { LOSS_CODES } from '../../domain/collection.js';
export type { ConfidenceLoss, LossCode } from '../../domain/collection.js';

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
  roleAssignments: [loss('role-holders-unknown', [])],
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
