import type { MethodKind } from '../domain/tenant.js';
import { memoByText } from './memo.js';

/** What one `methodsRegistered` string of the registration report stands for. */
export interface ReportMethod {
  kind: MethodKind;
  /** For phone strings: the slot, so the methods policy can tell voice-only office phones apart. */
  phoneType?: string;
  /** Known not to be an MFA method although its kind is `unknown` (security questions, app passwords). */
  notMfa?: true;
}

/**
 * `methodsRegistered` has no enum (msgraph-metadata #654). Values gathered from the doc examples, the
 * `userSignInUsageByAuthMethodActivity` list and community scripts (https://learn.microsoft.com/graph/api/resources/userregistrationdetails); keys are lower
 * case because the casing is not promised. Anything else stays `unknown`, never dropped.
 */
const REPORT_METHODS: Record<string, ReportMethod> = {
  mobilephone: { kind: 'phone', phoneType: 'mobile' },
  sms: { kind: 'phone', phoneType: 'mobile' },
  mobilesms: { kind: 'phone', phoneType: 'mobile' },
  mobilecall: { kind: 'phone', phoneType: 'mobile' },
  alternatemobilephone: { kind: 'phone', phoneType: 'alternateMobile' },
  alternatemobilecall: { kind: 'phone', phoneType: 'alternateMobile' },
  officephone: { kind: 'phone', phoneType: 'office' },
  microsoftauthenticatorpush: { kind: 'microsoftAuthenticator' },
  appnotification: { kind: 'microsoftAuthenticator' },
  appcode: { kind: 'microsoftAuthenticator' },
  microsoftauthenticatorpasswordless: { kind: 'passwordlessMicrosoftAuthenticator' },
  softwareonetimepasscode: { kind: 'softwareOath' },
  onetimepasscode: { kind: 'softwareOath' },
  hardwareonetimepasscode: { kind: 'hardwareOath' },
  fido: { kind: 'fido2' },
  fido2: { kind: 'fido2' },
  fido2securitykey: { kind: 'fido2' },
  passkeydevicebound: { kind: 'fido2' },
  passkeydeviceboundauthenticator: { kind: 'fido2' },
  passkeydeviceboundwindowshello: { kind: 'fido2' },
  passkeysynced: { kind: 'fido2' },
  windowshelloforbusiness: { kind: 'windowsHelloForBusiness' },
  macossecureenclavekey: { kind: 'platformCredential' },
  externalauthmethod: { kind: 'external' },
  email: { kind: 'email' },
  temporaryaccesspass: { kind: 'temporaryAccessPass' },
  qrcode: { kind: 'qrCodePin' },
  securityquestion: { kind: 'unknown', notMfa: true },
  apppassword: { kind: 'unknown', notMfa: true },
};

/** A report spells a handful of names over every row: each is lower-cased once. */
const lowerCaseName = memoByText((name) => name.toLowerCase());

export function reportMethod(name: string): ReportMethod {
  return REPORT_METHODS[lowerCaseName(name)] ?? { kind: 'unknown' };
}

/**
 * The report lists an Authenticator with notification and code as `microsoftAuthenticatorPush` plus
 * `softwareOneTimePasscode` (doc example "Alex Wilber"): when both are present the code is the
 * Authenticator's, not a separate token, so it must not count as a second, independent method.
 */
export function isAuthenticatorCodeOf(name: string, all: readonly string[]): boolean {
  if (lowerCaseName(name) !== 'softwareonetimepasscode') return false;
  return all.some((n) => reportMethod(n).kind === 'microsoftAuthenticator');
}
