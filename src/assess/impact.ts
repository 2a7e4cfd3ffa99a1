import type { ConditionalAccessPolicy, DomainInfo, MethodKind, TenantSnapshot } from '../domain/tenant.js';
import type { ActionCode, Assessment, Confidence, UserAssessment, Verdict } from '../domain/verdict.js';
import { compareText } from './evidence.js';
import { FederatedDomains } from './federated-domains.js';
import { GroupMembership } from './group-membership.js';
import {
  guestTypeOf,
  policyCoverage,
  type Coverage,
  type RoleHolders,
  type UnknownCondition,
  type UserCondition,
} from './impact-coverage.js';
import {
  allowsInlineRegistration,
  matchStrength,
  requirementOf,
  type ImpactRequirement,
} from './impact-strength.js';
import { lowerCase } from './lower-case.js';

export type { ImpactRequirement } from './impact-strength.js';
export type { UnknownCondition, UserCondition, RoleHolders } from './impact-coverage.js';

/**
 * What enforcing a policy would do to each user it covers. Worst first: the order the report lists
 * the buckets and their users.
 */
export const IMPACT_BUCKETS = [
  /** Will be locked out, or sent round a registration loop. */
  'locked-out',
  /** Whether (or how) the policy hits them depends on evidence that was not collected. */
  'unknown',
  /** Not registered, but the sign-in will ask them to register, and they can. */
  'will-register',
  /** Can already do what the policy asks. */
  'satisfies',
  /** A disabled account: nobody signs in with it. */
  'not-signing-in',
  /** Covered by an include condition, and left out by one of the policy's exclusions. */
  'excluded',
] as const;
export type ImpactBucket = (typeof IMPACT_BUCKETS)[number];

/** What the impact is worked out for. */
export type ImpactTarget =
  | { kind: 'policy'; policyId: string; displayName: string | null; state: string | null }
  | { kind: 'group'; groupId: string; displayName: string | null }
  | { kind: 'security-defaults'; isEnabled: boolean | null };

/** Why a user is in their bucket: findings as data, words in report/impact*.ts. */
export type ImpactFinding =
  // satisfies
  | { code: 'ready'; confidence: Confidence }
  | { code: 'strength-met'; methodType: MethodKind | null; combination: string }
  // will-register
  | { code: 'will-be-asked-to-register'; graceDays: number | null }
  // locked-out
  | { code: 'verdict-blocks'; verdict: Verdict }
  | { code: 'strength-not-met'; strength: string; usableMethods: MethodKind[] }
  | { code: 'strength-needs-prior-registration'; strength: string }
  | { code: 'federated-no-inline-registration'; domain: string }
  // unknown
  | { code: 'verdict-unknown' }
  | { code: 'coverage-unknown'; side: 'include' | 'exclude'; conditions: UnknownCondition[] }
  | { code: 'guest-not-assessed' }
  | { code: 'not-assessed'; exclusion: string }
  | { code: 'strength-combinations-unknown'; strength: string }
  | { code: 'strength-methods-unmapped'; strength: string; methods: MethodKind[] }
  // excluded
  | { code: 'excluded-by-policy'; conditions: UserCondition[] }
  // not-signing-in
  | { code: 'account-disabled' };

export type ImpactFindingCode = ImpactFinding['code'];

export interface ImpactUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
  bucket: ImpactBucket;
  /** The user's audit verdict, and its confidence, which the bucket rests on. */
  verdict: Verdict;
  confidence: Confidence;
  /** The audit's next action for the user. */
  action: ActionCode;
  /** The include conditions that name the user (empty when coverage is unknown on the include side). */
  includedBy: UserCondition[];
  findings: ImpactFinding[];
}

