/**
 * Hands plain data (what JSON can hold) from a worker thread to the main thread for less than JSON
 * costs there. A worker that read a 100,000-user tenant's sign-ins hands over some 350,000 of them:
 * as JSON, the main thread spent 2 s parsing them and 1.5 s more pooling their repeated strings
 * (StringPool), on the thread every other step waits for.
 *
 * Here the worker pools instead: each distinct string crosses once, in a table, and values refer to
 * it by number. The structure travels as numbers in typed arrays, whose memory is moved, not copied.
 * The main thread rebuilds the objects with table look-ups, and equal strings come out as one copy.
 *
 * The values must be plain: null, booleans, numbers, strings, arrays and plain objects. An object's
 * key whose value is undefined is left out, as JSON.stringify leaves it out; anything else (a Date,
 * a Map, a function) throws, so that nothing arrives changed without a word.
 */

export interface ValueEncoderOptions {
  /**
   * Properties whose string values are unique (event ids, times): they are sent as they are, without
   * a look-up that would only grow the table.
   */
  unpooled?: ReadonlySet<string>;
  /**
   * Properties whose object values are shared among items (SignInFactsPool): each such object is
   * sent once, and arrives as one shared, frozen copy.
   */
  shared?: ReadonlySet<string>;
}

/** Shared objects remembered at most, so that values that only look shared cannot grow it unbounded. */
const MAX_SHARED = 4_096;

/** One batch of encoded values; the decoder must receive the batches of one encoder in order. */
export interface EncodedBatch {
  /** The strings first used in this batch, as a JSON array (one parse for all of them). */
  strings: string;
  /** The property names first used in this batch. */
  keys: string[];
  tags: Int32Array;
  nums: Float64Array;
}

const NULL = 0;
const FALSE = 1;
const TRUE = 2;
const NUMBER = 3;
const STRING = 4;
const ARRAY = 5;
const OBJECT = 6;
/** A shared object's first appearance: its value follows, and it takes the next shared index. */
const DEFINE = 7;
/** A shared object seen before: its index follows. */
const REF = 8;

export class ValueEncoder {
  private readonly strings = new Map<string, number>();
  private readonly keys = new Map<string, number>();
  private stringCount = 0;
  private keyCount = 0;
  private tags = new Int32Array(1 << 16);
  private nums = new Float64Array(1 << 12);
  private tagLength = 0;
  private numLength = 0;
  private newStrings: string[] = [];
  private newKeys: string[] = [];

  private readonly sharedObjects = new Map<object, number>();
  private readonly unpooledKeys: ReadonlySet<string>;
  private readonly sharedKeys: ReadonlySet<string>;

  constructor(options: ValueEncoderOptions = {}) {
    this.unpooledKeys = options.unpooled ?? new Set();
    this.sharedKeys = options.shared ?? new Set();
  }

  /** Encodes `items` as one batch (an array of them). */
  encode(items: readonly unknown[]): EncodedBatch {
    this.tagLength = 0;
    this.numLength = 0;
    this.newStrings = [];
    this.newKeys = [];
    this.value(items, true);
    const batch: EncodedBatch = {
      strings: JSON.stringify(this.newStrings),
      keys: this.newKeys,
      tags: this.tags.slice(0, this.tagLength),
      nums: this.nums.slice(0, this.numLength),
    };
    return batch;
  }

  private value(v: unknown, pooled: boolean): void {
    switch (typeof v) {
      case 'string':
        this.tag(STRING);
        this.tag(this.string(v, pooled));
        return;
      case 'number':
        this.tag(NUMBER);
        this.num(v);
        return;
      case 'boolean':
        this.tag(v ? TRUE : FALSE);
        return;
      case 'object':
        if (v === null) this.tag(NULL);
        else if (Array.isArray(v)) this.array(v);
        else this.object(v);
        return;
      case 'undefined':
        // Only reached inside an array (object keys holding undefined are skipped): JSON writes null.
        this.tag(NULL);
        return;
      default:
        throw new TypeError(`cannot hand over a ${typeof v}`);
    }
  }

  private array(a: readonly unknown[]): void {
    this.tag(ARRAY);
    this.tag(a.length);
    for (let i = 0; i < a.length; i++) this.value(a[i], true);
  }

