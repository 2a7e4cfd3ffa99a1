import { DATASETS } from '../domain/datasets.js';
import type { Coverage, DatasetName, SkippedRecords } from '../domain/datasets.js';
import type { InputLocation } from '../domain/errors.js';
import { plural } from './format.js';
import { safeText } from './sanitize.js';

/** The datasets with records left out by `--skip-bad-records`, in dataset order. */
export function skippedDatasets(coverage: Coverage): { dataset: DatasetName; skipped: SkippedRecords }[] {
  const out: { dataset: DatasetName; skipped: SkippedRecords }[] = [];
  for (const dataset of DATASETS) {
    const skipped = coverage[dataset].skipped;
    if (skipped !== undefined && skipped.count > 0) out.push({ dataset, skipped });
  }
  return out;
}

/** The file's name without its folder (paths use either separator: an export may come from Windows). */
function fileName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}

/** `line 12, field id` (or the entity when the line is unknown). */
function place(at: InputLocation): string {
  const parts: string[] = [];
  if (at.line !== undefined) parts.push(`line ${at.line}`);
  else if (at.entity !== undefined) parts.push(`entity ${at.entity}`);
  if (at.field !== undefined) parts.push(`field ${at.field}`);
  return parts.join(', ');
}

/** `skipped 3 bad records in directoryAudits.json (first: line 12, field id)`. */
export function skippedRecordsText(skipped: SkippedRecords): string {
  const first = skipped.first[0];
  const where = first === undefined ? '' : place(first);
  return safeText(
    `skipped ${plural(skipped.count, 'bad record')} in ${fileName(skipped.file)}` +
      (where === '' ? '' : ` (first: ${where})`),
  );
}
