/**
 * A small OData `$filter` parser: eq/ne/gt/ge/lt/le, `in (…)`, and/or/not, parentheses,
 * `startswith(prop,'x')`, lambdas `coll/any(x: …)` / `coll/all(x: …)`, and string (with `''`
 * escapes and the typed form `microsoft.graph.enum'value'`), number, boolean, null, GUID and
 * DateTimeOffset literals. Anything else is a syntax error, answered 400 like Graph does.
 */
import { badRequest } from '../graph/graph-error.js';
import type { ComparisonOperator, FilterNode, LiteralNode, PathNode } from './filter-ast.js';
import { DATETIME_LITERAL, parseDateTime } from './datetime.js';

type Token =
  | { t: 'punct'; v: '(' | ')' | ',' | ':' | '/'; at: number }
  | { t: 'word'; v: string; at: number }
  | { t: 'literal'; v: LiteralNode; at: number }
  | { t: 'end'; at: number };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![\w-])/i;
const NUMBER = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?![\w.])/;
const WORD = /^[A-Za-z_$][\w.$]*/;
const COMPARISONS = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);

function syntax(text: string, at: number, what: string): never {
  throw badRequest(`Invalid filter clause: ${what} at position ${at} in '${text}'.`);
}

function readString(text: string, start: number): { value: string; end: number } {
  let value = '';
  let i = start + 1;
  for (;;) {
    if (i >= text.length) syntax(text, start, 'unterminated string literal');
    const ch = text[i] as string;
    if (ch === "'") {
      if (text[i + 1] === "'") {
        value += "'";
        i += 2;
        continue;
      }
      return { value, end: i + 1 };
    }
    value += ch;
    i++;
  }
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const rest = text.slice(i);
    if (ch === '(' || ch === ')' || ch === ',' || ch === ':' || ch === '/') {
      tokens.push({ t: 'punct', v: ch, at: i });
      i++;
      continue;
    }
    if (ch === "'") {
      const s = readString(text, i);
      tokens.push({ t: 'literal', v: { kind: 'literal', type: 'string', value: s.value }, at: i });
      i = s.end;
      continue;
    }
    const dt = DATETIME_LITERAL.exec(rest);
    if (dt !== null) {
      const time = parseDateTime(dt[0]);
      if (time === undefined) syntax(text, i, `invalid DateTimeOffset '${dt[0]}'`);
      tokens.push({ t: 'literal', v: { kind: 'literal', type: 'datetime', value: dt[0], time }, at: i });
      i += dt[0].length;
      continue;
    }
    const guid = GUID.exec(rest);
    if (guid !== null) {
      tokens.push({ t: 'literal', v: { kind: 'literal', type: 'guid', value: guid[0] }, at: i });
      i += guid[0].length;
      continue;
    }
    const num = NUMBER.exec(rest);
    if (num !== null) {
      tokens.push({ t: 'literal', v: { kind: 'literal', type: 'number', value: Number(num[0]) }, at: i });
      i += num[0].length;
      continue;
    }
    const word = WORD.exec(rest);
    if (word !== null) {
      const w = word[0];
      // Typed string literal, e.g. microsoft.graph.registrationAuthMethod'email' (an enum value).
      if (text[i + w.length] === "'") {
        const s = readString(text, i + w.length);
        tokens.push({ t: 'literal', v: { kind: 'literal', type: 'string', value: s.value }, at: i });
        i = s.end;
        continue;
      }
      const lower = w.toLowerCase();
      if (lower === 'true' || lower === 'false') {
        tokens.push({
          t: 'literal',
          v: { kind: 'literal', type: 'boolean', value: lower === 'true' },
          at: i,
        });
      } else if (lower === 'null') {
        tokens.push({ t: 'literal', v: { kind: 'literal', type: 'null', value: null }, at: i });
      } else {
        tokens.push({ t: 'word', v: w, at: i });
      }
      i += w.length;
      continue;
    }
    syntax(text, i, `unexpected character '${ch}'`);
  }
  tokens.push({ t: 'end', at: text.length });
  return tokens;
}

class Parser {
  private i = 0;
  constructor(
    private readonly text: string,
    private readonly tokens: Token[],
  ) {}

  parse(): FilterNode {
    const node = this.or();
    const t = this.peek();
    if (t.t !== 'end') syntax(this.text, t.at, 'unexpected token');
    return node;
  }

