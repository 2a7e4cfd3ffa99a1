/**
 * The state behind each `$skiptoken`: a live iterator positioned where the previous page stopped,
 * so that the next page of a 100,000-user tenant's sign-ins is read on, not regenerated from the
 * start. Bounded (least recently used entries go first) and expiring (on the emulated clock):
 * a link that is no longer here is answered 400, like Graph refusing an old or unknown skiptoken.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../collect/graph/clock.js';

export interface ServedPage {
  value: unknown[];
  nextLink?: string;
}

export interface LiveQuery {
  /** `version path`, lower-cased: a token is only valid on the collection that issued it. */
  scope: string;
  source: Iterator<unknown>;
  /** Items read ahead of the page boundary (to know whether there is a next page). */
  pending: unknown[];
  /** Query string (without `$skiptoken`) to repeat in the next link. */
  query: string;
  /** Path after the version as first requested, for the next link. */
  path: string;
  version: string;
  contextUrl: string;
  pageSize: number;
  /**
   * The page this token answered (or is still reading), so a retry of the same link gets the same
   * page, and a retry that arrives while the page is being read waits for that read.
   */
  served?: Promise<ServedPage>;
  /** The token that issued this one; dropped once this one is used (the client has moved on). */
  previous?: string;
  lastUsed: number;
}

export interface LiveQueryLimits {
  /** Emulated ms after its last use before a token expires. */
  ttlMs: number;
  /** Live tokens kept at most (oldest use evicted first). */
  max: number;
}

export class LiveQueries {
  private readonly entries = new Map<string, LiveQuery>();

  constructor(
    private readonly clock: Clock,
    private readonly limits: LiveQueryLimits,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  add(query: Omit<LiveQuery, 'lastUsed'>): string {
    const token = randomBytes(18).toString('base64url');
    this.entries.set(token, { ...query, lastUsed: this.clock.now() });
    while (this.entries.size > this.limits.max) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    return token;
  }

  /** The live query for `token` on `scope`, or undefined when unknown, expired or from another collection. */
  take(token: string, scope: string): LiveQuery | undefined {
    const entry = this.entries.get(token);
    if (entry === undefined) return undefined;
    const now = this.clock.now();
    if (now - entry.lastUsed > this.limits.ttlMs) {
      this.entries.delete(token);
      return undefined;
    }
    if (entry.scope !== scope) return undefined;
    // Map order is the LRU order: re-insert on use.
    this.entries.delete(token);
    entry.lastUsed = now;
    this.entries.set(token, entry);
    if (entry.previous !== undefined) {
      this.entries.delete(entry.previous);
      delete entry.previous;
    }
    return entry;
  }
}
