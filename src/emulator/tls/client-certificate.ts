/**
 * Self-signed client certificates for the app-only certificate credential, for tests and the demo.
 * RSA because MSAL signs client assertions with RS256/PS256 only (msal-node ClientAssertion).
 */
import { createHash, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { createCertificate } from './certificate.js';

export interface ClientCertificate {
  /** The certificate alone (PEM): what an admin uploads to the app registration. */
  certificatePem: string;
  /** PKCS#8 private key (PEM). */
  privateKeyPem: string;
  /** Certificate followed by key: the file `ClientCertificateCredential` reads. */
  combinedPem: string;
  /** SHA-256 thumbprint of the DER certificate, upper-case hex (what MSAL puts in `x5t#S256`). */
  thumbprintSha256: string;
}

const DAY = 86_400_000;

export function createClientCertificate(
  commonName = 'mfa-ready test app',
  now: Date = new Date(),
): ClientCertificate {
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const certificatePem = createCertificate({
    subject: { commonName },
    publicKey: keys.publicKey,
    selfSigningKey: keys.privateKey,
    notBefore: new Date(now.getTime() - DAY),
    notAfter: new Date(now.getTime() + 365 * DAY),
    extendedKeyUsage: ['clientAuth'],
  });
  const privateKeyPem = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return {
    certificatePem,
    privateKeyPem,
    combinedPem: certificatePem + privateKeyPem,
    thumbprintSha256: thumbprintOf(certificatePem, 'sha256'),
  };
}

/** Upper-case hex digest of a PEM certificate's DER bytes. */
export function thumbprintOf(certificatePem: string, hash: 'sha1' | 'sha256'): string {
  const der = new X509Certificate(certificatePem).raw;
  return createHash(hash).update(der).digest('hex').toUpperCase();
}
