/**
 * `mfa-ready emulate` as an admin starts it: a port that is taken is their choice to change (exit 2,
 * what to do next), never an internal error with a stack trace.
 */
import { access, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulateCommand } from '../../src/cli/commands/emulate.js';
import { Capture, runCli } from '../support/cli.js';
import { STACK_LINE } from './live-support.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mfa-ready-emulate-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A port held by another listener on 127.0.0.1 for the length of `use`. */
async function withTakenPort<T>(use: (port: number) => Promise<T>): Promise<T> {
  const holder: Server = createServer();
  await new Promise<void>((resolve, reject) => {
    holder.once('error', reject);
    holder.listen(0, '127.0.0.1', () => resolve());
  });
  try {
    const address = holder.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP address');
    return await use(address.port);
  } finally {
    await new Promise<void>((resolve) => holder.close(() => resolve()));
  }
}

describe('mfa-ready emulate on a port that is taken', () => {
  it('says the port is in use and how to pick another; exit 2, no stack trace, no CA written', async () => {
    const ca = path.join(dir, 'ca.pem');
    const { port, code, stdout, stderr } = await withTakenPort(async (port) => ({
      port,
      ...(await runCli(['emulate', '--port', String(port), '--users', '5', '--ca-out', ca])),
    }));
    expect(stderr).toContain(`port ${port} on 127.0.0.1 is in use; pick another with --port`);
    expect(code).toBe(2);
    expect(stderr).toContain('--port 0 lets the system pick a free one');
    expect(stderr).not.toContain('internal error');
    expect(stderr).not.toContain('This is a bug');
    expect(stderr).not.toMatch(STACK_LINE);
    expect(stdout).toBe('');
    await expect(access(ca)).rejects.toThrow();
  });
});

describe('mfa-ready emulate banner', () => {
  it('prints the collect command as it runs from the folder, with an estimate at the real pace and the quick look', async () => {
    const stdout = new Capture(false);
    const stderr = new Capture(false);
    const stop = new AbortController();
    const ca = path.join(dir, 'banner-ca.pem');
    const running = emulateCommand(
      { port: '0', users: '60', seed: '7', throttling: true, caOut: ca },
      { stdout, stderr, env: {} },
      stop.signal,
    );
    // The banner is written once the emulator listens.
    for (let i = 0; i < 600 && !stdout.text.includes('Press Ctrl+C'); i++)
      await new Promise((r) => setTimeout(r, 50));
    stop.abort();
    await running;
    const text = stdout.text;
    const url = /graph url {3}(https:\/\/127\.0\.0\.1:\d+)/.exec(text)?.[1];
    expect(url).toBeDefined();
    expect(text).toContain(`  NODE_EXTRA_CA_CERTS=${ca} AZURE_CLIENT_ID=any AZURE_CLIENT_SECRET=any \\\n`);
    expect(text).toMatch(
      new RegExp(
        `\\n {4}npx mfa-ready collect --tenant [0-9a-f-]{36} --graph-url ${url} --login-url ${url} --out \\./export\\n`,
      ),
    );
    const estimate =
      /takes (about [\d hmins]+|a few seconds) at Graph's real throttling pace \(an estimate\): (\d+) requests to the reports, 5 per 10 s \((\d+) registration report, (\d+) audit and (\d+) sign-in pages, (\d+) users' methods lists\)/.exec(
        text,
      );
    expect(estimate).not.toBeNull();
    const [, , requests, registration, audits, signIns, lists] = (estimate ?? []).map(String);
    expect(Number(requests)).toBe(Number(registration) + Number(audits) + Number(signIns) + Number(lists));
    expect(Number(lists)).toBeGreaterThan(0);
    expect(text).toMatch(
      /For a quick look, add --methods needed: only the methods lists that decide readiness/,
    );
  });
});
