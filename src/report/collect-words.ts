/**
 * The words of the live collector's results (collect summary, preflight, progress lines). The
 * collector emits codes (parts, skip reasons, failure kinds, loss codes); only this file turns them
 * into text. Every table is `satisfies Record<Union, …>`: a new code without words is a compile error.
 */
import type {
  ConfidenceLoss,
  CollectPart,
  FailureInfo,
  LossCode,
  MethodsReason,
} from '../domain/collection.js';
import type { PartStatus, SkipReason } from '../domain/collect-result.js';
import type { Verdict } from '../domain/verdict.js';
import { verdictLabel } from './labels.js';
import { safeText } from './sanitize.js';

const PART_LABELS = {
  tenant: 'tenant info',
  users: 'users',
  registration: 'registration report',
  conditionalAccess: 'Conditional Access policies',
  methodsPolicy: 'authentication methods policy',
  securityDefaults: 'security defaults',
  domains: 'domains',
  roleAssignments: 'directory role assignments',
  groups: 'groups',
  groupMembers: 'group members',
  audits: 'directory audits',
  signInsInteractive: 'sign-ins (interactive)',
  signInsNonInteractive: 'sign-ins (non-interactive)',
  signInActivity: 'last sign-in (signInActivity)',
  methods: 'per-user methods',
} as const satisfies Record<CollectPart, string>;

/** What a part is, as an admin calls it. */
export function partLabel(part: CollectPart): string {
  return PART_LABELS[part];
}

const LOSS_WORDS = {
  'disabled-and-new-users-unseen':
    'disabled accounts (never in the registration report) and users created since its last refresh are not seen',
  'no-registration-report':
    'no registration report: no MFA flags, default method or admin flag; a user without a methods list, audit or sign-in evidence is "unknown"',
  'methods-lists-missing':
    'no per-user methods lists: method states rest on the registration report, which lags behind changes by hours; a user missing from it, with no audit or sign-in evidence, is "unknown"',
  'registration-trail-missing':
    'no audit trail: an Authenticator added but never completed (QR code scanned, no test notification approved) is only guessed from the report',
  'report-staleness-undetectable':
    'a registration report older than the last security-info change cannot be detected',
  'mfa-sign-ins-missing':
    'no interactive sign-ins: MFA cannot be proven, and registration loops cannot be seen',
  'authenticator-app-sign-ins-missing':
    'no non-interactive sign-ins: sign-ins to the Authenticator app with the work account (which lead to a registration loop once MFA is enforced) are not seen',
  'methods-policy-missing':
    'no authentication methods policy: whether a method is allowed falls back to the report’s flags',
  'group-membership-unknown':
    'group members unknown: policy targets and --scope-group/--exclude-group cannot be resolved',
  'ca-target-groups-unknown':
    'Conditional Access policies unknown: the members of the groups they target are not collected',
  'federation-unknown':
    'domains unknown: federated users whose MFA happens at their own identity provider are not recognised',
  'federated-mfa-behaviour-unknown':
    'the federated domains’ federatedIdpMfaBehavior could not be read: if a domain is set to rejectMfaByFederatedIdp, MFA done at its identity provider does not count, yet its users’ IdP MFA claims are taken as proof',
  'role-holders-unknown':
    'directory role assignments unknown: who a Conditional Access policy’s role condition (such as "all administrators") covers is unknown',
  'context-only': 'context only: no verdict depends on it',
} as const satisfies Record<LossCode, string>;

/** What the assessment loses, in one sentence. */
export function lossText(code: LossCode): string {
  return LOSS_WORDS[code];
}

/** `verdicts affected: unverified · ready cannot be "registered"`; empty when nothing is affected. */
export function lossEffects(loss: ConfidenceLoss): string {
  const parts: string[] = [];
  if (loss.verdicts.length > 0) {
    parts.push(`verdicts affected: ${loss.verdicts.map((v: Verdict) => verdictLabel(v)).join(', ')}`);
  }
  if (loss.confidence.length > 0) {
    parts.push(`ready cannot be ${loss.confidence.map((c) => `"${c}"`).join(' or ')}`);
  }
  return parts.join(' · ');
}

