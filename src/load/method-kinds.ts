import type { MethodKind } from '../domain/tenant.js';
import { PASSWORD_METHOD_ID, PHONE_SLOT_IDS } from '../domain/well-known.js';

/** `@odata.type` of each authentication method (https://learn.microsoft.com/graph/api/resources/authenticationmethod), lower-cased, without `#microsoft.graph.`. */
const KIND_BY_TYPE: Record<string, MethodKind> = {
  passwordauthenticationmethod: 'password',
  phoneauthenticationmethod: 'phone',
  microsoftauthenticatorauthenticationmethod: 'microsoftAuthenticator',
  passwordlessmicrosoftauthenticatorauthenticationmethod: 'passwordlessMicrosoftAuthenticator',
  fido2authenticationmethod: 'fido2',
  windowshelloforbusinessauthenticationmethod: 'windowsHelloForBusiness',
  softwareoathauthenticationmethod: 'softwareOath',
  hardwareoathauthenticationmethod: 'hardwareOath',
  emailauthenticationmethod: 'email',
  temporaryaccesspassauthenticationmethod: 'temporaryAccessPass',
  platformcredentialauthenticationmethod: 'platformCredential',
  qrcodepinauthenticationmethod: 'qrCodePin',
  externalauthenticationmethod: 'external',
};

/**
 * The method kind for an `@odata.type`, compared case-insensitively with or without the
 * `#microsoft.graph.` prefix. A type Graph adds later is `unknown`, never an error: the rules treat
 * it as a method they cannot judge.
 */
export function methodKindOfType(odataType: string): MethodKind {
  let kind = kindCache.get(odataType);
  if (kind === undefined) {
    const name = odataType
      .replace(/^#/, '')
      .replace(/^microsoft\.graph\./i, '')
      .toLowerCase();
    kind = KIND_BY_TYPE[name] ?? 'unknown';
    // A tenant has a dozen spellings at most; the bound only guards against a file of made-up ones.
    if (kindCache.size < 1_000) kindCache.set(odataType, kind);
  }
  return kind;
}

const kindCache = new Map<string, MethodKind>();

const PHONE_IDS: readonly string[] = Object.values(PHONE_SLOT_IDS);

/**
 * The kind of a method whose `@odata.type` is missing, as in the per-type collections
 * (`/authentication/phoneMethods` lists phones without it): the fixed ids of the password method and
 * the phone slots, or a property only one kind has. Anything else stays `unknown`.
 */
export function methodKindOfShape(id: string, method: Record<string, unknown>): MethodKind {
  const lowerId = id.toLowerCase();
  if (lowerId === PASSWORD_METHOD_ID) return 'password';
  if (PHONE_IDS.includes(lowerId) || 'phoneType' in method || 'authenticationPhoneType' in method)
    return 'phone';
  if ('phoneAppVersion' in method || 'deviceTag' in method) return 'microsoftAuthenticator';
  if ('emailAddress' in method) return 'email';
  if ('temporaryAccessPass' in method || 'isUsableOnce' in method) return 'temporaryAccessPass';
  if ('aaGuid' in method) return 'fido2';
  return 'unknown';
}
