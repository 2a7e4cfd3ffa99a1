/**
 * Serving one Graph collection: query options read and checked, `$filter` compiled against the
 * collection's schema, `$orderby` / `$select` applied, then paged. Routes describe their collection;
 * this does the OData part once for all of them.
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
  /** The entities, filtered or not: the predicate is applied here again whatever the source did. */
  entities(options: QueryOptions): Iterable<Entity>;
}

export function serveCollection(req: GraphRequest, ctx: RouteContext, spec: CollectionSpec): GraphResponse {
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

  const filtered = function* (): Generator<Entity> {
    for (const e of spec.entities(options)) if (predicate === undefined || predicate(e)) yield e;
  };
  const open = function* (): Generator<Entity> {
    const rows = sort === undefined ? filtered() : [...filtered()].sort(sort);
    for (const e of rows) {
      if (select !== undefined) yield project(e, select);
      else if (spec.defaults !== undefined) yield project(e, spec.defaults);
      else yield e;
    }
  };
  const fragment = select !== undefined ? `${spec.context}(${select.join(',')})` : spec.context;
  const body = ctx.pager.page({
    req,
    top: options.top,
    skiptoken: options.skiptoken,
    size: spec.size,
    contextUrl: contextUrl(ctx, req, fragment),
    open,
    ...(options.count === true
      ? {
          count: () => {
            let n = 0;
            for (const _ of filtered()) n++;
            return n;
          },
        }
      : {}),
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
