import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Io } from '../../src/cli/output.js';
import { createProgress } from '../../src/cli/progress.js';
import { displayWidth } from '../../src/report/text-width.js';
import { runCli } from '../support/cli.js';

const INCIDENT_1 = 'test/fixtures/incidents/incident-1';
const INCIDENT_2 = 'test/fixtures/incidents/incident-2';
const NOW = ['--now', '2025-06-10T12:00:00Z'];

/** A stream that keeps what was written and says whether it is a terminal, and how wide. */
class FakeStream extends Writable {
  text = '';
  constructor(
    readonly isTTY: boolean,
    readonly columns = 100,
  ) {
    super();
  }
  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.text += chunk.toString();
    cb();
  }
}

function streams(tty: boolean, columns?: number): { io: Io; err: FakeStream } {
  const err = new FakeStream(tty, columns);
  return { io: { stdout: new FakeStream(tty, columns), stderr: err, env: {} }, err };
}

describe('progress while reading an export', () => {
  it('on a terminal: one line redrawn in place, in the admin’s words, erased at the end', () => {
    const { io, err } = streams(true);
    let clock = 0;
    const p = createProgress(io, false, () => clock);
    p.update('users', 1_000);
    clock = 50;
    p.update('users', 2_000); // within 100 ms of the last draw: not redrawn
    clock = 200;
    p.update('users', 3_000);
    p.update('sign-in log', 448); // a new step is drawn at once
    p.finish();
    expect(err.text).toBe(
      '\r\x1b[2KReading users… 1,000' +
        '\r\x1b[2KReading users… 3,000' +
        '\r\x1b[2KReading sign-in log… 448' +
        '\r\x1b[2K',
    );
    // Nothing is left on screen: no line was ended.
    expect(err.text).not.toContain('\n');
  });

  it('on a narrow terminal: the line is cut to fit, so \\r can still rewrite it whole', () => {
    const { io, err } = streams(true, 20);
    const p = createProgress(io, false, () => 0);
    p.update('Conditional Access policies', 6);
    p.finish();
    const drawn = err.text.split('\r\x1b[2K').filter((s) => s !== '');
    expect(drawn).toEqual(['Reading Conditiona…']);
    expect(displayWidth(drawn[0]!)).toBeLessThan(20);
  });

  it('in a pipe or a log: one plain line per finished step, no control sequence', () => {
    const { io, err } = streams(false);
    const p = createProgress(io, false, () => 0);
    p.update('users', 100);
    p.update('users', 300);
    p.update('registration report', 286);
    p.update('sign-in log', 448);
    p.finish();
    expect(err.text).toBe('Read users: 300\nRead registration report: 286\nRead sign-in log: 448\n');
  });

  it('quiet: nothing at all', () => {
    for (const tty of [true, false]) {
      const { io, err } = streams(tty);
      const p = createProgress(io, true);
      p.update('users', 1);
      p.finish();
      expect(err.text).toBe('');
    }
  });
});

