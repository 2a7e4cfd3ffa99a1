import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/**
 * Temporary folders for one test file: `make()` creates one, `cleanup()` (in afterEach) removes them
 * all, so a failing test leaves nothing behind in the system temp folder.
 */
export function tempFolders(): { make: () => Promise<string>; cleanup: () => Promise<void> } {
  const made: string[] = [];
  return {
    async make() {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'mfa-ready-collect-'));
      made.push(dir);
      return dir;
    },
    async cleanup() {
      await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
    },
  };
}

/** Writes `content` to `dir/name` (creating sub-folders) and returns the path. */
export async function writeInto(dir: string, name: string, content: string | Uint8Array): Promise<string> {
  const file = path.join(dir, name);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, content);
  return file;
}

/** `text` as Windows PowerShell 5.1 `Out-File` writes it: UTF-16LE with a byte-order mark. */
export function utf16leWithBom(text: string): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
}

/** `text` as UTF-8 with a byte-order mark (`Set-Content -Encoding UTF8` in Windows PowerShell). */
export function utf8WithBom(text: string): Buffer {
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
}
