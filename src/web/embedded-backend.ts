import { renderCsv } from '../report/csv.js';
import type { EmbeddedDashboard } from '../server/embedded-dashboard.js';
import { fromEmbedded } from '../server/embedded-dashboard.js';
import { overviewPayload, userDetailPayload } from '../server/payloads.js';
import { parseUsersQuery, UsersIndex } from '../server/users-query.js';
import { ApiError, type Backend } from './backend.js';

/** Base64 → bytes without a per-character callback (a 100,000-user report carries about 13 MB). */
function fromBase64(text: string): Uint8Array {
  const binary = atob(text.trim());
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Reads the data `report --html` embedded: gzip-compressed JSON, inflated by the browser itself. */
export async function readEmbedded(element: HTMLElement): Promise<EmbeddedDashboard> {
  const stream = new Blob([fromBase64(element.textContent ?? '') as BlobPart])
    .stream()
    .pipeThrough(new DecompressionStream('gzip'));
  const text = await new Response(stream).text();
  performance.mark('mfa-ready:inflated');
  const data = JSON.parse(text) as EmbeddedDashboard;
  performance.mark('mfa-ready:parsed');
  if (data.format !== 'mfa-ready-dashboard/1')
    throw new Error(`unknown report data format ${String(data.format)}`);
  return data;
}

/**
 * The same answers as the server's API, computed in the page from the embedded data, with the same
 * code (server/payloads.ts, server/users-query.ts): a report opened from disk shows what `serve` shows.
 */
export function embeddedBackend(embedded: EmbeddedDashboard): Backend {
  const data = fromEmbedded(embedded);
  // Built on the first users query, not before the overview: the overview needs only the counts.
  let built: UsersIndex | undefined;
  const indexOf = (): UsersIndex => (built ??= new UsersIndex(data.assessment.users, data.groups));
  const query = (params: URLSearchParams) => {
    try {
      return parseUsersQuery(params, data.groups);
    } catch (err) {
      const field = (err as { field?: string }).field;
      throw new ApiError((err as Error).message, 400, field);
    }
  };
  return {
    overview: async () => overviewPayload(data),
    groups: async () =>
      data.groups.map((g) => ({ id: g.id, displayName: g.displayName, members: g.memberIds.length })),
    trend: async () => ({ rows: [...data.history] }),
    users: async (params) => {
      const q = query(params);
      return { ...indexOf().query(q), offset: q.offset, limit: q.limit };
    },
    user: async (id) => {
      const u = indexOf().user(id);
      if (u === undefined) return null;
      return { ...userDetailPayload(u, data), leftOut: embedded.evidenceLeftOut[u.id] ?? 0 };
    },
    rollouts: async () => [...data.rollouts],
    impacts: async () => [...data.impacts],
    csvHref: async (params) => {
      const q = query(params);
      const index = indexOf();
      const rows = index.query({ ...q, offset: 0, limit: Number.MAX_SAFE_INTEGER }).rows;
      const users = rows.flatMap((r) => {
        const u = index.user(r.id);
        return u === undefined ? [] : [u];
      });
      const csv = renderCsv({ ...data.assessment, users }, { bom: true });
      return URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
    },
  };
}
