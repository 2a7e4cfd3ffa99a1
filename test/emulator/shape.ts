/**
 * Compares the shape of an emulator response with a doc example: every key the example has must be
 * there, with the same JSON type (null on either side matches anything: the examples show nulls
 * where real values exist, and the other way round). OData annotations (`@odata.*`,
 * `…@odata.context`, `@microsoft.graph.tips`) are protocol metadata, not entity shape, and are skipped.
 */

export interface ShapeReport {
  /** `$.status.errorCode`-style paths of example keys the actual object lacks. */
  missing: Set<string>;
  /** `path: exampleType vs actualType`. */
  mismatches: Set<string>;
}

export const newReport = (): ShapeReport => ({ missing: new Set(), mismatches: new Set() });

export function isAnnotation(key: string): boolean {
  return key.startsWith('@') || key.includes('@odata.') || key.includes('@microsoft.graph.');
}

function kind(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

export function compareShape(
  example: unknown,
  actual: unknown,
  path = '$',
  report: ShapeReport = newReport(),
): ShapeReport {
  const ke = kind(example);
  const ka = kind(actual);
  if (ke === 'null' || ka === 'null') return report;
  if (ke !== ka) {
    report.mismatches.add(`${path}: ${ke} vs ${ka}`);
    return report;
  }
  if (ke === 'object') {
    const e = example as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    for (const key of Object.keys(e)) {
      if (isAnnotation(key)) continue;
      if (!(key in a)) report.missing.add(`${path}.${key}`);
      else compareShape(e[key], a[key], `${path}.${key}`, report);
    }
  } else if (ke === 'array') {
    const e = example as unknown[];
    const a = actual as unknown[];
    if (e.length > 0) for (const item of a) compareShape(e[0], item, `${path}[]`, report);
  }
  return report;
}

/** Every missing key must be allowed (with its reason), and every allowance must be needed. */
export function unexplained(
  report: ShapeReport,
  allowed: Readonly<Record<string, string>>,
): {
  missing: string[];
  mismatches: string[];
  unusedAllowances: string[];
} {
  return {
    missing: [...report.missing].filter((p) => allowed[p] === undefined).sort(),
    mismatches: [...report.mismatches].sort(),
    unusedAllowances: Object.keys(allowed).filter((p) => !report.missing.has(p)),
  };
}
