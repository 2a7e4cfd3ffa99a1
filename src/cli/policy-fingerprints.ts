import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { policyFingerprint } from '../domain/baseline.js';
import { DATASET_FILES } from '../domain/datasets.js';
import type { PolicyFingerprints } from '../store/index.js';

/**
 * The fingerprints of an export folder's methods policy and security defaults, as Graph returned them
 * (the store keeps the documents normalised): the next refresh compares them with what it reads.
 * A file that is missing or unreadable has none, and the refresh then reads the report in full.
 */
export async function policyFingerprints(dir: string): Promise<PolicyFingerprints> {
  const of = async (file: string) => {
    const text = await readFile(path.join(dir, file), 'utf8').catch(() => undefined);
    if (text === undefined) return undefined;
    try {
      return policyFingerprint(JSON.parse(text));
    } catch {
      return undefined;
    }
  };
  const methodsPolicy = await of(DATASET_FILES.methodsPolicy);
  const securityDefaults = await of(DATASET_FILES.securityDefaults);
  return {
    ...(methodsPolicy !== undefined ? { methodsPolicy } : {}),
    ...(securityDefaults !== undefined ? { securityDefaults } : {}),
  };
}
