import type { Stats } from 'node:fs';
import {
  closeSync,
  constants,
  fstatSync,
  fsyncSync,
  lstatSync,
  openSync,
  readFileSync,
  writeSync,
} from 'node:fs';
import { InputError } from '../domain/errors.js';

/** One pass as the helpdesk hands it over: the only place its value is ever written. */
export interface TapRecord {
  userPrincipalName: string;
  userId: string;
  temporaryAccessPass: string;
  startDateTime: string;
  expiresAt: string;
  isUsableOnce: boolean;
  plan: string;
}

const HEADER = 'userPrincipalName,userId,temporaryAccessPass,startDateTime,expiresAt,isUsableOnce,plan\n';

/** Owner read and write, nothing for group or others. */
const OWNER_ONLY = 0o600;

/**
 * The file the TAP values go to, readable by its owner alone. A new file is created with mode 0600
 * in the same open(2) that creates it (O_CREAT | O_EXCL), so it is never readable by others, not even
 * for a moment; an existing one (a resumed run) must already be a regular file of ours with no group
 * or other access, and is appended to. A symbolic link is refused (O_NOFOLLOW): the values must not
 * be redirected somewhere else. Each value is flushed to disk before Graph's answer is journaled, so a
 * pass the journal says was created is always in the file.
 */
export class TapFile {
  private constructor(
    readonly path: string,
    private readonly fd: number,
    private readonly users: Set<string>,
  ) {}

  static open(path: string): TapFile {
    const noFollow = constants.O_NOFOLLOW ?? 0;
    let existing: Stats | undefined;
    try {
      existing = lstatSync(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw refused(path, (err as Error).message);
    }
    if (existing === undefined) {
      let fd: number;
      try {
        fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | noFollow, OWNER_ONLY);
      } catch (err) {
        throw refused(path, (err as Error).message);
      }
      writeSync(fd, HEADER);
      fsyncSync(fd);
      return new TapFile(path, fd, new Set());
    }
    if (!existing.isFile()) throw refused(path, 'it is not a regular file');
    if ((existing.mode & 0o077) !== 0)
      throw refused(path, `others may read it (mode ${(existing.mode & 0o777).toString(8)}); it must be 600`);
    if (typeof process.getuid === 'function' && existing.uid !== process.getuid())
      throw refused(path, 'it belongs to another user');
    const fd = openSync(path, constants.O_WRONLY | constants.O_APPEND | noFollow);
    // The same file as checked, not one swapped in since.
    const opened = fstatSync(fd);
    if (opened.ino !== existing.ino || (opened.mode & 0o077) !== 0) {
      closeSync(fd);
      throw refused(path, 'it changed while it was opened');
    }
    return new TapFile(path, fd, usersIn(readFileSync(path, 'utf8')));
  }

  /** Whether the file already holds a pass for the user (a resumed run). */
  has(userId: string): boolean {
    return this.users.has(userId.toLowerCase());
  }

  append(r: TapRecord): void {
    const line =
      [
        r.userPrincipalName,
        r.userId,
        r.temporaryAccessPass,
        r.startDateTime,
        r.expiresAt,
        String(r.isUsableOnce),
        r.plan,
      ]
        .map(csvField)
        .join(',') + '\n';
    writeSync(this.fd, line);
    fsyncSync(this.fd);
    this.users.add(r.userId.toLowerCase());
  }

  close(): void {
    closeSync(this.fd);
  }
}

function refused(path: string, why: string): InputError {
  return new InputError(
    `cannot use ${path} for the Temporary Access Passes: ${why}`,
    { file: path },
    'Name a new file with --tap-file (it is created readable by you alone), or chmod 600 the existing one.',
  );
}

function csvField(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** The user ids (second column) of the file's rows. UPNs and ids hold no comma or quote. */
function usersIn(text: string): Set<string> {
  const out = new Set<string>();
  for (const line of text.split('\n').slice(1)) {
    const id = line.split(',')[1];
    if (id !== undefined && id !== '') out.add(id.toLowerCase());
  }
  return out;
}
