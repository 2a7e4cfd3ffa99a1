/**
 * Issue 3: "a collection under faults must produce the same assessment as one without". The whole
 * live path (credential, Graph client, limiter, retries, `$batch`, paging, checkpoints) against the
 * emulator with every fault kind injected, compared with a clean collection of the same tenant.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { assess, EVIDENCE_RULES } from '../../../src/assess/index.js';
import { load } from '../../../src/load/index.js';
import {
  ManualClock,
  chooseCredential,
  createGraphSource,
  resolveCloud,
} from '../../../src/collect/graph/index.js';
import { collectTenant } from '../../../src/collect/live/index.js';
import type { CollectResult } from '../../../src/collect/live/index.js';
import { DEMO_VOLUME } from '../../../src/demo/volume.js';
import { startEmulator } from '../../../src/emulator/index.js';
import type { Assessment } from '../../../src/domain/verdict.js';
import { collectPlanner } from '../../../src/plan/index.js';
import { tempFolders } from '../temp-files.js';

const COLLECTED_AT = '2026-11-20T09:00:00Z';
const temp = tempFolders();
afterEach(() => temp.cleanup());

async function collectAndAssess(
  faultRate: number,
): Promise<{ result: CollectResult; assessment: Assessment; faults: number }> {
  const clock = new ManualClock({ start: Date.parse(COLLECTED_AT) });
  const em = await startEmulator({
    users: 150,
    seed: 4,
    collectedAt: COLLECTED_AT,
    volume: DEMO_VOLUME,
    clock,
    faultRate,
    faultKinds: ['503', '504', 'reset', 'slow', 'truncated'],
  });
  const endpoints = resolveCloud({ graphUrl: em.url, loginUrl: em.loginUrl });
  const choice = chooseCredential({ tenant: em.tenantId, clientId: 'c', clientSecret: 's' }, {}, endpoints, {
    ca: em.caPem,
  });
  const source = createGraphSource({
    graphUrl: endpoints.graphUrl,
    credential: choice.credential,
    clock,
    ca: em.caPem,
    random: () => 0.5,
  });
  try {
    const outDir = await temp.make();
    const result = await collectTenant(source, {
      outDir,
      tenantId: em.tenantId,
      endpoints,
      clock,
      now: new Date(COLLECTED_AT),
      planner: collectPlanner,
      methods: 'open',
    });
    const snapshot = await load({ kind: 'folder', dir: outDir }, 'store', { rules: EVIDENCE_RULES });
    const faults = Object.values(em.stats().faults).reduce((a, b) => a + b, 0);
    return { result, assessment: assess(snapshot, { now: new Date(COLLECTED_AT) }), faults };
  } finally {
    source.close();
    await em.close();
  }
}

describe('a collection under faults', () => {
  it('gives the same assessment as a clean one, every part complete', async () => {
    const clean = await collectAndAssess(0);
    const faulty = await collectAndAssess(0.2);
    expect(faulty.faults).toBeGreaterThan(10);
    expect(faulty.result.stats?.retries).toBeGreaterThan(0);
    for (const part of faulty.result.parts) {
      expect(part.status.state, part.part).not.toBe('failed');
    }
    expect(faulty.result.methods?.fetched).toBe(clean.result.methods?.fetched);
    // The users deltaLink carries a token Graph issues afresh on every run.
    const withoutLink = (a: Assessment) => ({ ...a, tenant: { ...a.tenant, usersDeltaLink: undefined } });
    expect(withoutLink(faulty.assessment)).toEqual(withoutLink(clean.assessment));
  }, 60_000);
});
