import type { AuthenticationMethodsPolicy, MethodConfiguration, MethodTarget } from '../domain/tenant.js';
import type { GroupMembership } from './group-membership.js';
import { lowerCase } from './lower-case.js';

/** The literal include target meaning everyone (https://learn.microsoft.com/graph/api/resources/authenticationmethodspolicy). */
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
 * `isMfaRegistered && !isMfaCapable` (https://learn.microsoft.com/graph/api/resources/authenticationmethodspolicy).
 */
export function isPolicyEvaluable(
  policy: AuthenticationMethodsPolicy | undefined,
): policy is AuthenticationMethodsPolicy {
  return policy?.policyMigrationState === 'migrationComplete';
}

type TargetMatch = 'yes' | 'no' | 'unknown';

function targetMatches(userId: string, target: MethodTarget, groups: GroupMembership): TargetMatch {
  const id = lowerCase(target.id);
  if (id === ALL_USERS) return 'yes';
  if (id === lowerCase(userId)) return 'yes';
  if (target.targetType?.toLowerCase() === 'user') return 'no';
  const member = groups.isMember(userId, id);
  return member === undefined ? 'unknown' : member ? 'yes' : 'no';
}

/** Shared by the decisions that rest on no assumption: never mutated. */
const NONE_UNKNOWN: UnknownMembership[] = [];

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
  // Allocated on the first assumption only: most users' methods are decided without one.
  let unknown: UnknownMembership[] = NONE_UNKNOWN;
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
    if (match === 'unknown') {
      if (unknown === NONE_UNKNOWN) unknown = [];
      unknown.push({ configurationId, groupId: target.id, targetKind: 'exclude' });
    }
  }
  let includeUnknown = false;
  for (const target of config.includeTargets) {
    const match = targetMatches(userId, target, groups);
    if (match === 'yes') return { allowed: true, unknown };
    if (match === 'unknown') {
      includeUnknown = true;
      if (unknown === NONE_UNKNOWN) unknown = [];
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

/** Shared by every decision the policy leaves to others: never mutated. */
const NOT_EVALUATED: PolicyDecision = { kind: 'not-evaluated' };

/** Evaluates the authentication methods policy for users; one instance per assessment. */
export class MethodsPolicy {
  private readonly configs = new Map<string, MethodConfiguration>();
  private readonly byGivenId = new Map<string, MethodConfiguration | undefined>();
  readonly evaluable: boolean;

  constructor(
    policy: AuthenticationMethodsPolicy | undefined,
    private readonly groups: GroupMembership,
  ) {
    this.evaluable = isPolicyEvaluable(policy);
    for (const c of policy?.configurations ?? []) this.configs.set(c.id.toLowerCase(), c);
  }

  /**
   * The configuration an id names, in any case. Callers name configurations by a handful of constant
   * ids, millions of times on a large tenant: each is lower-cased once.
   */
  private configurationOf(id: string): MethodConfiguration | undefined {
    if (this.byGivenId.has(id)) return this.byGivenId.get(id);
    const config = this.configs.get(id.toLowerCase());
    this.byGivenId.set(id, config);
    return config;
  }

  /**
   * Whether any of the configurations allows the method for the user. A configuration the policy does
   * not list is not evaluated: absence is not a decision.
   */
  evaluate(userId: string, configurationIds: readonly string[] | null): PolicyDecision {
    if (!this.evaluable || configurationIds === null) return NOT_EVALUATED;
    const blocks: PolicyBlock[] = [];
    // The assumptions of every configuration tried, in order; most decisions rest on none.
    let unknown: UnknownMembership[] = NONE_UNKNOWN;
    let evaluated = false;
    for (const id of configurationIds) {
      const config = this.configurationOf(id);
      if (config === undefined) continue;
      evaluated = true;
      const d = decide(userId, config, this.groups);
      if (d.unknown.length > 0) {
        if (unknown === NONE_UNKNOWN) unknown = [];
        unknown.push(...d.unknown);
      }
      if (d.allowed) return { kind: 'allowed', unknown };
      blocks.push(d.block);
    }
    if (!evaluated) return NOT_EVALUATED;
    return { kind: 'blocked', blocks, unknown };
  }
}
