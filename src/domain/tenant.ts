import type { AuditFact } from './audit-facts.js';
import type { Coverage } from './datasets.js';

/**
 * The normalised evidence about one tenant, as read from an export folder or a live collection.
 * Every dataset is optional: `undefined` means "not collected", which lowers confidence but never fails.
 * Field names follow Microsoft Graph; only what the rules and reports use is kept.
 */
export interface TenantSnapshot {
  tenant: TenantInfo;
  users: DirectoryUser[] | undefined;
  registration: RegistrationDetail[] | undefined;
  /** Per-user methods lists, keyed by user id and by lower-case UPN (whichever the file was named by). */
  methods: Map<string, UserMethods> | undefined;
  audits: AuditEvent[] | undefined;
  signIns: SignIn[] | undefined;
  groups: Group[] | undefined;
  conditionalAccess: ConditionalAccessPolicy[] | undefined;
  methodsPolicy: AuthenticationMethodsPolicy | undefined;
  securityDefaults: SecurityDefaults | undefined;
  domains: DomainInfo[] | undefined;
  /** Directory role assignments (roleAssignments.json); absent from exports that predate it. */
  roleAssignments?: RoleAssignment[] | undefined;
  coverage: Coverage;
}

/**
 * One directory role assignment, as GET /roleManagement/directory/roleAssignments lists it
 * (https://learn.microsoft.com/graph/api/rbacapplication-list-roleassignments). For a built-in role,
 * `roleDefinitionId` is the role template id that Conditional Access `includeRoles` names.
 */
export interface RoleAssignment {
  principalId: string;
  roleDefinitionId: string;
  /** `/` for the whole tenant; an administrative unit's scope otherwise. */
  directoryScopeId?: string;
  /**
   * What the principal is, from `$expand=principal` (its `@odata.type`, lower case, without the
   * `#microsoft.graph.` prefix: `user`, `group`, `serviceprincipal`); absent when not expanded.
   */
  principalType?: string;
}

export type Cloud = 'global' | 'usgov' | 'usgovdod' | 'china';

export interface TenantInfo {
  tenantId?: string;
  displayName?: string;
  collectedAt?: string;
  cloud?: Cloud;
  /** How far back the collector read each kind of evidence (tenant.json `windows`); none in exports from elsewhere. */
  windows?: EvidenceWindows;
  /**
   * `@odata.deltaLink` of the users delta query (https://learn.microsoft.com/graph/api/user-delta):
   * the next refresh asks it for the users that changed since this collection.
   */
  usersDeltaLink?: string;
  /**
   * A refresh: the stored run this folder continues. Its audits and sign-ins then hold only the
   * events of `windows` (the new ones); users and report rows are complete.
   */
  baselineRunId?: number;
  /** When the registration report was last read in full (this collection, or the one its rows came from). */
  registrationReadAt?: string;
}

/** When each evidence window the collector read starts (ISO 8601 UTC); each ends at `collectedAt`. */
export interface EvidenceWindows {
  /** Sign-ins that prove MFA or show a registration interrupt (`collect --signin-days`). */
  signIns?: string;
  /** Sign-ins to the Microsoft Authenticator app and to My Signins, interactive or not (the whole retention). */
  appSignIns?: string;
  /** Directory audits (`collect --since`). */
  audits?: string;
}

/** The fields of GET /users the verdict engine reads: what the collector selects, and what a refresh compares. */
export const DIRECTORY_USER_FIELDS = [
  'id',
  'userPrincipalName',
  'displayName',
  'accountEnabled',
  'userType',
  'onPremisesSyncEnabled',
  'createdDateTime',
] as const satisfies readonly (keyof DirectoryUser)[];

export interface DirectoryUser {
  id: string;
  userPrincipalName: string;
  displayName?: string;
  accountEnabled?: boolean;
  /** `Member` / `Guest` in /users; normalised to lower case. */
  userType?: string;
  onPremisesSyncEnabled?: boolean;
  createdDateTime?: string;
}

/** One row of GET /reports/authenticationMethods/userRegistrationDetails (v1.0 or beta). */
export interface RegistrationDetail {
  id: string;
  userPrincipalName?: string;
  userDisplayName?: string;
  userType?: string;
  isAdmin?: boolean;
  isMfaRegistered?: boolean;
  isMfaCapable?: boolean;
  isPasswordlessCapable?: boolean;
  isSsprRegistered?: boolean;
  isSsprCapable?: boolean;
  /** Open-ended strings (no enum exists: msgraph-metadata #654); unknown values are kept as-is. */
  methodsRegistered: string[];
  /** Beta only. `""` in the docs for a user with none: normalised to undefined. */
  defaultMfaMethod?: string;
  userPreferredMethodForSecondaryAuthentication?: string;
  isSystemPreferredAuthenticationMethodEnabled?: boolean;
  systemPreferredAuthenticationMethods?: string[];
  /** When the report (not the user) was last refreshed. */
  lastUpdatedDateTime?: string;
}

