import { readCollectionState } from '../collect/live/collection-state.js';
import type { DatasetName } from '../domain/datasets.js';
import { InputError } from '../domain/errors.js';
import { datasetLabels } from '../report/labels.js';

/**
 * The datasets a collection that did not finish left half-read (the collector's state file says so).
 * Such a folder is never taken for a whole one: unless `allowed`, exit 2 naming them, with `then`
 * (what to do once it is finished) as the hint's end. `audit` and `import` both ask here.
 */
export async function requireFinishedCollection(
  dir: string,
  allowed: boolean,
  then: string,
): Promise<DatasetName[]> {
  const state = await readCollectionState(dir);
  const incomplete = state?.incomplete ?? [];
  if (incomplete.length > 0 && !allowed) {
    throw new InputError(
      `the collection in this folder did not finish: not read in full: ${datasetLabels(incomplete)}`,
      { file: dir },
      `Finish it with: mfa-ready collect --resume --out ${dir} (same --tenant)${then}`,
    );
  }
  return incomplete;
}
