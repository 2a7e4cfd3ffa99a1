import type { UserAssessment, Verdict } from '../domain/verdict.js';
import { VERDICT_SEVERITY, VERDICTS } from '../domain/verdict.js';

/** Users per verdict, every verdict present (zero when none), in VERDICTS order. */
export function summarise(users: readonly UserAssessment[]): Record<Verdict, number> {
  const summary = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  for (const u of users) summary[u.verdict]++;
  return summary;
}

const SEVERITY = new Map<Verdict, number>(VERDICT_SEVERITY.map((v, i) => [v, i]));

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

interface SortKey {
  severity: number;
  isAdmin: boolean;
  upn: string;
  id: string;
}

function sortKey(u: UserAssessment): SortKey {
  return {
    severity: SEVERITY.get(u.verdict) ?? 0,
    isAdmin: u.isAdmin,
    upn: u.userPrincipalName.toLowerCase(),
    id: u.id,
  };
}

function compareKeys(x: SortKey, y: SortKey): number {
  return (
    x.severity - y.severity ||
    (x.isAdmin === y.isAdmin ? 0 : x.isAdmin ? -1 : 1) ||
    compareText(x.upn, y.upn) ||
    compareText(x.id, y.id)
  );
}

/**
 * The order reports list users in: worst verdict first, admins first within a verdict, then by UPN
 * and id. Plain code-unit comparison, not locale collation, so the order is the same on every machine.
 */
export function compareUsers(x: UserAssessment, y: UserAssessment): number {
  return compareKeys(sortKey(x), sortKey(y));
}

/**
 * `users` in compareUsers order, each sort key worked out once rather than in every comparison: a
 * 100,000-user tenant makes some 1.7 million comparisons.
 */
export function sortUsers(users: readonly UserAssessment[]): UserAssessment[] {
  return users
    .map((u) => ({ u, key: sortKey(u) }))
    .sort((a, b) => compareKeys(a.key, b.key))
    .map((k) => k.u);
}