  private object(o: object): void {
    const proto: unknown = Object.getPrototypeOf(o);
    if (proto !== Object.prototype && proto !== null) {
      throw new TypeError(`cannot hand over a ${o.constructor.name}`);
    }
    this.tag(OBJECT);
    const countAt = this.tagLength;
    this.tag(0);
    let count = 0;
    const record = o as Record<string, unknown>;
    for (const key in record) {
      const v = record[key];
      if (v === undefined) continue;
      this.tag(this.key(key));
      if (typeof v === 'object' && v !== null && this.sharedKeys.has(key)) this.shared(v);
      else this.value(v, !this.unpooledKeys.has(key));
      count++;
    }
    this.tags[countAt] = count;
  }

  private shared(o: object): void {
    const index = this.sharedObjects.get(o);
    if (index !== undefined) {
      this.tag(REF);
      this.tag(index);
    } else if (this.sharedObjects.size < MAX_SHARED) {
      this.sharedObjects.set(o, this.sharedObjects.size);
      this.tag(DEFINE);
      this.value(o, true);
    } else {
      this.value(o, true);
    }
  }

  private string(s: string, pooled: boolean): number {
    if (!pooled) {
      this.newStrings.push(s);
      return this.stringCount++;
    }
    let index = this.strings.get(s);
    if (index === undefined) {
      index = this.stringCount++;
      this.strings.set(s, index);
      this.newStrings.push(s);
    }
    return index;
  }

  private key(k: string): number {
    let index = this.keys.get(k);
    if (index === undefined) {
      index = this.keyCount++;
      this.keys.set(k, index);
      this.newKeys.push(k);
    }
    return index;
  }

  private tag(t: number): void {
    if (this.tagLength === this.tags.length)
      this.tags = grown(this.tags, new Int32Array(this.tags.length * 2));
    this.tags[this.tagLength++] = t;
  }

  private num(n: number): void {
    if (this.numLength === this.nums.length)
      this.nums = grown(this.nums, new Float64Array(this.nums.length * 2));
    this.nums[this.numLength++] = n;
  }
}

function grown<A extends Int32Array | Float64Array>(from: A, to: A): A {
  to.set(from);
  return to;
}

export class ValueDecoder {
  private readonly strings: string[] = [];
  private readonly keys: string[] = [];
  private readonly shared: unknown[] = [];
  private tags: Int32Array = new Int32Array(0);
  private nums: Float64Array = new Float64Array(0);
  private tagAt = 0;
  private numAt = 0;

  /** The items of one batch, in order. */
  decode(batch: EncodedBatch): unknown[] {
    for (const s of JSON.parse(batch.strings) as string[]) this.strings.push(s);
    for (const k of batch.keys) this.keys.push(k);
    this.tags = batch.tags;
    this.nums = batch.nums;
    this.tagAt = 0;
    this.numAt = 0;
    const items = this.value();
    if (!Array.isArray(items) || this.tagAt !== this.tags.length || this.numAt !== this.nums.length) {
      throw new Error('a batch from the read worker does not decode to its length');
    }
    return items as unknown[];
  }

  private value(): unknown {
    const tags = this.tags;
    switch (tags[this.tagAt++]) {
      case NULL:
        return null;
      case FALSE:
        return false;
      case TRUE:
        return true;
      case NUMBER:
        return this.nums[this.numAt++];
      case STRING:
        return this.strings[tags[this.tagAt++] as number];
      case ARRAY: {
        const length = tags[this.tagAt++] as number;
        const a: unknown[] = new Array<unknown>(length);
        for (let i = 0; i < length; i++) a[i] = this.value();
        return a;
      }
      case OBJECT: {
        const count = tags[this.tagAt++] as number;
        const o: Record<string, unknown> = {};
        for (let i = 0; i < count; i++) {
          const key = this.keys[tags[this.tagAt++] as number] as string;
          // Assigned, `__proto__` would set the prototype: it must stay the data key JSON.parse makes.
          if (key === '__proto__') {
            Object.defineProperty(o, key, {
              value: this.value(),
              enumerable: true,
              writable: true,
              configurable: true,
            });
          } else {
            o[key] = this.value();
          }
        }
        return o;
      }
      case DEFINE: {
        const value = deepFrozen(this.value());
        this.shared.push(value);
        return value;
      }
      case REF:
        return this.shared[tags[this.tagAt++] as number];
      default:
        throw new Error('a batch from the read worker holds an unknown tag');
    }
  }
}

/** Frozen to the leaves: one copy stands for many items, so a change to it would change them all. */
export function deepFrozen<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFrozen(v);
    Object.freeze(value);
  }
  return value;
}
