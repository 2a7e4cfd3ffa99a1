/**
 * `.collect-state.json`: what a run has durably written, so that `--resume` continues where a killed
 * run stopped. Saved after every page, after the page's data is on disk (export-files.ts),
 * by writing a temporary file and renaming it, so the state on disk is always whole and never claims
 * data that is not there.
 *
 * The ids already written are not kept here: the NDJSON files themselves hold them, and they are read
 * back only when Graph refuses a saved nextLink and a dataset restarts (a state that grew with every
 * row would make each save O(rows)).
 */
import path from 'node:path';
import { InputError } from '../../domain/errors.js';
import type { EvidenceWindows } from '../../domain/tenant.js';
import { COLLECTION_STATE_FILE, readStateText } from './collection-state.js';
import type { CollectPart } from './collect-parts.js';
import { COLLECT_PARTS } from './collect-parts.js';
import { writeFileAtomic } from './export-files.js';
import type { FailureInfo } from './failure-info.js';

export const STATE_FILE = COLLECTION_STATE_FILE;
const STATE_VERSION = 1;

export type PartPhase = 'pending' | 'in-progress' | 'complete' | 'failed' | 'skipped';

export interface PartState {
  phase: PartPhase;
  /** The queries this part runs, in order (one, or a fallback list after a refused `or` filter). */
  queries?: string[];
  /** Index in `queries` of the one being paged. */
  query?: number;
  /** Simpler queries to send instead if Graph refuses the combined filter (graph-queries.ts). */
  fallback?: string[];
  /** Set once the part runs its fallback queries, which may overlap: rows are then de-duplicated by id. */
  fellBack?: true;
  /** The saved `@odata.nextLink` of the current query: where to continue. */
  nextLink?: string;
  rows: number;
  pages: number;
  /** Times the part restarted from its first page because a saved nextLink was refused. */
  restarts?: number;
  duplicatesSkipped?: number;
  failure?: FailureInfo;
  /**
   * A part written whole although some of its items could not be read (a federated domain's
   * federationConfiguration refused): which ones, and the first refusal.
   */
  unread?: { items: string[]; failure: FailureInfo };
}

export interface CollectState {
  version: number;
  tenantId: string;
  /** The collection's reference time: tenant.json `collectedAt` and the start of the time windows. */
  collectedAt: string;
  /** Durable length of each NDJSON file, by file name. */
  files: Record<string, number>;
  parts: Partial<Record<CollectPart, PartState>>;
  /**
   * The parts this collection set out to collect (every run's selection, resumed ones included): one
   * of them without a finished state is what a stopped run left undone (readCollectionState).
   */
  selected?: CollectPart[];
  /** When each time window starts, fixed when the collection started, so a resumed run asks for the same. */
  windows?: EvidenceWindows;
  /** A refresh: the stored run it continues (CollectBaseline.runId), fixed when it started. */
  baselineRunId?: number;
  /** The users delta's deltaLink this run obtained, for tenant.json once the run ends. */
  usersDeltaLink?: string;
  /** When the registration report was last read in full: this run's `collectedAt`, or the baseline's. */
  registrationReadAt?: string;
}

export function newState(tenantId: string, collectedAt: string): CollectState {
  return { version: STATE_VERSION, tenantId, collectedAt, files: {}, parts: {} };
}

/** The saved state of `outDir`, or undefined when there is none. */
export async function loadState(outDir: string): Promise<CollectState | undefined> {
  const file = path.join(outDir, STATE_FILE);
  const text = await readStateText(outDir);
  if (text === undefined) return undefined;
  let state: unknown;
  try {
    state = JSON.parse(text);
  } catch {
    throw new InputError(
      `the collection state is not valid JSON`,
      { file },
      'Run without --resume to start over.',
    );
  }
  if (!isState(state)) {
    throw new InputError(
      `the collection state has an unknown shape (version ${String((state as { version?: unknown })?.version)})`,
      { file },
      'Run without --resume to start over.',
    );
  }
  return state;
}

function isState(value: unknown): value is CollectState {
  if (typeof value !== 'object' || value === null) return false;
  const s = value as Partial<CollectState>;
  return (
    s.version === STATE_VERSION &&
    typeof s.tenantId === 'string' &&
    typeof s.collectedAt === 'string' &&
    typeof s.files === 'object' &&
    s.files !== null &&
    typeof s.parts === 'object' &&
    s.parts !== null &&
    Object.keys(s.parts).every((k) => (COLLECT_PARTS as readonly string[]).includes(k)) &&
    (s.selected === undefined ||
      (Array.isArray(s.selected) &&
        s.selected.every((k) => (COLLECT_PARTS as readonly string[]).includes(k))))
  );
}

/**
 * Saves the state after each change. The collector runs several parts at once (one per throttling
 * bucket), so saves are queued: each writes the whole state as it is when its turn comes, which
 * includes every change made before it was queued.
 */
export class CheckpointWriter {
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly outDir: string,
    readonly state: CollectState,
  ) {}

  part(part: CollectPart): PartState {
    let p = this.state.parts[part];
    if (p === undefined) this.state.parts[part] = p = { phase: 'pending', rows: 0, pages: 0 };
    return p;
  }

  /** Replaces a part's state (a fresh start of that part). */
  reset(part: CollectPart): PartState {
    const p: PartState = { phase: 'pending', rows: 0, pages: 0 };
    this.state.parts[part] = p;
    return p;
  }

  save(): Promise<void> {
    const next = this.queue.then(() =>
      writeFileAtomic(path.join(this.outDir, STATE_FILE), `${JSON.stringify(this.state, null, 1)}\n`),
    );
    // A failed save must fail its caller, not every later save.
    this.queue = next.catch(() => {});
    return next;
  }
}
