import { renderJsonSchema } from '../../report/json.js';
import type { Io } from '../output.js';

/**
 * `mfa-ready schema`: prints the JSON Schema (draft 2020-12) of `mfa-ready audit --format json`, so a
 * script can validate a report before it acts on it. The package ships the same text as
 * schema/assessment.schema.json.
 */
export function schemaCommand(io: Io): void {
  io.stdout.write(renderJsonSchema());
}
