/**
 * Serves a collection page by page with absolute `@odata.nextLink`s carrying a `$skiptoken`.
 * The link repeats the original query so it reads like Graph's, but the token alone decides what
 * comes next: the Graph JS client rebuilds nextLink query strings (reordering the options), so the
 * emulator must not depend on their order or encoding.
 *
 * Reading a page takes turns with other requests (turns.ts): a page that takes long to generate
 * does not hold back the admission of requests that arrive meanwhile.
 */
import { badRequest } from '../graph/graph-error.js';
import type { GraphRequest } from '../graph/graph-request.js';
import type { LiveQueries, LiveQuery, ServedPage } from './live-queries.js';
import { NO_ITEM, Turns } from './turns.js';

export interface PageSize {
  /** Items per page without `$top`. */
  default: number;
  /** Largest `$top` honoured. */
  max: number;
  /** What a larger `$top` gets: Graph answers 400 on some collections and caps on others. */
  overMax: 'reject' | 'cap';
}

export interface PageSpec {
  req: GraphRequest;
  top: number | undefined;
  skiptoken: string | undefined;
  size: PageSize;
  contextUrl: string;
  /**
   * Opens the collection from its start (only called without a skiptoken). The iterator may yield
   * NO_ITEM (e.g. for an entity its filter dropped) to give the pager a chance to take turns.
   */
  open(): Iterator<unknown>;
  /** For `@odata.count` on the first page, when `$count=true` was asked: the items to count (NO_ITEM aside). */
  count?: () => Iterable<unknown>;
}

export class Pager {
  constructor(
    private readonly live: LiveQueries,
    private readonly baseUrl: string,
    /** Wall-clock ms one page may spend reading its source before it is cut short (with a nextLink). */
    private readonly pageBudgetMs: number,
  ) {}

  private closed = false;

  /** Pages still being read stop at their next turn (their requests fail; nobody is listening). */
  close(): void {
    this.closed = true;
  }

  async page(spec: PageSpec): Promise<Record<string, unknown>> {
    const scope = `${spec.req.version} ${canonicalPath(spec.req.path)}`;
    if (spec.skiptoken !== undefined) {
      const entry = this.live.take(spec.skiptoken, scope);
      if (entry === undefined) {
        throw badRequest(
          'The $skiptoken is invalid or has expired. Restart the query from its first page.',
          'Request_BadRequest',
        );
      }
      // One reader per live query: a retry of the link that arrives while the page is still being
      // read shares that read (and gets the same page) instead of advancing the source a second time.
      entry.served ??= this.fill(entry, spec.skiptoken);
      return body(entry.contextUrl, await entry.served);
    }
    const pageSize = this.pageSize(spec.top, spec.size);
    const entry: Omit<LiveQuery, 'lastUsed'> = {
      scope,
      source: spec.open(),
      pending: [],
      query: queryWithoutSkiptoken(spec.req.search),
      path: spec.req.path,
      version: spec.req.version,
      contextUrl: spec.contextUrl,
      pageSize,
    };
    const served = await this.fill(entry, undefined);
    const out = body(spec.contextUrl, served);
    if (spec.count !== undefined) return { '@odata.count': await this.count(spec.count()), ...out };
    return out;
  }

  private turns(): Turns {
    return new Turns(undefined, () => this.closed);
  }

  private async count(items: Iterable<unknown>): Promise<number> {
    const turns = this.turns();
    let n = 0;
    for (const item of items) {
      if (item !== NO_ITEM) n++;
      if (turns.due()) await turns.yield();
    }
    return n;
  }

  private pageSize(top: number | undefined, size: PageSize): number {
    if (top === undefined) return size.default;
    if (top > size.max && size.overMax === 'reject') {
      throw badRequest(`Invalid page size specified: '${top}'. Must be between 1 and ${size.max} inclusive.`);
    }
    return Math.min(top, size.max);
  }

  /**
   * Reads one page from the entry's source; registers a token for the rest, if any. `token` is the
   * skiptoken that led here: the next token records it, and using the next token retires it.
   * Takes turns with other requests every few ms; the page budget is wall time, turns included.
   * Only one fill at a time may read an entry (its source and `pending`): `page` sees to that.
   */
  private async fill(entry: Omit<LiveQuery, 'lastUsed'>, token: string | undefined): Promise<ServedPage> {
    const value: unknown[] = [];
    const turns = this.turns();
    const deadline = performance.now() + this.pageBudgetMs;
    let done = false;
    while (value.length < entry.pageSize) {
      const item =
        entry.pending.length > 0 ? { done: false, value: entry.pending.shift() } : entry.source.next();
      if (item.done === true) {
        done = true;
        break;
      }
      if (item.value !== NO_ITEM) {
        value.push(item.value);
        // A sparse filter over a big tenant can take long: Graph answers such pages short, with a link.
        if (performance.now() > deadline) break;
      }
      if (turns.due()) await turns.yield();
    }
    if (!done && value.length === entry.pageSize && entry.pending.length === 0) {
      for (;;) {
        const peek = entry.source.next();
        if (peek.done === true) {
          done = true;
          break;
        }
        if (peek.value !== NO_ITEM) {
          entry.pending.push(peek.value);
          break;
        }
        if (turns.due()) await turns.yield();
      }
    }
    if (done && entry.pending.length === 0) return { value };
    const next = this.live.add({
      scope: entry.scope,
      source: entry.source,
      pending: [...entry.pending],
      query: entry.query,
      path: entry.path,
      version: entry.version,
      contextUrl: entry.contextUrl,
      pageSize: entry.pageSize,
      ...(token !== undefined ? { previous: token } : {}),
    });
    const sep = entry.query === '' ? '' : `${entry.query}&`;
    return { value, nextLink: `${this.baseUrl}/${entry.version}${entry.path}?${sep}$skiptoken=${next}` };
  }
}

function body(contextUrl: string, page: ServedPage): Record<string, unknown> {
  const out: Record<string, unknown> = { '@odata.context': contextUrl };
  if (page.nextLink !== undefined) out['@odata.nextLink'] = page.nextLink;
  out['value'] = page.value;
  return out;
}

function canonicalPath(path: string): string {
  return decodeURIComponent(path).replace(/\/+$/, '').toLowerCase();
}

/** The query as sent, minus `$skiptoken`, re-encoded so that it can be appended safely. */
function queryWithoutSkiptoken(search: URLSearchParams): string {
  const parts: string[] = [];
  for (const [k, v] of search) {
    if (k.toLowerCase() === '$skiptoken') continue;
    parts.push(`${encodeQueryPart(k)}=${encodeQueryPart(v)}`);
  }
  return parts.join('&');
}

/** Percent-encodes, but leaves the characters OData URLs show plainly (`$ , / : '`). */
function encodeQueryPart(text: string): string {
  return encodeURIComponent(text).replace(/%(24|2C|2F|3A|27)/gi, (m) => decodeURIComponent(m));
}
