import type { InputLocation } from '../domain/errors.js';
import { InputError } from '../domain/errors.js';
import type { SkippedRecords } from '../domain/datasets.js';

/** Locations kept per file: enough to find the pattern, few enough for a summary line. */
const FIRST_SKIPPED_KEPT = 5;

/**
 * The broken records of one file that `--skip-bad-records` leaves out: how many, and where the first
 * few are. Only an InputError about one entity (its location names the entity) is a record to skip;
 * a file that is not JSON at all, or anything else, still stops the read.
 */
export class SkipLog {
  count = 0;
  readonly first: InputLocation[] = [];

  constructor(readonly file: string) {}

  /** Records `err` and returns true if it is one record's error; false if it must stop the read. */
  skip(err: unknown, lineOffset = 0): boolean {
    if (!(err instanceof InputError) || err.location?.entity === undefined) return false;
    this.count++;
    if (this.first.length < FIRST_SKIPPED_KEPT) {
      const at = { ...err.location };
      if (at.line !== undefined) at.line += lineOffset;
      this.first.push(at);
    }
    return true;
  }

  /** The coverage entry, or undefined when nothing was skipped. */
  result(): SkippedRecords | undefined {
    return this.count === 0 ? undefined : { file: this.file, count: this.count, first: [...this.first] };
  }
}

/**
 * The records of several parts of one file (worker threads), read side by side, as one: entity
 * indexes made file-wide from each part's entity count, the first few kept in file order.
 */
export function mergeSkipped(
  file: string,
  parts: readonly { entities: number; skipped?: SkippedRecords | undefined }[],
): SkippedRecords | undefined {
  let count = 0;
  let offset = 0;
  const first: InputLocation[] = [];
  for (const part of parts) {
    for (const at of part.skipped?.first ?? []) {
      if (first.length < FIRST_SKIPPED_KEPT)
        first.push(at.entity === undefined ? at : { ...at, entity: at.entity + offset });
    }
    count += part.skipped?.count ?? 0;
    offset += part.entities;
  }
  return count === 0 ? undefined : { file, count, first };
}
