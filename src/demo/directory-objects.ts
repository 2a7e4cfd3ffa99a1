/**
 * The tenant-wide objects of the synthetic tenant: domains, groups, Conditional Access policies, the
 * authentication methods policy and security defaults, as raw Graph JSON. Shapes follow the doc
 * examples in test/fixtures/graph-docs (the methods policy is modelled on its GET example).
 *
 * The story they tell: a hybrid university. Staff and students are synced from on-premises AD and
 * sign in through AD FS on the federated domain; admins, break-glass and test accounts are cloud-only.
 * AD FS requires MFA per relying party for members of the on-premises group MFA_Required, and
 * MFA_ProofUpBypass exempts the Microsoft 365 relying party while a weekly batch registers (test/fixtures/incidents/incident-2).
 * The organisation-wide "Require MFA for all users" policy is still report-only: the rollout the admin
 * is asking mfa-ready about.
 */
import { AZURE_MANAGEMENT_RESOURCE_ID, ROLE_TEMPLATES } from './catalog.js';
import type {
  AuthenticationMethodsPolicy,
  ConditionalAccessPolicy,
  GraphDomain,
  GraphGroup,
  MethodConfiguration,
  SecurityDefaultsPolicy,
} from './graph-types.js';
import type { GroupKey } from './model.js';
import { Random } from './random.js';
import { DAY, isoSeconds, isoTicks } from './time.js';

export interface TenantDomains {
  /** The `.onmicrosoft.com` domain every tenant has (Managed). */
  initial: string;
  /** A managed custom domain for cloud-only staff. */
  managed: string;
  /** The federated custom domain (AD FS) for synced users. */
  federated: string;
}

export const DOMAINS: TenantDomains = {
  initial: 'contosodemo.onmicrosoft.com',
  managed: 'contoso.com',
  federated: 'contoso.edu',
};

export const TENANT_DISPLAY_NAME = 'Contoso University (demo)';

interface GroupSpec {
  displayName: string;
  description: string;
  synced: boolean;
}

export const GROUP_SPECS: Readonly<Record<GroupKey, GroupSpec>> = {
  mfaRequired: {
    displayName: 'MFA_Required',
    description: 'AD FS: require MFA (Entra MFA adapter) for members, per relying party',
    synced: true,
  },
  proofUpBypass: {
    displayName: 'MFA_ProofUpBypass',
    description: 'AD FS: exempt the Microsoft 365 relying party from MFA while a batch registers',
    synced: true,
  },
  allStudents: { displayName: 'All Students', description: 'Every enrolled student', synced: true },
  staffSmartcard: {
    displayName: 'Staff_SmartcardMFA',
    description: 'AD FS: additional authentication with a smart card certificate',
    synced: true,
  },
  breakGlass: {
    displayName: 'Break Glass',
    description: 'Emergency access accounts: excluded from CA',
    synced: false,
  },
  fido2Users: {
    displayName: 'FIDO2 Security Keys',
    description: 'Users allowed to register and use FIDO2 security keys',
    synced: false,
  },
  itAdmins: { displayName: 'IT Admins', description: 'Identity and platform administrators', synced: false },
  deptFinance: { displayName: 'Dept - Finance', description: 'Finance department', synced: false },
  deptAdmissions: { displayName: 'Dept - Admissions', description: 'Admissions office', synced: false },
  deptLibrary: { displayName: 'Dept - Library', description: 'University library', synced: false },
  deptEngineering: { displayName: 'Dept - Engineering', description: 'School of Engineering', synced: false },
  deptFacilities: { displayName: 'Dept - Facilities', description: 'Estates and facilities', synced: false },
  deptResearch: { displayName: 'Dept - Research', description: 'Research office', synced: false },
};

export const GROUP_KEYS = Object.keys(GROUP_SPECS) as GroupKey[];
export const DEPARTMENT_GROUPS: readonly GroupKey[] = [
  'deptFinance',
  'deptAdmissions',
  'deptLibrary',
  'deptEngineering',
  'deptFacilities',
  'deptResearch',
];

/** The ids of everything tenant-wide, drawn from the seed so a different seed is a different tenant. */
export interface TenantIds {
  tenantId: string;
  groups: Record<GroupKey, string>;
  policies: string[];
  /** Service principal of "Azure MFA StrongAuthenticationService" in this tenant. */
  strongAuthServicePrincipalId: string;
  /** The Entra Connect sync account that writes changes made on-premises. */
  syncAccount: { id: string; userPrincipalName: string };
}

