/**
 * Type-checks a parsed `$filter` against a collection's schema and compiles it into a predicate over
 * the entities as they are served. Comparisons follow Graph: strings compare case-insensitively,
 * DateTimeOffsets by instant (ticks kept), `null` only with eq/ne.
 */
import { badRequest, unsupportedQuery } from '../graph/graph-error.js';
import type { FilterNode, LiteralNode, PathNode } from './filter-ast.js';
import { parseDateTime } from './datetime.js';
import { lookup } from './filter-schema.js';
import type { EntitySchema, PrimitiveType, PropertySchema } from './filter-schema.js';

type Scope = { entity: unknown; vars: Record<string, unknown> };
type ValueType = PrimitiveType | 'null';

interface Compiled {
  type: ValueType | 'collection' | 'entities';
  element?: PrimitiveType | EntitySchema;
  get(scope: Scope): unknown;
}

interface Variable {
  name: string;
  /** A primitive element, or an entity element with its own schema. */
  element: PrimitiveType | EntitySchema;
}

const EDM: Record<ValueType, string> = {
  string: 'Edm.String',
  datetime: 'Edm.DateTimeOffset',
  number: 'Edm.Int32',
  boolean: 'Edm.Boolean',
  null: 'null',
};

const OPERATOR_KIND: Record<string, string> = {
  eq: 'Equal',
  ne: 'NotEqual',
  gt: 'GreaterThan',
  ge: 'GreaterThanOrEqual',
  lt: 'LessThan',
  le: 'LessThanOrEqual',
};

export type Predicate = (entity: unknown) => boolean;

export function compileFilter(node: FilterNode, schema: EntitySchema): Predicate {
  const compiled = new Compiler(schema).compile(node, []);
  if (compiled.type !== 'boolean')
    throw badRequest('Invalid filter clause: the expression is not a boolean.');
  return (entity) => compiled.get({ entity, vars: {} }) === true;
}

function literalType(node: LiteralNode): ValueType {
  return node.type === 'guid' ? 'string' : node.type;
}

function compatible(a: ValueType, b: ValueType): boolean {
  return a === b || a === 'null' || b === 'null';
}

/** A value reduced to something `<` orders correctly for its type; null for a missing value. */
function comparable(value: unknown, type: ValueType): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (type === 'string') return typeof value === 'string' ? value.toLowerCase() : String(value).toLowerCase();
  if (type === 'datetime') {
    if (typeof value === 'number') return value; // a literal, parsed at compile time
    return typeof value === 'string' ? (parseDateTime(value) ?? null) : null;
  }
  return typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string' ? value : null;
}

class Compiler {
  constructor(private readonly root: EntitySchema) {}

  compile(node: FilterNode, vars: Variable[]): Compiled {
    switch (node.kind) {
      case 'literal': {
        const type = literalType(node);
        const value = type === 'datetime' ? node.time : node.value;
        return { type, get: () => value };
      }
      case 'path':
        return this.path(node, vars);
      case 'and':
      case 'or': {
        const l = this.boolean(node.left, vars);
        const r = this.boolean(node.right, vars);
        return node.kind === 'and'
          ? { type: 'boolean', get: (s) => l.get(s) === true && r.get(s) === true }
          : { type: 'boolean', get: (s) => l.get(s) === true || r.get(s) === true };
      }
      case 'not': {
        const inner = this.boolean(node.operand, vars);
        return { type: 'boolean', get: (s) => inner.get(s) !== true };
      }
      case 'compare':
        return this.compare(node.op, node.left, node.right, vars);
      case 'in': {
        const operand = this.scalar(node.operand, vars);
        const type = operand.type as ValueType;
        const values = new Set(
          node.list.map((item) => {
            if (!compatible(type, literalType(item))) this.incompatible(type, literalType(item), 'In');
            return comparable(item.type === 'datetime' ? item.time : item.value, type);
          }),
        );
        return { type: 'boolean', get: (s) => values.has(comparable(operand.get(s), type)) };
      }
      case 'call': {
        const [subject, prefix] = node.args.map((a) => this.scalar(a, vars)) as [Compiled, Compiled];
        if (subject.type !== 'string' || prefix.type !== 'string') {
          throw badRequest(
            'Invalid filter clause: startswith() takes a string property and a string literal.',
          );
        }
        return {
          type: 'boolean',
          get: (s) => {
            const v = subject.get(s);
            const p = prefix.get(s);
            return (
              typeof v === 'string' && typeof p === 'string' && v.toLowerCase().startsWith(p.toLowerCase())
            );
          },
        };
      }
      case 'lambda':
        return this.lambda(node, vars);
    }
  }

  private boolean(node: FilterNode, vars: Variable[]): Compiled {
    const c = this.compile(node, vars);
    if (c.type !== 'boolean') throw badRequest('Invalid filter clause: and/or/not need boolean operands.');
    return c;
  }

  private scalar(node: FilterNode, vars: Variable[]): Compiled {
    const c = this.compile(node, vars);
    if (c.type === 'collection' || c.type === 'entities') {
      throw badRequest('Invalid filter clause: a collection can only be filtered with any() or all().');
    }
    return c;
  }

