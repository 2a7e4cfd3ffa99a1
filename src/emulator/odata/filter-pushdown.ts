/**
 * Reads the parts of a `$filter` that narrow what must be generated: time bounds, and equalities on
 * a few properties, from the top-level `and` chain only (an `or` could widen anything). The result
 * is always a superset hint; the compiled predicate still decides every row.
 */
import type { FilterNode, LiteralNode } from './filter-ast.js';

export interface Pushdown {
  /** Lower bound (ms, inclusive) on the time property. */
  from?: number;
  /** Upper bound (ms, inclusive) on the time property. */
  to?: number;
  /** `path eq 'value'` conjuncts, by lower-cased path (`userid`, `status/errorcode`). */
  equals: Map<string, LiteralNode>;
  /** The top-level conjuncts, for callers that recognise richer shapes (lambdas). */
  conjuncts: FilterNode[];
}

export function conjunctsOf(node: FilterNode): FilterNode[] {
  return node.kind === 'and' ? [...conjunctsOf(node.left), ...conjunctsOf(node.right)] : [node];
}

const FLIP: Record<string, string> = { gt: 'lt', ge: 'le', lt: 'gt', le: 'ge', eq: 'eq', ne: 'ne' };

/** `path op literal` with the path on the left (flipping `literal op path`). */
export function comparisonOf(
  node: FilterNode,
): { path: string; op: string; literal: LiteralNode } | undefined {
  if (node.kind !== 'compare') return undefined;
  if (node.left.kind === 'path' && node.right.kind === 'literal') {
    return { path: node.left.segments.join('/').toLowerCase(), op: node.op, literal: node.right };
  }
  if (node.right.kind === 'path' && node.left.kind === 'literal') {
    return {
      path: node.right.segments.join('/').toLowerCase(),
      op: FLIP[node.op] ?? node.op,
      literal: node.left,
    };
  }
  return undefined;
}

export function pushdown(node: FilterNode | undefined, timeProperty: string): Pushdown {
  const result: Pushdown = { equals: new Map(), conjuncts: [] };
  if (node === undefined) return result;
  const timePath = timeProperty.toLowerCase();
  result.conjuncts = conjunctsOf(node);
  for (const c of result.conjuncts) {
    const cmp = comparisonOf(c);
    if (cmp === undefined) continue;
    if (cmp.path === timePath && cmp.literal.time !== undefined) {
      const t = cmp.literal.time;
      if (cmp.op === 'ge' || cmp.op === 'gt' || cmp.op === 'eq')
        result.from = Math.max(result.from ?? -Infinity, t);
      if (cmp.op === 'le' || cmp.op === 'lt' || cmp.op === 'eq')
        result.to = Math.min(result.to ?? Infinity, t);
    } else if (cmp.op === 'eq' && cmp.literal.type !== 'null') {
      result.equals.set(cmp.path, cmp.literal);
    }
  }
  return result;
}

/** True when the filter names `path` anywhere (lambda collections included), case-insensitively. */
export function mentions(node: FilterNode | undefined, path: string): boolean {
  if (node === undefined) return false;
  const want = path.toLowerCase();
  switch (node.kind) {
    case 'path':
      return node.segments.join('/').toLowerCase() === want;
    case 'literal':
      return false;
    case 'and':
    case 'or':
      return mentions(node.left, path) || mentions(node.right, path);
    case 'not':
      return mentions(node.operand, path);
    case 'compare':
      return mentions(node.left, path) || mentions(node.right, path);
    case 'in':
      return mentions(node.operand, path);
    case 'call':
      return node.args.some((a) => mentions(a, path));
    case 'lambda':
      return node.collection.segments.join('/').toLowerCase() === want || mentions(node.body, path);
  }
}

/**
 * For `coll/any(x: x eq 'a' or x eq 'b')` on a primitive collection: the set {a, b}, lower-cased.
 * Undefined for any other shape.
 */
export function anyEqualsSet(node: FilterNode, collection: string): Set<string> | undefined {
  if (node.kind !== 'lambda' || node.quantifier !== 'any' || node.body === undefined) return undefined;
  if (node.collection.segments.join('/').toLowerCase() !== collection.toLowerCase()) return undefined;
  const variable = node.variable?.toLowerCase();
  const values = orOfEquals(node.body, (path) => path === variable);
  return values === undefined ? undefined : new Set(values.map((v) => v.toLowerCase()));
}

/**
 * The string values of `p eq 'a' or p eq 'b' …` when every branch compares a path `isPath` accepts
 * (lower-cased, `/`-joined); undefined for any other shape.
 */
function orOfEquals(node: FilterNode, isPath: (path: string) => boolean): string[] | undefined {
  const values: string[] = [];
  const visit = (n: FilterNode): boolean => {
    if (n.kind === 'or') return visit(n.left) && visit(n.right);
    const cmp = comparisonOf(n);
    if (cmp === undefined || cmp.op !== 'eq' || !isPath(cmp.path)) return false;
    if (typeof cmp.literal.value !== 'string') return false;
    values.push(cmp.literal.value);
    return true;
  };
  return visit(node) ? values : undefined;
}

/** For `coll/any(t: t/prop eq 'v')`: 'v'. Undefined for any other shape. */
export function anyPropertyEquals(
  node: FilterNode,
  collection: string,
  property: string,
): string | undefined {
  if (node.kind !== 'lambda' || node.quantifier !== 'any' || node.body?.kind !== 'compare') return undefined;
  if (node.collection.segments.join('/').toLowerCase() !== collection.toLowerCase()) return undefined;
  const body = node.body;
  if (body.op !== 'eq') return undefined;
  const [path, lit] = body.left.kind === 'path' ? [body.left, body.right] : [body.right, body.left];
  if (path.kind !== 'path' || lit.kind !== 'literal' || typeof lit.value !== 'string') return undefined;
  const [v, p, ...more] = path.segments;
  if (v !== node.variable || p?.toLowerCase() !== property.toLowerCase() || more.length > 0) return undefined;
  return lit.value;
}

/**
 * For a top-level conjunct `(path eq 'a' or path eq 'b' …)`: the values, in order. Undefined when no
 * conjunct has that shape, or when any branch of it is something else (it could then widen anything).
 */
export function anyOfEquals(filter: FilterNode | undefined, path: string): string[] | undefined {
  if (filter === undefined) return undefined;
  const want = path.toLowerCase();
  for (const conjunct of conjunctsOf(filter)) {
    if (conjunct.kind !== 'or') continue;
    const values = orOfEquals(conjunct, (p) => p === want);
    if (values !== undefined) return values;
  }
  return undefined;
}
