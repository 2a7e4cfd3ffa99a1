import type { AuthenticationMethodsPolicy, MethodConfiguration, MethodTarget } from '../domain/tenant.js';
import type { GroupMembership } from './group-membership.js';

/** The literal include target meaning everyone (graph-facts §6.2). */
const ALL_USERS = 'all_users';

/** Why a configuration does not allow a method for a user. */
export type PolicyBlock =
  | { code: 'policy-method-disabled'; configurationId: string }
  | { code: 'policy-user-not-targeted'; configurationId: string; includeTargets: string[] }
  | { code: 'policy-user-excluded'; configurationId: string; targetId: string };

/** A group target whose membership was not collected, so the decision rests on an assumption. */
export interface UnknownMembership {
  configurationId: string;
  groupId: string;
  targetKind: 'include' | 'exclude';
}

export type PolicyDecision =
  /** The policy cannot be evaluated (absent, not migrated) or does not govern this method. */
  | { kind: 'not-evaluated' }
  | { kind: 'allowed'; unknown: UnknownMembership[] }
  | { kind: 'blocked'; blocks: PolicyBlock[]; unknown: UnknownMembership[] };

/**
 * Only a migrated policy decides on its own: before `migrationComplete` the legacy MFA and SSPR
 * settings also apply and Graph cannot read them, so the caller falls back to the report's
 * `isMfaRegistered && !isMfaCapable` (graph-facts §6.2).
 */
export function isPolicyEvaluable(
  policy: AuthenticationMethodsPolicy | undefined,
): policy is AuthenticationMethodsPolicy {
  return policy?.policyMigrationState === 'migrationComplete';
}

type TargetMatch = 'yes' | 'no' | 'unknown';

function targetMatches(userId: string, target: MethodTarget, groups: GroupMembership): TargetMatch {
  const id = target.id.toLowerCase();
  if (id === ALL_USERS) return 'yes';
  if (id === userId.toLowerCase()) return 'yes';
  if (target.targetType?.toLowerCase() === 'user') return 'no';
  const member = groups.isMember(userId, id);
  return member === undefined ? 'unknown' : member ? 'yes' : 'no';
}

type ConfigDecision =
  | { allowed: true; unknown: UnknownMembership[] }
  | { allowed: false; block: PolicyBlock; unknown: UnknownMembership[] };

/**
 * One configuration for one user: disabled blocks; an exclude target wins over any include; otherwise
 * the user must be in an include target. Unknown group membership is assumed not to match (an unknown
 * exclude does not block; an unknown include does not block either, since blocking needs proof), and is
 * reported so the assumption is visible.
 */
function decide(userId: string, config: MethodConfiguration, groups: GroupMembership): ConfigDecision {
  const configurationId = config.id;
  const unknown: UnknownMembership[] = [];
  if (config.state?.toLowerCase() === 'disabled') {
    return { allowed: false, block: { code: 'policy-method-disabled', configurationId }, unknown };
  }
  for (const target of config.excludeTargets) {
    const match = targetMatches(userId, target, groups);
    if (match === 'yes') {
      return {
        allowed: false,
        block: { code: 'policy-user-excluded', configurationId, targetId: target.id },
        unknown,
      };
    }
    if (match === 'unknown') unknown.push({ configurationId, groupId: target.id, targetKind: 'exclude' });
  }
  let includeUnknown = false;
  for (const target of config.includeTargets) {
    const match = targetMatches(userId, target, groups);
    if (match === 'yes') return { allowed: true, unknown };
    if (match === 'unknown') {
      includeUnknown = true;
      unknown.push({ configurationId, groupId: target.id, targetKind: 'include' });
    }
  }
  if (includeUnknown) return { allowed: true, unknown };
  return {
    allowed: false,
    block: {
      code: 'policy-user-not-targeted',
      configurationId,
      includeTargets: config.includeTargets.map((t) => t.id),
    },
    unknown,
  };
}

/** Evaluates the authentication methods policy for users; one instance per assessment. */
export class MethodsPolicy {
  private readonly configs = new Map<string, MethodConfiguration>();
  readonly evaluable: boolean;

  constructor(
    policy: AuthenticationMethodsPolicy | undefined,
    private readonly groups: GroupMembership,
  ) {
    this.evaluable = isPolicyEvaluable(policy);
    for (const c of policy?.configurations ?? []) this.configs.set(c.id.toLowerCase(), c);
  }

  /**
   * Whether any of the configurations allows the method for the user. A configuration the policy does
   * not list is not evaluated: absence is not a decision.
   */
  evaluate(userId: string, configurationIds: readonly string[] | null): PolicyDecision {
    if (!this.evaluable || configurationIds === null) return { kind: 'not-evaluated' };
    const blocks: PolicyBlock[] = [];
    const unknown: UnknownMembership[] = [];
    let evaluated = false;
    for (const id of configurationIds) {
      const config = this.configs.get(id.toLowerCase());
      if (config === undefined) continue;
      evaluated = true;
      const d = decide(userId, config, this.groups);
      unknown.push(...d.unknown);
      if (d.allowed) return { kind: 'allowed', unknown };
      blocks.push(d.block);
    }
    if (!evaluated) return { kind: 'not-evaluated' };
    return { kind: 'blocked', blocks, unknown };
  }
}
