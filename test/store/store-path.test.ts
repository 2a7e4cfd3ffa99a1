import { describe, it, expect } from 'vitest';
import { resolveStorePath } from '../../src/store/store-path.js';

describe('resolveStorePath: where the history database lives', () => {
  it('Linux: $XDG_DATA_HOME/mfa-ready/mfa-ready.db when XDG_DATA_HOME is set', () => {
    expect(
      resolveStorePath({ platform: 'linux', env: { XDG_DATA_HOME: '/data/ann' }, homedir: '/home/ann' }),
    ).toBe('/data/ann/mfa-ready/mfa-ready.db');
  });

  it('Linux: ~/.local/share when XDG_DATA_HOME is unset, empty or relative (the spec says ignore it)', () => {
    for (const env of [{}, { XDG_DATA_HOME: '' }, { XDG_DATA_HOME: 'relative/dir' }])
      expect(resolveStorePath({ platform: 'linux', env, homedir: '/home/ann' })).toBe(
        '/home/ann/.local/share/mfa-ready/mfa-ready.db',
      );
  });

  it('Windows: %LOCALAPPDATA%\\mfa-ready\\mfa-ready.db, else the profile AppData\\Local', () => {
    expect(
      resolveStorePath({
        platform: 'win32',
        env: { LOCALAPPDATA: 'C:\\Users\\ann\\AppData\\Local' },
        homedir: 'C:\\Users\\ann',
      }),
    ).toBe('C:\\Users\\ann\\AppData\\Local\\mfa-ready\\mfa-ready.db');
    expect(resolveStorePath({ platform: 'win32', env: {}, homedir: 'D:\\home\\ann' })).toBe(
      'D:\\home\\ann\\AppData\\Local\\mfa-ready\\mfa-ready.db',
    );
  });

  it('macOS: ~/Library/Application Support/mfa-ready/mfa-ready.db, whatever XDG_DATA_HOME says', () => {
    expect(
      resolveStorePath({ platform: 'darwin', env: { XDG_DATA_HOME: '/x' }, homedir: '/Users/ann' }),
    ).toBe('/Users/ann/Library/Application Support/mfa-ready/mfa-ready.db');
  });

  it('--db wins over MFA_READY_DB, which wins over the data directory', () => {
    const env = { MFA_READY_DB: '/srv/history.db', XDG_DATA_HOME: '/data' };
    expect(resolveStorePath({ platform: 'linux', env, homedir: '/h', flag: 'mine.db' })).toBe('mine.db');
    expect(resolveStorePath({ platform: 'linux', env, homedir: '/h' })).toBe('/srv/history.db');
    expect(resolveStorePath({ platform: 'win32', env, homedir: 'C:\\h' })).toBe('/srv/history.db');
    expect(resolveStorePath({ platform: 'linux', env: { MFA_READY_DB: ' ' }, homedir: '/h' })).toBe(
      '/h/.local/share/mfa-ready/mfa-ready.db',
    );
  });
});
