import type { Group, TenantSnapshot } from '../domain/tenant.js';
import type {
  AssessScope,
  Assessment,
  ExclusionReason,
  PopulationGroup,
  PopulationUser,
} from '../domain/verdict.js';
import { lowerCase } from './lower-case.js';
import { compareText } from './evidence.js';

/*
 * What the scope options (`--scope-group`, `--exclude-group`, `--exclude-user`) name in an export, and
 * every way they can name nothing. A value that names nobody must never pass quietly: a mistyped scope
 * group would assess nobody and report "no user needs action", a mistyped exclusion would assess a
 * break-glass account as if it were excluded. Pure, and without words: the CLI words the problems.
 */

export type ScopeFlag = 'scope-group' | 'exclude-group' | 'exclude-user';
export type GroupFlag = Exclude<ScopeFlag, 'exclude-user'>;

export type ScopeProblem =
  /** A value that is empty once trimmed (an unset shell variable, say): it would widen nothing. */
  | { code: 'empty-value'; flag: ScopeFlag }
  /** Neither a group id nor a display name in groups.json; `closest` has up to MAX_CLOSEST. */
  | { code: 'group-not-found'; flag: GroupFlag; value: string; closest: PopulationGroup[] }
  /** A display name that several groups share: only an id says which. */
  | { code: 'group-ambiguous'; flag: GroupFlag; value: string; candidates: PopulationGroup[] }
  /** The group exists but its members (groupMembers/<id>.json) were not collected. */
  | { code: 'group-members-missing'; flag: GroupFlag; value: string; group: PopulationGroup }
  /** No groups.json, and not the id of a group whose members file is there: cannot be checked. */
  | { code: 'groups-not-collected'; flag: GroupFlag; value: string }
  /** Neither the id nor the UPN of a user in users.json or the registration report. */
  | { code: 'user-not-found'; flag: 'exclude-user'; value: string; closest: PopulationUser[] };

export interface ScopeResolution {
  /** The option values, comma lists split (see splitListValues). */
  values: AssessScope;
  /** What the values resolved to, each once, in the order given; values with a problem are left out. */
  scopeGroups: PopulationGroup[];
  excludeGroups: PopulationGroup[];
  excludeUsers: PopulationUser[];
  problems: ScopeProblem[];
}

/** Suggestions per value that names nothing: enough to spot the typo, few enough to read. */
export const MAX_CLOSEST = 3;

/**
 * Option values with comma lists split: `a, b` is `a` and `b`. A value that `isWhole` accepts as it
 * is (a group display name that itself holds a comma) is kept whole. Empty pieces of a list are dropped;
 * a value with nothing in it at all is reported to `onEmpty`, as an empty option is a mistake.
 */
export function splitListValues(
  values: readonly string[],
  isWhole: (value: string) => boolean = () => false,
  onEmpty: () => void = () => {},
): string[] {
  const out: string[] = [];
  for (const raw of values) {
    const value = raw.trim();
    if (value.includes(',') && !isWhole(value)) {
      const pieces = value
        .split(',')
        .map((p) => p.trim())
        .filter((p) => p !== '');
      if (pieces.length === 0) onEmpty();
      out.push(...pieces);
    } else if (value === '') {
      onEmpty();
    } else {
      out.push(value);
    }
  }
  return out;
}

/**
 * Resolves the scope options against the export: group values by id or exact (case-insensitive)
 * display name, user values by id or UPN (case-insensitive), as the assessment matches them.
 * `coverage.groups.present` says whether groups.json was read: without it only a group whose members
 * file is there is known (by its id), and any other value cannot be checked.
 *
 * Costs O(groups) when groups are named, O(users) more only when users are.
 */
export function resolveScope(
  snapshot: Pick<TenantSnapshot, 'users' | 'registration' | 'groups' | 'coverage'>,
  scope: AssessScope,
): ScopeResolution {
  const problems: ScopeProblem[] = [];
  // Indexed only when a group is named: most runs name none, and a tenant may list many groups.
  const named = scope.scopeGroups.length + scope.excludeGroups.length > 0;
  const groups = new GroupIndex(named ? snapshot.groups : undefined, snapshot.coverage.groups.present);
  const groupValues = (flag: GroupFlag, values: readonly string[]) =>
    splitListValues(
      values,
      (v) => groups.byName.has(lowerCase(v)),
      () => problems.push({ code: 'empty-value', flag }),
    );
  const values: AssessScope = {
    scopeGroups: groupValues('scope-group', scope.scopeGroups),
    excludeGroups: groupValues('exclude-group', scope.excludeGroups),
    excludeUsers: splitListValues(scope.excludeUsers, undefined, () =>
      problems.push({ code: 'empty-value', flag: 'exclude-user' }),
    ),
  };
  if (scope.excludeServiceAccounts !== undefined)
    values.excludeServiceAccounts = scope.excludeServiceAccounts;
  const scopeGroups = resolveGroups('scope-group', values.scopeGroups, groups, problems);
  const excludeGroups = resolveGroups('exclude-group', values.excludeGroups, groups, problems);
  const excludeUsers =
    values.excludeUsers.length === 0 ? [] : resolveUsers(values.excludeUsers, snapshot, problems);
  return { values, scopeGroups, excludeGroups, excludeUsers, problems };
}

