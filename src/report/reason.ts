import type { Evidence, EvidenceCode, UserAssessment, Verdict } from '../domain/verdict.js';
import { evidenceText } from './evidence-messages.js';
import { logEvidenceAge, parseTime } from './format.js';
import { verdictMeaning } from './labels.js';

const FLAGS: readonly EvidenceCode[] = ['admin-role', 'weak-phone-only', 'service-account'];

/**
 * For each verdict, the findings that explain it best, most telling first. An admin reading one line per
 * user should see the *cause* (the loop, the half-finished Authenticator, the disabled method), not the
 * first row the engine happened to record.
 */
const TELLING = {
  excluded: [
    'account-disabled',
    'guest-user',
    'excluded-by-user-option',
    'excluded-by-group-option',
    'service-account',
  ],
  ready: [
    'mfa-sign-in',
    'mfa-satisfied-by-claim',
    'security-info-registered',
    'strong-auth-methods-set',
    'report-mfa-capable',
  ],
  looping: ['registration-loop', 'registration-interrupt', 'security-info-app-sign-in'],
  unverified: [
    'authenticator-device-added',
    'report-no-default-method',
    'security-info-registration-cancelled',
    'security-info-registration-failed',
    'method-listed',
  ],
  'policy-blocked': [
    'policy-method-disabled',
    'policy-user-excluded',
    'policy-user-not-targeted',
    'report-mfa-registered-not-capable',
    'policy-membership-unknown',
  ],
  'loop-risk': ['authenticator-app-sign-in'],
  'not-registered': [
    'report-not-registered',
    'security-info-deleted',
    'security-info-registration-failed',
    'tap-usable',
    'methods-list-missing',
    'report-missing-user',
    'mfa-requirement-skipped',
  ],
  unknown: ['methods-list-missing', 'report-missing-user'],
} as const satisfies Record<Verdict, readonly EvidenceCode[]>;

/** The finding that best explains the user's verdict, if any. Among equals, the latest one. */
export function tellingEvidence(u: UserAssessment): Evidence | undefined {
  const preferred: readonly EvidenceCode[] = TELLING[u.verdict];
  for (const code of preferred) {
    // A sign-in that proves no registrable method (a Temporary Access Pass) never explains a verdict.
    const matches = u.evidence.filter(
      (e) => e.code === code && !(e.code === 'mfa-sign-in' && e.fields.proves === false),
    );
    if (matches.length > 0)
      return matches.reduce((a, b) => ((parseTime(b.at) ?? -1) > (parseTime(a.at) ?? -1) ? b : a));
  }
  // Flags say who the user is, not why the verdict: never the one-line reason.
  return u.evidence.find((e) => !FLAGS.includes(e.code));
}

/**
 * One line saying why the user got their verdict: the telling finding, or what the verdict means. With
 * `now` (the report's clock), a sign-in or audit finding older than Entra's log retention says its age.
 */
export function reasonText(u: UserAssessment, now?: string): string {
  const e = tellingEvidence(u);
  if (e === undefined) return verdictMeaning(u.verdict);
  const age = logEvidenceAge(e, now);
  return age === undefined ? evidenceText(e) : `${evidenceText(e)} (${age})`;
}