export type MethodKind =
  | 'password'
  | 'phone'
  | 'microsoftAuthenticator'
  | 'passwordlessMicrosoftAuthenticator'
  | 'fido2'
  | 'windowsHelloForBusiness'
  | 'softwareOath'
  | 'hardwareOath'
  | 'email'
  | 'temporaryAccessPass'
  | 'platformCredential'
  | 'qrCodePin'
  | 'external'
  | 'unknown';

/** One entry of GET /users/{id}/authentication/methods. Secrets (TAP values, phone numbers) are never kept. */
export interface AuthMethod {
  id: string;
  kind: MethodKind;
  /** The `@odata.type` as given (kept for unknown types). */
  odataType: string;
  displayName?: string;
  createdDateTime?: string;
  /** Phone methods. */
  phoneType?: string;
  smsSignInState?: string;
  /** Microsoft Authenticator. */
  deviceTag?: string;
  phoneAppVersion?: string;
  clientAppName?: string;
  /** Temporary Access Pass (the pass itself is never read). */
  tap?: TapInfo;
}

export interface TapInfo {
  isUsable?: boolean;
  isUsableOnce?: boolean;
  startDateTime?: string;
  lifetimeInMinutes?: number;
  methodUsabilityReason?: string;
}

export interface UserMethods {
  /** The file name's key: a user id or a UPN. */
  key: string;
  /** Export-relative path of the file, for evidence refs. */
  source: string;
  methods: AuthMethod[];
  /**
   * When the list was read (ISO 8601 UTC), where known: a list the history database carried forward
   * from an earlier run (it was not read again because nothing about the user changed) keeps its date.
   */
  readAt?: string;
}

export interface ModifiedProperty {
  displayName: string;
  /** JSON encoded as a string, as Graph sends it. */
  oldValue: string | null;
  newValue: string | null;
}

export interface AuditTarget {
  id?: string;
  displayName?: string;
  userPrincipalName?: string;
  /** `Type` or `type` in the source; normalised. */
  type?: string;
  modifiedProperties: ModifiedProperty[];
}

/** One entry of GET /auditLogs/directoryAudits. */
export interface AuditEvent {
  id: string;
  activityDateTime: string;
  activityDisplayName: string;
  category?: string;
  loggedByService?: string;
  operationType?: string;
  result?: string;
  resultReason?: string;
  initiatedBy: {
    user?: { id?: string; userPrincipalName?: string; displayName?: string };
    app?: { appId?: string; displayName?: string; servicePrincipalName?: string };
  };
  targetResources: AuditTarget[];
  additionalDetails: { key: string; value: string | null }[];
  /**
   * Set by the export reader with `slimEvents`: the event's MFA-registration facts, worked out when it
   * was read, in place of what they are read from (the targets' `modifiedProperties` and the
   * `additionalDetails`, which it then leaves empty). Empty: the event says nothing about MFA.
   */
  facts?: AuditFact[];
}

export interface AuthenticationDetail {
  authenticationStepDateTime?: string;
  authenticationMethod?: string;
  authenticationMethodDetail?: string;
  succeeded?: boolean;
  authenticationStepResultDetail?: string;
  authenticationStepRequirement?: string;
}

/** How a sign-in proves MFA, by its result detail (src/domain/mfa-result-details.ts). */
export type MfaProof =
  /**
   * MFA was performed in this sign-in (a `done-now` result detail); `methods` as the log names the
   * steps that did it ("Mobile app notification", …), `detail` the result detail it rests on.
   */
  | { kind: 'direct'; methods: string[]; detail?: string }
  /** MFA was satisfied by a claim: earlier in the session, or at a federated IdP. */
  | { kind: 'claim'; detail: string }
  /** MFA was satisfied by what an earlier sign-in did (a remembered device, a previously satisfied step). */
  | { kind: 'earlier'; detail: string };

/** What one sign-in says about its user's MFA ability, independent of whose it is (src/assess/sign-in-facts.ts). */
export interface SignInFacts {
  mfa?: MfaProof;
  /** A successful sign-in to the Microsoft Authenticator app: the app holds the work account. */
  authenticatorApp: boolean;
  /** 50072 / 50079: the user was sent to register security info. */
  registrationInterrupt: boolean;
  /** A sign-in to My Signins, the security-info registration page, successful or not. */
  securityInfoApp: boolean;
  /** MFA was required and skipped (trusted IP, location, …): the result detail that says so. */
  mfaSkipped?: string;
  /** An MFA result detail not in the table of well-known ones, as written: never proof, counted. */
  unknownMfaDetail?: string;
}