class GroupIndex {
  readonly byId = new Map<string, Group>();
  readonly byName = new Map<string, Group[]>();

  constructor(
    readonly groups: readonly Group[] | undefined,
    /** groups.json was read (not only members files). */
    readonly listed: boolean,
  ) {
    for (const g of groups ?? []) {
      this.byId.set(lowerCase(g.id), g);
      if (g.displayName === undefined) continue;
      const name = lowerCase(g.displayName);
      const same = this.byName.get(name);
      if (same === undefined) this.byName.set(name, [g]);
      else same.push(g);
    }
  }
}

const groupRef = (g: Group): PopulationGroup => ({ id: g.id, displayName: g.displayName ?? null });

function resolveGroups(
  flag: GroupFlag,
  values: readonly string[],
  index: GroupIndex,
  problems: ScopeProblem[],
): PopulationGroup[] {
  const found = new Map<string, PopulationGroup>();
  for (const value of values) {
    const key = lowerCase(value);
    const byId = index.byId.get(key);
    const named = byId === undefined ? (index.byName.get(key) ?? []) : [byId];
    if (named.length > 1) {
      problems.push({ code: 'group-ambiguous', flag, value, candidates: named.map(groupRef) });
      continue;
    }
    const group = named[0];
    if (group === undefined) {
      problems.push(
        index.listed
          ? { code: 'group-not-found', flag, value, closest: closestGroups(value, index.groups ?? []) }
          : { code: 'groups-not-collected', flag, value },
      );
      continue;
    }
    if (group.memberIds === undefined) {
      problems.push({ code: 'group-members-missing', flag, value, group: groupRef(group) });
      continue;
    }
    if (!found.has(lowerCase(group.id))) found.set(lowerCase(group.id), groupRef(group));
  }
  return [...found.values()];
}

function resolveUsers(
  values: readonly string[],
  snapshot: Pick<TenantSnapshot, 'users' | 'registration'>,
  problems: ScopeProblem[],
): PopulationUser[] {
  // Each user's id and UPN looked up among the few values, rather than a map of every user: an
  // exclusion list is short, a tenant's user list is not. Ids first, as the assessment matches them:
  // an id wins over a UPN that happens to spell it.
  const wanted = new Set(values.map(lowerCase));
  const byKey = new Map<string, PopulationUser>();
  const match = (key: string | undefined, id: string, upn: string | undefined) => {
    if (key === undefined || key === '') return;
    const k = lowerCase(key);
    if (wanted.has(k) && !byKey.has(k)) byKey.set(k, { id, userPrincipalName: upn ?? id });
  };
  const users = snapshot.users ?? [];
  const rows = snapshot.registration ?? [];
  for (let i = 0; i < users.length; i++) match(users[i]!.id, users[i]!.id, users[i]!.userPrincipalName);
  for (let i = 0; i < rows.length; i++) match(rows[i]!.id, rows[i]!.id, rows[i]!.userPrincipalName);
  for (let i = 0; i < users.length; i++) {
    match(users[i]!.userPrincipalName, users[i]!.id, users[i]!.userPrincipalName);
  }
  for (let i = 0; i < rows.length; i++) {
    match(rows[i]!.userPrincipalName, rows[i]!.id, rows[i]!.userPrincipalName);
  }

  const found = new Map<string, PopulationUser>();
  let people: KnownUser[] | undefined;
  for (const value of values) {
    const p = byKey.get(lowerCase(value));
    if (p === undefined) {
      // Only now, on the way to exit 2, is every user worth a look.
      people ??= knownUsers(snapshot);
      problems.push({
        code: 'user-not-found',
        flag: 'exclude-user',
        value,
        closest: closestUsers(value, people),
      });
      continue;
    }
    const id = lowerCase(p.id);
    if (!found.has(id)) found.set(id, p);
  }
  return [...found.values()];
}

interface KnownUser {
  id: string;
  userPrincipalName: string;
  displayName: string | undefined;
}