  private incompatible(a: ValueType, b: ValueType, kind: string): never {
    throw badRequest(
      `A binary operator with incompatible types was detected. Found operand types '${EDM[a]}' and '${EDM[b]}' for operator kind '${kind}'.`,
    );
  }

  private compare(op: string, leftNode: FilterNode, rightNode: FilterNode, vars: Variable[]): Compiled {
    const left = this.scalar(leftNode, vars);
    const right = this.scalar(rightNode, vars);
    const lt = left.type as ValueType;
    const rt = right.type as ValueType;
    if (!compatible(lt, rt)) this.incompatible(lt, rt, OPERATOR_KIND[op] ?? op);
    const type: ValueType = lt === 'null' ? rt : lt;
    if (
      op !== 'eq' &&
      op !== 'ne' &&
      (type === 'boolean' || type === 'null' || lt === 'null' || rt === 'null')
    ) {
      throw badRequest(`Invalid filter clause: '${op}' cannot compare ${EDM[type]} or null values.`);
    }
    const cmp = (s: Scope): number | null => {
      const a = comparable(left.get(s), type);
      const b = comparable(right.get(s), type);
      if (a === null || b === null) return a === b ? 0 : null;
      return a < b ? -1 : a > b ? 1 : 0;
    };
    const test: Record<string, (c: number | null) => boolean> = {
      eq: (c) => c === 0,
      ne: (c) => c !== 0,
      gt: (c) => c !== null && c > 0,
      ge: (c) => c !== null && c >= 0,
      lt: (c) => c !== null && c < 0,
      le: (c) => c !== null && c <= 0,
    };
    const check = test[op] as (c: number | null) => boolean;
    return { type: 'boolean', get: (s) => check(cmp(s)) };
  }

  private path(node: PathNode, vars: Variable[]): Compiled {
    const [first, ...rest] = node.segments as [string, ...string[]];
    const variable = vars.find((v) => v.name === first);
    if (variable !== undefined) {
      if (typeof variable.element === 'string') {
        if (rest.length > 0)
          throw unsupportedQuery(`'${first}' is a ${variable.element}, it has no properties.`);
        const type = variable.element;
        return { type, get: (s) => s.vars[first] };
      }
      return this.walk(variable.element, rest, (s) => s.vars[first], node);
    }
    return this.walk(this.root, node.segments, (s) => s.entity, node);
  }

  /** Resolves `a/b/c` in `schema`, starting from the value `start` gives. */
  private walk(
    schema: EntitySchema,
    segments: readonly string[],
    start: (s: Scope) => unknown,
    node: PathNode,
  ): Compiled {
    let current: EntitySchema = schema;
    const names: string[] = [];
    let prop: PropertySchema | undefined;
    for (let i = 0; i < segments.length; i++) {
      const found = lookup(current, segments[i] as string);
      if (found === undefined) this.unsupported(node);
      names.push(found.name);
      prop = found.schema;
      if (i < segments.length - 1) {
        if (prop.kind !== 'complex') this.unsupported(node);
        current = prop.of;
      }
    }
    if (prop === undefined) this.unsupported(node);
    const get = (s: Scope): unknown => {
      let v = start(s);
      for (const n of names) {
        if (v === null || v === undefined || typeof v !== 'object') return null;
        v = (v as Record<string, unknown>)[n];
      }
      return v ?? null;
    };
    switch (prop.kind) {
      case 'primitive':
        return { type: prop.type, get };
      case 'collection':
        return { type: 'collection', element: prop.of, get };
      case 'entities':
        return { type: 'entities', element: prop.of, get };
      case 'complex':
        return this.unsupported(node);
    }
  }

  private unsupported(node: PathNode): never {
    throw unsupportedQuery(
      `Unsupported or invalid query filter clause specified for property '${node.segments.join('/')}' of resource '${this.root.resource}'.`,
    );
  }

  private lambda(node: Extract<FilterNode, { kind: 'lambda' }>, vars: Variable[]): Compiled {
    const collection = this.path(node.collection, vars);
    if (
      (collection.type !== 'collection' && collection.type !== 'entities') ||
      collection.element === undefined
    ) {
      throw badRequest(
        `Invalid filter clause: '${node.collection.segments.join('/')}' is not a collection, so ${node.quantifier}() does not apply.`,
      );
    }
    const items = (s: Scope): unknown[] => {
      const v = collection.get(s);
      return Array.isArray(v) ? v : [];
    };
    if (node.body === undefined || node.variable === undefined) {
      return { type: 'boolean', get: (s) => items(s).length > 0 };
    }
    const name = node.variable;
    const body = this.boolean(node.body, [...vars, { name, element: collection.element }]);
    const holds = (s: Scope, item: unknown) =>
      body.get({ entity: s.entity, vars: { ...s.vars, [name]: item } }) === true;
    return node.quantifier === 'any'
      ? { type: 'boolean', get: (s) => items(s).some((item) => holds(s, item)) }
      : { type: 'boolean', get: (s) => items(s).every((item) => holds(s, item)) };
  }
}
