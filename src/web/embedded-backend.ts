import { renderCsv } from '../report/csv.js';
import type { DashboardData } from '../server/dashboard-data.js';
import { fromEmbedded, type EmbeddedDashboard, type ReportSummary } from '../server/embedded-dashboard.js';
import { userDetailPayload } from '../server/payloads.js';
import { parseUsersQuery, UsersIndex } from '../server/users-query.js';
import { ApiError, type Backend } from './backend.js';

/** Base64 → bytes without a per-character callback (a 100,000-user report carries about 13 MB). */
function fromBase64(text: string): Uint8Array {
  const binary = atob(text.trim());
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Inflates one of the elements `report --html` embedded: gzip-compressed JSON, inflated by the browser. */
async function inflate(element: HTMLElement, mark: string): Promise<{ format?: unknown }> {
  const stream = new Blob([fromBase64(element.textContent ?? '') as BlobPart])
    .stream()
    .pipeThrough(new DecompressionStream('gzip'));
  const text = await new Response(stream).text();
  performance.mark(`mfa-ready:${mark}-inflated`);
  const data = JSON.parse(text) as { format?: unknown };
  performance.mark(`mfa-ready:${mark}-parsed`);
  return data;
}

export async function readSummary(element: HTMLElement): Promise<ReportSummary> {
  const data = await inflate(element, 'summary');
  if (data.format !== 'mfa-ready-summary/1')
    throw new Error(`unknown report summary format ${String(data.format)}`);
  return data as ReportSummary;
}

export async function readEmbedded(element: HTMLElement): Promise<EmbeddedDashboard> {
  const data = await inflate(element, 'users');
  if (data.format !== 'mfa-ready-dashboard/1')
    throw new Error(`unknown report data format ${String(data.format)}`);
  return data as EmbeddedDashboard;
}

/**
 * The same answers as the server's API, computed in the page with the same code (server/payloads.ts,
 * server/users-query.ts): a report opened from disk shows what `serve` shows. The summary answers the
 * overview, trend, rollout and impact pages at once; the users are inflated when a users page first
 * needs them (tens of megabytes at 100,000 users), and indexed then.
 */
export function embeddedBackend(
  summary: ReportSummary,
  loadUsers: () => Promise<EmbeddedDashboard>,
): Backend {
  let users: Promise<{ embedded: EmbeddedDashboard; data: DashboardData; index: UsersIndex }> | undefined;
  const full = () =>
    (users ??= loadUsers().then((embedded) => {
      const data = fromEmbedded(embedded);
      return { embedded, data, index: new UsersIndex(data.assessment.users, data.groups) };
    }));
  const query = async (params: URLSearchParams) => {
    const f = await full();
    try {
      return { f, q: parseUsersQuery(params, f.data.groups) };
    } catch (err) {
      const field = (err as { field?: string }).field;
      throw new ApiError((err as Error).message, 400, field);
    }
  };
  return {
    overview: async () => summary.overview,
    groups: async () => summary.groups,
    trend: async () => ({ rows: [...summary.history] }),
    rollouts: async () => [...summary.rollouts],
    impacts: async () => [...summary.impacts],
    users: async (params) => {
      const { f, q } = await query(params);
      return { ...f.index.query(q), offset: q.offset, limit: q.limit };
    },
    user: async (id) => {
      const f = await full();
      const u = f.index.user(id);
      if (u === undefined) return null;
      return { ...userDetailPayload(u, f.data), leftOut: f.embedded.evidenceLeftOut[u.id] ?? 0 };
    },
    csvHref: async (params) => {
      const { f, q } = await query(params);
      const rows = f.index.query({ ...q, offset: 0, limit: Number.MAX_SAFE_INTEGER }).rows;
      const users = rows.flatMap((r) => {
        const u = f.index.user(r.id);
        return u === undefined ? [] : [u];
      });
      const csv = renderCsv({ ...f.data.assessment, users }, { bom: true });
      return URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
    },
  };
}