/** About the target as a whole. */
export type ImpactNote =
  | { code: 'policy-report-only' }
  | { code: 'policy-disabled' }
  | { code: 'requirement-none'; controls: string[] }
  /** With `OR`, a user may satisfy the policy by another control (a compliant device…) without MFA. */
  | { code: 'grant-alternatives'; controls: string[] }
  | { code: 'applies-to-some-apps'; includeApplications: string[]; includeUserActions: string[] }
  | { code: 'role-holders-not-collected'; roleTemplateIds: string[] }
  | { code: 'group-members-not-collected'; groups: { groupId: string; groupName: string | null }[] }
  | { code: 'strength-combinations-unknown'; strength: string }
  | { code: 'security-defaults-state'; isEnabled: boolean | null }
  /** Nobody was assessed: zero counts would look like an all-clear. */
  | { code: 'no-users-read' };

export interface Impact {
  generatedAt: string;
  target: ImpactTarget;
  requirement: ImpactRequirement;
  /** Users per bucket, every bucket present. */
  counts: Record<ImpactBucket, number>;
  /** The users the target names (covered, excluded or undecided), worst bucket first, then by UPN. */
  users: ImpactUser[];
  notes: ImpactNote[];
  /** A policy's report-only results in the sign-ins read; absent when no sign-in carries them. */
  reportOnly?: ReportOnlyOutcomes;
}

/** The report-only results sign-ins recorded for one policy. */
export interface ReportOnlyOutcomes {
  /** Whole days from the oldest to the newest sign-in read (at least 1). */
  windowDays: number;
  /** Sign-ins that evaluated the policy (any result). */
  signIns: number;
  /** Distinct users per result. */
  users: Record<ReportOnlyResult, number>;
  /** Sign-ins whose result for the policy is `unknownFutureValue` (collected without the Prefer header). */
  unreadable: number;
}

export const REPORT_ONLY_RESULTS = [
  'reportOnlyInterrupted',
  'reportOnlyFailure',
  'reportOnlySuccess',
  'reportOnlyNotApplied',
] as const;
export type ReportOnlyResult = (typeof REPORT_ONLY_RESULTS)[number];

/** What to work out the impact of. */
export type ImpactTargetSpec =
  | { kind: 'policy'; policy: ConditionalAccessPolicy }
  | { kind: 'group'; groupId: string }
  | { kind: 'security-defaults' };

export interface ImpactInput {
  snapshot: TenantSnapshot;
  /** The audit of every user (no scope): the verdicts the buckets rest on. */
  assessment: Assessment;
  target: ImpactTargetSpec;
  /** Holders of each directory role by template id; undefined when roles were not collected. */
  roleHolders?: RoleHolders;
}

/**
 * Security defaults ask every user to register Microsoft Authenticator, with 14 days to do it
 * (https://learn.microsoft.com/entra/fundamentals/security-defaults).
 */
const SECURITY_DEFAULTS_GRACE_DAYS = 14;

const ALL_APPS = 'all';

/** Who the target hits, and how: pure, the verdicts from `assessment`, the clock its `generatedAt`. */
export function impactOf(input: ImpactInput): Impact {
  const { snapshot, assessment, target } = input;
  const groups = new GroupMembership(snapshot.groups);
  const domains = new FederatedDomains(snapshot.domains);
  const userTypes = userTypeIndex(snapshot);
  const notes: ImpactNote[] = [];
  const requirement = requirementFor(target);
  const described = describeTarget(target, groups, snapshot);
  notes.push(...targetNotes(target, requirement, input.roleHolders, groups));
  if (assessment.users.length === 0) notes.push({ code: 'no-users-read' });

  const users: ImpactUser[] = [];
  for (const u of assessment.users) {
    const coverage = coverageOf(target, u, userTypes, groups, input.roleHolders);
    if (coverage.status === 'not-covered') continue;
    users.push(classify(u, coverage, requirement, target, domains));
  }
  const rank = new Map(IMPACT_BUCKETS.map((b, i) => [b, i]));
  users.sort(
    (a, b) =>
      rank.get(a.bucket)! - rank.get(b.bucket)! ||
      compareText(lowerCase(a.userPrincipalName), lowerCase(b.userPrincipalName)) ||
      compareText(a.id, b.id),
  );
  const counts = Object.fromEntries(IMPACT_BUCKETS.map((b) => [b, 0])) as Record<ImpactBucket, number>;
  for (const u of users) counts[u.bucket]++;
  const impact: Impact = {
    generatedAt: assessment.generatedAt,
    target: described,
    requirement,
    counts,
    users,
    notes,
  };
  if (target.kind === 'policy') {
    const reportOnly = reportOnlyOutcomes(snapshot, target.policy.id);
    if (reportOnly !== undefined) impact.reportOnly = reportOnly;
  }
  return impact;
}

