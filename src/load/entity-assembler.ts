import { TokenType } from '@streamparser/json';

/**
 * Builds entities from JSON tokens, deciding the file's shape as it goes, so that memory holds one
 * entity at a time whatever the shape:
 *
 * - a Graph page `{"value": [...], "@odata.nextLink": ...}`: the elements of `value` are entities and
 *   the other keys are dropped;
 * - a JSON array: each element is a page or an entity;
 * - a single object that is not a page: one entity;
 * - several of the above one after another (NDJSON: one per line; blank lines are whitespace).
 *
 * An object is a page when it has a `value` array. No dataset the export reads has a top-level
 * property called `value`, and Windows PowerShell 5.1 wraps arrays the same way
 * (`{"value": [...], "Count": n}`), so that rule holds for every producer we know of.
 *
 * The tokenizer checks lexical syntax; this class checks the grammar (where `:` and `,` may go),
 * because the library's token parser can only select values by fixed paths, and the path of an
 * entity depends on the shape, which is only known once the file is being read.
 */

/** What a container is for: this decides whether its children are kept, streamed out or dropped. */
type Role =
  /** An array at the top level: each element is a page or an entity. */
  | 'list'
  /** A top-level object (or element of a top-level array): a page or an entity, not yet known. */
  | 'unit'
  /** The `value` array of a page: each element is an entity. */
  | 'pageValues'
  /** Anything inside an entity: assembled in full. */
  | 'data';

interface ObjectFrame {
  kind: 'object';
  role: Role;
  target: Record<string, unknown>;
  key: string | undefined;
  state: 'keyOrEnd' | 'key' | 'colon' | 'value' | 'commaOrEnd';
  offset: number;
  isPage: boolean;
}

interface ArrayFrame {
  kind: 'array';
  role: Role;
  /** Undefined for `list` and `pageValues`: their elements are streamed out, not kept. */
  target: unknown[] | undefined;
  state: 'valueOrEnd' | 'value' | 'commaOrEnd';
  offset: number;
}

type Frame = ObjectFrame | ArrayFrame;

/** Invalid JSON grammar, or a page whose `value` is not an array; `offset` is the byte it was found at. */
export class JsonShapeError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    readonly kind: 'syntax' | 'page-value',
  ) {
    super(message);
    this.name = 'JsonShapeError';
  }
}

export class EntityAssembler {
  private readonly stack: Frame[] = [];

  /** @param onEntity called with each complete entity and the byte offset where it starts. */
  constructor(private readonly onEntity: (entity: unknown, offset: number) => void) {}

  /** Feeds one token from the tokenizer. Throws {@link JsonShapeError} on a grammar error. */
  write(token: TokenType, value: unknown, offset: number): void {
    const top = this.stack.at(-1);
    if (top === undefined) {
      if (!this.startValue(token, value, offset)) throw unexpected(token, value, offset, 'a JSON value');
      return;
    }
    if (top.kind === 'object') this.writeInObject(top, token, value, offset);
    else this.writeInArray(top, token, value, offset);
  }

  /** Call once the input has ended. Throws if a container was left open. */
  end(lastOffset: number): void {
    const open = this.stack.at(-1);
    if (open !== undefined) {
      const what = open.kind === 'object' ? 'an object ("{")' : 'an array ("[")';
      throw new JsonShapeError(
        `the file ends inside ${what}: it is truncated or a bracket is missing`,
        lastOffset,
        'syntax',
      );
    }
  }

  private writeInObject(frame: ObjectFrame, token: TokenType, value: unknown, offset: number): void {
    switch (frame.state) {
      case 'keyOrEnd':
      case 'key':
        if (token === TokenType.STRING) {
          frame.key = value as string;
          frame.state = 'colon';
          return;
        }
        if (token === TokenType.RIGHT_BRACE && frame.state === 'keyOrEnd') return this.close();
        throw unexpected(token, value, offset, 'a property name in double quotes');
      case 'colon':
        if (token === TokenType.COLON) {
          frame.state = 'value';
          return;
        }
        throw unexpected(token, value, offset, '":" after the property name');
      case 'value':
        frame.state = 'commaOrEnd';
        if (!this.startValue(token, value, offset)) throw unexpected(token, value, offset, 'a value');
        return;
      case 'commaOrEnd':
        if (token === TokenType.COMMA) {
          frame.state = 'key';
          return;
        }
        if (token === TokenType.RIGHT_BRACE) return this.close();
        throw unexpected(token, value, offset, '"," or "}"');
    }
  }

