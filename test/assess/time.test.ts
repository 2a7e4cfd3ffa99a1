import { describe, expect, it } from 'vitest';
import { toMs } from '../../src/assess/time.js';

describe('toMs', () => {
  it('reads the canonical form exactly as Date.parse does, and every other form through it', () => {
    const samples = [
      '2026-11-20T09:00:00Z',
      '2024-02-29T23:59:59Z',
      '1999-12-31T00:00:00Z',
      '2026-11-20T09:00:00.000Z',
      '2026-11-20T09:00:00.999Z',
      '2024-02-29T23:59:59.001Z',
      '0050-01-01T00:00:00Z',
      '0099-12-31T23:59:59.999Z',
      '0100-03-01T00:00:00.000Z',
      '2026-11-20T09:00:00.5Z',
      '2026-11-20T09:00:00.000z',
      '2026-11-20T09:00:00.1234567Z',
      '2026-11-20T10:00:00+01:00',
      '2026-11-20',
    ];
    for (const s of samples) expect(toMs(s), s).toBe(Date.parse(s));
    // A walk over two years of hours and odd seconds, leap day included.
    for (let t = Date.UTC(2023, 0, 1); t < Date.UTC(2025, 0, 1); t += 3_600_000 + 7_000) {
      const iso = new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
      expect(toMs(iso)).toBe(t);
    }
    // The export reader's form, with milliseconds (as toISOString writes it).
    for (let t = Date.UTC(2023, 0, 1, 0, 0, 0, 1); t < Date.UTC(2025, 0, 1); t += 3_600_000 + 7_013) {
      expect(toMs(new Date(t).toISOString())).toBe(t);
    }
    // Every century the fast path reads (years 100 to 9999), leap years and their exceptions included.
    for (let t = Date.UTC(100, 0, 1); t < Date.UTC(9999, 11, 31); t += 101 * 86_400_000 + 3_723_457) {
      const iso = new Date(t).toISOString();
      expect(toMs(iso), iso).toBe(t);
      const whole = iso.replace(/\.\d{3}Z$/, 'Z');
      expect(toMs(whole), whole).toBe(Date.parse(whole));
    }
  });

  it("gives undefined where Date.parse gives NaN, and Date.parse's answer for impossible dates", () => {
    for (const s of [
      '2023-02-29T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-11-20T24:00:01Z',
      '2026-11-20T24:00:00.000Z',
      '2023-02-29T00:00:00.000Z',
      '2026-11-20T09:00:00.00aZ',
      '2026-11-20T09:00:00,000Z',
      'not a date',
      '',
    ]) {
      expect(toMs(s), s).toBe(Number.isNaN(Date.parse(s)) ? undefined : Date.parse(s));
    }
  });
});
