/**
 * A server certificate this machine does not trust (the emulator's throwaway CA without
 * NODE_EXTRA_CA_CERTS, a TLS-inspecting proxy) is reported as such, at sign-in and on Graph calls:
 * never as a rejected credential, never retried as a network error.
 */
import { rootCertificates } from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resolveCloud } from '../../../src/collect/graph/clouds.js';
import { chooseCredential } from '../../../src/collect/graph/credentials.js';
import { CertificateUntrusted, CredentialRejected } from '../../../src/collect/graph/errors.js';
import { tlsFailureOf } from '../../../src/collect/graph/tls-trust.js';
import { startEmulator } from '../../../src/emulator/index.js';
import type { RunningEmulator } from '../../../src/emulator/index.js';
import { ManualClock } from '../../../src/collect/graph/clock.js';
import { LiveGraphSource } from '../../../src/collect/graph/graph-client.js';
import type { Harness } from './graph-test-server.js';
import { fakeCredential, harness, json, startServer } from './graph-test-server.js';

let em: RunningEmulator;
beforeAll(async () => {
  em = await startEmulator({ users: 5, seed: 3 });
});
afterAll(async () => {
  await em.close();
});

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const SECRET = 'tls-test-secret-value';

describe('sign-in against a server whose CA is not trusted', () => {
  it('getToken fails with CertificateUntrusted naming the server and NODE_EXTRA_CA_CERTS, not a credential error', async () => {
    const cloud = resolveCloud({ graphUrl: em.url, loginUrl: em.loginUrl });
    const choice = chooseCredential(
      { tenant: em.tenantId, clientId: 'any', clientSecret: SECRET },
      {},
      cloud,
    );
    const err = await choice.credential.getToken(`${em.url}/.default`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CertificateUntrusted);
    expect(err).not.toBeInstanceOf(CredentialRejected);
    const untrusted = err as CertificateUntrusted;
    // The emulator's server certificate is signed by its own throwaway CA, which is not sent along.
    expect(untrusted.tlsCode).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    expect(untrusted.message).toMatch(
      new RegExp(`^the server's certificate is not trusted: ${em.url.replaceAll('.', '\\.')} \\(sign-in\\)`),
    );
    expect(untrusted.hint).toContain('NODE_EXTRA_CA_CERTS=<the CA file the emulator printed>');
    expect(`${untrusted.message} ${untrusted.hint}`).not.toContain(SECRET);
  });

  it('with the CA trusted, the same credential gets a token (the check is about trust, not the secret)', async () => {
    const cloud = resolveCloud({ graphUrl: em.url, loginUrl: em.loginUrl });
    const choice = chooseCredential(
      { tenant: em.tenantId, clientId: 'any', clientSecret: SECRET },
      {},
      cloud,
      {
        ca: em.caPem,
      },
    );
    const token = await choice.credential.getToken(`${em.url}/.default`);
    expect(token?.token).toBeTruthy();
  });
});

describe('Graph calls to a server whose certificate is not trusted', () => {
  it('the global fetch path: CertificateUntrusted at once, no retry, no wait', async () => {
    // No `ca`: the client uses Node's fetch and its bundled roots, which do not include the test certificate.
    const clock = new ManualClock();
    const server = await startServer((_q, res) => json(res, 200, { value: [] }));
    const source = new LiveGraphSource({ graphUrl: server.url, credential: fakeCredential(), clock });
    try {
      const err = await source.get('/users?$select=id').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CertificateUntrusted);
      expect((err as CertificateUntrusted).tlsCode).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
      expect((err as CertificateUntrusted).message).toBe(
        `the server's certificate is not trusted: ${server.url} (GET /v1.0/users): it is self-signed (DEPTH_ZERO_SELF_SIGNED_CERT)`,
      );
      expect(server.seen).toHaveLength(0);
      expect(source.stats().retries).toBe(0);
      expect(clock.elapsed()).toBe(0);
    } finally {
      source.close();
      await server.close();
    }
  });

  it('the CA transport path (a CA was given, but not the one that signed the server)', async () => {
    h = await harness((_q, res) => json(res, 200, { value: [] }), {
      client: { ca: rootCertificates[0] ?? '' },
    });
    const err = await h.source.get('/users?$select=id').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CertificateUntrusted);
    expect((err as CertificateUntrusted).tlsCode).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(h.source.stats().retries).toBe(0);
  });
});

describe('tlsFailureOf', () => {
  it("finds Node's code on the error, in its cause (fetch failed), or in an AggregateError", () => {
    const tls = Object.assign(new Error('self-signed certificate in certificate chain'), {
      code: 'SELF_SIGNED_CERT_IN_CHAIN',
    });
    expect(tlsFailureOf(tls)).toMatchObject({ code: 'SELF_SIGNED_CERT_IN_CHAIN', untrusted: true });
    expect(tlsFailureOf(new TypeError('fetch failed', { cause: tls }))?.code).toBe(
      'SELF_SIGNED_CERT_IN_CHAIN',
    );
    expect(tlsFailureOf(new AggregateError([new Error('x'), tls]))?.code).toBe('SELF_SIGNED_CERT_IN_CHAIN');
  });

  it('an expired certificate is not valid (not untrusted); other network errors are not certificate failures', () => {
    const expired = Object.assign(new Error('certificate has expired'), { code: 'CERT_HAS_EXPIRED' });
    expect(tlsFailureOf(new TypeError('fetch failed', { cause: expired }))).toEqual({
      code: 'CERT_HAS_EXPIRED',
      reason: 'it has expired',
      untrusted: false,
    });
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    expect(tlsFailureOf(new TypeError('fetch failed', { cause: reset }))).toBeUndefined();
    expect(tlsFailureOf('UNABLE_TO_VERIFY_LEAF_SIGNATURE')).toBeUndefined();
  });
});
