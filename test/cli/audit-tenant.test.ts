/**
 * `mfa-ready audit --tenant`: collect, then assess exactly as `audit --from` the same folder does.
 * And the source flags: one of --from, --demo, --tenant; collecting flags only with --tenant.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import type { TestEmulator } from './live-support.js';
import {
  COLLECTED_AT,
  SECRET,
  STACK_LINE,
  expectedVerdicts,
  runLive,
  startTestEmulator,
  tempDirs,
  verdictsFromJson,
} from './live-support.js';

const temp = tempDirs();
afterAll(() => temp.cleanup());

describe('mfa-ready audit --tenant', () => {
  let t: TestEmulator;
  beforeAll(async () => {
    t = await startTestEmulator();
  });
  afterAll(() => t.close());

  it('collects into --out-dir and prints the same report as audit --from that folder', async () => {
    const dir = await temp.make();
    const r = await runLive(['audit', ...t.args, '--out-dir', dir, '--format', 'json'], t.deps);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Collection complete');
    expect(r.stderr).toContain(
      `The evidence is kept in ${dir}; assess it again with: mfa-ready audit --from ${dir}`,
    );

    const got = verdictsFromJson(r.stdout);
    const wrong = [...expectedVerdicts(t.em).values()].filter(
      (w) => JSON.stringify(got.get(w.id)) !== JSON.stringify(w),
    );
    expect(wrong).toEqual([]);

    // The same code path: assessed at the same time, the two reports are identical.
    const fromFolder = await runCli(['audit', '--from', dir, '--now', COLLECTED_AT, '--format', 'json']);
    expect(fromFolder.stdout).toBe(r.stdout);
    expect(r.stdout + r.stderr).not.toContain(SECRET);
  });

  it('--fail-on still gates after collecting (exit 1); --quiet keeps standard error to what matters', async () => {
    const dir = await temp.make();
    const r = await runLive(
      ['audit', ...t.args, '--out-dir', dir, '--fail-on', 'looping', '--quiet', '--format', 'csv'],
      t.deps,
    );
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')[0]).toMatch(/^userPrincipalName,/);
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^mfa-ready: note: --client-secret/),
      expect.stringMatching(/^mfa-ready: --fail-on matched \(looping: \d+\)$/),
    ]);
  });
});

describe('mfa-ready audit: where the evidence comes from', () => {
  it.each([
    [['audit'], /no history database at .*\n.*--from DIR/],
    [['audit', '--demo', '--tenant', 'contoso.example'], /use either --demo or --tenant, not both/],
    [
      ['audit', '--from', 'x', '--tenant', 'contoso.example', '--demo'],
      /use only one of --demo, --from, --tenant/,
    ],
    [
      ['audit', '--from', 'demo/tenant', '--only', 'users'],
      /--only is for collecting from a tenant, with --tenant/,
    ],
    [['audit', '--demo', '--client-secret', SECRET], /--client-secret is for collecting from a tenant/],
    [['audit', '--demo', '--out-dir', 'x'], /--out-dir is for collecting/],
    [['audit', '--tenant', 'contoso.example'], /needs the app's client id/],
    [['audit', '--tenant', 'contoso.example', '--client-id', 'a', '--signin-days', '0'], /--signin-days 0/],
  ])('%j: exit 2, no stack', async (args, message) => {
    const r = await runLive(args, {}, { env: { AZURE_CLIENT_SECRET: SECRET } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.stderr).not.toContain(SECRET);
  });
});
