import { plural } from './format.js';
import { safeText } from './sanitize.js';

/** How many distinct unknown details are named at most; the JSON report has them all. */
const NAMED = 5;

/**
 * The line saying which MFA result details the assessment did not know (and so did not count as
 * proof), most frequent first; undefined when there were none.
 */
export function unknownMfaResultDetailsText(counts: Record<string, number> | undefined): string | undefined {
  if (counts === undefined) return undefined;
  const entries = Object.entries(counts);
  if (entries.length === 0) return undefined;
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  const named = entries.slice(0, NAMED).map(([text, n]) => `"${safeText(text)}" (${n})`);
  const more = entries.length > NAMED ? `, and ${entries.length - NAMED} more` : '';
  return (
    `${plural(total, 'sign-in')} had an MFA result detail mfa-ready does not know: ${named.join(', ')}${more}; ` +
    'they were not counted as proof'
  );
}
