/**
 * Serving one Graph collection: query options read and checked, `$filter` compiled against the
 * collection's schema, `$orderby` / `$select` applied, then paged. Routes describe their collection;
 * this does the OData part once for all of them. Entities the filter drops are reported to the pager
 * as NO_ITEM, so that a sparse filter over a big tenant still takes turns with other requests.
 */
import { badRequest, unsupportedQuery } from '../graph/graph-error.js';
import type { GraphRequest, GraphResponse } from '../graph/graph-request.js';
import { compileFilter } from '../odata/filter-compile.js';
import type { Predicate } from '../odata/filter-compile.js';
import type { EntitySchema } from '../odata/filter-schema.js';
import { readQueryOptions } from '../odata/query-options.js';
import type { QueryOptions } from '../odata/query-options.js';
import { project, resolveSelect } from '../odata/select.js';
import type { PageSize } from '../paging/pager.js';
import { DROPS_PER_NO_ITEM, NO_ITEM } from '../paging/turns.js';
import type { NoItem } from '../paging/turns.js';
import type { RouteContext } from './route.js';
import { contextUrl, ok } from './route.js';

export type Entity = Record<string, unknown>;

export interface CollectionSpec {
  /** `microsoft.graph.user`, for `$select` errors. */
  typeName: string;
  /** What `$filter` may name; undefined: the collection takes no `$filter`. */
  filterSchema?: EntitySchema;
  /** Every property `$select` may name. */
  properties: readonly string[];
  /** Properties served without `$select` (default: the whole entity). */
  defaults?: readonly string[];
  /** `@odata.context` fragment, e.g. `users` (a `$select` list is appended). */
  context: string;
  size: PageSize;
  /** Properties `$orderby` may name (ascending or descending); empty: none. */
  orderable?: readonly string[];
  /** `$orderby` the collection is already in and accepts as a no-op, e.g. `createdDateTime desc`. */
  naturalOrder?: { property: string; descending: boolean };
  /** `$count=true` is allowed (directory objects need `ConsistencyLevel: eventual`). */
  count?: 'eventual' | 'always';
  /**
   * The entities, filtered or not: the predicate is applied here again whatever the source did. A
   * source that works long between two entities yields NO_ITEM meanwhile, so the pager can take turns.
   */
  entities(options: QueryOptions): Iterable<Entity | NoItem>;
}

export async function serveCollection(
  req: GraphRequest,
  ctx: RouteContext,
  spec: CollectionSpec,
): Promise<GraphResponse> {
  const options = readQueryOptions(req.search);
  if (options.filter !== undefined && spec.filterSchema === undefined) {
    throw badRequest(`Query option '$filter' is not supported on ${spec.context}.`);
  }
  const predicate: Predicate | undefined =
    options.filter !== undefined && spec.filterSchema !== undefined
      ? compileFilter(options.filter, spec.filterSchema)
      : undefined;
  const select =
    options.select !== undefined ? resolveSelect(options.select, spec.properties, spec.typeName) : undefined;
  const sort = sorter(options, spec);
  if (options.count === true) checkCount(req, spec);

  const filtered = function* (): Generator<Entity | NoItem> {
    let dropped = 0;
    for (const e of spec.entities(options)) {
      if (e === NO_ITEM) yield e;
      else if (predicate === undefined || predicate(e)) yield e;
      else if (++dropped % DROPS_PER_NO_ITEM === 0) yield NO_ITEM;
    }
  };
  const sorted = function* (compare: (a: Entity, b: Entity) => number): Generator<Entity | NoItem> {
    const rows: Entity[] = [];
    for (const e of filtered()) {
      if (e === NO_ITEM) yield e;
      // Still collecting: now and then a moment for the pager to take turns.
      else if (rows.push(e) % DROPS_PER_NO_ITEM === 0) yield NO_ITEM;
    }
    yield* rows.sort(compare);
  };
  const open = function* (): Generator<Entity | NoItem> {
    for (const e of sort === undefined ? filtered() : sorted(sort)) {
      if (e === NO_ITEM) yield e;
      else if (select !== undefined) yield project(e, select);
      else if (spec.defaults !== undefined) yield project(e, spec.defaults);
      else yield e;
    }
  };
  const fragment = select !== undefined ? `${spec.context}(${select.join(',')})` : spec.context;
  const body = await ctx.pager.page({
    req,
    top: options.top,
    skiptoken: options.skiptoken,
    size: spec.size,
    contextUrl: contextUrl(ctx, req, fragment),
    open,
    ...(options.count === true ? { count: filtered } : {}),
  });
  return ok(body);
}

function sorter(options: QueryOptions, spec: CollectionSpec): ((a: Entity, b: Entity) => number) | undefined {
  if (options.orderby === undefined) return undefined;
  const natural = spec.naturalOrder;
  if (
    natural !== undefined &&
    options.orderby.length === 1 &&
    options.orderby[0]?.property.toLowerCase() === natural.property.toLowerCase() &&
    options.orderby[0]?.descending === natural.descending
  ) {
    return undefined;
  }
  const allowed = new Map((spec.orderable ?? []).map((p) => [p.toLowerCase(), p]));
  const keys = options.orderby.map((o) => {
    const property = allowed.get(o.property.toLowerCase());
    if (property === undefined) {
      throw unsupportedQuery(
        natural !== undefined && o.property.toLowerCase() === natural.property.toLowerCase()
          ? `This collection is served in ${natural.property} ${natural.descending ? 'desc' : 'asc'} order only.`
          : `Sorting on property '${o.property}' is not supported.`,
      );
    }
    return { property, descending: o.descending };
  });
  return (a, b) => {
    for (const k of keys) {
      const x = String(a[k.property] ?? '').toLowerCase();
      const y = String(b[k.property] ?? '').toLowerCase();
      if (x !== y) return (x < y ? -1 : 1) * (k.descending ? -1 : 1);
    }
    return 0;
  };
}

function checkCount(req: GraphRequest, spec: CollectionSpec): void {
  if (spec.count === undefined)
    throw badRequest(`Query option '$count' is not supported on ${spec.context}.`);
  if (spec.count === 'eventual' && req.headers['consistencylevel']?.toLowerCase() !== 'eventual') {
    throw badRequest(
      "$count is not currently supported without the 'ConsistencyLevel: eventual' header.",
      'Request_BadRequest',
    );
  }
}

/** One entity (`/users/{id}`), with `$select` applied; other query options are refused. */
export function serveEntity(
  req: GraphRequest,
  ctx: RouteContext,
  entity: Entity,
  spec: { typeName: string; properties: readonly string[]; defaults?: readonly string[]; context: string },
): GraphResponse {
  const options = readQueryOptions(req.search);
  if (options.filter !== undefined || options.top !== undefined || options.orderby !== undefined) {
    throw badRequest(
      'Query options $filter, $top and $orderby apply to collections, not to a single entity.',
    );
  }
  const select =
    options.select !== undefined ? resolveSelect(options.select, spec.properties, spec.typeName) : undefined;
  const names = select ?? spec.defaults;
  const fragment =
    select !== undefined ? `${spec.context}(${select.join(',')})/$entity` : `${spec.context}/$entity`;
  return ok({
    '@odata.context': contextUrl(ctx, req, fragment),
    ...(names !== undefined ? project(entity, names) : entity),
  });
}
