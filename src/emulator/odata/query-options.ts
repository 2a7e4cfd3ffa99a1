/**
 * The OData system query options of one request. Option names are matched case-insensitively, as
 * Graph does (`$Filter`, `$skipToken`); options the emulated endpoints do not support are a 400,
 * so a collector cannot come to rely on them here and be surprised by Graph.
 */
import { badRequest } from '../graph/graph-error.js';
import type { FilterNode } from './filter-ast.js';
import { parseFilter } from './filter-parser.js';

export interface OrderBy {
  property: string;
  descending: boolean;
}

export interface QueryOptions {
  select?: string[];
  filter?: FilterNode;
  /** The `$filter` text, for messages. */
  filterText?: string;
  top?: number;
  skiptoken?: string;
  orderby?: OrderBy[];
  count?: boolean;
}

const UNSUPPORTED = new Set(['$expand', '$search', '$skip', '$format', '$apply', '$compute', '$levels']);

export function readQueryOptions(search: URLSearchParams): QueryOptions {
  const options: QueryOptions = {};
  for (const [rawKey, value] of search) {
    const key = rawKey.toLowerCase();
    if (!key.startsWith('$')) continue; // Graph ignores unknown custom parameters.
    switch (key) {
      case '$select':
        options.select = parseSelect(value);
        break;
      case '$filter':
        options.filter = parseFilter(value);
        options.filterText = value;
        break;
      case '$top':
        options.top = parseTop(value);
        break;
      case '$skiptoken':
        options.skiptoken = value;
        break;
      case '$orderby':
        options.orderby = parseOrderBy(value);
        break;
      case '$count':
        if (value !== 'true' && value !== 'false') throw badRequest(`Invalid value '${value}' for $count.`);
        options.count = value === 'true';
        break;
      default:
        if (UNSUPPORTED.has(key))
          throw badRequest(`Query option '${rawKey}' is not supported on this resource.`);
        throw badRequest(`The query parameter '${rawKey}' is not supported.`);
    }
  }
  return options;
}

function parseSelect(value: string): string[] {
  const names = value.split(',').map((s) => s.trim());
  for (const n of names) {
    if (!/^[A-Za-z_@][\w.@]*$/.test(n))
      throw badRequest(`Parsing OData Select and Expand failed: '${n}' is not a property name.`);
  }
  return names;
}

function parseTop(value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1) {
    throw badRequest(
      `Invalid value '${value}' for $top query option found. The $top query option requires a positive integer value.`,
    );
  }
  return Number(value);
}

function parseOrderBy(value: string): OrderBy[] {
  return value.split(',').map((part) => {
    const m = /^\s*([A-Za-z_][\w/]*)(?:\s+(asc|desc))?\s*$/i.exec(part);
    if (m === null) throw badRequest(`Invalid $orderby clause '${part.trim()}'.`);
    return { property: m[1] as string, descending: (m[2] ?? 'asc').toLowerCase() === 'desc' };
  });
}
