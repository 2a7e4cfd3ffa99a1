/**
 * The few typed errors of mfa-ready. Only src/cli/main.ts turns them into exit codes and messages;
 * nothing else calls process.exit.
 */

/** Where in an input file a problem was found. */
export interface InputLocation {
  file: string;
  /** 1-based line, when known (JSON syntax errors, NDJSON). */
  line?: number;
  /** 0-based index of the entity in the file, when known. */
  entity?: number;
  /** Dotted path of the offending field inside the entity. */
  field?: string;
}

/** Bad input or usage: exit code 2, a clear message, no stack trace. */
export class InputError extends Error {
  readonly exitCode = 2;
  constructor(
    message: string,
    readonly location?: InputLocation,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'InputError';
  }
}

/** A usage mistake on the command line: exit code 2. */
export class UsageError extends Error {
  readonly exitCode = 2;
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Something failed at run time (Graph unreachable, disk full): exit code 3. */
export class RuntimeFailure extends Error {
  readonly exitCode = 3;
  constructor(
    message: string,
    readonly hint?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'RuntimeFailure';
  }
}

/** `--fail-on` matched: exit code 1. Not an error in the program, a signal to the scheduler. */
export class FailOnMatched extends Error {
  readonly exitCode = 1;
  constructor(
    readonly counts: Record<string, number>,
    /** The option that matched: `--fail-on`, or `--fail-on-new` (users new to the verdict). */
    readonly flag: '--fail-on' | '--fail-on-new' = '--fail-on',
  ) {
    super(`users with a ${flag} verdict were found`);
    this.name = 'FailOnMatched';
  }
}

/** Formats an input location as `file:line (entity N, field x.y)`. */
export function formatLocation(loc: InputLocation): string {
  let s = loc.file;
  if (loc.line !== undefined) s += `:${loc.line}`;
  const parts: string[] = [];
  if (loc.entity !== undefined) parts.push(`entity ${loc.entity}`);
  if (loc.field !== undefined) parts.push(`field ${loc.field}`);
  if (parts.length > 0) s += ` (${parts.join(', ')})`;
  return s;
}

/**
 * Another process holds the store's write lock (SQLite answered SQLITE_BUSY after the busy timeout):
 * a run-time condition, exit code 3 like every RuntimeFailure. The message names the file.
 */
export class StoreBusy extends RuntimeFailure {
  constructor(readonly file: string) {
    super(
      `another mfa-ready run is writing to ${file}; wait for it or use --db`,
      '--db FILE (or MFA_READY_DB) chooses another history database.',
    );
    this.name = 'StoreBusy';
  }
}
