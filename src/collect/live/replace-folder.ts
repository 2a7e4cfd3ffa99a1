/**
 * A new collection into a folder that already holds one. Without a choice it is refused: appending to
 * it would mix two collections, and starting over in place would destroy the old one before the new
 * one exists (a run stopped halfway leaves a few methods files and shifted verdicts). `--resume`
 * continues it; `--replace` collects into a hidden sibling folder and swaps it in only once the run
 * has finished, so a stopped replacement leaves the old collection exactly as it was.
 *
 * The sibling is in the same parent folder, so the swap is two renames on one file system. Node has
 * no atomic exchange of two folders: between the renames the folder is briefly absent, and a run
 * stopped exactly there is repaired by the next one (recoverInterruptedSwap).
 */
import { readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../../domain/errors.js';
import { STATE_FILE } from './checkpoint.js';
import { COLLECT_PARTS, filesOf } from './collect-parts.js';
import type { CollectResult } from '../../domain/collect-result.js';

/** A hidden sibling of `outDir` (same parent, so a rename is atomic): `.<name>.<suffix>`. */
function siblingFolder(outDir: string, suffix: string): string {
  const resolved = path.resolve(outDir);
  return path.join(path.dirname(resolved), `.${path.basename(resolved)}.${suffix}`);
}

/** The hidden sibling a replacement is collected into: `.<name>.replacing`. */
export function replacementFolder(outDir: string): string {
  return siblingFolder(outDir, 'replacing');
}

/** Where the old collection waits during the swap: `.<name>.replaced`. */
function retiredFolder(outDir: string): string {
  return siblingFolder(outDir, 'replaced');
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}

/**
 * Whether `dir` holds (part of) a collection: the collector's state file, or any file or folder a
 * part writes. Other files (a README, notes) do not count.
 */
export async function holdsCollection(dir: string): Promise<boolean> {
  let names: Set<string>;
  try {
    names = new Set(await readdir(dir));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
  if (names.has(STATE_FILE)) return true;
  return COLLECT_PARTS.some((part) => filesOf(part).some((name) => names.has(name)));
}

export function folderHoldsCollection(outDir: string): UsageError {
  return new UsageError(
    `${outDir} already holds a collection`,
    'Choose: --resume continues that collection where it stopped (what is already complete is kept); ' +
      '--replace collects anew beside it and swaps the new collection in only when it has finished ' +
      '(the old one is then removed, and kept intact if the run stops). Or give another folder.',
  );
}

/**
 * A swap stopped between its two renames: the old collection is retired and the new one not yet in
 * place. Put the new one in (it had finished: the swap starts only then), or, if it is not there,
 * the old one back. Once both are in place again, only the retired copy is left to remove.
 */
export async function recoverInterruptedSwap(outDir: string): Promise<void> {
  const retired = retiredFolder(outDir);
  if (!(await exists(retired))) return;
  if (!(await exists(outDir))) {
    // The replacement folder is complete only once the swap began; its presence here means it was.
    const fresh = replacementFolder(outDir);
    await rename((await exists(path.join(fresh, STATE_FILE))) ? fresh : retired, outDir);
  }
  await rm(retired, { recursive: true, force: true });
}

/**
 * Runs `collect` into the replacement folder (a leftover of a stopped replacement is removed first)
 * and swaps the result in when it finishes with something usable; the old folder is removed after
 * the swap. A run that throws leaves the old folder untouched (and the replacement folder for the
 * next `--replace` to remove). A run that finishes with nothing usable (every part refused) keeps
 * the old collection too: replacing it by nothing would only lose evidence.
 */
export async function replaceCollection(
  outDir: string,
  collect: (tempDir: string) => Promise<CollectResult>,
): Promise<CollectResult> {
  const resolved = path.resolve(outDir);
  // The swap renames the folder itself: not the one this process (and the admin's shell) stands in.
  if (resolved === process.cwd() || resolved === path.dirname(resolved)) {
    throw new UsageError(
      `--replace cannot swap ${outDir}: it is the current folder`,
      'Give the export folder by a path from its parent folder (e.g. --out ../export), or run from elsewhere.',
    );
  }
  const temp = replacementFolder(outDir);
  await rm(temp, { recursive: true, force: true });
  const result = await collect(temp);
  const usable = result.parts.some((p) => p.part !== 'tenant' && p.status.state === 'complete');
  if (!usable) {
    await rm(temp, { recursive: true, force: true });
    return { ...result, outDir, replaced: false };
  }
  const retired = retiredFolder(outDir);
  await rm(retired, { recursive: true, force: true });
  await rename(outDir, retired);
  await rename(temp, outDir);
  await rm(retired, { recursive: true, force: true });
  return { ...result, outDir, replaced: true };
}
