import {
  AzureCliCredential,
  ClientCertificateCredential,
  ClientSecretCredential,
  DeviceCodeCredential,
  ManagedIdentityCredential,
} from '@azure/identity';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/domain/errors.js';
import { resolveCloud } from '../../../src/collect/graph/clouds.js';
import { chooseCredential, makeRedactor, planCredential } from '../../../src/collect/graph/credentials.js';

/** Construct only: none of these tests asks for a token, so nothing touches the network. */
const SECRET = 'Zq8~xY.secret_VALUE-42';
const TENANT = '11111111-2222-3333-4444-555555555555';
const APP = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const global = resolveCloud();
const emulator = resolveCloud({ graphUrl: 'https://127.0.0.1:8443', loginUrl: 'https://127.0.0.1:8443' });

describe('credential choice (pure plan + construction, no token fetch)', () => {
  it('client secret from --client-secret', () => {
    const c = chooseCredential({ tenant: TENANT, clientId: APP, clientSecret: SECRET }, {}, global);
    expect(c.credential.unwrap()).toBeInstanceOf(ClientSecretCredential);
    expect(c.plan).toMatchObject({
      kind: 'client-secret',
      mode: 'app-only',
      tenantId: TENANT,
      clientId: APP,
      secretSource: '--client-secret',
      authorityHost: 'https://login.microsoftonline.com',
      disableInstanceDiscovery: false,
      reason: '--client-secret was given',
    });
  });

  it('client secret from AZURE_* variables when no flag is given', () => {
    const env = { AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: APP, AZURE_CLIENT_SECRET: SECRET };
    const plan = planCredential({}, env, global);
    expect(plan).toMatchObject({
      kind: 'client-secret',
      secretSource: 'AZURE_CLIENT_SECRET',
      reason: 'AZURE_CLIENT_SECRET is set',
    });
    expect(chooseCredential({}, env, global).credential.unwrap()).toBeInstanceOf(ClientSecretCredential);
  });

  it('certificate from --certificate or AZURE_CLIENT_CERTIFICATE_PATH', () => {
    const byFlag = chooseCredential(
      { tenant: TENANT, clientId: APP, certificate: '/tmp/app.pem' },
      {},
      global,
    );
    expect(byFlag.credential.unwrap()).toBeInstanceOf(ClientCertificateCredential);
    expect(byFlag.plan).toMatchObject({
      kind: 'client-certificate',
      certificatePath: '/tmp/app.pem',
      reason: '--certificate was given',
    });
    const env = {
      AZURE_TENANT_ID: TENANT,
      AZURE_CLIENT_ID: APP,
      AZURE_CLIENT_CERTIFICATE_PATH: '/etc/app.pem',
    };
    expect(planCredential({}, env, global)).toMatchObject({
      kind: 'client-certificate',
      certificatePath: '/etc/app.pem',
    });
  });

  it('device code (delegated), with the tenant when given', () => {
    const lines: string[] = [];
    const c = chooseCredential({ tenant: TENANT, deviceCode: true }, {}, global, {
      onDeviceCode: (m) => lines.push(m),
    });
    expect(c.credential.unwrap()).toBeInstanceOf(DeviceCodeCredential);
    expect(c.plan).toMatchObject({
      kind: 'device-code',
      mode: 'delegated',
      tenantId: TENANT,
      reason: '--device-code was given',
    });
    expect(c.plan.notes.join(' ')).toMatch(/default public client/);
    expect(lines).toEqual([]);
  });

  it('Azure CLI (delegated), with a note that the CLI has its own cloud setting', () => {
    const c = chooseCredential({ tenant: TENANT, azureCli: true }, {}, resolveCloud({ cloud: 'usgov' }));
    expect(c.credential.unwrap()).toBeInstanceOf(AzureCliCredential);
    expect(c.plan).toMatchObject({ kind: 'azure-cli', mode: 'delegated', tenantId: TENANT });
    expect(c.plan.notes.join(' ')).toMatch(/az cloud set.*usgov/);
  });

  it('managed identity from --managed-identity, IDENTITY_ENDPOINT or MSI_ENDPOINT', () => {
    const flag = chooseCredential({ managedIdentity: true, clientId: APP }, {}, global);
    expect(flag.credential.unwrap()).toBeInstanceOf(ManagedIdentityCredential);
    expect(flag.plan).toMatchObject({ kind: 'managed-identity', clientId: APP });
    expect(flag.description).toMatch(/user-assigned/);
    expect(
      planCredential({}, { IDENTITY_ENDPOINT: 'http://localhost:42356/msi/token' }, global),
    ).toMatchObject({
      kind: 'managed-identity',
      reason: 'IDENTITY_ENDPOINT is set (this host offers a managed identity)',
    });
    expect(planCredential({}, { MSI_ENDPOINT: 'http://localhost:50342/oauth2/token' }, global).kind).toBe(
      'managed-identity',
    );
    expect(planCredential({}, { MSI_ENDPOINT: 'x' }, global).description).toMatch(/system-assigned/);
  });

  it('flags beat the environment; secret beats certificate in the environment', () => {
    const env = {
      AZURE_TENANT_ID: TENANT,
      AZURE_CLIENT_ID: APP,
      AZURE_CLIENT_SECRET: SECRET,
      AZURE_CLIENT_CERTIFICATE_PATH: '/c.pem',
    };
    expect(planCredential({ azureCli: true }, env, global).kind).toBe('azure-cli');
    expect(planCredential({}, env, global)).toMatchObject({
      kind: 'client-secret',
      reason: expect.stringMatching(/wins over/),
    });
    // Flags' tenant/client id beat the variables.
    expect(planCredential({ tenant: 'contoso.onmicrosoft.com' }, env, global).tenantId).toBe(
      'contoso.onmicrosoft.com',
    );
  });

  it('a custom --login-url sets authorityHost and disables instance discovery; national clouds only set the host', () => {
    const custom = planCredential({ tenant: TENANT, clientId: APP, clientSecret: SECRET }, {}, emulator);
    expect(custom).toMatchObject({ authorityHost: 'https://127.0.0.1:8443', disableInstanceDiscovery: true });
    expect(custom.description).toMatch(/instance discovery off/);
    const china = planCredential(
      { tenant: TENANT, clientId: APP, clientSecret: SECRET },
      {},
      resolveCloud({ cloud: 'china' }),
    );
    expect(china).toMatchObject({
      authorityHost: 'https://login.chinacloudapi.cn',
      disableInstanceDiscovery: false,
    });
    const device = planCredential({ deviceCode: true }, {}, emulator);
    expect(device).toMatchObject({ authorityHost: 'https://127.0.0.1:8443', disableInstanceDiscovery: true });
  });

  it('usage errors: no credential at all, two at once, missing tenant or client id, a bad tenant', () => {
    expect(() => planCredential({}, {}, global)).toThrow(UsageError);
    expect(() => planCredential({ deviceCode: true, azureCli: true }, {}, global)).toThrow(
      /--device-code, --azure-cli/,
    );
    expect(() => planCredential({ clientSecret: SECRET, clientId: APP }, {}, global)).toThrow(
      /needs a tenant/,
    );
    expect(() => planCredential({ clientSecret: SECRET, tenant: TENANT }, {}, global)).toThrow(/client id/);
    expect(() => planCredential({ tenant: 'not/a tenant', azureCli: true }, {}, global)).toThrow(/tenant id/);
  });
});

