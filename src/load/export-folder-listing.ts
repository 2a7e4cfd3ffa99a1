import { readdir, stat } from 'node:fs/promises';
import type { Dirent } from 'node:fs';
import path from 'node:path';
import { InputError } from '../domain/errors.js';

/**
 * The files of an export folder, looked up by the names in DATASET_FILES. Names match exactly first,
 * then case-insensitively: an export copied from Windows (where `Users.json` and `users.json` are the
 * same file) must read the same on Linux.
 */
export class ExportFolderListing {
  private constructor(
    readonly dir: string,
    private readonly entries: Dirent[],
  ) {}

  /** Lists `dir`; a missing folder, or a file given instead of one, is an InputError. */
  static async open(dir: string): Promise<ExportFolderListing> {
    return new ExportFolderListing(dir, await listFolder(dir, 'export folder'));
  }

  /**
   * The path of the JSON file `name` (e.g. `signIns.json`), or of `signIns.ndjson` when only that
   * exists; undefined when there is neither.
   */
  async file(name: string): Promise<string | undefined> {
    const base = name.replace(/\.json$/i, '');
    for (const candidate of [name, `${base}.ndjson`]) {
      const entry = this.find(candidate);
      if (entry !== undefined && (await isKind(this.dir, entry, 'file')))
        return path.join(this.dir, entry.name);
    }
    return undefined;
  }

  /** The folder `name` (e.g. `authenticationMethods`) as `{ path, name }`, or undefined when absent. */
  async folder(name: string): Promise<{ path: string; name: string } | undefined> {
    const entry = this.find(name);
    if (entry === undefined || !(await isKind(this.dir, entry, 'directory'))) return undefined;
    return { path: path.join(this.dir, entry.name), name: entry.name };
  }

  private find(name: string): Dirent | undefined {
    const lower = name.toLowerCase();
    return (
      this.entries.find((e) => e.name === name) ?? this.entries.find((e) => e.name.toLowerCase() === lower)
    );
  }
}

/** The JSON files (`.json`, `.ndjson`) of a per-entity folder, sorted by name so the order is stable. */
export async function listJsonFiles(dir: string): Promise<{ name: string; key: string; path: string }[]> {
  const files: { name: string; key: string; path: string }[] = [];
  for (const entry of await listFolder(dir, 'folder')) {
    const ext = /\.(nd)?json$/i.exec(entry.name)?.[0];
    // Hidden files are editor and OS litter (.DS_Store, ._x.json from macOS copies).
    if (ext === undefined || entry.name.startsWith('.') || !(await isKind(dir, entry, 'file'))) continue;
    files.push({ name: entry.name, key: entry.name.slice(0, -ext.length), path: path.join(dir, entry.name) });
  }
  return files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

async function listFolder(dir: string, what: string): Promise<Dirent[]> {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new InputError(
        `${what} not found: ${dir}`,
        { file: dir },
        'Pass --from with the folder that holds users.json and the other exported Graph responses.',
      );
    }
    if (code === 'ENOTDIR') throw new InputError(`${what} expected, found a file: ${dir}`, { file: dir });
    if (code === 'EACCES' || code === 'EPERM') {
      throw new InputError(`${what} cannot be read (permission denied): ${dir}`, { file: dir });
    }
    throw err;
  }
}

/** Dirent types, following symbolic links (an export may link to files kept elsewhere). */
async function isKind(dir: string, entry: Dirent, kind: 'file' | 'directory'): Promise<boolean> {
  if (entry.isSymbolicLink()) {
    const s = await stat(path.join(dir, entry.name)).catch(() => undefined);
    return kind === 'file' ? s?.isFile() === true : s?.isDirectory() === true;
  }
  return kind === 'file' ? entry.isFile() : entry.isDirectory();
}
