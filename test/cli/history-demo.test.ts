import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

interface HistoryJson {
  runs: { runId: number; at: string; counts: Record<string, number>; funnel: Record<string, number> }[];
}

describe('the demo history (--demo on the commands that read the store)', () => {
  it('history --demo shows several days of a rollout that moves, and leaves no throwaway database', async () => {
    const leftovers = async () =>
      (await readdir(tmpdir())).filter((n) => n.startsWith('mfa-ready-demo-history-'));
    const before = await leftovers();
    const r = await runCli(['history', '--demo', '--format', 'json']);
    expect(r.code).toBe(0);
    const { runs } = JSON.parse(r.stdout) as HistoryJson;
    expect(runs.length).toBeGreaterThanOrEqual(3);
    const ready = runs.map((run) => run.counts.ready!);
    // Not flat: ready rises from the first day to the last, one day apart.
    expect(ready[ready.length - 1]).toBeGreaterThan(ready[0]!);
    expect(new Set(ready).size).toBeGreaterThan(1);
    const days = runs.map((run) => Date.parse(run.at));
    for (let i = 1; i < days.length; i++) expect(days[i]! - days[i - 1]!).toBe(86_400_000);
    expect(await leftovers()).toEqual(before);
  }, 120_000);

  it('diff --demo names what changed between the last two days; --db keeps the demo history', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mfa-ready-demo-db-'));
    try {
      const db = join(dir, 'demo.db');
      const r = await runCli(['diff', '--demo', '--db', db, '--format', 'json', '-q']);
      expect(r.code).toBe(0);
      expect(existsSync(db)).toBe(true);
      // Stored once: a second --demo on the same database adds no day already there.
      const again = await runCli(['history', '--demo', '--db', db, '--format', 'json']);
      const first = JSON.parse(
        (await runCli(['history', '--db', db, '--format', 'json'])).stdout,
      ) as HistoryJson;
      expect((JSON.parse(again.stdout) as HistoryJson).runs.length).toBe(first.runs.length);
      expect(r.stdout).toContain('"ready"');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
