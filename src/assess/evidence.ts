import type { Evidence, EvidenceCode } from '../domain/verdict.js';
import { EVIDENCE_CODES } from '../domain/verdict.js';

export type Fields = NonNullable<Evidence['fields']>;
type FieldValue = Fields[string];

/**
 * One finding. Undefined field values are dropped (exactOptionalPropertyTypes: absent, not undefined),
 * and an empty field set is left out altogether.
 */
export function evidence(
  code: EvidenceCode,
  source: Evidence['source'],
  ref: string,
  at: string | null | undefined,
  fields?: Record<string, FieldValue | undefined>,
): Evidence {
  const e: Evidence = { code, source, ref, at: at ?? null };
  if (fields !== undefined) {
    const kept: Fields = {};
    let any = false;
    for (const key in fields) {
      const value = fields[key];
      if (value === undefined) continue;
      kept[key] = value;
      any = true;
    }
    if (any) e.fields = kept;
  }
  return e;
}

const CODE_ORDER = new Map<EvidenceCode, number>(EVIDENCE_CODES.map((c, i) => [c, i]));

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Sorts a user's findings: timeless ones (who the user is, what the report says) first, then the
 * timeline oldest first; ties by code order and ref, so the order never depends on input order.
 * Times are parsed once per finding, not once per comparison: this runs for every user.
 */
export function sortEvidence(list: readonly Evidence[]): Evidence[] {
  if (list.length < 2) return [...list];
  const keyed = list.map((e) => ({ e, t: e.at === null ? Number.NEGATIVE_INFINITY : Date.parse(e.at) || 0 }));
  keyed.sort(
    (x, y) =>
      (x.t === y.t ? 0 : x.t < y.t ? -1 : 1) ||
      (CODE_ORDER.get(x.e.code) ?? 0) - (CODE_ORDER.get(y.e.code) ?? 0) ||
      compareText(x.e.ref, y.e.ref),
  );
  return keyed.map((k) => k.e);
}
