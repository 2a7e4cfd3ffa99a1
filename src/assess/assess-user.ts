import type { MethodKind, UserMethods } from '../domain/tenant.js';
import type { UserAssessment } from '../domain/verdict.js';
import { nextAction } from './actions.js';
import type { TimedAuditFact } from './audit-timeline.js';
import { lastMfaRegistrationAt } from './audit-timeline.js';
import { buildDeviceLedger } from './authenticator-devices.js';
import { Clock } from './clock.js';
import type { AssessContext } from './context.js';
import { isFederatedDomain } from './federated-domains.js';
import { buildInventory } from './method-inventory.js';
import { isMfaKind } from './method-kinds.js';
import type { MethodFinding, MethodStateContext } from './method-states.js';
import { assessMethod } from './method-states.js';
import type { Member } from './population.js';
import { confidenceOf, readinessOf } from './readiness.js';
import { createdAfterReport, reportStaleEvidence } from './report-evidence.js';
import { reportMethod } from './report-methods.js';
import type { SignInSummary } from './sign-in-evidence.js';
import { summariseSignIns } from './sign-in-evidence.js';
import type { ClassifiedSignIn } from './sign-in-index.js';
import { usableTap } from './temporary-access-pass.js';
import { userEvidence } from './user-evidence.js';
import { decideVerdict } from './verdict.js';

/** The per-user methods file, named by id or by (lower-case) UPN. */
function methodsOf(member: Member, ctx: AssessContext): UserMethods | undefined {
  const map = ctx.snapshot.methods;
  if (map === undefined || map.size === 0) return undefined;
  return (
    map.get(member.id) ?? map.get(member.id.toLowerCase()) ?? map.get(member.userPrincipalName.toLowerCase())
  );
}

/**
 * Kinds the report calls registered but not capable. Only when the policy cannot be evaluated: the
 * report then speaks for the legacy settings Graph cannot read (lower confidence than the policy).
 */
function reportBlockedKinds(member: Member, ctx: AssessContext): Set<MethodKind> | undefined {
  const row = member.row;
  if (ctx.policy.evaluable || row === undefined) return undefined;
  if (row.isMfaRegistered !== true || row.isMfaCapable !== false) return undefined;
  return new Set(row.methodsRegistered.map((m) => reportMethod(m).kind).filter(isMfaKind));
}

/** Shared by the users without audit facts or sign-ins (most of a big tenant): never mutated. */
const NO_FACTS: readonly TimedAuditFact[] = [];
const NO_SIGN_INS: readonly ClassifiedSignIn[] = [];

/** The configurations that refuse any of the user's methods, each once, in the order first met. */
function blockingConfigurationIds(findings: readonly MethodFinding[]): string[] {
  let ids: Set<string> | undefined;
  for (const f of findings) for (const b of f.blocks) (ids ??= new Set()).add(b.configurationId);
  return ids === undefined ? [] : [...ids];
}

/**
 * Whether the audit log that was read covers the user's whole existence: created after the report's
 * refresh (hours before the collection, well inside the log's window), so any method registered since,
 * by the user or by an admin, would be a security-info event in it. Its silence is then evidence.
 */
function auditLogCoversLifetime(member: Member, ctx: AssessContext): boolean {
  return ctx.snapshot.audits !== undefined && createdAfterReport(member, ctx.reportRefreshedAt);
}

/**
 * Whether nothing was read that says what the user's methods are: no report row, no methods list, no
 * security-info event in the audit log (nor an audit log covering the user's whole life), and no
 * sign-in that says they must register. Such a user is `unknown`, not `not-registered`: a user missing
 * from every source may well have methods (a report that omits them, a methods list not collected).
 * A registration interrupt (error 50072/50079) does say something: Entra asked the user to register
 * MFA, so they had no usable method. MFA sign-ins and Authenticator-app sign-ins need no test here:
 * they make the user `ready` or `loop-risk`, which come first.
 */