  private writeInArray(frame: ArrayFrame, token: TokenType, value: unknown, offset: number): void {
    switch (frame.state) {
      case 'valueOrEnd':
      case 'value':
        if (token === TokenType.RIGHT_BRACKET && frame.state === 'valueOrEnd') return this.close();
        frame.state = 'commaOrEnd';
        if (!this.startValue(token, value, offset)) throw unexpected(token, value, offset, 'a value');
        return;
      case 'commaOrEnd':
        if (token === TokenType.COMMA) {
          frame.state = 'value';
          return;
        }
        if (token === TokenType.RIGHT_BRACKET) return this.close();
        throw unexpected(token, value, offset, '"," or "]"');
    }
  }

  /** Starts a value; returns false if the token cannot start one. */
  private startValue(token: TokenType, value: unknown, offset: number): boolean {
    switch (token) {
      case TokenType.LEFT_BRACE:
        this.stack.push({
          kind: 'object',
          role: this.childRole('object'),
          target: {},
          key: undefined,
          state: 'keyOrEnd',
          offset,
          isPage: false,
        });
        return true;
      case TokenType.LEFT_BRACKET: {
        const role = this.childRole('array');
        this.stack.push({
          kind: 'array',
          role,
          target: role === 'data' ? [] : undefined,
          state: 'valueOrEnd',
          offset,
        });
        return true;
      }
      case TokenType.STRING:
      case TokenType.NUMBER:
      case TokenType.TRUE:
      case TokenType.FALSE:
      case TokenType.NULL:
        this.deliver(value, undefined, offset);
        return true;
      default:
        return false;
    }
  }

  private childRole(kind: 'object' | 'array'): Role {
    const parent = this.stack.at(-1);
    if (parent === undefined) return kind === 'object' ? 'unit' : 'list';
    if (parent.role === 'list') return kind === 'object' ? 'unit' : 'data';
    if (parent.role === 'unit' && parent.kind === 'object' && kind === 'array' && parent.key === 'value') {
      parent.isPage = true;
      return 'pageValues';
    }
    return 'data';
  }

  private close(): void {
    const frame = this.stack.pop();
    if (frame === undefined) return;
    // A container is located by where it starts: that is the line an entity is reported at.
    this.deliver(frame.target, frame, frame.offset);
  }

  /** Hands a finished value (a primitive, or the container in `frame`) to whatever contains it. */
  private deliver(value: unknown, frame: Frame | undefined, offset: number): void {
    const parent = this.stack.at(-1);
    if (parent === undefined || parent.role === 'list') return this.deliverUnit(value, frame, offset);
    if (parent.role === 'pageValues') return this.onEntity(value, offset);
    if (frame?.role === 'pageValues') return; // streamed out already; the page keeps no copy
    if (parent.kind === 'object') setProperty(parent.target, parent.key ?? '', value);
    else parent.target?.push(value);
  }

  private deliverUnit(value: unknown, frame: Frame | undefined, offset: number): void {
    if (frame?.kind === 'array' && frame.role === 'list') return;
    if (frame?.kind === 'object' && frame.role === 'unit') {
      if (frame.isPage) return;
      if (Object.hasOwn(frame.target, 'value')) {
        throw new JsonShapeError('"value" must be an array of entities (a Graph page)', offset, 'page-value');
      }
    }
    this.onEntity(value, offset);
  }
}

/** Assigns a property; `__proto__` is defined rather than assigned so a key cannot change the prototype. */
function setProperty(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    // Plain assignment: a duplicate key overwrites the earlier one, as JSON.parse does (last wins).
    target[key] = value;
  }
}

function unexpected(token: TokenType, value: unknown, offset: number, expected: string): JsonShapeError {
  return new JsonShapeError(
    `unexpected ${describeToken(token, value)}, expected ${expected}`,
    offset,
    'syntax',
  );
}

function describeToken(token: TokenType, value: unknown): string {
  switch (token) {
    case TokenType.STRING: {
      const s = value as string;
      return `string "${s.length > 30 ? `${s.slice(0, 30)}…` : s}"`;
    }
    case TokenType.NUMBER:
      return `number ${String(value)}`;
    case TokenType.TRUE:
    case TokenType.FALSE:
    case TokenType.NULL:
      return String(value);
    default:
      return `"${String(value)}"`;
  }
}
