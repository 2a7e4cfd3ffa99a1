import type { TenantSnapshot } from '../domain/tenant.js';
import type { TimedAuditFact } from './audit-timeline.js';
import type { FederatedDomains } from './federated-domains.js';
import type { GroupMembership } from './group-membership.js';
import type { MethodsPolicy } from './methods-policy.js';
import type { ClassifiedSignIn } from './sign-in-index.js';

/** Everything worked out once per assessment, shared by every user's rules. */
export interface AssessContext {
  snapshot: TenantSnapshot;
  /** `options.now` in epoch ms. */
  now: number;
  auditFacts: Map<string, TimedAuditFact[]>;
  signIns: Map<string, ClassifiedSignIn[]>;
  groups: GroupMembership;
  policy: MethodsPolicy;
  domains: FederatedDomains;
  /** The registration report's refresh time, when it was collected. */
  reportRefreshedAt?: string;
  /**
   * Filled as users are assessed: each one's Clock.until, the first time at which a comparison of
   * their assessment with `now` would answer otherwise (assessWithHorizons returns it).
   */
  stableUntil: Map<string, number>;
}
