import path from 'node:path';

/** The file name of the history database inside its data directory. */
export const STORE_FILE_NAME = 'mfa-ready.db';
const APP_DIR = 'mfa-ready';

/** What the default location depends on; the CLI passes process.platform, process.env and os.homedir(). */
export interface StorePathInputs {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  homedir: string;
  /** `--db FILE`, when given: it wins over everything. */
  flag?: string | undefined;
}

const nonEmpty = (value: string | undefined): string | undefined =>
  value !== undefined && value.trim() !== '' ? value : undefined;

/**
 * Where the history database lives: `--db FILE`, else `MFA_READY_DB`, else the user's data directory —
 * `$XDG_DATA_HOME/mfa-ready/` (or `~/.local/share/mfa-ready/`) on Linux and other Unixes,
 * `%LOCALAPPDATA%\mfa-ready\` on Windows, `~/Library/Application Support/mfa-ready/` on macOS.
 * Pure: the caller hands in platform, environment and home directory.
 *
 * XDG Base Directory Specification (https://specifications.freedesktop.org/basedir-spec/latest/): a
 * relative `$XDG_DATA_HOME` is invalid and must be ignored. Windows keeps per-user, non-roaming
 * application data under LOCALAPPDATA (https://learn.microsoft.com/windows/win32/shell/knownfolderid,
 * FOLDERID_LocalAppData); a history database should not roam with the profile.
 */
export function resolveStorePath(inputs: StorePathInputs): string {
  const explicit = nonEmpty(inputs.flag) ?? nonEmpty(inputs.env['MFA_READY_DB']);
  if (explicit !== undefined) return explicit;
  if (inputs.platform === 'win32') {
    const local = nonEmpty(inputs.env['LOCALAPPDATA']) ?? path.win32.join(inputs.homedir, 'AppData', 'Local');
    return path.win32.join(local, APP_DIR, STORE_FILE_NAME);
  }
  if (inputs.platform === 'darwin')
    return path.posix.join(inputs.homedir, 'Library', 'Application Support', APP_DIR, STORE_FILE_NAME);
  const xdg = nonEmpty(inputs.env['XDG_DATA_HOME']);
  const dataHome =
    xdg !== undefined && path.posix.isAbsolute(xdg)
      ? xdg
      : path.posix.join(inputs.homedir, '.local', 'share');
  return path.posix.join(dataHome, APP_DIR, STORE_FILE_NAME);
}
