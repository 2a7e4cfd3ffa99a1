import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createCollectDisplay } from '../../src/cli/collect-display.js';
import type { Io } from '../../src/cli/output.js';

class Capture extends Writable {
  text = '';
  columns = 60;
  constructor(readonly isTTY: boolean) {
    super();
  }
  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.text += chunk.toString();
    cb();
  }
}

function io(tty: boolean): { io: Io; err: Capture } {
  const err = new Capture(tty);
  return { io: { stdout: new Capture(tty), stderr: err, env: {} }, err };
}

describe('the collection progress display', () => {
  it('off a terminal: a line per finished part, every 429, a "so far" line at most every 30 s', () => {
    const { io: streams, err } = io(false);
    let wall = 0;
    const d = createCollectDisplay(streams, { quiet: false, wallNow: () => wall });
    d.onProgress({ type: 'start', part: 'audits' });
    d.onProgress({ type: 'progress', part: 'audits', pages: 1, rows: 999 });
    wall = 31_000;
    d.onProgress({ type: 'progress', part: 'audits', pages: 2, rows: 1_999 });
    d.onGraphEvent({
      type: 'throttled',
      endpoint: 'GET /v1.0/auditLogs/directoryAudits',
      bucket: 'reports',
      retryAfterMs: 30_000,
      inner: false,
    });
    d.onProgress({ type: 'done', part: 'audits', pages: 3, rows: 2_500, status: { state: 'complete' } });
    d.finish();
    expect(err.text.split('\n')).toEqual([
      '  directory audits: 2 pages, 1,999 rows so far',
      '  Graph throttled GET /v1.0/auditLogs/directoryAudits (429, reports limit); waiting 30 s',
      '✓ directory audits: 2,500 rows, 3 pages; complete',
      '',
    ]);
  });

  it('on a terminal: one line per running part, redrawn in place; finished parts print above', () => {
    const { io: streams, err } = io(true);
    const d = createCollectDisplay(streams, { quiet: false, wallNow: () => 0 });
    d.onProgress({ type: 'start', part: 'users', total: 1_000 });
    d.onProgress({ type: 'start', part: 'registration' });
    d.onProgress({ type: 'done', part: 'registration', pages: 1, rows: 286, status: { state: 'complete' } });
    d.note('a device-code prompt');
    d.finish();
    // Two live lines drawn, then erased (cursor up 2, clear) before the finished line is printed above.
    expect(err.text).toContain('users: 0 pages, 0 of 1,000 rows\nregistration report: 0 pages, 0 rows\n');
    expect(err.text).toContain('\x1b[2A\r\x1b[J✓ registration report: 286 rows, 1 page; complete\nusers:');
    expect(err.text).toContain('a device-code prompt\n');
    expect(err.text.endsWith('\x1b[1A\r\x1b[J')).toBe(true);
  });

  it('quiet: nothing but notes', () => {
    const { io: streams, err } = io(true);
    const d = createCollectDisplay(streams, { quiet: true });
    d.onProgress({ type: 'start', part: 'users' });
    d.onProgress({ type: 'done', part: 'users', pages: 1, rows: 1, status: { state: 'complete' } });
    d.note('caveat');
    expect(err.text).toBe('caveat\n');
  });
});
