import { InputError } from '../../domain/errors.js';
import type { EntityAt } from './parse-entity.js';
import { readEntities } from './read-entities.js';

/** Turns one raw entity into its domain type, or throws an InputError naming where it is wrong. */
export type Normaliser<T> = (raw: unknown, at: EntityAt) => T;

export interface ReadListOptions<T> {
  /** Keep only the items this returns true for; every entity is still validated and counted. */
  keep?: ((item: T) => boolean) | undefined;
  /** Called with the running count of entities read. */
  onRow?: ((rows: number) => void) | undefined;
}

/** Reads and normalises every entity of `file`, streaming. `rows` counts all entities, kept or not. */
export async function readList<T>(
  file: string,
  normalise: Normaliser<T>,
  options: ReadListOptions<T> = {},
): Promise<{ items: T[]; rows: number }> {
  const items: T[] = [];
  let rows = 0;
  for await (const { entity, index, line } of readEntities(file)) {
    const item = normalise(entity, line === undefined ? { file, index } : { file, index, line });
    rows++;
    if (options.keep === undefined || options.keep(item)) items.push(item);
    options.onRow?.(rows);
  }
  return { items, rows };
}

/**
 * Reads a file that holds one object (a policy, tenant.json). Zero entities (an empty file) gives
 * undefined; more than one is an error, since which one applies would be a guess.
 */
export async function readSingle<T>(file: string, normalise: Normaliser<T>): Promise<T | undefined> {
  const { items } = await readList(file, normalise);
  if (items.length > 1) {
    throw new InputError(
      `expected one object, found ${items.length} entities`,
      { file, entity: 1 },
      'This file holds a single Graph object (the response of one GET), not a list.',
    );
  }
  return items[0];
}
