import type { Assessment, UserAssessment, Verdict } from '../domain/verdict.js';
import { VERDICT_SEVERITY } from '../domain/verdict.js';

/** Verdicts that need someone to act before enforcement. */
export function needsAction(v: Verdict): boolean {
  return v !== 'ready' && v !== 'excluded';
}

/** Worst first (VERDICT_SEVERITY), admins first within a verdict, then by UPN so output is stable. */
export function compareWorstFirst(a: UserAssessment, b: UserAssessment): number {
  const bySeverity = VERDICT_SEVERITY.indexOf(a.verdict) - VERDICT_SEVERITY.indexOf(b.verdict);
  if (bySeverity !== 0) return bySeverity;
  if (a.isAdmin !== b.isAdmin) return a.isAdmin ? -1 : 1;
  const x = a.userPrincipalName.toLowerCase();
  const y = b.userPrincipalName.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The users an admin must act on, worst first. */
export function usersNeedingAction(a: Assessment): UserAssessment[] {
  return a.users.filter((u) => needsAction(u.verdict)).sort(compareWorstFirst);
}

export interface ReadinessFigures {
  ready: number;
  /** Users about whom nothing was read: not ready, counted apart so the uncertainty shows. */
  unknown: number;
  /** Enabled members in scope: everyone counted except `excluded` (disabled, guests, excluded on purpose). */
  inScope: number;
  excluded: number;
  byConfidence: { proven: number; registered: number; reported: number };
  /** Ready, but only with phone (SMS/voice). */
  weak: number;
  adminsNotReady: UserAssessment[];
}

/**
 * The headline numbers. Counts come from `summary` (the engine's, as the JSON reports them); the
 * breakdowns need the users themselves.
 */
export function readiness(a: Assessment): ReadinessFigures {
  const total = Object.values(a.summary).reduce((s, n) => s + n, 0);
  const excluded = a.summary.excluded;
  const byConfidence = { proven: 0, registered: 0, reported: 0 };
  let weak = 0;
  for (const u of a.users) {
    if (u.verdict !== 'ready') continue;
    if (u.confidence !== null) byConfidence[u.confidence]++;
    if (u.weak) weak++;
  }
  return {
    ready: a.summary.ready,
    unknown: a.summary.unknown,
    inScope: total - excluded,
    excluded,
    byConfidence,
    weak,
    adminsNotReady: a.users.filter((u) => u.isAdmin && needsAction(u.verdict)).sort(compareWorstFirst),
  };
}

export interface ServiceAccountFigures {
  /** Accounts that look like directory-sync service accounts (evidence `service-account`). */
  users: UserAssessment[];
  /** How many of them `--exclude-service-accounts` excluded. */
  excluded: number;
  /** The sync tools they belong to: `entra-connect-sync` first, then `entra-cloud-sync`. */
  kinds: string[];
}

/** The accounts flagged as service accounts, excluded or not, by UPN: listed apart in the summary. */
export function serviceAccounts(a: Assessment): ServiceAccountFigures {
  const users: UserAssessment[] = [];
  const kinds: string[] = [];
  let excluded = 0;
  for (const u of a.users) {
    const flag = u.evidence.find((e) => e.code === 'service-account');
    if (flag === undefined) continue;
    users.push(u);
    // Excluded by --exclude-service-accounts, whichever reason (disabled, say) the user is listed under.
    if (flag.fields?.['excluded'] === true) excluded++;
    const kind = flag.fields?.['kind'];
    if (typeof kind === 'string' && !kinds.includes(kind)) kinds.push(kind);
  }
  kinds.sort((x, y) =>
    x === y ? 0 : x === 'entra-connect-sync' ? -1 : y === 'entra-connect-sync' ? 1 : x < y ? -1 : 1,
  );
  users.sort((x, y) => {
    const p = x.userPrincipalName.toLowerCase();
    const q = y.userPrincipalName.toLowerCase();
    return p < q ? -1 : p > q ? 1 : 0;
  });
  return { users, excluded, kinds };
}
