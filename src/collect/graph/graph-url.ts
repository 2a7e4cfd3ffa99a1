/** Parsing of the Graph URLs the collector sends: relative paths, versioned paths and absolute nextLinks. */

import type { GraphVersion } from '../../domain/graph-run.js';

export type { GraphVersion } from '../../domain/graph-run.js';

export interface GraphUrlParts {
  /** `v1.0` or `beta` when the URL names it. */
  version?: GraphVersion;
  /** Path segments after the version, decoded, original case: `['users', '{id}', 'authentication', 'methods']`. */
  segments: string[];
  /** Lower-cased segments, for matching. */
  lower: string[];
  query: URLSearchParams;
}

const PLACEHOLDER_ORIGIN = 'https://graph.invalid';

/**
 * Splits `/users?$select=id`, `/beta/auditLogs/signIns` or
 * `https://graph.microsoft.com/v1.0/users?$skiptoken=…` into version, path segments and query.
 * Everything before the version segment (host, an emulator's path prefix) is dropped.
 */
export function parseGraphUrl(url: string): GraphUrlParts {
  const parsed = new URL(url, PLACEHOLDER_ORIGIN);
  const all = parsed.pathname
    .split('/')
    .filter((s) => s !== '')
    .map(safeDecode);
  const at = all.findIndex((s) => s === 'v1.0' || s === 'beta');
  const segments = at >= 0 ? all.slice(at + 1) : all;
  const parts: GraphUrlParts = {
    segments,
    lower: segments.map((s) => s.toLowerCase()),
    query: parsed.searchParams,
  };
  const version = at >= 0 ? all[at] : undefined;
  if (version === 'v1.0' || version === 'beta') parts.version = version;
  return parts;
}

/**
 * A short, stable name for an endpoint in errors and stats: version and path, no host, no query
 * (skip tokens are long and opaque), user ids replaced by `{id}`. `GET /v1.0/users/{id}/authentication/methods`.
 */
export function endpointName(method: string, url: string, fallbackVersion: GraphVersion = 'v1.0'): string {
  const parts = parseGraphUrl(url);
  const segs = parts.segments.map((s, i) => (looksLikeId(s, parts.lower[i - 1]) ? '{id}' : s));
  return `${method.toUpperCase()} /${parts.version ?? fallbackVersion}/${segs.join('/')}`;
}

/** True for an absolute URL (a nextLink), false for a path relative to the Graph root. */
export function isAbsoluteUrl(url: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(url);
}

/** Collections whose next segment is an object id or UPN (domains are named, and kept). */
const COLLECTIONS_WITH_IDS = new Set(['users', 'groups', 'devices', 'applications', 'serviceprincipals']);

function looksLikeId(segment: string, previous: string | undefined): boolean {
  return previous !== undefined && COLLECTIONS_WITH_IDS.has(previous) && !/^(delta|\$count)$/i.test(segment);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