export function tenantIds(seed: number): TenantIds {
  const rng = Random.from(seed, 'tenant');
  const tenantId = rng.uuid();
  const groups = {} as Record<GroupKey, string>;
  for (const key of GROUP_KEYS) groups[key] = rng.uuid();
  const policies = Array.from({ length: 6 }, () => rng.uuid());
  return {
    tenantId,
    groups,
    policies,
    strongAuthServicePrincipalId: rng.uuid(),
    syncAccount: {
      id: rng.uuid(),
      userPrincipalName: `Sync_CON-AADC01_${rng.hex(12)}@${DOMAINS.initial}`,
    },
  };
}

export function renderGroups(ids: TenantIds): GraphGroup[] {
  return GROUP_KEYS.map((key) => {
    const spec = GROUP_SPECS[key];
    return {
      id: ids.groups[key],
      displayName: spec.displayName,
      description: spec.description,
      groupTypes: [],
      mailEnabled: false,
      securityEnabled: true,
      onPremisesSyncEnabled: spec.synced ? true : null,
    };
  });
}

export function renderDomains(): GraphDomain[] {
  const services = ['Email', 'OfficeCommunicationsOnline'];
  return [
    {
      id: DOMAINS.initial,
      authenticationType: 'Managed',
      isDefault: false,
      isInitial: true,
      isVerified: true,
      isRoot: true,
      supportedServices: services,
    },
    {
      id: DOMAINS.managed,
      authenticationType: 'Managed',
      isDefault: true,
      isInitial: false,
      isVerified: true,
      isRoot: true,
      supportedServices: services,
    },
    {
      id: DOMAINS.federated,
      authenticationType: 'Federated',
      isDefault: false,
      isInitial: false,
      isVerified: true,
      isRoot: true,
      supportedServices: services,
    },
  ];
}

const ADMIN_ROLES = Object.values(ROLE_TEMPLATES);

function policy(
  id: string,
  displayName: string,
  created: number,
  state: ConditionalAccessPolicy['state'],
  parts: {
    users: Partial<ConditionalAccessPolicy['conditions']['users']>;
    applications?: Partial<ConditionalAccessPolicy['conditions']['applications']>;
    locations?: ConditionalAccessPolicy['conditions']['locations'];
    clientAppTypes?: string[];
    grant: string[];
  },
): ConditionalAccessPolicy {
  return {
    id,
    displayName,
    createdDateTime: isoSeconds(created),
    modifiedDateTime: isoSeconds(created + 3 * DAY),
    state,
    sessionControls: null,
    conditions: {
      signInRiskLevels: [],
      clientAppTypes: parts.clientAppTypes ?? ['all'],
      platforms: null,
      locations: parts.locations ?? null,
      applications: {
        includeApplications: ['All'],
        excludeApplications: [],
        includeUserActions: [],
        ...parts.applications,
      },
      users: {
        includeUsers: [],
        excludeUsers: [],
        includeGroups: [],
        excludeGroups: [],
        includeRoles: [],
        excludeRoles: [],
        ...parts.users,
      },
    },
    grantControls: {
      operator: 'OR',
      builtInControls: parts.grant,
      customAuthenticationFactors: [],
      termsOfUse: [],
    },
  };
}

export function renderConditionalAccess(ids: TenantIds, now: number): ConditionalAccessPolicy[] {
  const [p1, p2, p3, p4, p5, p6] = ids.policies as [string, string, string, string, string, string];
  const breakGlass = [ids.groups.breakGlass];
  const offSite = { includeLocations: ['All'], excludeLocations: ['AllTrusted'] };
  return [
    policy(p1, 'CA001 - Require MFA for administrators', now - 400 * DAY, 'enabled', {
      users: { includeRoles: ADMIN_ROLES, excludeGroups: breakGlass },
      grant: ['mfa'],
    }),
    policy(p2, 'CA002 - Require MFA for all users', now - 12 * DAY, 'enabledForReportingButNotEnforced', {
      users: { includeUsers: ['All'], excludeGroups: breakGlass },
      grant: ['mfa'],
    }),
    policy(p3, 'CA003 - Require MFA outside trusted locations', now - 300 * DAY, 'enabled', {
      users: { includeUsers: ['All'], excludeGroups: [...breakGlass, ids.groups.proofUpBypass] },
      locations: offSite,
      grant: ['mfa'],
    }),
    policy(p4, 'CA004 - Require MFA for Azure management', now - 350 * DAY, 'enabled', {
      users: { includeUsers: ['All'], excludeGroups: breakGlass },
      applications: { includeApplications: [AZURE_MANAGEMENT_RESOURCE_ID] },
      grant: ['mfa'],
    }),
    policy(p5, 'CA005 - Securing security info registration', now - 200 * DAY, 'enabled', {
      users: { includeUsers: ['All'], excludeGroups: breakGlass },
      applications: { includeApplications: [], includeUserActions: ['urn:user:registersecurityinfo'] },
      locations: offSite,
      grant: ['mfa'],
    }),
    policy(p6, 'CA006 - Block legacy authentication', now - 500 * DAY, 'enabled', {
      users: { includeUsers: ['All'], excludeGroups: breakGlass },
      clientAppTypes: ['exchangeActiveSync', 'other'],
      grant: ['block'],
    }),
  ];
}