const DAY_MS = 86_400_000;

/**
 * What the sign-ins read say a policy did in report-only mode: per result, how many distinct users
 * had it (https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-report-only).
 * Undefined when no sign-in read has a report-only result for the policy. The collector reads the
 * sign-ins that say something about MFA, not every sign-in: the counts are of those.
 */
export function reportOnlyOutcomes(
  snapshot: Pick<TenantSnapshot, 'signIns'>,
  policyId: string,
): ReportOnlyOutcomes | undefined {
  const id = lowerCase(policyId);
  const users = new Map<ReportOnlyResult, Set<string>>(
    REPORT_ONLY_RESULTS.map((r) => [r, new Set<string>()]),
  );
  const results = new Map<string, ReportOnlyResult>(REPORT_ONLY_RESULTS.map((r) => [lowerCase(r), r]));
  let signIns = 0;
  let unreadable = 0;
  let oldest = Number.POSITIVE_INFINITY;
  let newest = Number.NEGATIVE_INFINITY;
  for (const s of snapshot.signIns ?? []) {
    const applied = s.appliedConditionalAccessPolicies;
    if (applied === undefined) continue;
    for (const a of applied) {
      if (lowerCase(a.id) !== id) continue;
      signIns++;
      const at = Date.parse(s.createdDateTime);
      if (at < oldest) oldest = at;
      if (at > newest) newest = at;
      const result = lowerCase(a.result);
      if (result === 'unknownfuturevalue') unreadable++;
      const known = results.get(result);
      const who = s.userId ?? s.userPrincipalName;
      if (known !== undefined && who !== undefined) users.get(known)!.add(lowerCase(who));
    }
  }
  if (signIns === 0) return undefined;
  // Only success/failure (an enforced policy): nothing report-only to tell.
  if (unreadable === 0 && REPORT_ONLY_RESULTS.every((r) => users.get(r)!.size === 0)) return undefined;
  return {
    windowDays: Math.max(1, Math.ceil((newest - oldest) / DAY_MS)),
    signIns,
    users: Object.fromEntries(REPORT_ONLY_RESULTS.map((r) => [r, users.get(r)!.size])) as Record<
      ReportOnlyResult,
      number
    >,
    unreadable,
  };
}

function requirementFor(target: ImpactTargetSpec): ImpactRequirement {
  if (target.kind === 'policy') return requirementOf(target.policy);
  // A group is the target of an MFA policy (the incident's MFA_Required); security defaults ask for MFA.
  return { kind: 'mfa', otherControls: [] };
}

function describeTarget(
  target: ImpactTargetSpec,
  groups: GroupMembership,
  snapshot: TenantSnapshot,
): ImpactTarget {
  switch (target.kind) {
    case 'policy':
      return {
        kind: 'policy',
        policyId: target.policy.id,
        displayName: target.policy.displayName ?? null,
        state: target.policy.state ?? null,
      };
    case 'group':
      return {
        kind: 'group',
        groupId: target.groupId,
        displayName: groups.displayName(target.groupId) ?? null,
      };
    case 'security-defaults':
      return { kind: 'security-defaults', isEnabled: snapshot.securityDefaults?.isEnabled ?? null };
  }
}

