/**
 * Microsoft's well-known ids the rules depend on, each with its source. Some are community-sourced
 * (marked), so they live here, in one place, where a wrong one is one edit away from fixed.
 */

/** The password method's id, the same for every user. MGDC passwordauthenticationmethod.md @03aa0f9b. */
export const PASSWORD_METHOD_ID = '28c10230-6103-485e-b985-444c60001490';

/** The email method's id. Community code only; UNCONFIRMED by Microsoft docs (https://learn.microsoft.com/graph/api/resources/authenticationmethod). */
export const EMAIL_METHOD_ID = '3ddfcfc8-9383-446f-83cc-3ab9be4be18f';

/** One fixed id per phone slot. MGDC phoneauthenticationmethod.md @03ca8758. */
export const PHONE_SLOT_IDS = {
  mobile: '3179e48a-750b-4051-897c-87b9720928f7',
  alternateMobile: 'b6332ec1-7057-4abe-9331-3d72feddfe41',
  office: 'e37fc753-ff3b-4958-9484-eaa9425c82bc',
} as const;

/** Microsoft Authenticator App appId. Community first-party app lists; UNCONFIRMED by a Microsoft page (https://github.com/merill/microsoft-info (community list of first-party app ids)). */
export const AUTHENTICATOR_APP_ID = '4813382a-8fa7-425e-ab75-3b753aab3abb';

/** My Signins (the security-info registration app). Community first-party app lists. */
export const MY_SIGNINS_APP_ID = '19db86c3-b2b9-44cc-b339-36da233a3be2';

/** Azure Multi-Factor Auth Client, used by the AD FS adapter. WSD configure-ad-fs-and-azure-mfa.md @003240b2. */
export const AZURE_MFA_CLIENT_APP_ID = '981f26a1-7f43-403b-a875-f8b09b8cd720';

/** The application that writes StrongAuthenticationPhoneAppDetail when a QR code is scanned (test/fixtures/incidents/incident-1). */
export const STRONG_AUTH_SERVICE_APP_NAME = 'Azure MFA StrongAuthenticationService';

/**
 * StrongAuthenticationMethod MethodType numbers, in this order. Community KQL; UNCONFIRMED by a
 * Microsoft page (https://learn.microsoft.com/entra/identity/authentication/howto-registration-mfa-sspr-combined-troubleshoot). Events carry either the number or the name.
 */
export const STRONG_AUTH_METHOD_TYPES = [
  'TwoWayVoiceMobile',
  'TwoWaySms',
  'TwoWayVoiceOffice',
  'TwoWayVoiceOtherMobile',
  'TwoWaySmsOtherMobile',
  'OneWaySms',
  'PhoneAppNotification',
  'PhoneAppOTP',
] as const;
export type StrongAuthMethodType = (typeof STRONG_AUTH_METHOD_TYPES)[number];

/** Sign-in error codes meaning "the user must register security info". ED reference-error-codes.md. */
export const REGISTRATION_INTERRUPT_CODES = [50072, 50079] as const;

/** Sign-in error codes meaning "MFA required / not completed". ED reference-error-codes.md; 500121 community. */
export const MFA_REQUIRED_CODES = [50074, 50076, 500121] as const;

/** Text in sign-in details meaning MFA was satisfied by a claim (earlier in the session or at a federated IdP). */
export const MFA_CLAIM_PHRASES = [
  'MFA requirement satisfied by claim in the token',
  'MFA requirement satisfied by claim provided by external provider',
] as const;

/** Directory-audit activity names used by the rules (service "Authentication Methods" / "Core Directory"). */
export const AUDIT_ACTIVITIES = {
  updateUser: 'Update user',
  registrationStarted: 'User started security info registration',
  registered: 'User registered security info',
  registeredAll: 'User registered all required security info',
  deleted: 'User deleted security info',
  adminDeleted: 'Admin deleted security info',
  adminRegistered: 'Admin registered security info',
  cancelled: 'User canceled security info registration',
  changedDefault: 'User changed default security info',
} as const;

/** Core Directory modified-property names that carry MFA registration state. Community captures (https://learn.microsoft.com/entra/identity/authentication/howto-registration-mfa-sspr-combined-troubleshoot). */
export const STRONG_AUTH_PROPERTIES = {
  methods: 'StrongAuthenticationMethod',
  phoneAppDetail: 'StrongAuthenticationPhoneAppDetail',
  userDetails: 'StrongAuthenticationUserDetails',
} as const;

/** Authentication methods policy configuration id for each method kind it governs. MGDC authenticationmethodspolicy GET example. */
export const POLICY_CONFIGURATION_IDS = {
  microsoftAuthenticator: 'MicrosoftAuthenticator',
  sms: 'Sms',
  voice: 'Voice',
  fido2: 'Fido2',
  softwareOath: 'SoftwareOath',
  hardwareOath: 'HardwareOath',
  email: 'Email',
  temporaryAccessPass: 'TemporaryAccessPass',
  x509Certificate: 'X509Certificate',
} as const;

/** A registration loop: this many registration sign-ins within this window, with no registration after. */
export const LOOP_MIN_SIGN_INS = 3;
export const LOOP_WINDOW_MINUTES = 15;
/** A loop is "now" when its last sign-in is within this many hours of `now`. */
export const LOOP_CURRENT_HOURS = 24;
