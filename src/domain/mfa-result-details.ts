/**
 * What a sign-in's MFA result detail says happened, as Microsoft documents it. The text is in
 * `authenticationDetails[].authenticationStepResultDetail` (beta) and in `status.additionalDetails`
 * (v1.0 and beta). A requirement (`authenticationRequirement: multiFactorAuthentication`) is not an
 * outcome: only these texts say whether MFA was performed, and how.
 *
 * Sources:
 * - https://learn.microsoft.com/entra/identity/authentication/howto-mfa-reporting ("Use the sign-in
 *   logs to review Microsoft Entra multifactor authentication events"): the list of how MFA was
 *   satisfied and why it was denied. The log writes them after "MFA " / "MFA requirement " /
 *   "MFA denied; " ("MFA requirement skipped due to location"), which matching strips.
 * - https://learn.microsoft.com/graph/api/resources/authenticationdetail?view=graph-rest-beta: the
 *   step's result detail ("claim in token", "no phone input - timed out", "user is blocked", …).
 * - Sign-ins published with their full Graph output show wordings the page abbreviates: "MFA completed
 *   in Azure AD" (v1.0 `status.additionalDetails`, the page's "completed in the cloud") and "MFA
 *   requirement skipped due to IP address" (a trusted IP, the page's "skipped due to location").
 *
 * An unknown text is never proof: the assessment counts the ones it met so this table can grow.
 */

/**
 * - `done-now`: MFA was performed in this sign-in.
 * - `done-earlier`: satisfied by what an earlier sign-in did (a claim in the token, a remembered
 *   device): proves only what that earlier sign-in proves.
 * - `done-by-federated-claim`: satisfied by a claim an external (federated) provider issued.
 * - `skipped`: MFA was required and not performed (trusted IP or location, app password, …).
 * - `failed`: MFA was not completed (denied, timed out, blocked, registration asked for, …).
 */
export type MfaResultOutcome = 'done-now' | 'done-earlier' | 'done-by-federated-claim' | 'skipped' | 'failed';

export interface MfaResultDetail {
  /** The detail as Learn lists it, without the log's "MFA " / "MFA requirement " / "MFA denied; " lead. */
  detail: string;
  outcome: MfaResultOutcome;
  source: string;
}

const REPORTING = 'https://learn.microsoft.com/entra/identity/authentication/howto-mfa-reporting';
const STEP = 'https://learn.microsoft.com/graph/api/resources/authenticationdetail?view=graph-rest-beta';
const ERRORS = 'https://learn.microsoft.com/entra/identity-platform/reference-error-codes';

function details(outcome: MfaResultOutcome, source: string, list: readonly string[]): MfaResultDetail[] {
  return list.map((detail) => ({ detail, outcome, source }));
}

/** The well-known MFA result details (lower-case matching; see mfaResultOutcome in src/assess). */
export const MFA_RESULT_DETAILS: readonly MfaResultDetail[] = [
  ...details('done-now', REPORTING, [
    'successfully completed',
    'completed in the cloud',
    // The v1.0 wording of "completed in the cloud", in `status.additionalDetails`.
    'completed in Azure AD',
    // A strong primary method (passwordless, FIDO2, Windows Hello) met the MFA requirement itself.
    'satisfied by strong authentication',
  ]),
  ...details('done-earlier', REPORTING, [
    'satisfied by claim in the token',
    'skipped due to remembered device',
  ]),
  ...details('done-earlier', STEP, ['claim in token']),
  ...details('done-by-federated-claim', REPORTING, ['satisfied by claim provided by external provider']),
  ...details('skipped', REPORTING, [
    'skipped due to location',
    // Trusted IPs of per-user MFA: the documented "location", as the log words it.
    'skipped due to IP address',
    'skipped due to registered device',
    'skipped due to app password',
    'skipped as flow exercised was Windows broker logon flow',
  ]),
  ...details('failed', REPORTING, [
    'has expired due to the policies configured on tenant',
    'registration prompted',
    'authentication in-progress',
    'duplicate authentication attempt',
    'entered incorrect code too many times',
    'invalid authentication',
    'invalid mobile app verification code',
    'misconfiguration',
    'phone call went to voicemail',
    'phone number has an invalid format',
    'service error',
    "unable to reach the user's phone",
    'unable to send the mobile app notification to the device',
    'unable to send the mobile app notification',
    'user declined the authentication',
    "user didn't respond to mobile app notification",
    'user did not respond to mobile app notification',
    "user doesn't have any verification methods registered",
    'user entered incorrect code',
    'user entered incorrect PIN',
    'user hung up the phone call without succeeding the authentication',
    'user is blocked',
    'user never entered the verification code',
    'user not found',
    'verification code already used once',
  ]),
  ...details('failed', STEP, ['fraud code entered', 'no phone input - timed out', 'phone unreachable']),
  // The text of AADSTS50074 / 50076 interrupts: MFA asked for, not yet done.
  ...details('failed', ERRORS, ['required in Azure AD', 'user did not pass the MFA challenge']),
];

/**
 * Texts that lead a whole family: "MFA denied; <any reason>" is a failure and "MFA requirement
 * skipped due to <anything>" a skip (the ADFS-issued InsideCorpNet claim, say), whatever the reason.
 * Only outcomes that prove nothing are matched by lead: a proof needs a known text.
 */
export const MFA_RESULT_DETAIL_LEADS: readonly { lead: string; outcome: 'skipped' | 'failed' }[] = [
  { lead: 'mfa denied', outcome: 'failed' },
  { lead: 'mfa requirement skipped', outcome: 'skipped' },
];