function targetNotes(
  target: ImpactTargetSpec,
  requirement: ImpactRequirement,
  roleHolders: RoleHolders,
  groups: GroupMembership,
): ImpactNote[] {
  const notes: ImpactNote[] = [];
  if (target.kind === 'security-defaults') return notes;
  if (target.kind === 'group') {
    if (!membersCollected(groups, target.groupId))
      notes.push({
        code: 'group-members-not-collected',
        groups: [{ groupId: target.groupId, groupName: groups.displayName(target.groupId) ?? null }],
      });
    return notes;
  }
  const p = target.policy;
  const state = lowerCase(p.state ?? '');
  if (state === 'enabledforreportingbutnotenforced') notes.push({ code: 'policy-report-only' });
  else if (state === 'disabled') notes.push({ code: 'policy-disabled' });
  if (requirement.kind === 'none') notes.push({ code: 'requirement-none', controls: requirement.controls });
  else if (lowerCase(requirement.operator ?? '') === 'or' && requirement.otherControls.length > 0)
    notes.push({ code: 'grant-alternatives', controls: requirement.otherControls });
  if (requirement.kind === 'strength' && requirement.allowedCombinations.length === 0)
    notes.push({ code: 'strength-combinations-unknown', strength: strengthName(requirement) });
  const apps = p.includeApplications;
  if (!apps.some((a) => lowerCase(a) === ALL_APPS))
    notes.push({
      code: 'applies-to-some-apps',
      includeApplications: apps,
      includeUserActions: p.includeUserActions,
    });
  const roles = [...p.users.includeRoles, ...p.users.excludeRoles];
  if (roles.length > 0 && roleHolders === undefined)
    notes.push({ code: 'role-holders-not-collected', roleTemplateIds: roles });
  const missing = [...p.users.includeGroups, ...p.users.excludeGroups].filter(
    (g) => !membersCollected(groups, g),
  );
  if (missing.length > 0)
    notes.push({
      code: 'group-members-not-collected',
      groups: missing.map((g) => ({ groupId: g, groupName: groups.displayName(g) ?? null })),
    });
  return notes;
}

/** `userType` by lower-case id, from users.json, else the registration report. */
function userTypeIndex(snapshot: TenantSnapshot): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of snapshot.registration ?? [])
    if (r.userType !== undefined) out.set(lowerCase(r.id), r.userType);
  for (const u of snapshot.users ?? []) if (u.userType !== undefined) out.set(lowerCase(u.id), u.userType);
  return out;
}

function coverageOf(
  target: ImpactTargetSpec,
  u: UserAssessment,
  userTypes: ReadonlyMap<string, string>,
  groups: GroupMembership,
  roleHolders: RoleHolders,
): Coverage {
  switch (target.kind) {
    case 'security-defaults':
      return { status: 'covered', includedBy: [{ kind: 'security-defaults' }] };
    case 'group': {
      const member = groups.isMember(u.id, target.groupId);
      const groupName = groups.displayName(target.groupId) ?? null;
      if (member === true)
        return {
          status: 'covered',
          includedBy: [{ kind: 'target-group', groupId: target.groupId, groupName }],
        };
      if (member === undefined)
        return {
          status: 'unknown',
          includedBy: [],
          side: 'include',
          unknown: [{ kind: 'group-members-not-collected', groupId: target.groupId, groupName }],
        };
      return { status: 'not-covered' };
    }
    case 'policy': {
      const guestType = guestTypeOf(userTypes.get(lowerCase(u.id)), u.userPrincipalName);
      return policyCoverage(
        target.policy,
        {
          id: u.id,
          userPrincipalName: u.userPrincipalName,
          ...(guestType !== undefined ? { guestType } : {}),
        },
        groups,
        roleHolders,
      );
    }
  }
}

function strengthName(r: Extract<ImpactRequirement, { kind: 'strength' }>): string {
  return r.displayName ?? r.id;
}

const LOCKING_VERDICTS: ReadonlySet<Verdict> = new Set([
  'looping',
  'unverified',
  'loop-risk',
  'policy-blocked',
]);

