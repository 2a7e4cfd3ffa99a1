import { describe, expect, it } from 'vitest';
import { formatAge, formatPercent, formatTime, wrap } from '../../src/report/format.js';
import { safeText } from '../../src/report/sanitize.js';

describe('safeText', () => {
  it('makes control and reordering characters visible, and leaves the rest alone', () => {
    expect(safeText('a\x1b[31mb')).toBe('a\\x1b[31mb');
    expect(safeText('line\r\nnext\tx')).toBe('line\\r\\nnext\\tx');
    expect(safeText('\u009b2J \u202eabc \x7f')).toBe('\\x9b2J \\u202eabc \\x7f');
    expect(safeText('Zoë Ærøskøbing 山田 › ✓')).toBe('Zoë Ærøskøbing 山田 › ✓');
  });
});

describe('formatTime and formatAge', () => {
  it('shows UTC whatever the input offset, and unparseable input as given (made safe)', () => {
    expect(formatTime('2025-04-20T11:00:04+02:00')).toBe('2025-04-20 09:00:04 UTC');
    expect(formatTime('garbage\x1b')).toBe('garbage\\x1b');
    expect(formatTime(null)).toBe('unknown time');
  });

  it('says how old something is', () => {
    expect(formatAge('2025-05-01T09:30:00Z', '2025-05-01T10:00:00Z')).toBe('30 min');
    expect(formatAge('2025-05-01T02:00:00Z', '2025-05-01T10:00:00Z')).toBe('8 h');
    expect(formatAge('2025-04-01T00:00:00Z', '2025-05-01T00:00:00Z')).toBe('30 d');
    expect(formatAge(undefined, '2025-05-01T00:00:00Z')).toBeUndefined();
  });
});

describe('formatPercent', () => {
  it('rounds to one decimal but never to 100% or 0% when that would be untrue', () => {
    expect(formatPercent(3, 4)).toBe('75.0%');
    expect(formatPercent(1999, 2000)).toBe('99.9%');
    expect(formatPercent(1, 100000)).toBe('0.1%');
    expect(formatPercent(5, 5)).toBe('100.0%');
    expect(formatPercent(0, 5)).toBe('0.0%');
    expect(formatPercent(0, 0)).toBe('n/a');
  });
});

describe('wrap', () => {
  it('wraps on words and splits long tokens after a slash or dash rather than losing them', () => {
    expect(wrap('one two three four', 9)).toEqual(['one two', 'three', 'four']);
    const path = '/users/00000000-0000-0000-0000-000000000004/authentication/temporaryAccessPassMethods';
    const lines = wrap(`POST ${path}`, 30);
    expect(lines.join('')).toBe(`POST${path}`);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(30);
  });
});