/** users.json ∪ the registration report, as the population is built. */
function knownUsers(snapshot: Pick<TenantSnapshot, 'users' | 'registration'>): KnownUser[] {
  const seen = new Set<string>();
  const out: KnownUser[] = [];
  for (const u of snapshot.users ?? []) {
    if (seen.has(lowerCase(u.id))) continue;
    seen.add(lowerCase(u.id));
    out.push({ id: u.id, userPrincipalName: u.userPrincipalName, displayName: u.displayName });
  }
  for (const r of snapshot.registration ?? []) {
    if (seen.has(lowerCase(r.id))) continue;
    seen.add(lowerCase(r.id));
    out.push({ id: r.id, userPrincipalName: r.userPrincipalName ?? r.id, displayName: r.userDisplayName });
  }
  return out;
}

function closestGroups(value: string, groups: readonly Group[]): PopulationGroup[] {
  return closest(
    value,
    groups,
    (g) => [g.displayName, g.id],
    (g) => g.id,
  ).map(groupRef);
}

function closestUsers(value: string, people: readonly KnownUser[]): PopulationUser[] {
  // The UPN's part before the @ too: within one domain, what tells users apart is that part.
  return closest(
    value,
    people,
    (p) => [p.userPrincipalName, p.userPrincipalName.split('@')[0], p.displayName],
    (p) => p.id,
  ).map((p) => ({
    id: p.id,
    userPrincipalName: p.userPrincipalName,
  }));
}

/**
 * Up to MAX_CLOSEST candidates one of whose labels is close to `value`, closest first: a label that
 * starts with the value or holds it (what was typed is part of the name), or one within a few edits
 * of it (a typo: a quarter of the value's length, at least 2; more lets a shared domain or prefix
 * make unrelated names look close). Ties go to the label that sorts first.
 */
function closest<T>(
  value: string,
  candidates: readonly T[],
  labels: (c: T) => (string | undefined)[],
  key: (c: T) => string,
): T[] {
  const wanted = value.toLowerCase();
  const limit = Math.max(2, Math.floor(wanted.length / 4));
  const scored: { c: T; score: number; label: string }[] = [];
  const seen = new Set<string>();
  for (const c of candidates) {
    let best: { score: number; label: string } | undefined;
    for (const label of labels(c)) {
      if (label === undefined || label === '') continue;
      const score = closeness(wanted, label.toLowerCase(), limit);
      if (score !== undefined && (best === undefined || score < best.score)) best = { score, label };
    }
    const k = lowerCase(key(c));
    if (best === undefined || seen.has(k)) continue;
    seen.add(k);
    scored.push({ c, ...best });
  }
  scored.sort((a, b) => a.score - b.score || compareText(a.label, b.label));
  return scored.slice(0, MAX_CLOSEST).map((s) => s.c);
}

/** The edit distance when `label` is close to `wanted` (see `closest`), else undefined. */
function closeness(wanted: string, label: string, limit: number): number | undefined {
  // Containment only from 3 characters: a value of one or two letters is in most names.
  const contains = wanted.length >= 3 && (label.startsWith(wanted) || label.includes(wanted));
  // Cheap test first: the distance is at least the difference in length.
  if (!contains && Math.abs(label.length - wanted.length) > limit) return undefined;
  const d = editDistance(wanted, label);
  return contains || d <= limit ? d : undefined;
}

/** Levenshtein distance, two rows. Runs only for a value that names nothing, before exit 2. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let row = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
    }
    [prev, row] = [row, prev];
  }
  return prev[b.length]!;
}

/** Why an assessment checked nobody, if it did. */
export type EmptyPopulation =
  /** The export holds no user at all (users.json and the registration report are empty or absent). */
  | { code: 'no-users' }
  /** Users exist, but none is a member of the scope groups. */
  | { code: 'none-in-scope'; scopeGroups: PopulationGroup[] }
  /** Every user in scope is excluded: `byReason` counts them per exclusion reason. */
  | { code: 'all-excluded'; users: number; byReason: Partial<Record<ExclusionReason, number>> };

/**
 * Whether `assessment` checked nobody: a report of it would say "no user needs action" about no one,
 * which a scheduled `--fail-on` job would take for a pass.
 */
export function emptyPopulation(assessment: Assessment): EmptyPopulation | undefined {
  const { users, coverage, population } = assessment;
  if (users.length === 0) {
    const inExport = coverage.users.rows + coverage.registration.rows;
    return inExport > 0 && population.scopeGroups.length > 0
      ? { code: 'none-in-scope', scopeGroups: population.scopeGroups }
      : { code: 'no-users' };
  }
  const byReason: Partial<Record<ExclusionReason, number>> = {};
  for (const u of users) {
    if (u.verdict !== 'excluded') return undefined;
    if (u.exclusion !== undefined) byReason[u.exclusion] = (byReason[u.exclusion] ?? 0) + 1;
  }
  return { code: 'all-excluded', users: users.length, byReason };
}
