/**
 * The identity side: real @azure/identity credentials (MSAL inside) get tokens from the emulator
 * with `authorityHost: loginUrl`, `disableInstanceDiscovery: true` and the throwaway CA trusted;
 * certificate assertions are verified; Graph refuses requests without a valid bearer token.
 */
import { ClientCertificateCredential, ClientSecretCredential } from '@azure/identity';
import { createSign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveCloud } from '../../src/collect/graph/clouds.js';
import { ManualClock } from '../../src/collect/graph/clock.js';
import { chooseCredential } from '../../src/collect/graph/credentials.js';
import { createGraphSource } from '../../src/collect/graph/graph-client.js';
import { CredentialRejected } from '../../src/collect/graph/errors.js';
import { createClientCertificate } from '../../src/emulator/index.js';
import type { ClientCertificate, RunningEmulator } from '../../src/emulator/index.js';
import { Caller, graphError, start } from './support.js';

const APP = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';

let em: RunningEmulator;
let caller: Caller;
let cert: ClientCertificate;
let registered: ClientCertificate;

beforeAll(async () => {
  cert = createClientCertificate('unregistered app cert');
  registered = createClientCertificate('registered app cert');
  em = await start({ clientCertificates: [registered.certificatePem] });
  caller = new Caller(em);
});

afterAll(async () => {
  caller.close();
  await em.close();
});

const msal = () => ({
  authorityHost: em.loginUrl,
  disableInstanceDiscovery: true,
  tlsOptions: { ca: em.caPem },
});

function claims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}

describe('token endpoint with real @azure/identity credentials', () => {
  it('ClientSecretCredential gets a token (any client id and secret)', async () => {
    const credential = new ClientSecretCredential(em.tenantId, APP, 'whatever-secret', msal());
    const token = await credential.getToken(`${em.url}/.default`);
    expect(token?.token).toBeTruthy();
    const c = claims(token?.token ?? '');
    expect(c).toMatchObject({ tid: em.tenantId, appid: APP, appidacr: '1', idtyp: 'app' });
    expect(c['roles']).toEqual([
      'User.Read.All',
      'AuditLog.Read.All',
      'Directory.Read.All',
      'Domain.Read.All',
      'Policy.Read.All',
      'UserAuthenticationMethod.Read.All',
    ]);
    expect(token?.expiresOnTimestamp).toBeGreaterThan(Date.now() + 50 * 60_000);
    // The token works on Graph.
    const r = await caller.get('/v1.0/organization', { token: token?.token ?? '' });
    expect(r.status).toBe(200);
  });

  it('accepts the tenant by one of its domain names too', async () => {
    const credential = new ClientSecretCredential('contosodemo.onmicrosoft.com', APP, 's', msal());
    expect((await credential.getToken(`${em.url}/.default`))?.token).toBeTruthy();
  });

  it('ClientCertificateCredential with the certificate sent in x5c (any valid certificate)', async () => {
    const credential = new ClientCertificateCredential(
      em.tenantId,
      APP,
      { certificate: cert.combinedPem },
      { ...msal(), sendCertificateChain: true },
    );
    const token = await credential.getToken(`${em.url}/.default`);
    expect(claims(token?.token ?? '')).toMatchObject({ appid: APP, appidacr: '2' });
  });

  it('ClientCertificateCredential without x5c works for a registered certificate only', async () => {
    const ok = new ClientCertificateCredential(
      em.tenantId,
      APP,
      { certificate: registered.combinedPem },
      msal(),
    );
    expect((await ok.getToken(`${em.url}/.default`))?.token).toBeTruthy();
    const unknown = new ClientCertificateCredential(
      em.tenantId,
      APP,
      { certificate: cert.combinedPem },
      msal(),
    );
    await expect(unknown.getToken(`${em.url}/.default`)).rejects.toThrow(/AADSTS700027.*not registered/s);
    // Registering it later (as an admin uploading it) makes it work.
    em.registerCertificate(cert.certificatePem);
    const later = new ClientCertificateCredential(
      em.tenantId,
      APP,
      { certificate: cert.combinedPem },
      msal(),
    );
    expect((await later.getToken(`${em.url}/.default`))?.token).toBeTruthy();
  });

  it('refuses an assertion whose signature does not match the certificate', async () => {
    // The certificate of one key pair with the private key of another: MSAL signs, the check fails.
    const mismatched = cert.certificatePem + registered.privateKeyPem;
    const credential = new ClientCertificateCredential(
      em.tenantId,
      APP,
      { certificate: mismatched },
      { ...msal(), sendCertificateChain: true },
    );
    await expect(credential.getToken(`${em.url}/.default`)).rejects.toThrow(
      /AADSTS700027.*signature validation/s,
    );
    expect(em.stats().tokenRequestsRejected).toBeGreaterThan(0);
  });

  it('refuses a hand-made assertion with a forged signature, and other malformed token requests', async () => {
    const x5c = cert.certificatePem.replace(/-----[A-Z ]+-----|\n/g, '');
    const header = Buffer.from(JSON.stringify({ alg: 'RS256', x5c: [x5c] })).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const endpoint = `${em.url}/${em.tenantId}/oauth2/v2.0/token`;
    const payload = Buffer.from(
      JSON.stringify({ aud: endpoint, iss: APP, sub: APP, exp: now + 600, nbf: now }),
    ).toString('base64url');
    const signer = createSign('sha256');
    signer.update(`${header}.${payload}`);
    // Signed with another certificate's key.
    const forged = signer.sign(registered.privateKeyPem).toString('base64url');
    const post = (form: Record<string, string>, tenant = em.tenantId) =>
      caller.raw(`/${tenant}/oauth2/v2.0/token`, {
        method: 'POST',
        token: null,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
      });
    const base = { grant_type: 'client_credentials', client_id: APP, scope: `${em.url}/.default` };
    const bad = await post({
      ...base,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: `${header}.${payload}.${forged}`,
    });
    expect(bad.status).toBe(401);
    expect(bad.json).toMatchObject({ error: 'invalid_client', error_codes: [700027] });

    expect((await post(base)).json).toMatchObject({ error: 'invalid_client', error_codes: [7000218] });
    expect(
      (await post({ ...base, client_secret: 's', scope: `${em.url}/User.Read.All` })).json,
    ).toMatchObject({
      error: 'invalid_scope',
    });
    expect((await post({ ...base, client_secret: 's', grant_type: 'password' })).json).toMatchObject({
      error: 'unsupported_grant_type',
    });
    const tenant = await post({ ...base, client_secret: 's' }, '11111111-2222-3333-4444-555555555555');
    expect(tenant.status).toBe(400);
    expect(tenant.json).toMatchObject({ error_codes: [90002] });
  });

  it('serves the openid configuration MSAL fetches first, with an issuer on the authority origin', async () => {
    const r = await caller.get(`/${em.tenantId}/v2.0/.well-known/openid-configuration`, { token: null });
    expect(r.json).toMatchObject({
      issuer: `${em.url}/${em.tenantId}/v2.0`,
      token_endpoint: `${em.url}/${em.tenantId}/oauth2/v2.0/token`,
      jwks_uri: `${em.url}/${em.tenantId}/discovery/v2.0/keys`,
    });
    const keys = await caller.get(`/${em.tenantId}/discovery/v2.0/keys`, { token: null });
    expect((keys.json as { keys: unknown[] }).keys).toHaveLength(1);
  });
});

