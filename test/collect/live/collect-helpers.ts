import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { assess } from '../../../src/assess/index.js';
import { readExportFolder } from '../../../src/load/read-export-folder.js';
import { ManualClock, resolveCloud } from '../../../src/collect/graph/index.js';
import type {
  CollectOptions,
  CollectPart,
  CollectResult,
  PartResult,
} from '../../../src/collect/live/index.js';
import { STATE_FILE } from '../../../src/collect/live/index.js';
import type { Verdict } from '../../../src/domain/verdict.js';
import { collectPlanner } from '../../../src/plan/index.js';
import { HAND_BUILT_NOW } from './tenants.js';

export const TENANT_ID = 'tenant-0001';

export function optionsFor(outDir: string, overrides: Partial<CollectOptions> = {}): CollectOptions {
  return {
    outDir,
    tenantId: TENANT_ID,
    endpoints: resolveCloud(),
    clock: new ManualClock(),
    now: HAND_BUILT_NOW,
    planner: collectPlanner,
    ...overrides,
  };
}

export function partOf(result: CollectResult, part: CollectPart): PartResult {
  const found = result.parts.find((p) => p.part === part);
  if (found === undefined) throw new Error(`no part ${part} in the result`);
  return found;
}

/** Every file under `dir` (relative paths, sorted), the checkpoint left out unless asked for. */
export async function listFiles(dir: string, withState = false): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .filter((f) => withState || f !== STATE_FILE)
    .sort();
}

/** File contents by relative path. */
export async function readTree(dir: string, withState = false): Promise<Map<string, string>> {
  const files = await listFiles(dir, withState);
  return new Map(
    await Promise.all(files.map(async (f) => [f, await readFile(path.join(dir, f), 'utf8')] as const)),
  );
}

/** `id → verdict/confidence` of the folder, assessed at `now`. */
export async function verdictsOf(
  dir: string,
  now: Date,
): Promise<Map<string, { verdict: Verdict; confidence: string | null }>> {
  const assessment = assess(await readExportFolder(dir), { now });
  return new Map(assessment.users.map((u) => [u.id, { verdict: u.verdict, confidence: u.confidence }]));
}

/** The NDJSON file's entity ids, in order. */
export async function ndjsonIds(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8');
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => (JSON.parse(l) as { id: string }).id);
}
