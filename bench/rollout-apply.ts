/**
 * bench/rollout.ts apply: `rollout next --apply` of a WAVE-user wave against the Graph emulator
 * in-process (throttling on, on a ManualClock shared with the CLI, so the documented limits cost no
 * wall time), through the CLI's own run(): collect, plan (one wave of WAVE users, threshold 0, so
 * every user not ready also goes into the bypass group), next --apply, then next --apply again, then
 * once more with every journal row set back to `pending` (a crash after Graph answered, before the
 * journal recorded it): the group's members are read and nothing is written again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { ManualClock } from '../src/collect/graph/index.js';
import { run } from '../src/cli/run.js';
import { openStore } from '../src/store/index.js';
import { CLOUD_ROLLOUT_GROUPS, DEFAULT_PERMISSIONS, startEmulator } from '../src/emulator/index.js';

const COLLECTED_AT = '2026-11-20T09:00:00Z';

class Sink extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _e: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

export async function benchApply(
  wave: number,
  record: (r: Record<string, unknown>) => void,
  gitHead: () => string,
): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'mfa-ready-bench-rollout-'));
  const clock = new ManualClock({ start: Date.parse(COLLECTED_AT) });
  const em = await startEmulator({
    users: Math.ceil(wave * 1.1) + 20,
    seed: 3,
    collectedAt: COLLECTED_AT,
    clock,
    extraGroups: CLOUD_ROLLOUT_GROUPS,
    grantedPermissions: [...DEFAULT_PERMISSIONS, 'GroupMember.ReadWrite.All'],
  });
  const deps = { ca: em.caPem, clock, now: () => new Date(COLLECTED_AT) };
  const db = path.join(dir, 'history.db');
  const conn = [
    '--tenant',
    em.tenantId,
    '--graph-url',
    em.url,
    '--login-url',
    em.loginUrl,
    '--client-id',
    'bench',
  ];
  const env = { MFA_READY_DB: db, AZURE_CLIENT_SECRET: 'bench-secret' };
  const cli = async (args: string[]) => {
    const stdout = new Sink();
    const stderr = new Sink();
    const code = await run(args, { stdout, stderr, env }, deps);
    if (code !== 0) throw new Error(`${args.slice(0, 2).join(' ')}: exit ${code}\n${stderr.text}`);
    return stdout.text;
  };
  try {
    await cli(['collect', ...conn, '--db', db, '--quiet']);
    await cli([
      'rollout',
      'plan',
      '--name',
      'bench',
      '--enforce-group',
      'MFA_Enforced_Cloud',
      '--bypass-group',
      'MFA_Bypass_Cloud',
      '--wave-size',
      String(wave),
      '--ready-threshold',
      '0',
      '--db',
      db,
      '--quiet',
    ]);
    const legs: Record<string, unknown>[] = [];
    for (const leg of ['first', 'rerun', 'after-crash']) {
      if (leg === 'after-crash') {
        // As if the process died after Graph answered every $batch but before the journal recorded it.
        const store = openStore(db);
        store.db.prepare("UPDATE journal SET status = 'pending', done_at = NULL").run();
        store.close();
      }
      const before = em.stats();
      const writes = em.writes().length;
      const t0 = performance.now();
      const out = JSON.parse(
        await cli([
          'rollout',
          'next',
          'bench',
          '--apply',
          '--format',
          'json',
          '--db',
          db,
          '--quiet',
          ...conn,
        ]),
      ) as { changes: unknown[] };
      const wallMs = Math.round(performance.now() - t0);
      const after = em.stats();
      // $batch POSTs answered 200, and every HTTP request to Graph (a $batch is one).
      const batches = after.batches - before.batches;
      const httpRequests = after.httpRequests - before.httpRequests;
      const memberWrites = em
        .writes()
        .slice(writes)
        .filter((w) => w.path.includes('/members/'));
      const throttled = memberWrites.filter((w) => w.status === 429).length;
      legs.push({
        leg,
        changes: out.changes.length,
        batchRoundTrips: batches,
        httpRequests,
        targetRoundTrips: Math.ceil(out.changes.length / 20),
        writes: memberWrites.length,
        throttled,
        wallMs,
      });
    }
    record({ mode: 'apply', build: gitHead(), wave, legs });
  } finally {
    await em.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
