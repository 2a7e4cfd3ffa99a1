import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/domain/errors.js';
import { resolveCloud, unavailableReason } from '../../../src/collect/graph/clouds.js';

describe('national cloud URL selection (https://learn.microsoft.com/graph/deployments)', () => {
  it.each([
    ['global', 'https://graph.microsoft.com', 'https://login.microsoftonline.com'],
    ['usgov', 'https://graph.microsoft.us', 'https://login.microsoftonline.us'],
    ['usgovdod', 'https://dod-graph.microsoft.us', 'https://login.microsoftonline.us'],
    ['china', 'https://microsoftgraph.chinacloudapi.cn', 'https://login.chinacloudapi.cn'],
  ])('%s → %s, %s', (cloud, graphUrl, loginUrl) => {
    expect(resolveCloud({ cloud })).toMatchObject({
      cloud,
      graphUrl,
      loginUrl,
      customGraphUrl: false,
      customLoginUrl: false,
    });
  });

  it('defaults to global', () => {
    expect(resolveCloud().graphUrl).toBe('https://graph.microsoft.com');
  });

  it('China lacks directory audits and per-user methods, each with a reason; other clouds lack nothing', () => {
    const china = resolveCloud({ cloud: 'china' });
    expect(Object.keys(china.unavailable).sort()).toEqual(['audits', 'methods']);
    expect(unavailableReason(china, 'audits')).toMatch(/directoryAudits.*China/);
    expect(unavailableReason(china, 'methods')).toMatch(/authentication\/methods.*China/);
    expect(unavailableReason(china, 'registration')).toBeUndefined();
    for (const cloud of ['global', 'usgov', 'usgovdod'])
      expect(resolveCloud({ cloud }).unavailable).toEqual({});
  });

  it('--graph-url / --login-url override the cloud and are marked custom (trailing slashes dropped)', () => {
    const c = resolveCloud({
      graphUrl: 'https://127.0.0.1:8443/',
      loginUrl: 'https://127.0.0.1:8443/login/',
    });
    expect(c).toMatchObject({
      cloud: 'global',
      graphUrl: 'https://127.0.0.1:8443',
      loginUrl: 'https://127.0.0.1:8443/login',
      customGraphUrl: true,
      customLoginUrl: true,
    });
    // Overriding with the cloud's own URL is not "custom".
    expect(
      resolveCloud({ cloud: 'usgov', loginUrl: 'https://login.microsoftonline.us/' }).customLoginUrl,
    ).toBe(false);
  });

  it('refuses an unknown cloud, plain http, a versioned Graph URL, and URLs with credentials', () => {
    expect(() => resolveCloud({ cloud: 'germany' })).toThrow(UsageError);
    expect(() => resolveCloud({ loginUrl: 'http://127.0.0.1:8080' })).toThrow(/MSAL.*plain-http/);
    expect(() => resolveCloud({ graphUrl: 'http://127.0.0.1:8080' })).toThrow(UsageError);
    expect(() => resolveCloud({ graphUrl: 'https://graph.microsoft.com/v1.0' })).toThrow(/without a version/);
    expect(() => resolveCloud({ graphUrl: 'not a url' })).toThrow(UsageError);
    const err = (() => {
      try {
        resolveCloud({ graphUrl: 'https://user:p4ssw0rd@example.test' });
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(UsageError);
    expect(err?.message).not.toContain('p4ssw0rd');
  });
});