const METHODS_REASON_WORDS = {
  'missing-from-report': 'not in the registration report',
  'report-not-registered': 'report lists no MFA method',
  'authenticator-without-default': 'Authenticator without a default method',
  'report-stale': 'report older than their audit events',
  'registered-not-capable': 'registered but not MFA-capable',
  'phone-only': 'phone methods only',
  'registration-sign-ins': 'registration sign-ins',
  'authenticator-app-sign-in': 'signed into the Authenticator app',
  'ready-changed': 'ready before, security info changed since',
} as const satisfies Record<MethodsReason, string>;

/** Why the bulk data left a user open (so their methods list was read). */
export function methodsReasonText(reason: MethodsReason): string {
  return METHODS_REASON_WORDS[reason];
}

/** A skipped part, in a few words. */
export function skipText(part: CollectPart, reason: SkipReason): string {
  switch (reason.code) {
    case 'not-requested':
      return part === 'signInActivity' ? 'not requested (--last-sign-in)' : 'not requested (--only)';
    case 'unavailable-in-cloud':
      return `not offered in the ${reason.cloud} cloud`;
    case 'no-input':
      return `skipped: needs ${reason.needs.map(partLabel).join(' or ')}, which could not be read`;
    case 'nothing-to-fetch':
      return 'nothing to fetch';
  }
}

const FAILURE_WORDS = {
  'permission-missing': 'permission missing',
  'licence-required': 'licence missing',
  'credential-rejected': 'credential rejected',
  'certificate-untrusted': 'server certificate not trusted',
  'retries-exhausted': 'kept failing',
  'next-link-rejected': 'saved link refused',
  'request-failed': 'request failed',
} as const satisfies Record<FailureInfo['kind'], string>;

/** A failure, in a few words: `permission missing (AuditLog.Read.All)`. */
export function failureBrief(failure: FailureInfo): string {
  const words = FAILURE_WORDS[failure.kind];
  switch (failure.kind) {
    case 'permission-missing':
      return `${words} (${failure.permissions.join(' + ')})`;
    case 'licence-required':
      return `${words} (${failure.licence})`;
    case 'retries-exhausted':
      return `${words} (${failure.reason}, ${failure.attempts} attempts)`;
    default:
      return failure.status > 0 ? `${words} (${failure.status})` : words;
  }
}

/** What to do about a failure: the permission to grant, the licence to get, or what to try. */
export function failureFix(failure: FailureInfo): string[] {
  switch (failure.kind) {
    case 'permission-missing': {
      const lines = [
        `Grant the Microsoft Graph application permission${failure.permissions.length > 1 ? 's' : ''} ${failure.permissions.join(
          ' and ',
        )} to the app registration, then grant admin consent.`,
      ];
      if (failure.delegatedRoles.length > 0) {
        lines.push(
          `For delegated sign-in (--device-code, --azure-cli) the user also needs one of the roles ${failure.delegatedRoles.join(', ')}.`,
        );
      }
      return lines;
    }
    case 'licence-required':
      return [
        `The tenant needs ${failure.licence}: without it Graph does not serve the registration report or the sign-in logs (a free tenant cannot be fully assessed).`,
      ];
    case 'credential-rejected':
      return ['Check the tenant id, the client id and that the secret or certificate is current.'];
    case 'certificate-untrusted':
      return [safeText(failure.hint ?? 'Trust the server certificate through NODE_EXTRA_CA_CERTS.')];
    case 'retries-exhausted':
    case 'next-link-rejected':
    case 'request-failed':
      return [safeText(failure.hint ?? 'Run the same command again with --resume to fetch what is missing.')];
  }
}

/** A part's status in a few words, for the summary table and the progress lines. */
export function statusBrief(part: CollectPart, status: PartStatus): string {
  switch (status.state) {
    case 'complete':
      return 'complete';
    case 'skipped':
      return skipText(part, status.reason);
    case 'failed':
      return `FAILED: ${failureBrief(status.failure)}`;
  }
}

/** `2 min 53 s`, `1 h 05 min`, `850 ms`: a duration for people. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return 'unknown';
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  const s = Math.round(ms / 1_000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  const h = Math.floor(m / 60);
  return `${h} h ${String(m % 60).padStart(2, '0')} min`;
}

/** `1,234` (the same grouping whatever the machine's locale). */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** `1 row`, `1,234 rows`. */
export function counted(n: number, word: string): string {
  return `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;
}
