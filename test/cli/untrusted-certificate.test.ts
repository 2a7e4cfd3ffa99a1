/**
 * The emulator started and the admin forgot NODE_EXTRA_CA_CERTS: `collect` and `preflight` say the
 * server's certificate is not trusted and how to trust it, not that the credential was rejected.
 * In-process, "forgot" is a run without `deps.ca` (the process itself never trusts the emulator's CA).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliDeps } from '../../src/cli/deps.js';
import type { TestEmulator } from './live-support.js';
import { SECRET, STACK_LINE, runLive, startTestEmulator, tempDirs } from './live-support.js';

let t: TestEmulator;
let untrusting: CliDeps;
const temp = tempDirs();
beforeAll(async () => {
  t = await startTestEmulator();
  untrusting = { ...t.deps };
  delete untrusting.ca;
});
afterAll(async () => {
  await t.close();
  await temp.cleanup();
});

const NOT_TRUSTED = /the server's certificate is not trusted: https:\/\/127\.0\.0\.1:\d+ \(sign-in\)/;

describe('a missing NODE_EXTRA_CA_CERTS', () => {
  it('collect: exit 3, "not trusted" with the fix, no credential words, no stack, no secret', async () => {
    const out = await temp.make();
    const r = await runLive(['collect', '--out', out, ...t.args], untrusting);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(NOT_TRUSTED);
    expect(r.stderr).toContain('set NODE_EXTRA_CA_CERTS=<the CA file the emulator printed>');
    expect(r.stderr).not.toMatch(/credential|Could not get a token|Check the tenant id/i);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.stdout + r.stderr).not.toContain(SECRET);
  });

  it('preflight: "not signed in" for the certificate, nothing probed, exit 3', async () => {
    const r = await runLive(['preflight', ...t.args], untrusting);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/✗ not signed in: the server's certificate is not trusted/);
    expect(r.stdout).toContain("no request can succeed until this machine trusts the server's certificate");
    expect(r.stdout).not.toContain('rejected');
    expect(r.stderr).toMatch(/mfa-ready: failed: could not sign in: the server's certificate is not trusted/);
    expect(r.stderr).not.toContain('the credential was rejected');
  });

  it('the same commands with the CA trusted get past sign-in (the failure above is the trust, nothing else)', async () => {
    const r = await runLive(['preflight', '--only', 'users', ...t.args], t.deps);
    expect(r.stdout).toContain('✓ accepted');
  });
});
