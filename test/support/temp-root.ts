import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Vitest global setup: one temporary folder for the whole run, under which the test helpers put their
 * scratch databases (test/support/cli.ts, test/support/isolated-store.ts), removed when the run ends.
 * The workers inherit its path through the environment; a worker may be stopped without running its
 * own exit handlers, so the cleaning is done here, once.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), 'mfa-ready-tests-'));
  process.env.MFA_READY_TEST_TMP = dir;
  return async () => {
    await rm(dir, { recursive: true, force: true });
  };
}
