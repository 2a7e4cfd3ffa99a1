/**
 * The compiled CLI as an admin runs it (`node bin/mfa-ready.js collect`, built by `npm test` first),
 * in its own process, trusting the emulator's CA through NODE_EXTRA_CA_CERTS as the emulate command
 * tells users to, with the credential from AZURE_* variables. Real clock on both sides, so it asks
 * only for parts that fit in the reports bucket's first window (no per-user methods).
 */
import { execFile } from 'node:child_process';
import { access, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { DEMO_VOLUME } from '../../src/demo/generate-tenant.js';
import { SECRET, STACK_LINE, allText, tempDirs } from './live-support.js';

const exec = promisify(execFile);
const temp = tempDirs();
let em: RunningEmulator;

beforeAll(async () => {
  // The emulator's "now" is the current time, as the child's real clock is.
  em = await startEmulator({ users: 30, seed: 11, volume: DEMO_VOLUME });
});
afterAll(async () => {
  await em.close();
  await temp.cleanup();
});

describe('node bin/mfa-ready.js collect (a separate process)', () => {
  it('collects from the emulator with NODE_EXTRA_CA_CERTS and AZURE_* variables; exit 0; no secret anywhere', async () => {
    const dir = await temp.make();
    const ca = path.join(dir, 'emulator-ca.pem');
    await writeFile(ca, em.caPem);
    const out = path.join(dir, 'export');
    const { stdout, stderr } = await exec(
      process.execPath,
      [
        'bin/mfa-ready.js',
        'collect',
        '--tenant',
        em.tenantId,
        '--graph-url',
        em.url,
        '--login-url',
        em.loginUrl,
        '--out',
        out,
        '--only',
        'users,registration,audits,signins,groups,policies',
      ],
      {
        env: {
          // Nothing of the outer environment's credentials: only what this test sets.
          ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AZURE_'))),
          NODE_EXTRA_CA_CERTS: ca,
          AZURE_CLIENT_ID: 'process-test',
          AZURE_CLIENT_SECRET: SECRET,
          NO_COLOR: '1',
        },
        timeout: 30_000,
      },
    );
    expect(stderr).not.toMatch(STACK_LINE);
    expect(stderr).toContain('Collection complete: 12 of 12 requested parts.');
    expect(stderr).toContain('secret from AZURE_CLIENT_SECRET');
    expect(stdout).toBe('');
    await access(path.join(out, 'users.ndjson'));
    await access(path.join(out, 'userRegistrationDetails.ndjson'));
    expect(stdout + stderr).not.toContain(SECRET);
    expect(await allText(out)).not.toContain(SECRET);
  });
});
