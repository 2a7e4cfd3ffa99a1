/**
 * The raw Microsoft Graph JSON the synthetic tenant emits, typed. These are wire shapes (field names,
 * nesting, nulls and enum spellings as Graph sends them, checked against test/fixtures/graph-docs),
 * not the normalised model of src/domain: the demo, the emulator and the benchmark must exercise the
 * real parsers, quirks included.
 */

/** One page of a Graph collection. */
export interface GraphPage<T> {
  '@odata.context': string;
  '@odata.nextLink'?: string;
  value: T[];
}

/** tenant.json (ours, not Graph's): who the export is from and when it was taken. */
export interface TenantFile {
  tenantId: string;
  displayName: string;
  collectedAt: string;
  cloud: 'global' | 'usgov' | 'usgovdod' | 'china';
}

/** GET /users?$select=id,userPrincipalName,displayName,accountEnabled,userType,onPremisesSyncEnabled,createdDateTime */
export interface GraphUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
  accountEnabled: boolean;
  userType: 'Member' | 'Guest';
  /** `true` for users synced from on-premises AD; `null` (not false) for cloud-only users. */
  onPremisesSyncEnabled: boolean | null;
  createdDateTime: string;
}

/** GET /beta/reports/authenticationMethods/userRegistrationDetails, one row. */
export interface UserRegistrationDetails {
  id: string;
  userPrincipalName: string;
  userDisplayName: string;
  isAdmin: boolean;
  isSsprRegistered: boolean;
  isSsprEnabled: boolean;
  isSsprCapable: boolean;
  isMfaRegistered: boolean;
  isMfaCapable: boolean;
  isPasswordlessCapable: boolean;
  lastUpdatedDateTime: string;
  methodsRegistered: string[];
  /** Beta only; `""` for a user with none, as in the doc example. */
  defaultMfaMethod: string;
  isSystemPreferredAuthenticationMethodEnabled: boolean;
  systemPreferredAuthenticationMethods: string[];
  userPreferredMethodForSecondaryAuthentication: string;
  userType: 'member' | 'guest';
}

export interface PasswordMethod {
  '@odata.type': '#microsoft.graph.passwordAuthenticationMethod';
  id: string;
  password: null;
  createdDateTime: string | null;
}

export interface PhoneMethod {
  '@odata.type': '#microsoft.graph.phoneAuthenticationMethod';
  id: string;
  phoneNumber: string;
  phoneType: 'mobile' | 'alternateMobile' | 'office';
  smsSignInState:
    'notSupported' | 'notAllowedByPolicy' | 'notEnabled' | 'phoneNumberNotUnique' | 'ready' | 'notConfigured';
}

export interface MicrosoftAuthenticatorMethod {
  '@odata.type': '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod';
  id: string;
  displayName: string;
  deviceTag: string;
  phoneAppVersion: string;
  /** Null unless the device is registered for passwordless phone sign-in (MGDC resource page). */
  createdDateTime: string | null;
  /** Beta only. */
  clientAppName: 'microsoftAuthenticator' | 'outlookMobile';
}

export interface Fido2Method {
  '@odata.type': '#microsoft.graph.fido2AuthenticationMethod';
  id: string;
  displayName: string;
  createdDateTime: string;
  aaGuid: string;
  model: string;
  attestationCertificates: string[];
  attestationLevel: 'attested' | 'notAttested';
}

export interface WindowsHelloForBusinessMethod {
  '@odata.type': '#microsoft.graph.windowsHelloForBusinessAuthenticationMethod';
  id: string;
  displayName: string;
  createdDateTime: string;
  keyStrength: 'normal' | 'weak' | 'unknown';
}

export interface SoftwareOathMethod {
  '@odata.type': '#microsoft.graph.softwareOathAuthenticationMethod';
  id: string;
  secretKey: null;
}

export interface EmailMethod {
  '@odata.type': '#microsoft.graph.emailAuthenticationMethod';
  id: string;
  emailAddress: string;
}

export interface TemporaryAccessPassMethod {
  '@odata.type': '#microsoft.graph.temporaryAccessPassAuthenticationMethod';
  id: string;
  /** Only returned when the pass is created; always null on GET. */
  temporaryAccessPass: null;
  createdDateTime: string;
  startDateTime: string;
  lifetimeInMinutes: number;
  isUsableOnce: boolean;
  isUsable: boolean;
  methodUsabilityReason: 'EnabledByPolicy' | 'DisabledByPolicy' | 'Expired' | 'NotYetValid' | 'OneTimeUsed';
}

/** One entry of GET /beta/users/{id}/authentication/methods. */
export type GraphAuthenticationMethod =
  | PasswordMethod
  | PhoneMethod
  | MicrosoftAuthenticatorMethod
  | Fido2Method
  | WindowsHelloForBusinessMethod
  | SoftwareOathMethod
  | EmailMethod
  | TemporaryAccessPassMethod;

export interface ModifiedProperty {
  displayName: string;
  /** JSON encoded as a string, as Graph sends it. */
  oldValue: string | null;
  newValue: string | null;
}

export interface AuditUserInitiator {
  id: string;
  displayName: string | null;
  userPrincipalName: string;
  ipAddress: string | null;
  userType: null;
  homeTenantId: null;
  homeTenantName: null;
}

export interface AuditAppInitiator {
  appId: string | null;
  displayName: string;
  servicePrincipalId: string;
  servicePrincipalName: string | null;
}

