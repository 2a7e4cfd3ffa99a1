import { InputError } from '../domain/errors.js';
import type { EntityAt } from './parse-entity.js';
import { confirmEntityReached, readEntityBatches, readSmallFileBatch } from './read-entities.js';
import type { ReadBatch } from './read-entities.js';
import type { SkipLog } from './skipped-records.js';

/** Turns one raw entity into its domain type, or throws an InputError naming where it is wrong. */
export type Normaliser<T> = (raw: unknown, at: EntityAt) => T;

export interface ReadListOptions<T> {
  /** Keep only the items this returns true for; every entity is still validated and counted. */
  keep?: ((item: T) => boolean) | undefined;
  /** Called with the running count of entities read. */
  onRow?: ((rows: number) => void) | undefined;
  /**
   * `--skip-bad-records`: an entity the normaliser refuses is counted here and left out (neither kept
   * nor in `rows`) instead of stopping the read.
   */
  skip?: SkipLog | undefined;
}

/** Reads and normalises every entity of `file`, streaming. `rows` counts all entities, kept or not. */
export async function readList<T>(
  file: string,
  normalise: Normaliser<T>,
  options: ReadListOptions<T> = {},
): Promise<{ items: T[]; rows: number }> {
  const list = new ListBuilder(file, normalise, options);
  const small = readSmallFileBatch(file);
  if (small !== undefined) {
    await list.add(small);
  } else {
    for await (const batch of readEntityBatches(file)) await list.add(batch);
  }
  return { items: list.items, rows: list.rows };
}

class ListBuilder<T> {
  readonly items: T[] = [];
  rows = 0;

  constructor(
    private readonly file: string,
    private readonly normalise: Normaliser<T>,
    private readonly options: ReadListOptions<T>,
  ) {}

  /** Normalises and keeps a batch's entities; async only to settle an error (see confirmEntityReached). */
  async add(batch: ReadBatch): Promise<void> {
    const { file, normalise, items } = this;
    const { keep, onRow, skip } = this.options;
    const { entities, lines, firstIndex } = batch;
    for (let i = 0; i < entities.length; i++) {
      const index = firstIndex + i;
      let item: T;
      try {
        item = normalise(entities[i], { file, index, line: lines[i] as number });
      } catch (err) {
        // A syntax error further on still stops the read: the fast reader meets it and hands over.
        if (skip?.skip(err) === true) continue;
        if (batch.fast && err instanceof InputError) await confirmEntityReached(file, index);
        throw err;
      }
      this.rows++;
      if (keep === undefined || keep(item)) items.push(item);
      onRow?.(this.rows);
    }
  }
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