const allUsers = (extra: Record<string, unknown> = {}) => ({
  targetType: 'group' as const,
  id: 'all_users',
  isRegistrationRequired: false,
  ...extra,
});

function configuration(
  odataType: string,
  id: string,
  state: 'enabled' | 'disabled',
  includeTargets: MethodConfiguration['includeTargets'],
  extra: Record<string, unknown> = {},
): MethodConfiguration {
  return {
    '@odata.type': `#microsoft.graph.${odataType}`,
    id,
    state,
    ...extra,
    excludeTargets: [],
    includeTargets,
  };
}

/**
 * migrationComplete, so the policy alone decides what is allowed. Software OATH is disabled: users
 * whose only strong method is a third-party OATH app are policy-blocked. FIDO2 is allowed only for
 * the "FIDO2 Security Keys" group.
 */
export function renderMethodsPolicy(ids: TenantIds, now: number): AuthenticationMethodsPolicy {
  return {
    '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#authenticationMethodsPolicy',
    id: 'authenticationMethodsPolicy',
    displayName: 'Authentication Methods Policy',
    description:
      'The tenant-wide policy that controls which authentication methods are allowed in the tenant, authentication method registration requirements, and self-service password reset settings',
    lastModifiedDateTime: isoTicks(now - 45 * DAY, 4242),
    policyVersion: '1.5',
    policyMigrationState: 'migrationComplete',
    registrationEnforcement: {
      authenticationMethodsRegistrationCampaign: {
        snoozeDurationInDays: 1,
        enforceRegistrationAfterAllowedSnoozes: true,
        state: 'enabled',
        excludeTargets: [],
        includeTargets: [
          { id: 'all_users', targetType: 'group', targetedAuthenticationMethod: 'microsoftAuthenticator' },
        ],
      },
    },
    authenticationMethodConfigurations: [
      configuration(
        'fido2AuthenticationMethodConfiguration',
        'Fido2',
        'enabled',
        [{ targetType: 'group', id: ids.groups.fido2Users, isRegistrationRequired: false }],
        {
          isSelfServiceRegistrationAllowed: true,
          isAttestationEnforced: true,
          keyRestrictions: { isEnforced: false, enforcementType: 'block', aaGuids: [] },
        },
      ),
      configuration(
        'microsoftAuthenticatorAuthenticationMethodConfiguration',
        'MicrosoftAuthenticator',
        'enabled',
        [allUsers({ authenticationMode: 'any' })],
        { isSoftwareOathEnabled: false },
      ),
      configuration('smsAuthenticationMethodConfiguration', 'Sms', 'enabled', [
        allUsers({ isUsableForSignIn: false }),
      ]),
      configuration(
        'temporaryAccessPassAuthenticationMethodConfiguration',
        'TemporaryAccessPass',
        'enabled',
        [allUsers()],
        {
          defaultLifetimeInMinutes: 480,
          defaultLength: 8,
          minimumLifetimeInMinutes: 60,
          maximumLifetimeInMinutes: 10080,
          isUsableOnce: false,
        },
      ),
      configuration('hardwareOathAuthenticationMethodConfiguration', 'HardwareOath', 'disabled', [
        allUsers(),
      ]),
      configuration('softwareOathAuthenticationMethodConfiguration', 'SoftwareOath', 'disabled', [
        allUsers(),
      ]),
      configuration('voiceAuthenticationMethodConfiguration', 'Voice', 'enabled', [allUsers()], {
        isOfficePhoneAllowed: true,
      }),
      configuration('emailAuthenticationMethodConfiguration', 'Email', 'enabled', [allUsers()], {
        allowExternalIdToUseEmailOtp: 'default',
      }),
      configuration('x509CertificateAuthenticationMethodConfiguration', 'X509Certificate', 'disabled', [
        allUsers(),
      ]),
    ],
  };
}

export function renderSecurityDefaults(): SecurityDefaultsPolicy {
  return {
    '@odata.context':
      'https://graph.microsoft.com/v1.0/$metadata#policies/identitySecurityDefaultsEnforcementPolicy/$entity',
    id: '00000000-0000-0000-0000-000000000005',
    displayName: 'Security Defaults',
    description:
      'Security defaults is a set of basic identity security mechanisms recommended by Microsoft. When enabled, these recommendations will be automatically enforced in your organization.',
    isEnabled: false,
  };
}
