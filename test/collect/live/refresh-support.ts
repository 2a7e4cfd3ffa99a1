/** A first collection and its refresh against the in-process emulator, and the baseline between them. */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { assess } from '../../../src/assess/index.js';
import { readExportFolder } from '../../../src/load/read-export-folder.js';
import {
  ManualClock,
  chooseCredential,
  createGraphSource,
  resolveCloud,
} from '../../../src/collect/graph/index.js';
import type { LiveGraphSource } from '../../../src/collect/graph/index.js';
import { REFRESH_OVERLAP_MS, collectTenant } from '../../../src/collect/live/index.js';
import type { CollectOptions, CollectResult, CollectSource } from '../../../src/collect/live/index.js';
import type { BaselineUser, CollectBaseline } from '../../../src/domain/baseline.js';
import { policyFingerprint } from '../../../src/domain/baseline.js';
import { DEMO_VOLUME } from '../../../src/demo/volume.js';
import { startEmulator } from '../../../src/emulator/index.js';
import type { RunningEmulator } from '../../../src/emulator/index.js';
import { collectPlanner } from '../../../src/plan/index.js';

export const COLLECTED_AT = '2026-11-20T09:00:00Z';
export const DAY_MS = 86_400_000;

export interface Rig {
  em: RunningEmulator;
  clock: ManualClock;
  source: LiveGraphSource;
  options(outDir: string, overrides?: Partial<CollectOptions>): CollectOptions;
  close(): Promise<void>;
}

export async function startRig(users = 150): Promise<Rig> {
  const clock = new ManualClock({ start: Date.parse(COLLECTED_AT) });
  const em = await startEmulator({
    users,
    seed: 4,
    collectedAt: COLLECTED_AT,
    volume: DEMO_VOLUME,
    clock,
    logRequests: true,
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
  return {
    em,
    clock,
    source,
    options: (outDir, overrides = {}) => ({
      outDir,
      tenantId: em.tenantId,
      endpoints,
      clock,
      now: new Date(COLLECTED_AT),
      planner: collectPlanner,
      methods: 'open',
      ...overrides,
    }),
    close: async () => {
      source.close();
      await em.close();
    },
  };
}

async function readJson(file: string): Promise<unknown> {
  return JSON.parse(await readFile(file, 'utf8')) as unknown;
}

/**
 * The baseline the history database would hand over after storing the folder `dir` as run `runId`:
 * its users and rows, the verdicts of its assessment, when each methods list was read (the run's
 * time for the users with a methods file), the report's full-read time, the policies' fingerprints.
 */
export async function baselineFromFolder(dir: string, runId: number): Promise<CollectBaseline> {
  const snapshot = await readExportFolder(dir);
  const collectedAt = snapshot.tenant.collectedAt!;
  const assessment = assess(snapshot, { now: new Date(collectedAt) });
  const verdicts = new Map(assessment.users.map((u) => [u.id.toLowerCase(), u.verdict]));
  const listed = new Set(
    (await readdir(path.join(dir, 'authenticationMethods')).catch(() => [] as string[]))
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.slice(0, -'.json'.length).toLowerCase()),
  );
  const users = new Map<string, BaselineUser>();
  for (const user of snapshot.users ?? []) {
    users.set(user.id, { user, registration: null, verdict: null, methodsReadAt: null });
  }
  for (const row of snapshot.registration ?? []) {
    const known = [...users.entries()].find(([id]) => id.toLowerCase() === row.id.toLowerCase());
    if (known !== undefined) known[1].registration = row;
    else users.set(row.id, { user: null, registration: row, verdict: null, methodsReadAt: null });
  }
  for (const [id, u] of users) {
    u.verdict = verdicts.get(id.toLowerCase()) ?? null;
    if (listed.has(id.toLowerCase())) u.methodsReadAt = collectedAt;
  }
  // The stored events of the overlap the refresh reads again (the store selects them by time).
  const from = Date.parse(collectedAt) - REFRESH_OVERLAP_MS;
  const overlapEventIds = new Set<string>([
    ...(snapshot.audits ?? []).filter((e) => Date.parse(e.activityDateTime) >= from).map((e) => e.id),
    ...(snapshot.signIns ?? []).filter((e) => Date.parse(e.createdDateTime) >= from).map((e) => e.id),
  ]);
  const baseline: CollectBaseline = { runId, collectedAt, users, overlapEventIds };
  const t = snapshot.tenant;
  if (t.windows !== undefined) baseline.windows = t.windows;
  if (t.usersDeltaLink !== undefined) baseline.usersDeltaLink = t.usersDeltaLink;
  if (t.registrationReadAt !== undefined) baseline.registrationReadAt = t.registrationReadAt;
  baseline.methodsPolicy = policyFingerprint(
    await readJson(path.join(dir, 'authenticationMethodsPolicy.json')),
  );
  baseline.securityDefaults = policyFingerprint(await readJson(path.join(dir, 'securityDefaults.json')));
  return baseline;
}

/** The requests of `em` from index `from` on. */
export function requestsSince(em: RunningEmulator, from: number): string[] {
  return em.requests().slice(from);
}

export async function collect(source: CollectSource, options: CollectOptions): Promise<CollectResult> {
  return collectTenant(source, options);
}
