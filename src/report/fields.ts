import type { Evidence } from '../domain/verdict.js';
import { safeText } from './sanitize.js';

/**
 * Defensive readers for `Evidence.fields` / `Action.fields`. The rules decide what they put there, and
 * the names may drift, so each reader takes several candidate keys and every message must still read
 * well when none is present. Values come from the tenant, so strings are made safe here, once.
 */
export type Fields = Evidence['fields'];

type FieldValue = NonNullable<Fields>[string];

function first(fields: Fields | undefined, keys: readonly string[]): FieldValue | undefined {
  if (fields === undefined) return undefined;
  for (const key of keys) {
    const v = fields[key];
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v) && v.length === 0) continue;
    return v;
  }
  return undefined;
}

/** The first present key as one safe line of text (arrays joined with ", "). */
export function fieldText(fields: Fields | undefined, ...keys: string[]): string | undefined {
  const v = first(fields, keys);
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) return v.map(safeText).join(', ');
  return safeText(String(v));
}

/** The first present key as a list of safe strings (a scalar becomes a one-element list). */
export function fieldList(fields: Fields | undefined, ...keys: string[]): string[] {
  const v = first(fields, keys);
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v.map(safeText);
  return [safeText(String(v))];
}

/** The first present key as a finite number (numeric strings accepted: some Graph fields are strings). */
export function fieldNumber(fields: Fields | undefined, ...keys: string[]): number | undefined {
  const v = first(fields, keys);
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

/** The first present key as a boolean (`"true"`/`"false"` accepted). */
export function fieldBool(fields: Fields | undefined, ...keys: string[]): boolean | undefined {
  const v = first(fields, keys);
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return undefined;
}

/** `" (…)"` when `inner` has text, else `""`: keeps optional details from leaving empty brackets. */
export function paren(inner: string | undefined): string {
  return inner === undefined || inner === '' ? '' : ` (${inner})`;
}
