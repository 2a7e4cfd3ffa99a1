/**
 * DateTimeOffset values as comparable numbers. Directory audits carry 100-ns ticks
 * (`…05.1234567Z`), which Date.parse would drop; comparisons must see them, so the fraction is kept
 * as a fractional millisecond.
 */
const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?(Z|[+-]\d{2}:\d{2})$/i;

/** Milliseconds since the epoch, with sub-millisecond ticks; undefined when not an ISO 8601 date-time. */
export function parseDateTime(text: string): number | undefined {
  const m = ISO.exec(text);
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s = '0', frac = '', zone = 'Z'] = m;
  const base = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (Number.isNaN(base)) return undefined;
  const fraction = frac === '' ? 0 : Number(`0.${frac}`) * 1000;
  let offset = 0;
  if (zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    offset = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
  }
  return base + fraction - offset;
}

export const DATETIME_LITERAL =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?(?:Z|[+-]\d{2}:\d{2})/i;
