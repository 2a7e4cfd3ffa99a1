/** `$select`: projects entities onto the named properties, rejecting names the type does not have. */
import { badRequest } from '../graph/graph-error.js';

/** Canonical names of `select`, validated against `known` (case-insensitive, as Graph matches them). */
export function resolveSelect(
  select: readonly string[],
  known: readonly string[],
  typeName: string,
): string[] {
  const byLower = new Map(known.map((k) => [k.toLowerCase(), k]));
  return select.map((name) => {
    const canonical = byLower.get(name.toLowerCase());
    if (canonical === undefined) {
      throw badRequest(
        `Parsing OData Select and Expand failed: Could not find a property named '${name}' on type '${typeName}'.`,
      );
    }
    return canonical;
  });
}

/** Keeps `@odata.type` (derived types are always annotated) and the selected properties, in `names` order. */
export function project(entity: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if ('@odata.type' in entity) out['@odata.type'] = entity['@odata.type'];
  for (const n of names) out[n] = entity[n] ?? null;
  return out;
}
