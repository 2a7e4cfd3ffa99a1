import type { AccessToken, TokenCredential } from '@azure/identity';
import { afterEach, describe, expect, it } from 'vitest';
import { RuntimeFailure } from '../../../src/domain/errors.js';
import {
  CredentialRejected,
  GraphRequestFailed,
  LicenceRequired,
  PermissionMissing,
  isLicenceError,
} from '../../../src/collect/graph/errors.js';
import { makeRedactor } from '../../../src/collect/graph/credentials.js';
import { requiredAccess } from '../../../src/collect/graph/permissions.js';
import type { Harness } from './graph-test-server.js';
import { harness, json } from './graph-test-server.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const denied = {
  error: {
    code: 'Authorization_RequestDenied',
    message: 'Insufficient privileges to complete the operation.',
  },
};

describe('401 / 403 / licence from Graph become typed errors with data', () => {
  it('401 → CredentialRejected, not retried', async () => {
    h = await harness((_q, res) =>
      json(res, 401, {
        error: { code: 'InvalidAuthenticationToken', message: 'Access token validation failure.' },
      }),
    );
    const err = await h.source.get('/users').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CredentialRejected);
    expect(err).toBeInstanceOf(RuntimeFailure);
    expect((err as CredentialRejected).message).toMatch(/rejected the credential \(401\)/);
    expect((err as CredentialRejected).data).toMatchObject({ endpoint: 'GET /v1.0/users', status: 401 });
    expect(h.server.seen).toHaveLength(1);
  });

  const table: [string, string[]][] = [
    ['/reports/authenticationMethods/userRegistrationDetails', ['AuditLog.Read.All']],
    ['/auditLogs/directoryAudits', ['AuditLog.Read.All', 'Directory.Read.All']],
    ['/beta/auditLogs/signIns', ['AuditLog.Read.All', 'Directory.Read.All']],
    ['/users/u1/authentication/methods', ['UserAuthenticationMethod.Read.All']],
    ['/identity/conditionalAccess/policies', ['Policy.Read.All']],
    ['/policies/authenticationMethodsPolicy', ['Policy.Read.All']],
    ['/policies/identitySecurityDefaultsEnforcementPolicy', ['Policy.Read.All']],
    ['/users?$select=id', ['User.Read.All']],
    ['/groups', ['Directory.Read.All']],
    ['/domains', ['Directory.Read.All']],
  ];
  for (const [path, permissions] of table) {
    it(`403 on ${path} → PermissionMissing naming ${permissions.join(' + ')}`, async () => {
      h = await harness((_q, res) => json(res, 403, denied));
      const err = await h.source.get(path).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PermissionMissing);
      const e = err as PermissionMissing;
      expect(e.permissions).toEqual(permissions);
      expect(e.message).toContain(permissions.join(' + '));
      expect(e.hint).toContain('admin consent');
      expect(e.data.status).toBe(403);
      expect(e.data.code).toBe('Authorization_RequestDenied');
      expect(h.server.seen).toHaveLength(1);
    });
  }

  it('the premium-licence error → LicenceRequired (P1/P2), whatever the status', async () => {
    h = await harness((_q, res) =>
      json(res, 403, {
        error: {
          code: 'Authentication_RequestFromNonPremiumTenantOrB2CTenant',
          message: "Neither tenant is B2C or tenant doesn't have premium license",
        },
      }),
    );
    const err = await h.source.get('/beta/auditLogs/signIns').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LicenceRequired);
    expect((err as LicenceRequired).message).toMatch(/P1 or P2/);
    expect((err as LicenceRequired).data).toMatchObject({
      endpoint: 'GET /beta/auditLogs/signIns',
      status: 403,
    });
    expect(isLicenceError(undefined, "Neither tenant is B2C or tenant doesn't have premium license")).toBe(
      true,
    );
    expect(isLicenceError('Authorization_RequestDenied', 'Insufficient privileges')).toBe(false);
  });

  it('404 → GraphRequestFailed with the status', async () => {
    h = await harness((_q, res) =>
      json(res, 404, { error: { code: 'Request_ResourceNotFound', message: 'gone' } }),
    );
    const err = await h.source.get('/users/nobody').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GraphRequestFailed);
    expect((err as GraphRequestFailed).data).toMatchObject({ endpoint: 'GET /v1.0/users/{id}', status: 404 });
  });
});

describe('credential failures', () => {
  it('a credential that throws → CredentialRejected (status 0), no request sent, secret redacted', async () => {
    const secret = 'Sup3r~Secret.Value_123';
    const failing: TokenCredential = {
      getToken: async (): Promise<AccessToken> => {
        throw new Error(`AADSTS7000215: Invalid client secret provided (${secret})`);
      },
    };
    h = await harness((_q, res) => json(res, 200, {}), {
      client: { credential: failing, redact: makeRedactor([secret]) },
    });
    const err = await h.source.get('/users').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CredentialRejected);
    expect((err as CredentialRejected).data.status).toBe(0);
    expect((err as CredentialRejected).message).toContain('AADSTS7000215');
    expect(JSON.stringify({ m: (err as Error).message, h: (err as CredentialRejected).hint })).not.toContain(
      secret,
    );
    expect(h.server.seen).toHaveLength(0);
  });

  it('Graph error text is redacted too', async () => {
    const secret = 'another-secret-value';
    h = await harness(
      (_q, res) => json(res, 400, { error: { code: 'BadRequest', message: `echo ${secret}` } }),
      {
        client: { redact: makeRedactor([secret]) },
      },
    );
    const err = (await h.source.get('/users').catch((e: unknown) => e)) as Error;
    expect(err.message).toContain('[redacted]');
    expect(err.message).not.toContain(secret);
  });
});

describe('permission table', () => {
  it('covers signInActivity and per-user MFA state', () => {
    expect(requiredAccess('/users?$select=id,signInActivity').permissions).toEqual([
      'AuditLog.Read.All',
      'User.Read.All',
    ]);
    expect(requiredAccess('/beta/users/u1/authentication/requirements').permissions).toEqual([
      'Policy.Read.All',
    ]);
    expect(
      requiredAccess('https://graph.microsoft.com/v1.0/auditLogs/signIns?$skiptoken=x').permissions,
    ).toEqual(['AuditLog.Read.All', 'Directory.Read.All']);
  });
});
