import type { MethodKind, RegistrationDetail } from '../domain/tenant.js';
import type { MethodState } from '../domain/verdict.js';
import type { DeviceLedger, DeviceStatus } from './authenticator-devices.js';
import { deviceStatus } from './authenticator-devices.js';
import type { MethodEntry } from './method-inventory.js';
import { isMfaKind, isNotMfaKind, policyConfigurationIds } from './method-kinds.js';
import type { MethodsPolicy, PolicyBlock, UnknownMembership } from './methods-policy.js';
import { hasNoDefaultMfaMethod } from './report-row.js';

/** What the rules conclude about one method. */
export interface MethodFinding {
  entry: MethodEntry;
  state: MethodState;
  /** For `unverified`: the audit log shows it unfinished, or (weaker) the report shows no default method. */
  unverifiedBy?: 'audit' | 'no-default-method';
  /** For `policy-blocked` by a migrated policy: why each configuration refuses it. */
  blocks: PolicyBlock[];
  /** For `policy-blocked` by the report fallback (policy not evaluable). */
  blockedByReport: boolean;
  /** Group targets whose membership was not collected (assumed not to match). */
  unknownMembership: UnknownMembership[];
}

export interface MethodStateContext {
  userId: string;
  row: RegistrationDetail | undefined;
  ledger: DeviceLedger;
  policy: MethodsPolicy;
  /**
   * Kinds the report says are registered but not capable, when the policy cannot be evaluated
   * (`isMfaRegistered && !isMfaCapable`); undefined when that fallback does not apply.
   */
  reportBlockedKinds: ReadonlySet<MethodKind> | undefined;
  /** A later deletion named no method, so a report-derived entry may no longer exist. */
  unattributedDeletion: boolean;
}

/**
 * Whether an Authenticator entry was ever verified. With audit evidence about the device, the ledger
 * decides. Without it, any completion in the log or an MFA sign-in that could have used the app
 * counts; failing those, an Authenticator with no default MFA method in the report is the weaker
 * sign of incident-1 (test/fixtures/incidents).
 */
function authenticatorCompletion(
  entry: MethodEntry,
  ctx: MethodStateContext,
): 'completed' | 'audit' | 'no-default-method' {
  const status: DeviceStatus =
    entry.device === undefined ? 'unknown' : deviceStatus(entry.device, ctx.ledger);
  if (status === 'completed') return 'completed';
  if (status === 'pending') return 'audit';
  if (entry.registeredBy !== undefined || ctx.ledger.signals.length > 0) return 'completed';
  if (ctx.row !== undefined && hasNoDefaultMfaMethod(ctx.row) === true) return 'no-default-method';
  return 'completed';
}

/** Shared by the findings without blocks or assumptions (nearly all of them): never mutated. */
const NO_BLOCKS: PolicyBlock[] = [];
const NO_UNKNOWN: UnknownMembership[] = [];

function base(entry: MethodEntry, state: MethodState): MethodFinding {
  return { entry, state, blocks: NO_BLOCKS, blockedByReport: false, unknownMembership: NO_UNKNOWN };
}

/**
 * The state of one method: `not-mfa` for password, email, TAP and the like; `unknown` for kinds we
 * cannot judge; `unverified` for an Authenticator never completed (before policy: an unfinished method
 * is not usable whatever the policy says); `policy-blocked`; otherwise `usable`.
 */
export function assessMethod(entry: MethodEntry, ctx: MethodStateContext): MethodFinding {
  if (entry.notMfa === true || isNotMfaKind(entry.kind)) return base(entry, 'not-mfa');
  if (!isMfaKind(entry.kind)) return base(entry, 'unknown');
  if (entry.origin === 'registration' && ctx.unattributedDeletion) return base(entry, 'unknown');

  if (entry.kind === 'microsoftAuthenticator') {
    const completion = authenticatorCompletion(entry, ctx);
    if (completion !== 'completed') {
      const unverified = base(entry, 'unverified');
      unverified.unverifiedBy = completion;
      return unverified;
    }
  }

  const decision = ctx.policy.evaluate(ctx.userId, policyConfigurationIds(entry.kind, entry.phoneType));
  // Findings are amended rather than spread into copies: this runs for every method of every user.
  if (decision.kind === 'blocked') {
    const blocked = base(entry, 'policy-blocked');
    blocked.blocks = decision.blocks;
    blocked.unknownMembership = decision.unknown;
    return blocked;
  }
  const finding = base(entry, 'usable');
  if (decision.kind === 'allowed') finding.unknownMembership = decision.unknown;
  else if (ctx.reportBlockedKinds?.has(entry.kind) === true) {
    finding.state = 'policy-blocked';
    finding.blockedByReport = true;
  }
  return finding;
}
