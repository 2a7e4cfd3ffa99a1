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

// The lists policyConfigurationIds gives, made once rather than for every method of every user.
const VOICE_ONLY: readonly string[] = [POLICY_CONFIGURATION_IDS.voice];
const SMS_OR_VOICE: readonly string[] = [POLICY_CONFIGURATION_IDS.sms, POLICY_CONFIGURATION_IDS.voice];
const AUTHENTICATOR: readonly string[] = [POLICY_CONFIGURATION_IDS.microsoftAuthenticator];
const FIDO2: readonly string[] = [POLICY_CONFIGURATION_IDS.fido2];
const SOFTWARE_OATH: readonly string[] = [POLICY_CONFIGURATION_IDS.softwareOath];
const HARDWARE_OATH: readonly string[] = [POLICY_CONFIGURATION_IDS.hardwareOath];
const EMAIL: readonly string[] = [POLICY_CONFIGURATION_IDS.email];
const TAP: readonly string[] = [POLICY_CONFIGURATION_IDS.temporaryAccessPass];

/**
 * The authentication methods policy configurations that can allow a method; the method is allowed when
 * any of them allows it (a mobile phone can do SMS or voice, an office phone only voice). `null` means
 * the policy does not govern the kind (Windows Hello and platform credentials are governed by device
 * policy; an external method's configuration id is a GUID the methods list does not carry).
 */
export function policyConfigurationIds(
  kind: MethodKind,
  phoneType: string | undefined,
): readonly string[] | null {
  switch (kind) {
    case 'phone':
      return phoneType?.toLowerCase() === 'office' ? VOICE_ONLY : SMS_OR_VOICE;
    case 'microsoftAuthenticator':
    case 'passwordlessMicrosoftAuthenticator':
      return AUTHENTICATOR;
    case 'fido2':
      return FIDO2;
    case 'softwareOath':
      return SOFTWARE_OATH;
    case 'hardwareOath':
      return HARDWARE_OATH;
    case 'email':
      return EMAIL;
    case 'temporaryAccessPass':
      return TAP;
    default:
      return null;
  }
}
