import { UsageError } from '../domain/errors.js';

/**
 * Parsers for command-line values shared by the commands. Each names the flag in its UsageError
 * (exit 2), so a mistyped value says which flag it was.
 */

/** An ISO 8601 time (a date at least); anything else, "yesterday" included, is refused. */
export function isoTimeFlag(flag: string, value: string): Date {
  const t = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(t)) {
    throw new UsageError(
      `${flag} ${value}: not an ISO 8601 time`,
      `For example ${flag} 2026-11-20T09:00:00Z.`,
    );
  }
  return new Date(t);
}

export function wholeNumberFlag(flag: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`${flag} ${value}: expected a whole number from ${min} to ${max}`);
  }
  return n;
}
