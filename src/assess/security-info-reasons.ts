import type { ReasonMethod } from '../domain/audit-facts.js';
import { memoByText } from './memo.js';

export type { ReasonMethod } from '../domain/audit-facts.js';

/**
 * "Authentication Methods" events name the method only in their English reason text ("User registered
 * Authenticator App with Notification and Code", "User deleted Alternate phone", graph-facts §3.4).
 * Order matters: "Authenticator App" before "App password", "Alternate phone" before "phone".
 */
const REASON_PATTERNS: readonly [RegExp, ReasonMethod][] = [
  [/passwordless/i, { kind: 'passwordlessMicrosoftAuthenticator' }],
  [/authenticator/i, { kind: 'microsoftAuthenticator' }],
  [/app password/i, { kind: 'unknown', notMfa: true }],
  [/security question/i, { kind: 'unknown', notMfa: true }],
  [/temporary access pass/i, { kind: 'temporaryAccessPass' }],
  [/alternate (mobile )?phone/i, { kind: 'phone', phoneType: 'alternateMobile' }],
  [/office phone/i, { kind: 'phone', phoneType: 'office' }],
  [/phone/i, { kind: 'phone', phoneType: 'mobile' }],
  [/e-?mail/i, { kind: 'email' }],
  [/fido|security key|passkey/i, { kind: 'fido2' }],
  [/windows hello/i, { kind: 'windowsHelloForBusiness' }],
  [/hardware/i, { kind: 'hardwareOath' }],
  [/oath|software token|verification code/i, { kind: 'softwareOath' }],
];

/** The method named by a reason text; undefined when the text names none we know. */
export function reasonMethod(text: string | undefined): ReasonMethod | undefined {
  if (text === undefined || text === '') return undefined;
  return methodInText(text);
}

/** The service writes a handful of reason texts over and over: each is read against the patterns once. */
const methodInText = memoByText((text): ReasonMethod | undefined => {
  for (const [pattern, method] of REASON_PATTERNS) if (pattern.test(text)) return method;
  return undefined;
});
