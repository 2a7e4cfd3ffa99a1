import type { DomainInfo, UserMethods } from '../domain/tenant.js';
import type { Evidence, Verdict } from '../domain/verdict.js';
import { auditEvidence } from './audit-evidence.js';
import type { TimedAuditFact } from './audit-timeline.js';
import type { DeviceLedger } from './authenticator-devices.js';
import { completionOf } from './authenticator-devices.js';
import type { AssessContext } from './context.js';
import { evidence, sortEvidenceInPlace } from './evidence.js';
import type { Inventory } from './method-inventory.js';
import type { MethodFinding } from './method-states.js';
import type { Member } from './population.js';
import { policyEvidence } from './policy-evidence.js';
import type { Readiness } from './readiness.js';
import { reportFlagsEvidence, reportMissingEvidence } from './report-evidence.js';
import { hasNoDefaultMfaMethod } from './report-row.js';
import type { SignInSummary } from './sign-in-evidence.js';
import { signInEvidence } from './sign-in-evidence.js';
import type { Clock } from './clock.js';
import type { UsableTap } from './temporary-access-pass.js';

/** Everything the rules worked out about one user, from which the findings are drawn. */
export interface UserFacts {
  member: Member;
  facts: readonly TimedAuditFact[];
  ledger: DeviceLedger;
  list: UserMethods | undefined;
  inventory: Inventory;
  findings: readonly MethodFinding[];
  signIns: SignInSummary;
  federatedDomain: DomainInfo | undefined;
  /** The domains.json entry of the user's domain, federated or not (FederatedDomains.entryOf). */
  domain: DomainInfo | undefined;
  stale: Evidence | undefined;
  readiness: Readiness;
  verdict: Verdict;
  weak: boolean;
  tap: UsableTap | undefined;
  /** The user's clock: every comparison with `now` goes through it. */
  clock: Clock;
}

function methodListed(f: MethodFinding): Evidence | undefined {
  const m = f.entry.method;
  // The password is on every account: citing it says nothing.
  if (m === undefined || m.kind === 'password') return undefined;
  return evidence('method-listed', 'methods', m.id, m.createdDateTime, {
    methodId: m.id,
    methodType: m.kind,
    odataType: m.kind === 'unknown' ? m.odataType : undefined,
    displayName: m.displayName,
    deviceTag: m.deviceTag,
    phoneAppVersion: m.phoneAppVersion,
    phoneType: m.phoneType,
    state: f.state,
  });
}

function tapUsable(tap: UsableTap): Evidence {
  const t = tap.method.tap;
  return evidence('tap-usable', 'methods', tap.method.id, t?.startDateTime ?? null, {
    methodId: tap.method.id,
    startDateTime: t?.startDateTime,
    endDateTime: tap.endDateTime,
    lifetimeInMinutes: t?.lifetimeInMinutes,
    isUsableOnce: t?.isUsableOnce,
  });
}

function noDefaultMethod(u: UserFacts): Evidence | undefined {
  const row = u.member.row;
  const unverified = u.findings.filter((f) => f.unverifiedBy === 'no-default-method');
  if (row === undefined || unverified.length === 0) return undefined;
  return evidence('report-no-default-method', 'registration', row.id, row.lastUpdatedDateTime, {
    methodIds: unverified.map((f) => f.entry.id),
    methodTypes: unverified.map((f) => f.entry.kind),
    defaultMfaMethod: row.defaultMfaMethod ?? null,
    userPreferredMethodForSecondaryAuthentication: row.userPreferredMethodForSecondaryAuthentication,
    noDefault: hasNoDefaultMfaMethod(row) ?? null,
  });
}

/** Shared by the many users no sign-in completed a device of: never mutated. */
const NO_IDS: ReadonlySet<string> = new Set();

/** Sign-ins that completed an Authenticator registration: cited even when not the latest MFA sign-in. */
function completingSignIns(u: UserFacts): ReadonlySet<string> {
  let ids: Set<string> | undefined;
  for (const f of u.findings) {
    const c = f.entry.device === undefined ? undefined : completionOf(f.entry.device, u.ledger);
    if (c?.source === 'signIns') (ids ??= new Set()).add(c.ref);
  }
  return ids ?? NO_IDS;
}

/**
 * The user's findings, in order: who the user is (exclusions, federation, admin), what the report and
 * the methods list say, the policy's refusals, then the audit and sign-in timeline.
 */
export function userEvidence(u: UserFacts, ctx: AssessContext): Evidence[] {
  const { member, verdict } = u;
  const row = member.row;
  // A literal, then pushes (not a spread copy): V8 then gives every user's list the same element
  // kind, and the optimised code is not thrown away each time a push meets a new one.
  const ev: Evidence[] = [];
  for (const e of member.exclusionEvidence) ev.push(e);
  if (u.federatedDomain !== undefined) {
    ev.push(
      evidence('federated-user', 'domains', u.federatedDomain.id, null, { domain: u.federatedDomain.id }),
    );
  }
  if (row?.isAdmin === true) ev.push(evidence('admin-role', 'registration', row.id, null));
  const flags = reportFlagsEvidence(member);
  if (flags !== undefined) ev.push(flags);
  if (row === undefined && ctx.snapshot.registration !== undefined) {
    ev.push(reportMissingEvidence(member, ctx.reportRefreshedAt));
  }
  if (u.stale !== undefined) ev.push(u.stale);
  // Where the verdict is not `ready`, say that the current methods were not seen.
  if (u.list === undefined && verdict !== 'ready' && verdict !== 'excluded') {
    // Dataset + id, as every ref: the list is missing whether the evidence came from a folder or the history.
    ev.push(evidence('methods-list-missing', 'methods', member.id, null, { inventory: u.inventory.origin }));
  }
  for (const f of u.findings) {
    const listed = methodListed(f);
    if (listed !== undefined) ev.push(listed);
  }
  if (u.tap !== undefined) ev.push(tapUsable(u.tap));
  const noDefault = noDefaultMethod(u);
  if (noDefault !== undefined) ev.push(noDefault);
  policyEvidence(u.findings, ctx.snapshot.methodsPolicy, ctx.groups, ev);
  auditEvidence(u.facts, u.ledger, ev);
  signInEvidence(u.signIns, u.clock, completingSignIns(u), u.domain, ev);
  const first = u.readiness.usable[0];
  if (u.weak && first !== undefined) {
    ev.push(
      evidence('weak-phone-only', 'methods', first.entry.id, null, {
        methodIds: u.readiness.usable.map((f) => f.entry.id),
      }),
    );
  }
  // A copy of exact length: `ev` grew by pushes and has room for a dozen more, which the assessment
  // would otherwise hold on to, for every user.
  return sortEvidenceInPlace(ev).slice();
}
