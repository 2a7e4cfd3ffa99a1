import type { MethodKind } from '../domain/tenant.js';
import { POLICY_CONFIGURATION_IDS } from '../domain/well-known.js';

/**
 * Which method kinds can satisfy an MFA requirement. Password, email (SSPR only), Temporary Access Pass
 * (a bootstrap credential, not a registered factor) and QR code + PIN (a primary, single-factor method
 * for frontline workers) cannot; `unknown` kinds are neither counted nor dismissed.
 */
const MFA_KINDS: ReadonlySet<MethodKind> = new Set<MethodKind>([
  'phone',
  'microsoftAuthenticator',
  'passwordlessMicrosoftAuthenticator',
  'fido2',
  'windowsHelloForBusiness',
  'softwareOath',
  'hardwareOath',
  'platformCredential',
  'external',
]);

const NOT_MFA_KINDS: ReadonlySet<MethodKind> = new Set<MethodKind>([
  'password',
  'email',
  'temporaryAccessPass',
  'qrCodePin',
]);

export function isMfaKind(kind: MethodKind): boolean {
  return MFA_KINDS.has(kind);
}

export function isNotMfaKind(kind: MethodKind): boolean {
  return NOT_MFA_KINDS.has(kind);
}

export function isAuthenticatorKind(kind: MethodKind): boolean {
  return kind === 'microsoftAuthenticator' || kind === 'passwordlessMicrosoftAuthenticator';
}

/**
 * The authentication methods policy configurations that can allow a method; the method is allowed when
 * any of them allows it (a mobile phone can do SMS or voice, an office phone only voice). `null` means
 * the policy does not govern the kind (Windows Hello and platform credentials are governed by device
 * policy; an external method's configuration id is a GUID the methods list does not carry).
 */
export function policyConfigurationIds(kind: MethodKind, phoneType: string | undefined): string[] | null {
  switch (kind) {
    case 'phone':
      return phoneType?.toLowerCase() === 'office'
        ? [POLICY_CONFIGURATION_IDS.voice]
        : [POLICY_CONFIGURATION_IDS.sms, POLICY_CONFIGURATION_IDS.voice];
    case 'microsoftAuthenticator':
    case 'passwordlessMicrosoftAuthenticator':
      return [POLICY_CONFIGURATION_IDS.microsoftAuthenticator];
    case 'fido2':
      return [POLICY_CONFIGURATION_IDS.fido2];
    case 'softwareOath':
      return [POLICY_CONFIGURATION_IDS.softwareOath];
    case 'hardwareOath':
      return [POLICY_CONFIGURATION_IDS.hardwareOath];
    case 'email':
      return [POLICY_CONFIGURATION_IDS.email];
    case 'temporaryAccessPass':
      return [POLICY_CONFIGURATION_IDS.temporaryAccessPass];
    default:
      return null;
  }
}
