import type { MfaResultOutcome } from '../domain/mfa-result-details.js';
import { MFA_RESULT_DETAIL_LEADS, MFA_RESULT_DETAILS } from '../domain/mfa-result-details.js';
import type { SignInMethodKind } from '../domain/sign-in-method-names.js';
import { SIGN_IN_METHOD_NAMES } from '../domain/sign-in-method-names.js';
import { memoByText } from './memo.js';

/** Lower case, single spaces, no surrounding blanks or trailing punctuation ("MFA denied;" → "mfa denied"). */
function normalised(text: string): string {
  return text
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/[\s.;:,!]+$/, '')
    .trim();
}

/** The log's lead before a documented detail: "MFA requirement skipped …", "MFA denied; user …", "MFA successfully …". */
const LEAD = /^mfa (?:requirement |denied[;:,]? )?/;

const BY_DETAIL = new Map<string, MfaResultOutcome>(
  MFA_RESULT_DETAILS.map((d) => [normalised(d.detail), d.outcome]),
);

/**
 * What an MFA result detail says happened (src/domain/mfa-result-details.ts), or undefined for a text
 * the table does not know. Case-insensitive, tolerant of trailing punctuation and of the log's lead.
 */
export const mfaResultOutcome = memoByText((text: string): MfaResultOutcome | undefined => {
  const n = normalised(text);
  const known = BY_DETAIL.get(n) ?? BY_DETAIL.get(n.replace(LEAD, ''));
  if (known !== undefined) return known;
  for (const { lead, outcome } of MFA_RESULT_DETAIL_LEADS) if (n.startsWith(lead)) return outcome;
  return undefined;
});

/** Whether a text speaks of MFA at all ("MFA …"), as opposed to the first factor ("Correct password"). */
export function speaksOfMfa(text: string): boolean {
  return /^\s*mfa\b/i.test(text);
}

/** The method kind a sign-in's method name stands for; `unknown` for a name not in the table. */
export const signInMethodKind = memoByText(
  (name: string): SignInMethodKind => SIGN_IN_METHOD_NAMES[normalised(name)] ?? 'unknown',
);
