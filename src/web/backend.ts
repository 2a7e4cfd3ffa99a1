import type { HistoryRow } from '../report/history.js';
import type { ImpactPayload, RolloutBoardPayload } from '../server/board-payloads.js';
import type { OverviewPayload, UserDetailPayload } from '../server/payloads.js';
import type { UserRow } from '../server/users-query.js';

export interface GroupOption {
  id: string;
  displayName: string | null;
  members: number;
}

export interface UsersPage {
  total: number;
  rows: UserRow[];
  offset: number;
  limit: number;
}

/** Where the pages get their data: the local server's API, or the data embedded in an HTML report. */
export interface Backend {
  overview(): Promise<OverviewPayload>;
  groups(): Promise<GroupOption[]>;
  trend(): Promise<{ rows: HistoryRow[] }>;
  users(query: URLSearchParams): Promise<UsersPage>;
  user(id: string): Promise<UserDetailPayload | null>;
  rollouts(): Promise<RolloutBoardPayload[]>;
  impacts(): Promise<ImpactPayload[]>;
  /** The CSV of the current view: a link to download. */
  csvHref(query: URLSearchParams): Promise<string>;
}

/** A refusal of the API, with the field it names (a bad filter in a bookmarked URL). */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly field?: string,
  ) {
    super(message);
  }
}

async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(path, { credentials: 'same-origin', headers: { accept: 'application/json' } });
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { error?: string; field?: string };
    throw new ApiError(body.error ?? `${res.status} ${res.statusText}`, res.status, body.field);
  }
  return (await res.json()) as T;
}

/** `mfa-ready serve`: the JSON API under /api/, opened with the session cookie. */
export const serverBackend: Backend = {
  overview: () => getJson('/api/overview'),
  groups: () => getJson('/api/groups'),
  trend: () => getJson('/api/trend'),
  users: (q) => getJson(`/api/users?${q.toString()}`),
  user: async (id) => {
    try {
      return await getJson<UserDetailPayload>(`/api/users/${encodeURIComponent(id)}`);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return null;
      throw err;
    }
  },
  csvHref: async (q) => `/api/users.csv?${q.toString()}`,
  rollouts: () => getJson('/api/rollouts'),
  impacts: () => getJson('/api/impacts'),
};
