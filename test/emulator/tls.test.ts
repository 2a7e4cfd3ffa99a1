/** The throwaway CA and certificates are real X.509 that Node's TLS and crypto accept. */
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createClientCertificate, thumbprintOf } from '../../src/emulator/tls/client-certificate.js';
import { createThrowawayPki } from '../../src/emulator/tls/throwaway-ca.js';
import { Caller, start } from './support.js';

describe('throwaway PKI', () => {
  it('issues a CA and a server certificate for 127.0.0.1 and localhost, signed by it', () => {
    const now = new Date('2026-11-20T09:00:00Z');
    const pki = createThrowawayPki(now);
    const ca = new X509Certificate(pki.caPem);
    const leaf = new X509Certificate(pki.serverCertPem);
    expect(ca.ca).toBe(true);
    expect(leaf.ca).toBe(false);
    expect(ca.verify(ca.publicKey)).toBe(true);
    expect(leaf.checkIssued(ca)).toBe(true);
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(leaf.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(leaf.checkHost('localhost')).toBe('localhost');
    expect(leaf.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(Date.parse(leaf.validFrom)).toBeLessThan(now.getTime());
    expect(Date.parse(leaf.validTo)).toBeGreaterThan(now.getTime() + 7 * 86_400_000);
    // A new CA every time: nothing to leak or reuse.
    expect(createThrowawayPki(now).caPem).not.toBe(pki.caPem);
  });

  it('makes self-signed RSA client certificates whose thumbprint matches what MSAL computes', () => {
    const c = createClientCertificate('test app');
    const cert = new X509Certificate(c.certificatePem);
    expect(cert.publicKey.asymmetricKeyType).toBe('rsa');
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(c.combinedPem).toContain('-----BEGIN PRIVATE KEY-----');
    expect(c.thumbprintSha256).toBe(thumbprintOf(c.certificatePem, 'sha256'));
    expect(c.thumbprintSha256).toMatch(/^[0-9A-F]{64}$/);
  });

  it('serves HTTPS that a client trusting only caPem accepts, on 127.0.0.1', async () => {
    const em = await start();
    const caller = new Caller(em);
    try {
      expect(em.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(em.loginUrl).toBe(em.url);
      const r = await caller.get(`/${em.tenantId}/v2.0/.well-known/openid-configuration`, { token: null });
      expect(r.status).toBe(200);
    } finally {
      caller.close();
      await em.close();
    }
  });

  it('a child process trusts it through NODE_EXTRA_CA_CERTS (how the CLI runs the collector)', async () => {
    const em = await start();
    const dir = mkdtempSync(join(tmpdir(), 'emulator-ca-'));
    try {
      const caFile = join(dir, 'ca.pem');
      writeFileSync(caFile, em.caPem);
      const url = `${em.url}/${em.tenantId}/v2.0/.well-known/openid-configuration`;
      const script = `fetch(${JSON.stringify(url)}).then((r) => console.log(r.status), (e) => console.log(e.cause?.code ?? e.message))`;
      const run = (env: NodeJS.ProcessEnv) =>
        promisify(execFile)(process.execPath, ['-e', script], { env, timeout: 20_000 });
      const { NODE_EXTRA_CA_CERTS: _inherited, ...env } = process.env;
      expect((await run({ ...env, NODE_EXTRA_CA_CERTS: caFile })).stdout.trim()).toBe('200');
      expect((await run(env)).stdout.trim()).not.toBe('200'); // untrusted without it
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await em.close();
    }
  });
});