  private peek(): Token {
    return this.tokens[this.i] as Token;
  }

  private next(): Token {
    return this.tokens[this.i++] as Token;
  }

  private isWord(word: string): boolean {
    const t = this.peek();
    return t.t === 'word' && t.v.toLowerCase() === word;
  }

  private expectPunct(v: string): void {
    const t = this.next();
    if (t.t !== 'punct' || t.v !== v) syntax(this.text, t.at, `expected '${v}'`);
  }

  private or(): FilterNode {
    let left = this.and();
    while (this.isWord('or')) {
      this.next();
      left = { kind: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): FilterNode {
    let left = this.unary();
    while (this.isWord('and')) {
      this.next();
      left = { kind: 'and', left, right: this.unary() };
    }
    return left;
  }

  private unary(): FilterNode {
    if (this.isWord('not')) {
      this.next();
      return { kind: 'not', operand: this.unary() };
    }
    return this.comparison();
  }

  private comparison(): FilterNode {
    const left = this.primary();
    const t = this.peek();
    if (t.t === 'word' && COMPARISONS.has(t.v.toLowerCase())) {
      this.next();
      return { kind: 'compare', op: t.v.toLowerCase() as ComparisonOperator, left, right: this.primary() };
    }
    if (t.t === 'word' && t.v.toLowerCase() === 'in') {
      this.next();
      this.expectPunct('(');
      const list: LiteralNode[] = [];
      for (;;) {
        const item = this.next();
        if (item.t !== 'literal') syntax(this.text, item.at, "expected a literal in the 'in' list");
        list.push(item.v);
        const sep = this.next();
        if (sep.t === 'punct' && sep.v === ')') break;
        if (sep.t !== 'punct' || sep.v !== ',') syntax(this.text, sep.at, "expected ',' or ')'");
      }
      return { kind: 'in', operand: left, list };
    }
    return left;
  }

  private primary(): FilterNode {
    const t = this.next();
    if (t.t === 'literal') return t.v;
    if (t.t === 'punct' && t.v === '(') {
      const inner = this.or();
      this.expectPunct(')');
      return inner;
    }
    if (t.t !== 'word') syntax(this.text, t.at, 'expected a property, literal or function');
    const lower = t.v.toLowerCase();
    const after = this.peek();
    if (after.t === 'punct' && after.v === '(') {
      if (lower !== 'startswith') {
        throw badRequest(`Invalid filter clause: the function '${t.v}' is not supported.`);
      }
      this.next();
      const args: FilterNode[] = [this.or()];
      this.expectPunct(',');
      args.push(this.or());
      this.expectPunct(')');
      return { kind: 'call', name: 'startswith', args };
    }
    return this.path(t.v);
  }

  /** `a/b/c`, possibly ending in a lambda `…/any(x: body)`. */
  private path(first: string): FilterNode {
    const segments = [first];
    for (;;) {
      const slash = this.peek();
      if (slash.t !== 'punct' || slash.v !== '/') break;
      this.next();
      const seg = this.next();
      if (seg.t !== 'word') syntax(this.text, seg.at, 'expected a property name after /');
      const q = seg.v.toLowerCase();
      const open = this.peek();
      if ((q === 'any' || q === 'all') && open.t === 'punct' && open.v === '(') {
        this.next();
        return this.lambda({ kind: 'path', segments }, q);
      }
      segments.push(seg.v);
    }
    return { kind: 'path', segments };
  }

  private lambda(collection: PathNode, quantifier: 'any' | 'all'): FilterNode {
    const close = this.peek();
    if (close.t === 'punct' && close.v === ')') {
      this.next();
      if (quantifier === 'all') syntax(this.text, close.at, 'all() needs a lambda expression');
      return { kind: 'lambda', collection, quantifier };
    }
    const variable = this.next();
    if (variable.t !== 'word') syntax(this.text, variable.at, 'expected a lambda variable');
    this.expectPunct(':');
    const body = this.or();
    this.expectPunct(')');
    return { kind: 'lambda', collection, quantifier, variable: variable.v, body };
  }
}

export function parseFilter(text: string): FilterNode {
  if (text.trim() === '') throw badRequest('Invalid filter clause: the $filter expression is empty.');
  return new Parser(text, tokenize(text)).parse();
}