/** One entry of GET /auditLogs/signIns (v1.0 or beta; `authenticationDetails` and the requirement only in beta). */
export interface SignIn {
  id: string;
  createdDateTime: string;
  userId?: string;
  userPrincipalName?: string;
  appId?: string;
  appDisplayName?: string;
  errorCode: number;
  failureReason?: string;
  additionalDetails?: string;
  isInteractive?: boolean;
  signInEventTypes?: string[];
  authenticationRequirement?: string;
  authenticationDetails?: AuthenticationDetail[];
  authenticationMethodsUsed?: string[];
  tokenIssuerType?: string;
  conditionalAccessStatus?: string;
  /**
   * The Conditional Access policies evaluated for this sign-in and each one's result (`success`,
   * `failure`, `notApplied`, `reportOnlySuccess`, `reportOnlyFailure`, `reportOnlyInterrupted`,
   * `reportOnlyNotApplied`, …); the reportOnly* values come only with `Prefer:
   * include-unknown-enum-members`, else `unknownFutureValue`.
   * https://learn.microsoft.com/graph/api/resources/appliedconditionalaccesspolicy
   */
  appliedConditionalAccessPolicies?: AppliedPolicy[];
  /** The app and device of the Microsoft Entra authentication step; only the app's name is kept. */
  authenticationAppDeviceDetails?: { clientApp?: string };
  /**
   * Set by the export reader with `slimEvents`: the sign-in's facts, worked out when it was read, in
   * place of the fields they were read from (`authenticationDetails`, `authenticationMethodsUsed`,
   * `additionalDetails`, `failureReason`), which it then drops. `null`: it holds none.
   */
  facts?: SignInFacts | null;
}

/**
 * Results that say nothing about a policy's effect on the sign-in: not enabled, or not applying to an
 * enforced policy. The loader drops these entries (a sign-in lists every policy in the tenant).
 */
export const SILENT_POLICY_RESULTS: ReadonlySet<string> = new Set(['notapplied', 'notenabled']);

/** One entry of a sign-in's appliedConditionalAccessPolicies: only the id and the result are kept. */
export interface AppliedPolicy {
  id: string;
  result: string;
}

export interface Group {
  id: string;
  displayName?: string;
  onPremisesSyncEnabled?: boolean;
  /** Transitive member ids from groupMembers/<id>.json; undefined when that file is missing. */
  memberIds?: string[];
}

export interface ConditionalAccessPolicy {
  id: string;
  displayName?: string;
  /** enabled | disabled | enabledForReportingButNotEnforced */
  state?: string;
  users: {
    includeUsers: string[];
    excludeUsers: string[];
    includeGroups: string[];
    excludeGroups: string[];
    includeRoles: string[];
    excludeRoles: string[];
    /** Guests and external users by kind (conditionalAccessGuestsOrExternalUsers); absent when not set. */
    includeGuestsOrExternalUsers?: GuestsOrExternalUsers;
    excludeGuestsOrExternalUsers?: GuestsOrExternalUsers;
  };
  includeApplications: string[];
  includeUserActions: string[];
  builtInControls: string[];
  authenticationStrengthId?: string;
  /** `AND` / `OR`: how the grant controls combine (conditionalAccessGrantControls.operator). */
  grantOperator?: string;
  /**
   * The authentication strength as the policy list returns it (its name, and its allowed method
   * combinations when the response carries them): https://learn.microsoft.com/graph/api/resources/authenticationstrengthpolicy
   */
  authenticationStrength?: { id: string; displayName?: string; allowedCombinations?: string[] };
}

/** https://learn.microsoft.com/graph/api/resources/conditionalaccessguestsorexternalusers */
export interface GuestsOrExternalUsers {
  /** Comma-separated: internalGuest, b2bCollaborationGuest, b2bCollaborationMember, b2bDirectConnectUser, otherExternalUser, serviceProvider. */
  guestOrExternalUserTypes?: string;
  /** `all`, or `enumerated` (then only the tenants listed in `members`). */
  externalTenantsMembershipKind?: string;
  externalTenantIds?: string[];
}

export interface MethodTarget {
  /** A group id, a user id, or the literal `all_users`. */
  id: string;
  targetType?: string;
}

export interface MethodConfiguration {
  /** `MicrosoftAuthenticator`, `Sms`, `Voice`, `Fido2`, `SoftwareOath`, `HardwareOath`, `Email`, `TemporaryAccessPass`, … */
  id: string;
  odataType?: string;
  state?: string;
  includeTargets: MethodTarget[];
  excludeTargets: MethodTarget[];
  /**
   * The Temporary Access Pass configuration's limits (id `TemporaryAccessPass`), minutes:
   * https://learn.microsoft.com/graph/api/resources/temporaryaccesspassauthenticationmethodconfiguration
   */
  defaultLifetimeInMinutes?: number;
  minimumLifetimeInMinutes?: number;
  maximumLifetimeInMinutes?: number;
  /** TAP: true makes every pass of the tenant one-time. */
  isUsableOnce?: boolean;
}

export interface AuthenticationMethodsPolicy {
  /** preMigration | migrationInProgress | migrationComplete */
  policyMigrationState?: string;
  configurations: MethodConfiguration[];
}

export interface SecurityDefaults {
  isEnabled: boolean;
}

export interface DomainInfo {
  id: string;
  /** Managed | Federated */
  authenticationType?: string;
  isVerified?: boolean;
  isDefault?: boolean;
  /**
   * Of a federated domain's federationConfiguration (internalDomainFederation): whether Entra accepts
   * the MFA the federated IdP did (`acceptIfMfaDoneByFederatedIdp`, `enforceMfaByFederatedIdp`,
   * `rejectMfaByFederatedIdp`). https://learn.microsoft.com/graph/api/resources/internaldomainfederation
   */
  federatedIdpMfaBehavior?: string;
}