export interface AuditTargetResource {
  id: string;
  displayName: string | null;
  type: 'User' | 'Group' | 'Device' | 'Policy' | 'Other';
  userPrincipalName: string | null;
  groupType: string | null;
  modifiedProperties: ModifiedProperty[];
}

/** One entry of GET /auditLogs/directoryAudits. */
export interface DirectoryAudit {
  id: string;
  category: string;
  correlationId: string;
  result: 'success' | 'failure';
  resultReason: string;
  activityDisplayName: string;
  activityDateTime: string;
  loggedByService: string;
  operationType: string;
  initiatedBy: { user: AuditUserInitiator | null; app: AuditAppInitiator | null };
  targetResources: AuditTargetResource[];
  additionalDetails: { key: string; value: string }[];
}

export interface AuthenticationDetail {
  authenticationStepDateTime: string;
  authenticationMethod: string;
  authenticationMethodDetail: string | null;
  succeeded: boolean;
  authenticationStepResultDetail: string;
  authenticationStepRequirement: string;
}

/**
 * One entry of GET /beta/auditLogs/signIns. A lean subset of the beta fields (every key exists in the
 * doc example): enough for the verdict rules and a realistic drill-down, small enough that the bundled
 * demo stays under its size budget.
 */
export interface SignIn {
  id: string;
  createdDateTime: string;
  userDisplayName: string;
  userPrincipalName: string;
  userId: string;
  appId: string;
  appDisplayName: string;
  ipAddress: string;
  clientAppUsed: string;
  correlationId: string;
  conditionalAccessStatus: 'success' | 'failure' | 'notApplied';
  isInteractive: boolean;
  tokenIssuerType: 'AzureAD' | 'ADFederationServices';
  authenticationRequirement: 'singleFactorAuthentication' | 'multiFactorAuthentication';
  signInEventTypes: ('interactiveUser' | 'nonInteractiveUser')[];
  status: { errorCode: number; failureReason: string; additionalDetails: string | null };
  authenticationDetails: AuthenticationDetail[];
}

/** GET /groups?$select=id,displayName,description,groupTypes,mailEnabled,securityEnabled,onPremisesSyncEnabled */
export interface GraphGroup {
  id: string;
  displayName: string;
  description: string;
  groupTypes: string[];
  mailEnabled: boolean;
  securityEnabled: boolean;
  onPremisesSyncEnabled: boolean | null;
}

/** One entry of GET /groups/{id}/transitiveMembers?$select=id. */
export interface DirectoryObjectRef {
  '@odata.type': '#microsoft.graph.user';
  id: string;
}

export interface ConditionalAccessPolicy {
  id: string;
  displayName: string;
  createdDateTime: string;
  modifiedDateTime: string | null;
  state: 'enabled' | 'disabled' | 'enabledForReportingButNotEnforced';
  sessionControls: null;
  conditions: {
    signInRiskLevels: string[];
    clientAppTypes: string[];
    platforms: null;
    locations: { includeLocations: string[]; excludeLocations: string[] } | null;
    applications: {
      includeApplications: string[];
      excludeApplications: string[];
      includeUserActions: string[];
    };
    users: {
      includeUsers: string[];
      excludeUsers: string[];
      includeGroups: string[];
      excludeGroups: string[];
      includeRoles: string[];
      excludeRoles: string[];
    };
  };
  grantControls: {
    operator: 'OR' | 'AND';
    builtInControls: string[];
    customAuthenticationFactors: string[];
    termsOfUse: string[];
  };
}

export interface MethodTarget {
  targetType: 'group' | 'user';
  id: string;
  isRegistrationRequired?: boolean;
  [extra: string]: unknown;
}

export interface MethodConfiguration {
  '@odata.type': string;
  id: string;
  state: 'enabled' | 'disabled';
  excludeTargets: { id: string; targetType: 'group' | 'user' }[];
  includeTargets: MethodTarget[];
  [extra: string]: unknown;
}

/** GET /policies/authenticationMethodsPolicy (configurations are expanded by default). */
export interface AuthenticationMethodsPolicy {
  '@odata.context': string;
  id: 'authenticationMethodsPolicy';
  displayName: string;
  description: string;
  lastModifiedDateTime: string;
  policyVersion: string;
  policyMigrationState: 'preMigration' | 'migrationInProgress' | 'migrationComplete';
  registrationEnforcement: unknown;
  authenticationMethodConfigurations: MethodConfiguration[];
}

/** GET /policies/identitySecurityDefaultsEnforcementPolicy */
export interface SecurityDefaultsPolicy {
  '@odata.context': string;
  id: string;
  displayName: string;
  description: string;
  isEnabled: boolean;
}

/** GET /domains */
/**
 * A unifiedRoleAssignment with its principal expanded, as GET
 * /roleManagement/directory/roleAssignments?$expand=principal returns it
 * (https://learn.microsoft.com/graph/api/rbacapplication-list-roleassignments).
 */
export interface GraphRoleAssignment {
  id: string;
  principalId: string;
  roleDefinitionId: string;
  directoryScopeId: string;
  principal: DirectoryObjectRef;
}

export interface GraphDomain {
  id: string;
  authenticationType: 'Managed' | 'Federated';
  isDefault: boolean;
  isInitial: boolean;
  isVerified: boolean;
  isRoot: boolean;
  supportedServices: string[];
}
