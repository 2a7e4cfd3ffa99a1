/**
 * Outcomes that are not errors in the program but that scripts gate on; run.ts maps them to exit
 * codes (only it does).
 */

/** `preflight` found a permission, licence or endpoint missing: exit 1, after the report was printed. */
export class PreflightIncomplete extends Error {
  readonly exitCode = 1;
  constructor(readonly missing: string[]) {
    super(`not everything the collection needs is present: ${missing.join(', ')}`);
    this.name = 'PreflightIncomplete';
  }
}