describe('mfa-ready audit on standard error', () => {
  it('names what it reads as the portal does, never by dataset id', async () => {
    const r = await runCli(['audit', '--from', INCIDENT_1, ...NOW]);
    expect(r.code).toBe(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toContain('Read users: 2');
    expect(lines).toContain('Read registration report: 2');
    expect(lines).toContain('Read directory audit log: 5');
    expect(lines).toContain('Read sign-in log: 4');
    expect(lines).toContain('Read authentication methods policy: 1');
    for (const id of ['signIns', 'audits', 'registration:', 'methodsPolicy', 'conditionalAccess', 'rows']) {
      expect(r.stderr).not.toContain(id);
    }
  });

  it('on a terminal leaves nothing on standard error once the report is printed', async () => {
    const r = await runCli(['audit', '--from', INCIDENT_1, ...NOW], { tty: true });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Reading users… ');
    expect(r.stderr).not.toContain('\n');
    expect(r.stderr.endsWith('\r\x1b[2K')).toBe(true);
  });

  it('--quiet: nothing on standard error, in a pipe or on a terminal, nor with --out', async () => {
    for (const tty of [false, true]) {
      const r = await runCli(['audit', '--from', INCIDENT_1, ...NOW, '--quiet'], { tty });
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain('Users who need action');
    }
    const out = await mkdtemp(join(tmpdir(), 'mfa-ready-quiet-'));
    try {
      const file = join(out, 'audit.csv');
      const r = await runCli([
        'audit',
        '--from',
        INCIDENT_1,
        ...NOW,
        '--quiet',
        '--format',
        'csv',
        '--out',
        file,
      ]);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expect((await readFile(file, 'utf8')).toLowerCase()).toContain('mfatest2@contoso.com');
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it('--quiet still reports errors', async () => {
    const r = await runCli(['audit', '--from', 'no/such/folder', '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--from no/such/folder: no such folder');
  });
});

describe('the table in a pipe honours COLUMNS', () => {
  for (const width of [80, 100, 160]) {
    it(`COLUMNS=${width}: no line is wider`, async () => {
      const r = await runCli(['audit', '--from', INCIDENT_2, ...NOW, '-q'], {
        env: { COLUMNS: String(width) },
      });
      expect(r.code).toBe(0);
      const widest = Math.max(...r.stdout.split('\n').map((l) => displayWidth(l)));
      expect(widest).toBeLessThanOrEqual(width);
      // The grid (100 and more) spans the width it was given.
      if (width >= 100) expect(widest).toBe(width);
    });
  }

  it('without COLUMNS, a pipe gets 100 columns', async () => {
    const r = await runCli(['audit', '--from', INCIDENT_2, ...NOW, '-q']);
    expect(Math.max(...r.stdout.split('\n').map((l) => displayWidth(l)))).toBe(100);
  });
});

describe('--top and --summary', () => {
  it('--top N lists the N worst, says how many more and how to see them', async () => {
    const all = await runCli(['audit', '--from', INCIDENT_2, ...NOW, '-q', '--format', 'json']);
    const needing = (
      JSON.parse(all.stdout) as { users: { verdict: string; userPrincipalName: string }[] }
    ).users
      .filter((u) => u.verdict !== 'ready' && u.verdict !== 'excluded')
      .map((u) => u.userPrincipalName);
    expect(needing.length).toBe(2);

    const r = await runCli(['audit', '--from', INCIDENT_2, ...NOW, '-q', '--top', '1'], {
      env: { COLUMNS: '160' },
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Users who need action: 2, worst first');
    const listed = needing.filter((upn) => r.stdout.includes(upn));
    expect(listed).toHaveLength(1);
    expect(r.stdout).toContain('… and 1 more user needs action, not listed here');
    expect(r.stdout).toContain('--format csv --out users.csv');
  });

  it('--summary prints the header and the verdict summary, and no user', async () => {
    const r = await runCli(['audit', '--from', INCIDENT_2, ...NOW, '-q', '--summary']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^mfa-ready audit · /);
    expect(r.stdout).toContain('Summary');
    expect(r.stdout).toMatch(/\d+\.\d% ready: /);
    expect(r.stdout).toContain('Users who need action: 2. Run without --summary');
    expect(r.stdout).not.toContain('@contoso.com');
    expect(r.stdout).not.toContain('Next action');
  });

  it('refuses --top and --summary where they would be ignored, and a --top that is not a count', async () => {
    const cases: [string[], RegExp][] = [
      [['--top', '5', '--format', 'json'], /--top shapes the table; --format json always lists every user/],
      [['--summary', '--format', 'csv'], /--summary shapes the table; --format csv always lists every user/],
      [['--top', '5', '--summary'], /use either --top or --summary, not both/],
      [['--top', '0'], /--top 0: expected a whole number from 1/],
      [['--top', 'ten'], /--top ten: expected a whole number/],
      [['--summary', '--user', 'a@contoso.com'], /--summary is for the table of all users, not with --user/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(['audit', '--from', INCIDENT_2, ...NOW, ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    }
  });
});
