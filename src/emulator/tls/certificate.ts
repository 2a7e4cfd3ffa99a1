/**
 * Builds X.509 v3 certificates (RFC 5280) with node:crypto keys and the DER helpers: enough for a
 * throwaway CA, a TLS server leaf for 127.0.0.1/localhost, and self-signed client certificates for
 * the certificate credential. Verified in tests through node:crypto's own X509Certificate parser.
 */
import { createHash, randomBytes, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import {
  bitString,
  boolean,
  explicit,
  implicitPrimitive,
  nullValue,
  objectIdentifier,
  octetString,
  sequence,
  set,
  smallInteger,
  time,
  unsignedInteger,
  utf8String,
} from './der.js';

const OID = {
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  sha256WithRsa: '1.2.840.113549.1.1.11',
} as const;

/** keyUsage bits (RFC 5280 §4.2.1.3), numbered from the most significant bit of the first byte. */
const KEY_USAGE = { digitalSignature: 0, keyEncipherment: 2, keyCertSign: 5, cRLSign: 6 } as const;
type KeyUsage = keyof typeof KEY_USAGE;

export interface DistinguishedName {
  commonName: string;
  organization?: string;
}

export interface CertificateSpec {
  subject: DistinguishedName;
  /** The subject's public key. */
  publicKey: KeyObject;
  /** Issuer name and signing key; omit for a self-signed certificate (signed with `selfSigningKey`). */
  issuer?: { name: DistinguishedName; privateKey: KeyObject; publicKey: KeyObject };
  /** Private key matching `publicKey`, for a self-signed certificate. */
  selfSigningKey?: KeyObject;
  notBefore: Date;
  notAfter: Date;
  isCa?: boolean;
  dnsNames?: readonly string[];
  ipAddresses?: readonly string[];
  extendedKeyUsage?: readonly ('serverAuth' | 'clientAuth')[];
}

function name(dn: DistinguishedName): Buffer {
  const rdns = [];
  if (dn.organization !== undefined) {
    rdns.push(set(sequence(objectIdentifier(OID.organization), utf8String(dn.organization))));
  }
  rdns.push(set(sequence(objectIdentifier(OID.commonName), utf8String(dn.commonName))));
  return sequence(...rdns);
}

function algorithmFor(key: KeyObject): { der: Buffer; hash: 'sha256' } {
  switch (key.asymmetricKeyType) {
    case 'ec':
      return { der: sequence(objectIdentifier(OID.ecdsaWithSha256)), hash: 'sha256' };
    case 'rsa':
      return { der: sequence(objectIdentifier(OID.sha256WithRsa), nullValue()), hash: 'sha256' };
    default:
      throw new TypeError(`unsupported signing key type: ${String(key.asymmetricKeyType)}`);
  }
}

/**
 * Key identifier: SHA-1 over the whole SubjectPublicKeyInfo. RFC 5280 §4.2.1.2 only says "e.g." for
 * its methods (RFC 7093 adds others); verifiers just need a CA's SKI to equal its children's AKI.
 */
export function keyIdentifier(publicKey: KeyObject): Buffer {
  return createHash('sha1')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest();
}

function extension(oid: string, critical: boolean, value: Buffer): Buffer {
  return sequence(objectIdentifier(oid), ...(critical ? [boolean(true)] : []), octetString(value));
}

function keyUsage(usages: readonly KeyUsage[]): Buffer {
  const bits = usages.map((u) => KEY_USAGE[u]);
  const highest = Math.max(...bits);
  const bytes = Buffer.alloc(highest < 8 ? 1 : 2);
  for (const bit of bits) bytes[bit >> 3] = (bytes[bit >> 3] ?? 0) | (0x80 >> (bit & 7));
  // DER: the first content byte says how many trailing bits of the last byte are unused.
  const unused = (7 - (highest & 7)) & 7;
  return Buffer.concat([Buffer.from([0x03, bytes.length + 1, unused]), bytes]);
}

function ipBytes(ip: string): Buffer {
  if (isIP(ip) === 4) return Buffer.from(ip.split('.').map(Number));
  throw new TypeError(`only IPv4 subjectAltName addresses are supported, got ${ip}`);
}

/** Builds and signs one certificate; returns it as PEM. */
export function createCertificate(spec: CertificateSpec): string {
  const signer = spec.issuer?.privateKey ?? spec.selfSigningKey;
  if (signer === undefined) throw new TypeError('a certificate needs an issuer key or a self-signing key');
  const algorithm = algorithmFor(signer);
  const issuerName = spec.issuer?.name ?? spec.subject;
  const issuerPublicKey = spec.issuer?.publicKey ?? spec.publicKey;
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f; // positive, at most 20 octets (RFC 5280 §4.1.2.2)

  const extensions: Buffer[] = [
    extension(OID.basicConstraints, true, sequence(...(spec.isCa === true ? [boolean(true)] : []))),
    extension(
      OID.keyUsage,
      true,
      keyUsage(
        spec.isCa === true
          ? ['keyCertSign', 'cRLSign']
          : // keyEncipherment only makes sense for RSA (RSA key transport); EC keys only sign.
            spec.publicKey.asymmetricKeyType === 'rsa'
            ? ['digitalSignature', 'keyEncipherment']
            : ['digitalSignature'],
      ),
    ),
    extension(OID.subjectKeyIdentifier, false, octetString(keyIdentifier(spec.publicKey))),
    extension(
      OID.authorityKeyIdentifier,
      false,
      sequence(implicitPrimitive(0, keyIdentifier(issuerPublicKey))),
    ),
  ];
  if (spec.extendedKeyUsage !== undefined && spec.extendedKeyUsage.length > 0) {
    extensions.push(
      extension(
        OID.extKeyUsage,
        false,
        sequence(...spec.extendedKeyUsage.map((u) => objectIdentifier(OID[u]))),
      ),
    );
  }
  const altNames = [
    ...(spec.dnsNames ?? []).map((d) => implicitPrimitive(2, Buffer.from(d, 'ascii'))),
    ...(spec.ipAddresses ?? []).map((ip) => implicitPrimitive(7, ipBytes(ip))),
  ];
  if (altNames.length > 0) extensions.push(extension(OID.subjectAltName, false, sequence(...altNames)));

  const tbs = sequence(
    explicit(0, smallInteger(2)), // v3
    unsignedInteger(serial),
    algorithm.der,
    name(issuerName),
    sequence(time(spec.notBefore), time(spec.notAfter)),
    name(spec.subject),
    spec.publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, sequence(...extensions)),
  );
  // node:crypto signs ECDSA in DER form by default, which is what X.509 carries.
  const signature = sign(algorithm.hash, tbs, signer);
  return toPem('CERTIFICATE', sequence(tbs, algorithm.der, bitString(signature)));
}

export function toPem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
