import type { TenantSnapshot } from '../domain/tenant.js';
import type { AssessOptions, AssessScope, Assessment, UserAssessment } from '../domain/verdict.js';
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
import { resolveScope, type ScopeResolution } from './scope-resolution.js';
import type { ClassifiedSignIn } from './sign-in-index.js';
import { hasUnknownMfaDetail, indexSignIns } from './sign-in-index.js';
import { sortUsers, summarise } from './summary.js';
import { UserResolver } from './user-resolver.js';
import { compareText } from './evidence.js';
import { coveredByRule } from './covered-by.js';
import { roleHoldersOf } from './impact-roles.js';

const NO_SCOPE: AssessScope = { scopeGroups: [], excludeGroups: [], excludeUsers: [] };

/**
 * Assesses every user in scope: who can really complete MFA, who will be interrupted or locked out,
 * and why. Pure: no I/O, the clock is `options.now`, and the output order depends only on the input's
 * content. Events are indexed by user once, so the cost is O(users + events).
 */
export function assess(
  snapshot: TenantSnapshot,
  options: AssessOptions,
  /** `resolveScope(snapshot, options.scope)` when the caller has it already (the CLI checks it first). */
  resolved?: ScopeResolution,
): Assessment {
  return assessWithHorizons(snapshot, options, resolved).assessment;
}

/** An assessment, and for each user the first time its answer could change (assess/clock.ts). */
export interface AssessedWithHorizons {
  assessment: Assessment;
  /** User id → epoch ms (+Infinity when no comparison with `now` can change). */
  stableUntil: Map<string, number>;
}

/** `assess`, also saying until when each user's assessment holds: what the history stores with it. */
export function assessWithHorizons(
  snapshot: TenantSnapshot,
  options: AssessOptions,
  resolved?: ScopeResolution,
): AssessedWithHorizons {
  const now = options.now.getTime();
  const groups = new GroupMembership(snapshot.groups);
  // Comma lists split; what the values name is stated in the result. Values that name nothing are the
  // caller's to refuse (the CLI does, with resolveScope's problems): here they only match nobody.
  const scope = resolved ?? resolveScope(snapshot, options.scope ?? NO_SCOPE);
  const members = buildPopulation(snapshot, scope.values, groups);

  const resolver = new UserResolver();
  for (let i = 0; i < members.length; i++) resolver.add(members[i]!.id, members[i]!.userPrincipalName);

  const refreshedAt = reportRefreshedAt(snapshot.registration);
  const stableUntil = new Map<string, number>();
  const ctx: AssessContext = {
    snapshot,
    now,
    auditFacts: indexAuditFacts(snapshot.audits, resolver),
    signIns: indexSignIns(snapshot.signIns, resolver),
    groups,
    policy: new MethodsPolicy(snapshot.methodsPolicy, groups),
    domains: new FederatedDomains(snapshot.domains),
    stableUntil,
  };
  if (refreshedAt !== undefined) ctx.reportRefreshedAt = refreshedAt;

  const users = sortUsers(members.map((m) => assessUser(m, ctx)));
  const coveredBy = coveredByRule(snapshot.conditionalAccess, groups, roleHoldersOf(snapshot, groups));
  if (coveredBy !== undefined) {
    const byId = new Map(members.map((m) => [m.id, m]));
    for (const u of users) {
      const m = byId.get(u.id);
      u.coveredBy = coveredBy({
        id: u.id,
        userPrincipalName: u.userPrincipalName,
        userType: m?.user?.userType ?? m?.row?.userType,
      });
    }
  }
  const coverage: Assessment['coverage'] =
    refreshedAt === undefined
      ? { ...snapshot.coverage }
      : { ...snapshot.coverage, reportRefreshedAt: refreshedAt };
  const unknown = unknownMfaResultDetails(ctx.signIns);
  if (unknown !== undefined) coverage.unknownMfaResultDetails = unknown;
  const assessment = assembled(snapshot, scope, options.now, coverage, users);
  return { assessment, stableUntil };
}

/** The Assessment around its users (sorted), in the key order the JSON output lists. */
export function assembled(
  snapshot: Pick<TenantSnapshot, 'tenant'>,
  scope: ScopeResolution,
  now: Date,
  coverage: Assessment['coverage'],
  users: UserAssessment[],
): Assessment {
  return {
    schemaVersion: SCHEMA_VERSION,
    generatedAt: now.toISOString(),
    tenant: snapshot.tenant,
    coverage,
    summary: summarise(users),
    users,
    population: describePopulation(snapshot, scope, users.length, now),
  };
}

/**
 * The MFA result details no table entry knows, with how many of the population's sign-ins had each
 * (and nothing else proving MFA): they were not counted as proof, and the report says so, so that the
 * table can grow. Undefined when there were none.
 */
function unknownMfaResultDetails(
  signIns: ReadonlyMap<string, readonly ClassifiedSignIn[]>,
): Record<string, number> | undefined {
  let counts: Map<string, number> | undefined;
  for (const list of signIns.values()) {
    for (const s of list) {
      const text = hasUnknownMfaDetail(s) ? s.facts.unknownMfaDetail : undefined;
      if (text !== undefined) (counts ??= new Map()).set(text, (counts.get(text) ?? 0) + 1);
    }
  }
  if (counts === undefined) return undefined;
  // Most frequent first, then by text: the output depends only on the input's content.
  const sorted = [...counts].sort((a, b) => b[1] - a[1] || compareText(a[0], b[0]));
  return Object.fromEntries(sorted);
}
