/**
 * The emulator's TLS identity, made fresh at every start: a CA that exists only in memory and a
 * server certificate it issues for 127.0.0.1 and localhost. Why HTTPS at all: MSAL refuses plain-http
 * authorities and the Graph client library only attaches tokens to https URLs. Clients
 * trust the CA through NODE_EXTRA_CA_CERTS (child processes) or by passing `caPem` in-process.
 */
import { generateKeyPairSync } from 'node:crypto';
import { createCertificate } from './certificate.js';

export interface ThrowawayPki {
  /** The CA certificate (PEM) clients must trust. */
  caPem: string;
  /** Server certificate (PEM) for 127.0.0.1 and localhost, issued by the CA. */
  serverCertPem: string;
  /** The server certificate's private key (PKCS#8 PEM). Never leaves the process. */
  serverKeyPem: string;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** P-256 keys: generated in about a millisecond, and accepted by every TLS client here. */
export function createThrowawayPki(now: Date = new Date()): ThrowawayPki {
  const ca = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const server = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const caName = { commonName: 'mfa-ready Graph emulator throwaway CA', organization: 'mfa-ready' };
  // Back-dated an hour so that small clock differences between processes never make it "not yet valid".
  const notBefore = new Date(now.getTime() - HOUR);
  const caPem = createCertificate({
    subject: caName,
    publicKey: ca.publicKey,
    selfSigningKey: ca.privateKey,
    notBefore,
    notAfter: new Date(now.getTime() + 30 * DAY),
    isCa: true,
  });
  const serverCertPem = createCertificate({
    subject: { commonName: 'localhost', organization: 'mfa-ready' },
    publicKey: server.publicKey,
    issuer: { name: caName, privateKey: ca.privateKey, publicKey: ca.publicKey },
    notBefore,
    notAfter: new Date(now.getTime() + 30 * DAY),
    dnsNames: ['localhost'],
    ipAddresses: ['127.0.0.1'],
    extendedKeyUsage: ['serverAuth'],
  });
  const serverKeyPem = server.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return { caPem, serverCertPem, serverKeyPem };
}
