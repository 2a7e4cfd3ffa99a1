/**
 * What the collector's state file (`.collect-state.json`, written by `mfa-ready collect` and read by
 * `--resume`) says about the folder: which datasets a stopped run left unfinished. A folder assessed
 * without this would pass a half-read sign-in log or twenty methods files out of five hundred for
 * the whole, and verdicts would shift without a word.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DATASETS } from '../../domain/datasets.js';
import type { DatasetName } from '../../domain/datasets.js';
import { InputError } from '../../domain/errors.js';
// The leaf module, not the live index: `audit --from` must not load the Graph client.
import { COLLECT_PARTS, PART_SPECS } from '../live/collect-parts.js';

export const COLLECTION_STATE_FILE = '.collect-state.json';

export interface CollectionState {
  /** The datasets the collector's unfinished parts feed (what `audit` reports as incomplete), in DATASETS order. */
  incomplete: DatasetName[];
}

interface SavedPart {
  phase?: unknown;
  rows?: unknown;
}

/**
 * A part is not done when its state says it is pending or in progress, when it failed after writing
 * some of its data (a part refused at its first request wrote nothing: its dataset is missing, which
 * the coverage already says), or when the collection set out to collect it and it never started.
 */
function isUnfinished(saved: SavedPart | undefined, wanted: boolean): boolean {
  if (saved === undefined) return wanted;
  if (saved.phase === 'pending' || saved.phase === 'in-progress') return true;
  return saved.phase === 'failed' && typeof saved.rows === 'number' && saved.rows > 0;
}

/**
 * The state of the collection in `dir`, or undefined when there is no state file (an export from
 * elsewhere, or assembled by hand: nothing says it is unfinished).
 *
 * @throws {InputError} when the state file is not the collector's JSON.
 */
export async function readCollectionState(dir: string): Promise<CollectionState | undefined> {
  const file = path.join(dir, COLLECTION_STATE_FILE);
  const text = await readStateText(dir);
  if (text === undefined) return undefined;
  let state: { parts?: unknown; selected?: unknown };
  try {
    state = JSON.parse(text) as typeof state;
  } catch {
    state = {};
  }
  const parts = state.parts;
  if (typeof parts !== 'object' || parts === null) {
    throw new InputError(
      'the collection state cannot be read, so whether the collection finished is unknown',
      { file },
      'Run mfa-ready collect --resume into this folder to finish it (or --replace to collect anew).',
    );
  }
  const saved = parts as Partial<Record<string, SavedPart>>;
  const selected = Array.isArray(state.selected) ? (state.selected as unknown[]) : [];
  const incompleteParts = COLLECT_PARTS.filter(
    (part) => PART_SPECS[part].dataset !== undefined && isUnfinished(saved[part], selected.includes(part)),
  );
  const fed = new Set(incompleteParts.map((p) => PART_SPECS[p].dataset));
  const incomplete = DATASETS.filter((d) => fed.has(d));
  return { incomplete };
}

/**
 * The text of the collector's state file in `dir`, or undefined when there is none. Shared by the
 * reader (is the collection finished?) and the collector (where does `--resume` continue?).
 */
export async function readStateText(dir: string): Promise<string | undefined> {
  try {
    return await readFile(path.join(dir, COLLECTION_STATE_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
