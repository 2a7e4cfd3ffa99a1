/**
 * A small OData `$filter` evaluator for the fake Graph source: enough of the grammar for what the
 * collector sends (eq/ne/ge/gt/le/lt, and/or, parentheses, `path/any(x: x eq '…')`), so that the
 * tests check filters by their effect, as Graph would apply them, not only by their text.
 */

type Token =
  | { kind: 'path'; value: string }
  | { kind: 'string'; value: string }
  | { kind: 'datetime'; value: number }
  | { kind: 'number'; value: number }
  | { kind: 'bool'; value: boolean }
  | { kind: 'op'; value: 'eq' | 'ne' | 'ge' | 'gt' | 'le' | 'lt' }
  | { kind: 'and' | 'or' | '(' | ')' | ':' };

type Node =
  | { kind: 'and' | 'or'; left: Node; right: Node }
  | { kind: 'cmp'; path: string[]; op: string; value: string | number | boolean }
  | { kind: 'any'; path: string[]; variable: string; body: Node };

const OPS = new Set(['eq', 'ne', 'ge', 'gt', 'le', 'lt']);

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ') {
      i++;
    } else if (c === '(' || c === ')' || c === ':') {
      tokens.push({ kind: c });
      i++;
    } else if (c === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) throw new SyntaxError(`unterminated string in ${text}`);
        if (text[i] === "'" && text[i + 1] === "'") {
          value += "'";
          i += 2;
        } else if (text[i] === "'") {
          i++;
          break;
        } else value += text[i++];
      }
      tokens.push({ kind: 'string', value });
    } else if (/^\d{4}-\d{2}-\d{2}T/.test(text.slice(i))) {
      const m = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z/.exec(text.slice(i));
      if (m === null) throw new SyntaxError(`bad date-time in ${text}`);
      tokens.push({ kind: 'datetime', value: Date.parse(m[0]) });
      i += m[0].length;
    } else {
      const m = /^[^\s():']+/.exec(text.slice(i));
      if (m === null) throw new SyntaxError(`unexpected "${c}" in ${text}`);
      const word = m[0];
      i += word.length;
      if (word === 'and' || word === 'or') tokens.push({ kind: word });
      else if (OPS.has(word)) tokens.push({ kind: 'op', value: word as 'eq' });
      else if (word === 'true' || word === 'false') tokens.push({ kind: 'bool', value: word === 'true' });
      else if (/^-?\d+(\.\d+)?$/.test(word)) tokens.push({ kind: 'number', value: Number(word) });
      else tokens.push({ kind: 'path', value: word });
    }
  }
  return tokens;
}

class Parser {
  private at = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): Node {
    const node = this.or();
    if (this.at !== this.tokens.length) throw new SyntaxError('trailing tokens in $filter');
    return node;
  }

  private peek(): Token | undefined {
    return this.tokens[this.at];
  }

  private next(): Token {
    const t = this.tokens[this.at++];
    if (t === undefined) throw new SyntaxError('unexpected end of $filter');
    return t;
  }

  private expect(kind: Token['kind']): Token {
    const t = this.next();
    if (t.kind !== kind) throw new SyntaxError(`expected ${kind}, found ${t.kind}`);
    return t;
  }

  private or(): Node {
    let left = this.and();
    while (this.peek()?.kind === 'or') {
      this.next();
      left = { kind: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): Node {
    let left = this.unary();
    while (this.peek()?.kind === 'and') {
      this.next();
      left = { kind: 'and', left, right: this.unary() };
    }
    return left;
  }

  private unary(): Node {
    const t = this.next();
    if (t.kind === '(') {
      const node = this.or();
      this.expect(')');
      return node;
    }
    if (t.kind !== 'path') throw new SyntaxError(`expected a property, found ${t.kind}`);
    const segments = t.value.split('/');
    if (segments[segments.length - 1] === 'any') {
      this.expect('(');
      const variable = this.expect('path') as { value: string };
      this.expect(':');
      const body = this.or();
      this.expect(')');
      return { kind: 'any', path: segments.slice(0, -1), variable: variable.value, body };
    }
    const op = this.expect('op') as { value: string };
    const v = this.next();
    if (v.kind !== 'string' && v.kind !== 'datetime' && v.kind !== 'number' && v.kind !== 'bool') {
      throw new SyntaxError(`expected a literal, found ${v.kind}`);
    }
    return { kind: 'cmp', path: segments, op: op.value, value: v.value };
  }
}

function valueAt(entity: unknown, path: readonly string[]): unknown {
  let v: unknown = entity;
  for (const key of path) v = (v as Record<string, unknown> | null | undefined)?.[key];
  return v;
}

function compare(actual: unknown, op: string, expected: string | number | boolean): boolean {
  let a: unknown = actual;
  if (typeof expected === 'number' && typeof actual === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(actual)) {
    a = Date.parse(actual);
  }
  switch (op) {
    case 'eq':
      return a === expected;
    case 'ne':
      return a !== expected;
  }
  if (typeof a !== typeof expected) return false;
  const x = a as number | string;
  switch (op) {
    case 'ge':
      return x >= expected;
    case 'gt':
      return x > expected;
    case 'le':
      return x <= expected;
    case 'lt':
      return x < expected;
  }
  return false;
}

function evaluate(node: Node, entity: unknown, scope: Map<string, unknown>): boolean {
  switch (node.kind) {
    case 'and':
      return evaluate(node.left, entity, scope) && evaluate(node.right, entity, scope);
    case 'or':
      return evaluate(node.left, entity, scope) || evaluate(node.right, entity, scope);
    case 'cmp': {
      const [head, ...rest] = node.path;
      const actual =
        head !== undefined && scope.has(head) ? valueAt(scope.get(head), rest) : valueAt(entity, node.path);
      return compare(actual, node.op, node.value);
    }
    case 'any': {
      const list = valueAt(entity, node.path);
      if (!Array.isArray(list)) return false;
      return list.some((item) => evaluate(node.body, entity, new Map(scope).set(node.variable, item)));
    }
  }
}

/** A predicate for `$filter` text; throws SyntaxError for what this evaluator does not understand. */
export function compileFilter(filter: string): (entity: unknown) => boolean {
  const ast = new Parser(tokenize(filter)).parse();
  return (entity) => evaluate(ast, entity, new Map());
}
