import { describe, expect, it } from 'vitest';
import { toMs } from '../../src/assess/time.js';

describe('toMs', () => {
  it('reads the canonical form exactly as Date.parse does, and every other form through it', () => {
    const samples = [
      '2026-11-20T09:00:00Z',
      '2024-02-29T23:59:59Z',
      '1999-12-31T00:00:00Z',
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
  });

  it("gives undefined where Date.parse gives NaN, and Date.parse's answer for impossible dates", () => {
    for (const s of [
      '2023-02-29T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-11-20T24:00:01Z',
      'not a date',
      '',
    ]) {
      expect(toMs(s), s).toBe(Number.isNaN(Date.parse(s)) ? undefined : Date.parse(s));
    }
  });
});