describe('secrets never appear in descriptions, plans or errors', () => {
  const attempts: [string, () => unknown][] = [
    [
      'plan + description',
      () => chooseCredential({ tenant: TENANT, clientId: APP, clientSecret: SECRET }, {}, emulator),
    ],
    [
      'plan from env',
      () =>
        planCredential(
          {},
          { AZURE_TENANT_ID: TENANT, AZURE_CLIENT_ID: APP, AZURE_CLIENT_SECRET: SECRET },
          global,
        ),
    ],
    ['missing tenant', () => planCredential({ clientSecret: SECRET, clientId: APP }, {}, global)],
    [
      'missing client id',
      () => planCredential({}, { AZURE_CLIENT_SECRET: SECRET, AZURE_TENANT_ID: TENANT }, global),
    ],
    ['two credentials', () => planCredential({ clientSecret: SECRET, certificate: '/c.pem' }, {}, global)],
    [
      'secret pasted as tenant',
      () => planCredential({ tenant: SECRET, clientSecret: SECRET, clientId: APP }, {}, global),
    ],
    [
      'certificate password',
      () =>
        chooseCredential(
          { tenant: TENANT, clientId: APP, certificate: '/c.pem' },
          { AZURE_CLIENT_CERTIFICATE_PASSWORD: SECRET },
          global,
        ),
    ],
  ];
  for (const [name, run] of attempts) {
    it(name, () => {
      let text: string;
      try {
        const out = run() as { plan?: unknown; description?: string } | undefined;
        // What a careless log line would print: JSON and util.inspect of the whole choice.
        text = JSON.stringify(out) + inspect(out, { depth: 10 }) + String(out?.description ?? '');
      } catch (err) {
        const e = err as Error & { hint?: string };
        text = `${e.message} ${e.hint ?? ''} ${e.stack ?? ''}`;
      }
      expect(text).not.toContain(SECRET);
    });
  }

  it('errors thrown by the wrapped credential are redacted', async () => {
    const c = chooseCredential({ tenant: TENANT, clientId: APP, clientSecret: SECRET }, {}, global);
    const { GuardedCredential } = await import('../../../src/collect/graph/credentials.js');
    const leaky = new GuardedCredential(
      {
        getToken: async () => {
          throw new Error(`bad secret ${SECRET}`);
        },
      },
      c.redact,
    );
    const err = (await leaky.getToken('scope').catch((e: unknown) => e)) as Error;
    expect(err.message).toBe('bad secret [redacted]');
    expect(err.stack).not.toContain(SECRET);
  });

  it('redact() removes every known secret, longest first', () => {
    const redact = makeRedactor(['abc', 'abcdef']);
    expect(redact('x abcdef y abc z')).toBe('x [redacted] y [redacted] z');
    const c = chooseCredential({ tenant: TENANT, clientId: APP, clientSecret: SECRET }, {}, global);
    expect(c.redact(`invalid secret ${SECRET}`)).toBe('invalid secret [redacted]');
  });
});
