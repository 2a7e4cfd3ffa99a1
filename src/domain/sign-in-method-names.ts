import type { MethodKind } from './tenant.js';

/**
 * How the sign-in log names the method of an authentication step (`authenticationDetails[]
 * .authenticationMethod`, `authenticationMethodsUsed`, `authenticationAppDeviceDetails.clientApp`),
 * mapped to the method kinds of /authentication/methods. Names vary with the portal's wording over
 * the years; matching is case-insensitive and a name not listed is `unknown` (never MFA proof).
 *
 * `previouslySatisfied`: not a method but the log's "nothing was done in this step, an earlier one
 * counts" ("Previously satisfied", "Claim in access token"): whatever its result detail says, the
 * step performed nothing now.
 *
 * Sources: https://learn.microsoft.com/graph/api/resources/authenticationdetail?view=graph-rest-beta
 * (Password, SMS, Voice, Authenticator App, Software OATH token, Satisfied by token, Previously
 * satisfied), https://learn.microsoft.com/entra/identity/authentication/howto-mfa-reporting ("OATH
 * verification code is logged as the authentication method for both OATH hardware and software
 * tokens"), https://learn.microsoft.com/entra/identity/authentication/concept-authentication-methods
 * (portal names), and the wordings of published sign-in captures.
 */
export type SignInMethodKind = MethodKind | 'previouslySatisfied';

export const SIGN_IN_METHOD_NAMES: Readonly<Record<string, SignInMethodKind>> = {
  password: 'password',
  'password in the cloud': 'password',
  'passwordless phone sign-in': 'passwordlessMicrosoftAuthenticator',
  'microsoft authenticator (passwordless)': 'passwordlessMicrosoftAuthenticator',
  'mobile app notification': 'microsoftAuthenticator',
  'mobile app verification code': 'microsoftAuthenticator',
  'authenticator app': 'microsoftAuthenticator',
  'microsoft authenticator': 'microsoftAuthenticator',
  'microsoft authenticator app': 'microsoftAuthenticator',
  'app verification code': 'microsoftAuthenticator',
  'windows hello for business': 'windowsHelloForBusiness',
  'fido2 security key': 'fido2',
  fido2: 'fido2',
  fido: 'fido2',
  'passkey (device-bound)': 'fido2',
  'passkey (microsoft authenticator)': 'fido2',
  'temporary access pass': 'temporaryAccessPass',
  'text message': 'phone',
  sms: 'phone',
  'phone call': 'phone',
  'voice call': 'phone',
  voice: 'phone',
  // Hardware and software OATH tokens alike (the Authenticator's codes among them, says Learn).
  'oath verification code': 'softwareOath',
  'software oath token': 'softwareOath',
  'hardware oath token': 'hardwareOath',
  email: 'email',
  'email one-time passcode': 'email',
  // Certificate-based authentication is single- or multi-factor by the tenant's binding rules, which
  // the log does not say: no method kind vouches for it.
  'certificate-based authentication': 'unknown',
  'x.509 certificate': 'unknown',
  'previously satisfied': 'previouslySatisfied',
  'claim in access token': 'previouslySatisfied',
  'satisfied by token': 'previouslySatisfied',
};