describe('Graph refuses requests without a valid token (401)', () => {
  it('no Authorization header, a malformed token, a token from another emulator', async () => {
    const none = await caller.get('/v1.0/users', { token: null });
    expect(none.status).toBe(401);
    expect(graphError(none)).toEqual({
      code: 'InvalidAuthenticationToken',
      message: 'Access token is empty.',
    });
    expect(none.headers['www-authenticate']).toMatch(/^Bearer /);

    expect((await caller.get('/v1.0/users', { token: 'not-a-jwt' })).status).toBe(401);

    const other = await start();
    try {
      const otherCaller = new Caller(other);
      const foreign = await otherCaller.signIn();
      otherCaller.close();
      const r = await caller.get('/v1.0/users', { token: foreign });
      expect(r.status).toBe(401);
      expect(graphError(r).code).toBe('InvalidAuthenticationToken');
    } finally {
      await other.close();
    }
    expect(em.stats().unauthorized).toBeGreaterThanOrEqual(3);
  });

  it('the collector surfaces a refused credential as CredentialRejected, end to end through createGraphSource', async () => {
    const cloud = resolveCloud({ graphUrl: em.url, loginUrl: em.loginUrl });
    const good = chooseCredential({ tenant: em.tenantId, clientId: APP, clientSecret: 's3cret' }, {}, cloud, {
      ca: em.caPem,
    });
    const source = createGraphSource({
      graphUrl: em.url,
      credential: good.credential,
      clock: new ManualClock(),
      ca: em.caPem,
    });
    try {
      const org = await source.get<{ value: { id: string }[] }>('/organization');
      expect(org.value[0]?.id).toBe(em.tenantId);
    } finally {
      source.close();
    }
    const wrongTenant = chooseCredential(
      { tenant: '11111111-2222-3333-4444-555555555555', clientId: APP, clientSecret: 's3cret' },
      {},
      cloud,
      { ca: em.caPem },
    );
    const refused = createGraphSource({
      graphUrl: em.url,
      credential: wrongTenant.credential,
      clock: new ManualClock(),
      ca: em.caPem,
    });
    try {
      await expect(refused.get('/organization')).rejects.toBeInstanceOf(CredentialRejected);
    } finally {
      refused.close();
    }
  });
});
