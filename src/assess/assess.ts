import type { TenantSnapshot } from '../domain/tenant.js';
import type { AssessOptions, AssessScope, Assessment } from '../domain/verdict.js';
import { SCHEMA_VERSION } from '../domain/verdict.js';
import { assessUser } from './assess-user.js';
import { indexAuditFacts } from './audit-timeline.js';
import type { AssessContext } from './context.js';
import { FederatedDomains } from './federated-domains.js';
import { GroupMembership } from './group-membership.js';
import { MethodsPolicy } from './methods-policy.js';
import { describePopulation } from './assessed-population.js';
import { buildPopulation } from './population.js';
import { reportRefreshedAt } from './report-row.js';
import { resolveScope } from './scope-resolution.js';
import { indexSignIns } from './sign-in-index.js';
import { sortUsers, summarise } from './summary.js';
import { UserResolver } from './user-resolver.js';

const NO_SCOPE: AssessScope = { scopeGroups: [], excludeGroups: [], excludeUsers: [] };

/**
 * Assesses every user in scope: who can really complete MFA, who will be interrupted or locked out,
 * and why. Pure: no I/O, the clock is `options.now`, and the output order depends only on the input's
 * content. Events are indexed by user once, so the cost is O(users + events).
 */
export function assess(snapshot: TenantSnapshot, options: AssessOptions): Assessment {
  const now = options.now.getTime();
  const groups = new GroupMembership(snapshot.groups);
  // Comma lists split; what the values name is stated in the result. Values that name nothing are the
  // caller's to refuse (the CLI does, with resolveScope's problems): here they only match nobody.
  const scope = resolveScope(snapshot, options.scope ?? NO_SCOPE);
  const members = buildPopulation(snapshot, scope.values, groups);

  const resolver = new UserResolver();
  for (let i = 0; i < members.length; i++) resolver.add(members[i]!.id, members[i]!.userPrincipalName);

  const refreshedAt = reportRefreshedAt(snapshot.registration);
  const ctx: AssessContext = {
    snapshot,
    now,
    auditFacts: indexAuditFacts(snapshot.audits, resolver),
    signIns: indexSignIns(snapshot.signIns, resolver),
    groups,
    policy: new MethodsPolicy(snapshot.methodsPolicy, groups),
    domains: new FederatedDomains(snapshot.domains),
  };
  if (refreshedAt !== undefined) ctx.reportRefreshedAt = refreshedAt;

  const users = sortUsers(members.map((m) => assessUser(m, ctx)));
  const assessment: Assessment = {
    schemaVersion: SCHEMA_VERSION,
    generatedAt: options.now.toISOString(),
    tenant: snapshot.tenant,
    coverage:
      refreshedAt === undefined
        ? { ...snapshot.coverage }
        : { ...snapshot.coverage, reportRefreshedAt: refreshedAt },
    summary: summarise(users),
    users,
    population: describePopulation(snapshot, scope, users.length, options.now),
  };
  return assessment;
}
