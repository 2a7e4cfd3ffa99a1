import type { ReasonMethod } from '../domain/audit-facts.js';
import { memoByText } from './memo.js';

export type { ReasonMethod } from '../domain/audit-facts.js';

/**
 * What a security-info reason text says happened:
 * - `registered`: the method was added (a completed registration);
 * - `started`: the registration page was opened for it, nothing more;
 * - `failed`: the registration was tried and did not complete;
 * - `cancelled`: the user left the registration unfinished;
 * - `deleted`: the method was removed;
 * - `changed-default`: another registered method became the default;
 * - `not-done`: a delete, default change or review that failed, so nothing changed;
 * - `unknown`: a text none of the phrases below matches. Never read as a completion.
 */
export type ReasonOutcome =
  'registered' | 'started' | 'failed' | 'cancelled' | 'deleted' | 'changed-default' | 'not-done' | 'unknown';

/** Who the text says acted: the user on their own security info, or an admin on someone else's. */
export type ReasonActor = 'user' | 'admin';

export interface ReasonReading {
  outcome: ReasonOutcome;
  actor?: ReasonActor;
  /** The method the text names, when it names one we know. */
  method?: ReasonMethod;
}

/**
 * The opening phrases of the reason texts the "Authentication Methods" service writes, most specific
 * first ("User failed to register" before "User registered"). Sources:
 * - the combined-registration audit events table, https://learn.microsoft.com/en-us/entra/identity/authentication/howto-registration-mfa-sspr-combined-troubleshoot
 *   ("User registered all required security info.", "User canceled security info registration.",
 *   "User registered method.", "User deleted method.", "User failed to delete method.",
 *   "User changed the default security info for method.", "User failed to review security info.");
 * - the activity list, https://learn.microsoft.com/en-us/entra/identity/monitoring-health/reference-audit-activities
 *   ("User canceled", older "User cancelled");
 * - real events: "User registered Fido2 Authentication Method", "User registered temporary access pass
 *   method" (https://learn.microsoft.com/en-us/powershell/module/microsoft.entra/get-entraauditdirectorylog),
 *   "User started the registration for Authenticator App with Code", "User failed to register
 *   Authenticator App with Code" (the reasons https://github.com/evild3ad/Microsoft-Analyzer-Suite
 *   highlights in its Entra audit-log analyser).
 * Method names seen besides ("Mobile Phone SMS", "Fido", "phone method for user") are matched by the
 * method patterns below, not by a whole-phrase list, so a new wording of a known method is still read.
 */
const OUTCOME_PHRASES: readonly [RegExp, ReasonOutcome, ReasonActor][] = [
  [/^user failed to (register|add|set ?up)\b/i, 'failed', 'user'],
  [/^admin failed to (register|add)\b/i, 'failed', 'admin'],
  [/^user failed to (delete|remove|change|review|update)\b/i, 'not-done', 'user'],
  [/^admin failed to (delete|remove|change|update)\b/i, 'not-done', 'admin'],
  [/^user cancell?ed\b/i, 'cancelled', 'user'],
  [/^user (started|began) (the )?(security info )?registration\b/i, 'started', 'user'],
  [/^user registered\b/i, 'registered', 'user'],
  [/^admin registered\b/i, 'registered', 'admin'],
  [/^user (deleted|removed)\b/i, 'deleted', 'user'],
  [/^admin (deleted|removed)\b/i, 'deleted', 'admin'],
  [/^user changed (the )?default\b/i, 'changed-default', 'user'],
  [/^admin changed (the )?default\b/i, 'changed-default', 'admin'],
];

/**
 * The method names the reason texts use, in the portal's and the service's spellings. Order matters:
 * passkeys and security keys before "Authenticator" (a passkey in Microsoft Authenticator is a FIDO2
 * method), "Authenticator App" before "App password", "Alternate phone" and "Office phone" before
 * "phone", "hardware" before the OATH catch-all. Phone texts of the default-method change name the
 * channel ("Call +1 …", "Text a code to +1 …") rather than the phone.
 */
const REASON_PATTERNS: readonly [RegExp, ReasonMethod][] = [
  [/fido|security key|passkey/i, { kind: 'fido2' }],
  [/windows hello/i, { kind: 'windowsHelloForBusiness' }],
  [/passwordless/i, { kind: 'passwordlessMicrosoftAuthenticator' }],
  [/hardware (oath )?token|hardware oath/i, { kind: 'hardwareOath' }],
  [/software (oath )?token|software oath|oath token/i, { kind: 'softwareOath' }],
  [/authenticator/i, { kind: 'microsoftAuthenticator' }],
  [/app password/i, { kind: 'unknown', notMfa: true }],
  [/security question/i, { kind: 'unknown', notMfa: true }],
  [/temporary access pass/i, { kind: 'temporaryAccessPass' }],
  [/alternate (mobile )?phone/i, { kind: 'phone', phoneType: 'alternateMobile' }],
  [/office phone/i, { kind: 'phone', phoneType: 'office' }],
  [/phone|\bsms\b|text a code|\bcall \+/i, { kind: 'phone', phoneType: 'mobile' }],
  [/e-?mail/i, { kind: 'email' }],
  [/oath|verification code/i, { kind: 'softwareOath' }],
];

/** The method named by a reason text; undefined when the text names none we know. */
export function reasonMethod(text: string | undefined): ReasonMethod | undefined {
  if (text === undefined || text === '') return undefined;
  return methodInText(text);
}

/** The service writes a handful of reason texts over and over: each is read against the patterns once. */
const methodInText = memoByText((text): ReasonMethod | undefined => {
  for (const [pattern, method] of REASON_PATTERNS) if (pattern.test(text)) return method;
  return undefined;
});

/** What a reason text says happened, by whom, to which method; `undefined` for a missing or empty text. */
export function readReason(text: string | undefined): ReasonReading | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  return readingOf(trimmed);
}

const readingOf = memoByText((text): ReasonReading => {
  const method = methodInText(text);
  for (const [pattern, outcome, actor] of OUTCOME_PHRASES) {
    if (!pattern.test(text)) continue;
    return method === undefined ? { outcome, actor } : { outcome, actor, method };
  }
  return method === undefined ? { outcome: 'unknown' } : { outcome: 'unknown', method };
});
