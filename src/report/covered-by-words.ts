import type { Assessment, CoveredBy, CoveringPolicy } from '../domain/verdict.js';
import type { Colors } from './colors.js';
import { formatPercent, plural, wrap } from './format.js';
import { safeText } from './sanitize.js';

/** Words for `coveredBy` (assess/covered-by.ts): which MFA policies cover a user, and for how many users. */

function policyName(p: CoveringPolicy): string {
  const name = p.displayName === null ? p.id : safeText(p.displayName);
  const notes = [
    p.state === 'report-only' ? 'report-only' : undefined,
    p.strength === null ? undefined : safeText(p.strength),
  ]
    .filter((n): n is string => n !== undefined)
    .join(', ');
  return notes === '' ? name : `${name} (${notes})`;
}

/** One user's line: the policies, the undecided ones, or why nothing is known. */
export function coveredByText(c: CoveredBy | undefined): string {
  if (c === undefined) return 'unknown: the Conditional Access policies were not read';
  const parts: string[] = [];
  if (c.policies.length > 0) parts.push(c.policies.map(policyName).join('; '));
  if (c.undecided.length > 0)
    parts.push(
      `undecided (group members or role holders not collected): ${c.undecided.map(policyName).join('; ')}`,
    );
  return parts.length === 0 ? 'no enabled or report-only MFA policy' : parts.join('; ');
}

/** How many enabled users an MFA policy covers: the table's line under the summary. Empty when none were assessed. */
export function coveredBySummaryLines(a: Assessment, c: Colors, width: number): string[] {
  const users = a.users.filter((u) => u.verdict !== 'excluded');
  if (users.length === 0) return [];
  if (users.every((u) => u.coveredBy === undefined))
    return wrap(
      'MFA policies: the Conditional Access policies were not read, so who an MFA policy already covers is unknown.',
      width,
    ).map((l) => c.dim(l));
  let enforced = 0;
  let reportOnly = 0;
  let undecided = 0;
  let none = 0;
  for (const u of users) {
    const cov = u.coveredBy;
    if (cov === undefined) undecided++;
    // Only a policy on every app asks for MFA at every sign-in; one on some apps or a user action may never.
    else if (cov.policies.some((p) => p.state === 'enabled' && p.appliesTo === 'all-apps')) enforced++;
    else if (cov.undecided.some((p) => p.appliesTo === 'all-apps')) undecided++;
    else if (cov.policies.some((p) => p.appliesTo === 'all-apps')) reportOnly++;
    else none++;
  }
  const total = users.length;
  const text =
    `MFA policies: ${formatPercent(enforced, total)} of the ${plural(total, 'user')} in scope are covered by an enabled MFA policy on all apps` +
    `; ${reportOnly} only by report-only ones; ${none} by none on all apps` +
    (undecided > 0 ? `; ${undecided} undecided (group members or role holders not collected)` : '') +
    '.';
  return wrap(text, width);
}
