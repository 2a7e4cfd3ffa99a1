import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isoTimeFlag } from '../../src/cli/flag-values.js';
import { UsageError } from '../../src/domain/errors.js';

describe('isoTimeFlag (--now, --since, --collected-at)', () => {
  // A zone far from UTC for this process: a time read as local would be 5 hours off.
  let zone: string | undefined;
  beforeEach(() => {
    zone = process.env['TZ'];
    process.env['TZ'] = 'America/New_York';
  });
  afterEach(() => {
    if (zone === undefined) delete process.env['TZ'];
    else process.env['TZ'] = zone;
  });

  it.each([
    ['2026-11-20T09:00', '2026-11-20T09:00:00.000Z'],
    ['2026-11-20T09:00:30', '2026-11-20T09:00:30.000Z'],
    ['2026-11-20T09:00:30.250', '2026-11-20T09:00:30.250Z'],
    ['2026-11-20 09:00', '2026-11-20T09:00:00.000Z'],
    ['2026-11-20', '2026-11-20T00:00:00.000Z'],
  ])('%s without a zone is UTC', (value, utc) => {
    expect(isoTimeFlag('--now', value).toISOString()).toBe(utc);
  });

  it.each([
    ['2026-11-20T09:00:00Z', '2026-11-20T09:00:00.000Z'],
    ['2026-11-20T10:00+01:00', '2026-11-20T09:00:00.000Z'],
    ['2026-11-20T10:00+0100', '2026-11-20T09:00:00.000Z'],
    ['2026-11-20T04:00-05', '2026-11-20T09:00:00.000Z'],
  ])('%s keeps its zone', (value, utc) => {
    expect(isoTimeFlag('--since', value).toISOString()).toBe(utc);
  });

  it.each([
    'yesterday',
    '2026-11-20T09',
    '2026-11-20 09:00:00 GMT',
    'Fri, 20 Nov 2026 09:00:00',
    '2026-13-01',
  ])('%s is refused, naming the flag', (value) => {
    expect(() => isoTimeFlag('--now', value)).toThrow(UsageError);
    expect(() => isoTimeFlag('--now', value)).toThrow(`--now ${value}: not an ISO 8601 time`);
  });
});
