/**
 * The collector's writes. NDJSON files grow page by page and are made durable (fsync) before the
 * checkpoint names their new length, so a kill between the two loses at most that page: on resume
 * the file is cut back to the checkpointed length. Whole files (policies,
 * per-user methods, tenant.json) are written to a hidden temporary name and renamed, so a reader or a
 * resumed run never sees half a file.
 */
import { createReadStream } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';

/** An NDJSON file opened for appending at a known, durable length. */
export class NdjsonAppender {
  private constructor(
    private readonly handle: FileHandle,
    private length: number,
  ) {}

  /**
   * Opens `file` and cuts it back to `committedBytes`: bytes past it were written after the last
   * checkpoint and belong to a page that will be fetched again. 0 on a fresh start.
   */
  static async open(file: string, committedBytes: number): Promise<NdjsonAppender> {
    await mkdir(path.dirname(file), { recursive: true });
    const handle = await open(file, committedBytes === 0 ? 'w' : 'r+').catch(async (err: unknown) => {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      return open(file, 'w');
    });
    const size = (await handle.stat()).size;
    if (size < committedBytes) {
      await handle.close();
      throw new Error(
        `${file} holds ${size} bytes but the checkpoint recorded ${committedBytes}: it was changed since`,
      );
    }
    if (size > committedBytes) await handle.truncate(committedBytes);
    return new NdjsonAppender(handle, committedBytes);
  }

  /** The durable length so far. */
  get bytes(): number {
    return this.length;
  }

  /** Appends `lines` (each ending in "\n") and waits until they are on disk. */
  async append(lines: string): Promise<void> {
    if (lines === '') return;
    const buffer = Buffer.from(lines, 'utf8');
    let written = 0;
    while (written < buffer.length) {
      const { bytesWritten } = await this.handle.write(
        buffer,
        written,
        buffer.length - written,
        this.length + written,
      );
      written += bytesWritten;
    }
    await this.handle.sync();
    this.length += buffer.length;
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

/**
 * The `id`s of the entities in the first `bytes` of an NDJSON file, streamed: the de-duplication set
 * when a dataset must restart from its first page because Graph refused the saved nextLink; with
 * `only`, just the ids of the rows it selects (those a planned second query may repeat).
 */
export async function readNdjsonIds(
  file: string,
  bytes: number,
  only?: (row: unknown) => boolean,
): Promise<Set<string>> {
  const ids = new Set<string>();
  if (bytes <= 0) return ids;
  const lines = createInterface({
    input: createReadStream(file, { start: 0, end: bytes - 1 }),
    crlfDelay: Infinity,
  });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    const row = JSON.parse(line) as { id?: unknown };
    if (only !== undefined && !only(row)) continue;
    if (typeof row.id === 'string') ids.add(row.id);
  }
  return ids;
}

/** Writes `text` to `file` through a hidden temporary file and a rename, durably. */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const dir = path.dirname(file);
  await mkdir(dir, { recursive: true });
  // Hidden and not ending in .json: the reader skips it if a kill leaves it behind.
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.tmp`);
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, file);
}

export async function fileExists(file: string): Promise<boolean> {
  return stat(file).then(
    (s) => s.isFile(),
    () => false,
  );
}

/** Names of the files in `dir` (none when it does not exist). */
export async function listFileNames(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries.filter((e) => e.isFile()).map((e) => e.name);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/** Removes temporary files a killed run left in `dir`. */
export async function removeTemporaryFiles(dir: string): Promise<void> {
  for (const name of await listFileNames(dir)) {
    if (name.startsWith('.') && name.endsWith('.tmp')) await rm(path.join(dir, name), { force: true });
  }
}

/** Removes `name` (file or folder) from `dir`; nothing when it is absent. */
export async function removeFromFolder(dir: string, name: string): Promise<void> {
  await rm(path.join(dir, name), { recursive: true, force: true });
}

/**
 * Whether an id can name a file inside the export folder. Entra object ids are GUIDs; anything with a
 * path separator or a leading dot is refused rather than written somewhere unexpected.
 */
export function isSafeFileKey(id: string): boolean {
  return /^[\w@.-]+$/.test(id) && !id.startsWith('.');
}

/** Size of `file` in bytes; -1 when it does not exist. */
export async function fileSize(file: string): Promise<number> {
  return stat(file).then(
    (s) => s.size,
    () => -1,
  );
}
