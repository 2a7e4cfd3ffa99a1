/**
 * Reads the Microsoft Graph doc examples in test/fixtures/graph-docs (the shapes the synthetic
 * tenant must match) and collects the key sets shape tests compare against.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const FIXTURES = new URL('../../fixtures/graph-docs/', import.meta.url);

export function readFixture(name: string): unknown {
  return JSON.parse(readFileSync(fileURLToPath(new URL(name, FIXTURES)), 'utf8'));
}

/** `value` of a Graph page fixture. */
export function fixtureValues(name: string): Record<string, unknown>[] {
  return (readFixture(name) as { value: Record<string, unknown>[] }).value;
}

/** Union of the own keys of some objects (nulls and non-objects skipped). */
export function keysOf(objects: readonly unknown[]): Set<string> {
  const keys = new Set<string>();
  for (const o of objects) {
    if (o !== null && typeof o === 'object' && !Array.isArray(o)) for (const k of Object.keys(o)) keys.add(k);
  }
  return keys;
}

/** Keys of `objects` that are not in `allowed`, sorted, for readable failures. */
export function unknownKeys(objects: readonly unknown[], allowed: ReadonlySet<string>): string[] {
  return [...keysOf(objects)].filter((k) => !allowed.has(k)).sort();
}
