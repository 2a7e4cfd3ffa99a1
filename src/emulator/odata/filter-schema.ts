/**
 * What each collection lets a `$filter` name, and of which type: Graph answers 400 for a property it
 * does not filter on, or for a literal of the wrong type (a quoted date against a DateTimeOffset).
 * Being as strict as the service keeps a collector from relying on a filter that works only here.
 */

export type PrimitiveType = 'string' | 'datetime' | 'number' | 'boolean';

export type PropertySchema =
  | { kind: 'primitive'; type: PrimitiveType }
  | { kind: 'collection'; of: PrimitiveType }
  | { kind: 'entities'; of: EntitySchema }
  | { kind: 'complex'; of: EntitySchema };

export interface EntitySchema {
  /** Type name used in error messages, e.g. `microsoft.graph.signIn`. */
  resource: string;
  properties: Readonly<Record<string, PropertySchema>>;
}

export const prim = (type: PrimitiveType): PropertySchema => ({ kind: 'primitive', type });
export const strings = (): PropertySchema => ({ kind: 'collection', of: 'string' });

export function entity(resource: string, properties: Record<string, PropertySchema>): EntitySchema {
  return { resource, properties };
}

/** `{a: 'string', b: 'boolean'}` shorthand for flat schemas. */
export function flat(resource: string, properties: Record<string, PrimitiveType>): EntitySchema {
  return entity(resource, Object.fromEntries(Object.entries(properties).map(([k, t]) => [k, prim(t)])));
}

/** Case-insensitive property lookup (Graph matches property names that way); the canonical name too. */
export function lookup(
  schema: EntitySchema,
  name: string,
): { name: string; schema: PropertySchema } | undefined {
  const exact = schema.properties[name];
  if (exact !== undefined) return { name, schema: exact };
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(schema.properties)) {
    if (key.toLowerCase() === lower) return { name: key, schema: value };
  }
  return undefined;
}