function nothingRead(
  member: Member,
  list: UserMethods | undefined,
  facts: readonly TimedAuditFact[],
  signIns: SignInSummary,
  ctx: AssessContext,
): boolean {
  if (member.row !== undefined || list !== undefined || facts.length > 0) return false;
  for (const s of signIns.registration) if (s.facts.registrationInterrupt) return false;
  return !auditLogCoversLifetime(member, ctx);
}

/** Assesses one user: every rule, then the verdict by precedence, its confidence, action and evidence. */
export function assessUser(member: Member, ctx: AssessContext): UserAssessment {
  const clock = new Clock(ctx.now);
  const row = member.row;
  const facts = ctx.auditFacts.get(member.id) ?? NO_FACTS;
  const classified = ctx.signIns.get(member.id) ?? NO_SIGN_INS;
  const ledger = buildDeviceLedger(facts, classified);
  const list = methodsOf(member, ctx);
  const inventory = buildInventory(list, row, facts, ledger);

  const stateContext: MethodStateContext = {
    userId: member.id,
    row,
    ledger,
    policy: ctx.policy,
    reportBlockedKinds: reportBlockedKinds(member, ctx),
    unattributedDeletion: inventory.unattributedDeletion !== undefined,
  };
  // Built by pushes onto a literal rather than by map: one element kind for every user (see userEvidence).
  const findings: MethodFinding[] = [];
  for (const entry of inventory.entries) findings.push(assessMethod(entry, stateContext));
  const signIns = summariseSignIns(classified, lastMfaRegistrationAt(facts), clock);
  // The domains.json entry of the user's domain: federated or managed decides what a claim proves.
  const domain = ctx.domains.entryOf(member.userPrincipalName);
  const federatedDomain = domain !== undefined && isFederatedDomain(domain) ? domain : undefined;
  const stale = reportStaleEvidence(member, facts);
  const readiness = readinessOf(findings, inventory, signIns, facts, domain, {
    isMfaCapable: row?.isMfaCapable === true,
    stale: stale !== undefined,
  });

  const verdict = decideVerdict({
    excluded: member.exclusion !== undefined,
    ready: readiness.ready,
    looping: signIns.loop !== undefined,
    unverified: findings.some((f) => f.state === 'unverified'),
    'policy-blocked': findings.some((f) => f.state === 'policy-blocked'),
    'loop-risk': signIns.authenticatorApp.length > 0,
    'not-registered': !nothingRead(member, list, facts, signIns, ctx),
  });
  const confidence = confidenceOf(verdict === 'ready', readiness, signIns, facts, ledger, clock, domain);
  const { usable } = readiness;
  const weak = verdict === 'ready' && usable.length > 0 && usable.every((f) => f.entry.kind === 'phone');
  const tap = list === undefined ? undefined : usableTap(list.methods, clock);

  const assessment: UserAssessment = {
    id: member.id,
    userPrincipalName: member.userPrincipalName,
    displayName: member.displayName,
    verdict,
    confidence,
    weak,
    isAdmin: row?.isAdmin === true,
    methods: findings.map((f) => ({ id: f.entry.id, type: f.entry.kind, state: f.state })),
    evidence: userEvidence(
      {
        member,
        facts,
        ledger,
        list,
        inventory,
        findings,
        signIns,
        federatedDomain,
        domain,
        stale,
        readiness,
        verdict,
        weak,
        tap,
        clock,
      },
      ctx,
    ),
    action: nextAction({
      verdict,
      weak,
      tapUsable: tap !== undefined,
      unverifiedMethodIds: findings.filter((f) => f.state === 'unverified').map((f) => f.entry.id),
      blockingConfigurationIds: blockingConfigurationIds(findings),
      hasNonMfaMethods: findings.some(
        (f) => f.state === 'not-mfa' && f.entry.kind !== 'password' && f.entry.kind !== 'temporaryAccessPass',
      ),
    }),
  };
  if (member.exclusion !== undefined) assessment.exclusion = member.exclusion;
  ctx.stableUntil.set(member.id, clock.until);
  return assessment;
}
