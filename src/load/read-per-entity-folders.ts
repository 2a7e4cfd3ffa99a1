import { InputError } from '../domain/errors.js';
import type { UserMethods } from '../domain/tenant.js';
import { listJsonFiles } from './export-folder-listing.js';
import { readList } from './read-dataset.js';
import { normaliseGroupMember, normaliseMethod } from './schemas.js';

/** Files read at once: a 100k-user tenant has 100k small methods files, and one at a time is slow. */
const FILES_IN_PARALLEL = 16;
/** Files between turns of the event loop. */
const YIELD_EVERY = 256;

/**
 * Reads `authenticationMethods/<user id or UPN>.json`: one GET /users/{id}/authentication/methods
 * response per user, or its PowerShell equivalent. The map is keyed by the file name without its
 * extension, lower-cased: UPNs and object ids are both case-insensitive in Entra, and the rules look
 * users up by lower-case id or UPN.
 *
 * @param folder the folder's path, and its name as found (for the export-relative `source`).
 */
export async function readMethodsFolder(
  folder: { path: string; name: string },
  onFile: (files: number) => void,
  onMethods?: (methods: UserMethods) => void,
): Promise<Map<string, UserMethods>> {
  const files = await listJsonFiles(folder.path);
  assertUniqueKeys(files);
  let done = 0;
  const lists = await mapInPool(files, async (f) => {
    const { items } = await readList(f.path, normaliseMethod);
    onFile(++done);
    const methods: UserMethods = { key: f.key, source: `${folder.name}/${f.name}`, methods: items };
    onMethods?.(methods);
    return methods;
  });
  return new Map(lists.map((m) => [m.key.toLowerCase(), m]));
}

/**
 * Reads `groupMembers/<group id>.json` (GET /groups/{id}/transitiveMembers) into member ids per group
 * id (lower-cased). Every member is kept, not only users: transitive membership already flattens
 * nested groups, and a device or contact id never matches a user, so keeping them costs nothing.
 */
export async function readGroupMembersFolder(
  folder: { path: string; name: string },
  onFile: (files: number) => void,
): Promise<Map<string, string[]>> {
  const files = await listJsonFiles(folder.path);
  assertUniqueKeys(files);
  let done = 0;
  const lists = await mapInPool(files, async (f) => {
    const { items } = await readList(f.path, normaliseGroupMember);
    onFile(++done);
    return [f.key.toLowerCase(), items.map((m) => m.id)] as const;
  });
  return new Map(lists);
}

/** `x.json` and `X.ndjson` would both claim user x: refuse rather than pick one silently. */
function assertUniqueKeys(files: { name: string; key: string; path: string }[]): void {
  const seen = new Map<string, string>();
  for (const f of files) {
    const key = f.key.toLowerCase();
    const other = seen.get(key);
    if (other !== undefined) {
      throw new InputError(
        `two files for the same key "${f.key}": ${other} and ${f.name}`,
        { file: f.path },
        'Keep one file per user or group (names are compared without case).',
      );
    }
    seen.set(key, f.name);
  }
}

/** Maps `items` with at most FILES_IN_PARALLEL calls running, keeping the input order. */
async function mapInPool<T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  let sinceYield = 0;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i] as T);
      } catch (err) {
        failed = true; // stop the other workers from starting more files
        throw err;
      }
      // Small files are read synchronously: let other work (a worker thread's messages) in now and then.
      if (++sinceYield >= YIELD_EVERY) {
        sinceYield = 0;
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(FILES_IN_PARALLEL, items.length) }, worker));
  return results;
}