function classify(
  u: UserAssessment,
  coverage: Exclude<Coverage, { status: 'not-covered' }>,
  requirement: ImpactRequirement,
  target: ImpactTargetSpec,
  domains: FederatedDomains,
): ImpactUser {
  const base = {
    id: u.id,
    userPrincipalName: u.userPrincipalName,
    displayName: u.displayName,
    verdict: u.verdict,
    confidence: u.confidence,
    action: u.action.code,
    includedBy: coverage.includedBy,
  };
  const one = (bucket: ImpactBucket, ...findings: ImpactFinding[]): ImpactUser => ({
    ...base,
    bucket,
    findings,
  });

  if (coverage.status === 'excluded')
    return one('excluded', { code: 'excluded-by-policy', conditions: coverage.excludedBy });
  if (u.exclusion === 'disabled') return one('not-signing-in', { code: 'account-disabled' });
  if (coverage.status === 'unknown')
    return one('unknown', { code: 'coverage-unknown', side: coverage.side, conditions: coverage.unknown });
  // A guest's MFA may be done in their home tenant (cross-tenant access trust), which no evidence here shows.
  if (u.exclusion === 'guest') return one('unknown', { code: 'guest-not-assessed' });
  if (u.exclusion !== undefined) return one('unknown', { code: 'not-assessed', exclusion: u.exclusion });
  if (requirement.kind === 'none') return one('unknown', { code: 'verdict-unknown' });

  const verdict = u.verdict;
  if (LOCKING_VERDICTS.has(verdict)) return one('locked-out', { code: 'verdict-blocks', verdict });
  if (verdict === 'unknown') return one('unknown', { code: 'verdict-unknown' });

  if (verdict === 'not-registered') {
    if (requirement.kind === 'strength') {
      if (requirement.allowedCombinations.length === 0)
        return one('unknown', { code: 'strength-combinations-unknown', strength: strengthName(requirement) });
      if (!allowsInlineRegistration(requirement.allowedCombinations))
        return one('locked-out', {
          code: 'strength-needs-prior-registration',
          strength: strengthName(requirement),
        });
    }
    // AD FS has no inline proof-up: a federated user is sent to the IdP, never to Entra's registration.
    const federated = domains.federatedDomainOf(u.userPrincipalName);
    if (federated !== undefined) return one('locked-out', federatedFinding(federated));
    return one('will-register', {
      code: 'will-be-asked-to-register',
      graceDays: target.kind === 'security-defaults' ? SECURITY_DEFAULTS_GRACE_DAYS : null,
    });
  }

  // ready
  const ready: ImpactFinding = { code: 'ready', confidence: u.confidence };
  if (requirement.kind !== 'strength') return one('satisfies', ready);
  const name = strengthName(requirement);
  if (requirement.allowedCombinations.length === 0)
    return one('unknown', ready, { code: 'strength-combinations-unknown', strength: name });
  const usable = [...new Set(u.methods.filter((m) => m.state === 'usable').map((m) => m.type))];
  const match = matchStrength(usable, requirement.allowedCombinations);
  if (match.satisfiedBy !== undefined)
    return one('satisfies', ready, {
      code: 'strength-met',
      methodType: match.satisfiedBy.kind,
      combination: match.satisfiedBy.combination,
    });
  // Ready through the federated IdP's MFA (no method of its own in Entra): what the strength's
  // `federatedMultiFactor` mode accepts.
  if (
    requirement.allowedCombinations.includes('federatedmultifactor') &&
    u.evidence.some((e) => e.code === 'mfa-satisfied-by-claim' && e.fields.federation !== null)
  )
    return one('satisfies', ready, {
      code: 'strength-met',
      methodType: null,
      combination: 'federatedmultifactor',
    });
  if (match.unmapped.length > 0)
    return one('unknown', ready, {
      code: 'strength-methods-unmapped',
      strength: name,
      methods: match.unmapped,
    });
  return one('locked-out', { code: 'strength-not-met', strength: name, usableMethods: usable });
}

function federatedFinding(domain: DomainInfo): ImpactFinding {
  return { code: 'federated-no-inline-registration', domain: domain.id };
}

/** Whether the group's (transitive) members were collected: membership is then known for everyone. */
function membersCollected(groups: GroupMembership, groupId: string): boolean {
  return groups.isMember('', groupId) !== undefined;
}
