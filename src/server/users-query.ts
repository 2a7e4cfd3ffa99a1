import type { Confidence, UserAssessment, Verdict } from '../domain/verdict.js';
import { actionBrief } from '../report/messages.js';
import { VERDICT_SEVERITY, VERDICTS } from '../domain/verdict.js';
import type { DashboardGroup } from './dashboard-data.js';

/** Flags a row can be filtered by: what an admin asks for first (admins, phone-only, sync accounts). */
export const USER_FLAGS = ['admin', 'weak', 'service-account'] as const;
export type UserFlag = (typeof USER_FLAGS)[number];

export const SORT_KEYS = ['severity', 'upn', 'name', 'verdict', 'confidence'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

const CONFIDENCES = ['proven', 'registered', 'reported', 'none'] as const;
type ConfidenceFilter = (typeof CONFIDENCES)[number];

/** The users table's view: what `/api/users` takes, and what the page keeps in its URL. */
export interface UsersQuery {
  verdicts: Verdict[];
  confidences: ConfidenceFilter[];
  flags: UserFlag[];
  /** A group id: only its members. */
  group?: string;
  /** Case-insensitive text in the UPN or the display name. */
  text: string;
  sort: SortKey;
  descending: boolean;
  offset: number;
  limit: number;
}

export const MAX_PAGE = 500;

/** A query parameter the API refused, named as the page sent it. */
export class QueryError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

function listParam<T extends string>(params: URLSearchParams, name: string, allowed: readonly T[]): T[] {
  const out: T[] = [];
  for (const raw of params.getAll(name).flatMap((v) => v.split(','))) {
    const value = raw.trim();
    if (value === '') continue;
    if (!(allowed as readonly string[]).includes(value))
      throw new QueryError(name, `${name}: "${value}" is not one of ${allowed.join(', ')}`);
    if (!out.includes(value as T)) out.push(value as T);
  }
  return out;
}

function intParam(params: URLSearchParams, name: string, fallback: number, max: number): number {
  const raw = params.get(name);
  if (raw === null || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new QueryError(name, `${name}: "${raw}" is not a whole number`);
  return Math.min(Number(raw), max);
}

/** Reads and checks the query string; a value that names nothing is refused, never ignored. */
export function parseUsersQuery(params: URLSearchParams, groups: readonly DashboardGroup[]): UsersQuery {
  const sort = params.get('sort') ?? 'severity';
  if (!(SORT_KEYS as readonly string[]).includes(sort))
    throw new QueryError('sort', `sort: "${sort}" is not one of ${SORT_KEYS.join(', ')}`);
  const dir = params.get('dir') ?? 'asc';
  if (dir !== 'asc' && dir !== 'desc') throw new QueryError('dir', `dir: "${dir}" is not asc or desc`);
  const group = params.get('group') ?? '';
  if (group !== '' && !groups.some((g) => g.id === group))
    throw new QueryError('group', `group: no group with id "${group}" was read`);
  return {
    verdicts: listParam(params, 'verdict', VERDICTS),
    confidences: listParam(params, 'confidence', CONFIDENCES),
    flags: listParam(params, 'flag', USER_FLAGS),
    ...(group !== '' ? { group } : {}),
    text: (params.get('q') ?? '').trim().toLowerCase(),
    sort: sort as SortKey,
    descending: dir === 'desc',
    offset: intParam(params, 'offset', 0, Number.MAX_SAFE_INTEGER),
    limit: Math.max(1, intParam(params, 'limit', 100, MAX_PAGE)),
  };
}

/** One row of the users table: what the list shows; the rest is one `/api/users/{id}` away. */
export interface UserRow {
  id: string;
  userPrincipalName: string;
  displayName: string;
  verdict: Verdict;
  confidence: Confidence;
  weak: boolean;
  isAdmin: boolean;
  serviceAccount: boolean;
  /** The next action in a few words, as the table of `audit` says it. */
  action: string;
}

interface Indexed {
  user: UserAssessment;
  row: UserRow;
  haystack: string;
  severity: number;
  upn: string;
  name: string;
  confidence: number;
}

const CONFIDENCE_RANK: Record<string, number> = { proven: 0, registered: 1, reported: 2 };

/**
 * The users, indexed once when the server starts: lower-cased text and ranks computed up front, so
 * a filter or a sort over 100,000 users is a pass over plain fields.
 */
export class UsersIndex {
  private readonly rows: Indexed[];
  private readonly members = new Map<string, Set<string>>();
  private readonly sorted = new Map<SortKey, Indexed[]>();
  private readonly byId = new Map<string, UserAssessment>();

  constructor(users: readonly UserAssessment[], groups: readonly DashboardGroup[]) {
    this.rows = users.map((user) => {
      const serviceAccount = user.evidence.some((e) => e.code === 'service-account');
      return {
        user,
        row: {
          id: user.id,
          userPrincipalName: user.userPrincipalName,
          displayName: user.displayName,
          verdict: user.verdict,
          confidence: user.confidence,
          weak: user.weak,
          isAdmin: user.isAdmin,
          serviceAccount,
          action: actionBrief(user.action, user),
        },
        haystack: `${user.userPrincipalName}\n${user.displayName}`.toLowerCase(),
        severity: VERDICT_SEVERITY.indexOf(user.verdict),
        upn: user.userPrincipalName.toLowerCase(),
        name: user.displayName.toLowerCase(),
        confidence: CONFIDENCE_RANK[user.confidence ?? ''] ?? 3,
      };
    });
    for (const r of this.rows) this.byId.set(r.user.id.toLowerCase(), r.user);
    for (const g of groups) this.members.set(g.id, new Set(g.memberIds.map((id) => id.toLowerCase())));
  }

  get size(): number {
    return this.rows.length;
  }

  user(id: string): UserAssessment | undefined {
    return this.byId.get(id.toLowerCase());
  }

  /** The page asked for and how many rows matched; `descending` reads the sort order backwards. */
  query(q: UsersQuery): { total: number; rows: UserRow[] } {
    const members = q.group === undefined ? undefined : this.members.get(q.group);
    const verdicts = q.verdicts.length > 0 ? new Set<string>(q.verdicts) : undefined;
    const confidences = q.confidences.length > 0 ? new Set<string>(q.confidences) : undefined;
    const keep = (r: Indexed): boolean =>
      (verdicts === undefined || verdicts.has(r.row.verdict)) &&
      (confidences === undefined || confidences.has(r.row.confidence ?? 'none')) &&
      (!q.flags.includes('admin') || r.row.isAdmin) &&
      (!q.flags.includes('weak') || r.row.weak) &&
      (!q.flags.includes('service-account') || r.row.serviceAccount) &&
      (members === undefined || members.has(r.row.id.toLowerCase())) &&
      (q.text === '' || r.haystack.includes(q.text));
    const order = this.inOrder(q.sort);
    const matched: Indexed[] = [];
    if (q.descending) {
      for (let i = order.length - 1; i >= 0; i--) if (keep(order[i]!)) matched.push(order[i]!);
    } else {
      for (const r of order) if (keep(r)) matched.push(r);
    }
    return { total: matched.length, rows: matched.slice(q.offset, q.offset + q.limit).map((r) => r.row) };
  }

  /** Each sort order computed once, on first use; ties by UPN, then id, so pages never overlap. */
  private inOrder(key: SortKey): Indexed[] {
    const cached = this.sorted.get(key);
    if (cached !== undefined) return cached;
    const byUpn = (a: Indexed, b: Indexed): number =>
      a.upn < b.upn ? -1 : a.upn > b.upn ? 1 : a.row.id < b.row.id ? -1 : a.row.id > b.row.id ? 1 : 0;
    const compare: Record<SortKey, (a: Indexed, b: Indexed) => number> = {
      severity: (a, b) =>
        a.severity - b.severity || Number(b.row.isAdmin) - Number(a.row.isAdmin) || byUpn(a, b),
      verdict: (a, b) => VERDICTS.indexOf(a.row.verdict) - VERDICTS.indexOf(b.row.verdict) || byUpn(a, b),
      confidence: (a, b) => a.confidence - b.confidence || byUpn(a, b),
      upn: byUpn,
      name: (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : byUpn(a, b)),
    };
    const order = [...this.rows].sort(compare[key]);
    this.sorted.set(key, order);
    return order;
  }
}
