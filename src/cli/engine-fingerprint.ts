import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The folders whose code decides a stored assessment: the rules (assess), their types and tables
 * (domain), and how a run is read back into the snapshot they read (load, store).
 */
const ENGINE_FOLDERS = ['assess', 'domain', 'load', 'store'];

let memo: string | undefined;

/**
 * A hash of the code that assesses a stored run, as installed (the compiled files, or the sources
 * under a TypeScript runner). A history keeps it with each run's assessment: a run assessed by other
 * code (an upgrade, a local change) is assessed again in full rather than trusted
 * (src/cli/stored-assessment.ts). The version number alone would not see a change between releases.
 */
export function engineFingerprint(): string {
  if (memo !== undefined) return memo;
  const hash = createHash('sha256');
  const root = new URL('../', import.meta.url);
  for (const folder of ENGINE_FOLDERS) {
    const dir = fileURLToPath(new URL(`${folder}/`, root));
    const files = readdirSync(dir)
      .filter((f) => /\.(js|ts)$/.test(f) && !f.endsWith('.d.ts'))
      .sort();
    for (const f of files) {
      hash.update(`${folder}/${f}\0`);
      hash.update(readFileSync(`${dir}${f}`));
    }
  }
  memo = hash.digest('hex').slice(0, 32);
  return memo;
}
