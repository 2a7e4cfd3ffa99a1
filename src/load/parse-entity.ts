import type { z } from 'zod';
import { InputError } from '../domain/errors.js';
import type { InputLocation } from '../domain/errors.js';

/** Where an entity came from, for error messages. */
export interface EntityAt {
  file: string;
  /** 0-based index of the entity in the file. */
  index: number;
  /** 1-based line where it starts, when known. */
  line?: number;
}

/**
 * Validates one raw entity against its schema. On failure, throws an InputError whose location has
 * the file, the entity, the line and the dotted path of the first wrong field, and whose message says
 * what was expected and what was found, e.g. `field "accountEnabled" of entity 3 must be true or
 * false, but it is the string "yes"`.
 */
export function parseEntity<T extends z.ZodType>(schema: T, raw: unknown, at: EntityAt): z.output<T> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path.map(String) ?? [];
  throw entityError(at, path, issue === undefined ? 'is not valid' : expectation(issue), valueAt(raw, path));
}

/** The InputError for an entity whose field at `path` is wrong. Also used by hand-written checks. */
export function entityError(at: EntityAt, path: string[], expected: string, found: unknown): InputError {
  const field = path.join('.');
  const subject = field === '' ? `entity ${at.index}` : `field "${field}" of entity ${at.index}`;
  const location: InputLocation = { file: at.file, entity: at.index };
  if (at.line !== undefined) location.line = at.line;
  if (field !== '') location.field = field;
  // The file and line are in `location`, which the CLI prints under the message.
  return new InputError(`${subject} ${expected}, but ${describeFound(found)}`, location);
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
  array: 'an array',
  object: 'a JSON object',
};

function expectation(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') return `must be ${TYPE_WORDS[issue.expected] ?? issue.expected}`;
  return issue.message;
}

function valueAt(root: unknown, path: string[]): unknown {
  let v: unknown = root;
  for (const key of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/** Says what was found, briefly; long strings are cut so a message stays one line. */
function describeFound(v: unknown): string {
  if (v === undefined) return 'it is missing';
  if (v === null) return 'it is null';
  if (typeof v === 'string') {
    const shown = v.length > 40 ? `${v.slice(0, 40)}…` : v;
    return v === '' ? 'it is an empty string' : `it is the string ${JSON.stringify(shown)}`;
  }
  if (typeof v === 'number') return `it is the number ${v}`;
  if (typeof v === 'boolean') return `it is ${v}`;
  if (Array.isArray(v)) return 'it is an array';
  return 'it is an object';
}

type UndefinedKeys<T> = { [K in keyof T]-?: undefined extends T[K] ? K : never }[keyof T];

/**
 * `T` with every property that may be undefined made optional instead: what an object literal of
 * Graph fields becomes once the missing ones are left out, as `exactOptionalPropertyTypes` needs.
 */
export type Compact<T> = { [K in Exclude<keyof T, UndefinedKeys<T>>]: T[K] } & {
  [K in UndefinedKeys<T>]?: Exclude<T[K], undefined>;
};

/** Leaves out the properties whose value is undefined (the domain types omit unknown fields). */
export function compact<T extends object>(o: T): Compact<T> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as Compact<T>;
}
