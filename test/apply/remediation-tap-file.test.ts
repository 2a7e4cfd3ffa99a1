/**
 * The TAP file: created with mode 0600 (never readable by others, even briefly), appended to on a
 * resumed run only when it is still ours and private; a symbolic link or an open file is refused.
 */
import { chmod, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TapFile, type TapRecord } from '../../src/apply/remediation-tap-file.js';
import { InputError } from '../../src/domain/errors.js';

let tmp: string;
beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'mfa-ready-tapfile-'));
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const record = (userId: string, pass: string): TapRecord => ({
  userPrincipalName: `${userId}@contoso.com`,
  userId,
  temporaryAccessPass: pass,
  startDateTime: '2025-06-10T12:00:00.000Z',
  expiresAt: '2025-06-10T13:00:00.000Z',
  isUsableOnce: true,
  plan: 'p',
});

describe('TapFile', () => {
  it('creates the file 0600 even under a permissive umask, and appends on a resumed run', async () => {
    const file = join(tmp, 'taps.csv');
    const old = process.umask(0);
    try {
      const f = TapFile.open(file);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      f.append(record('u1', 'pass-one'));
      f.close();
    } finally {
      process.umask(old);
    }
    const again = TapFile.open(file);
    expect(again.has('U1')).toBe(true);
    expect(again.has('u2')).toBe(false);
    again.append(record('u2', 'pass-two'));
    again.close();
    const text = await readFile(file, 'utf8');
    expect(text.trim().split('\n')).toEqual([
      'userPrincipalName,userId,temporaryAccessPass,startDateTime,expiresAt,isUsableOnce,plan',
      'u1@contoso.com,u1,pass-one,2025-06-10T12:00:00.000Z,2025-06-10T13:00:00.000Z,true,p',
      'u2@contoso.com,u2,pass-two,2025-06-10T12:00:00.000Z,2025-06-10T13:00:00.000Z,true,p',
    ]);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('refuses an existing file that others may read, naming it', async () => {
    const file = join(tmp, 'open.csv');
    await writeFile(file, 'x\n');
    await chmod(file, 0o640);
    expect(() => TapFile.open(file)).toThrow(InputError);
    expect(() => TapFile.open(file)).toThrow(/open\.csv.*mode 640/);
  });

  it('refuses a symbolic link, even to a private file', async () => {
    const target = join(tmp, 'private.csv');
    await writeFile(target, 'x\n', { mode: 0o600 });
    const link = join(tmp, 'link.csv');
    await symlink(target, link);
    expect(() => TapFile.open(link)).toThrow(InputError);
    expect(await readFile(target, 'utf8')).toBe('x\n');
  });

  it('refuses a folder that does not exist, as input', () => {
    expect(() => TapFile.open(join(tmp, 'missing', 'taps.csv'))).toThrow(InputError);
  });
});
