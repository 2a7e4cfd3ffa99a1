import type { UserAssessment, Verdict } from '../domain/verdict.js';
import { VERDICT_SEVERITY, VERDICTS } from '../domain/verdict.js';
import { lowerCase } from './lower-case.js';
import { compareText } from './evidence.js';

/** Users per verdict, every verdict present (zero when none), in VERDICTS order. */
export function summarise(users: readonly UserAssessment[]): Record<Verdict, number> {
  const summary = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  for (let i = 0; i < users.length; i++) summary[users[i]!.verdict]++;
  return summary;
}

const SEVERITY = new Map<Verdict, number>(VERDICT_SEVERITY.map((v, i) => [v, i]));

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
    upn: lowerCase(u.userPrincipalName),
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

/** A user and the part of its sort key a comparison reads: UPN (lower case), then id. */
interface Named {
  u: UserAssessment;
  upn: string;
  id: string;
}

function compareNamed(x: Named, y: Named): number {
  return compareText(x.upn, y.upn) || compareText(x.id, y.id);
}

/** Severity and admin flag as one number, in compareKeys order: worst first, admins first. */
function rankOf(key: SortKey): number {
  return key.severity * 2 + (key.isAdmin ? 0 : 1);
}

/**
 * `users` in compareUsers order, each sort key worked out once rather than in every comparison: a
 * 100,000-user tenant makes some 1.7 million comparisons. Users are first dealt by severity and admin
 * flag (in input order), and only each group is sorted by UPN and id: the same order, as the sort is
 * stable, with fewer and cheaper comparisons.
 */
export function sortUsers(users: readonly UserAssessment[]): UserAssessment[] {
  const groups: Named[][] = [];
  // Indexed loops: this runs once, over every user, before the optimiser has made for-of cheap.
  for (let i = 0; i < users.length; i++) {
    const u = users[i]!;
    const key = sortKey(u);
    const rank = rankOf(key);
    while (groups.length <= rank) groups.push([]);
    groups[rank]!.push({ u, upn: key.upn, id: key.id });
  }
  const sorted: UserAssessment[] = [];
  for (const group of groups) {
    group.sort(compareNamed);
    for (let i = 0; i < group.length; i++) sorted.push(group[i]!.u);
  }
  return sorted;
}
