/** Tenants for the fake Graph source: the demo generator's, the Graph docs examples, and small hand-built ones. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEMO_VOLUME, generateTenant } from '../../../src/demo/generate-tenant.js';
import type { GenerateTenantOptions, SyntheticTenant } from '../../../src/demo/generate-tenant.js';
import { AUTHENTICATOR_APP_ID, MY_SIGNINS_APP_ID } from '../../../src/domain/well-known.js';
import type { FakeTenant } from './fake-graph-source.js';
import { emptyTenant } from './fake-graph-source.js';

export const GRAPH_DOCS = fileURLToPath(new URL('../../fixtures/graph-docs/', import.meta.url));

export function graphDoc<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(GRAPH_DOCS + name, 'utf8')) as T;
}

/** The synthetic tenant's raw entities, as Graph would serve them. */
export function fakeFromSynthetic(t: SyntheticTenant): FakeTenant {
  return {
    organization: { id: t.tenant.tenantId, displayName: t.tenant.displayName },
    users: [...t.users],
    registration: [...t.registration],
    methods: new Map([...t.methods].map(([id, list]) => [id, [...list]])),
    audits: [...t.audits],
    signIns: [...t.signIns],
    groups: [...t.groups],
    members: new Map([...t.groupMembers].map(([id, list]) => [id, [...list]])),
    conditionalAccess: [...t.conditionalAccess],
    methodsPolicy: t.methodsPolicy,
    securityDefaults: t.securityDefaults,
    domains: [...t.domains],
    roleAssignments: [...t.roleAssignments],
  };
}

/** A generated tenant with the demo's light routine activity (tests page through all of it, fsync per page). */
export function syntheticTenant(options: Partial<GenerateTenantOptions> = {}): SyntheticTenant {
  return generateTenant({
    users: 120,
    seed: 7,
    collectedAt: '2026-11-20T09:00:00Z',
    ...options,
    volume: { ...DEMO_VOLUME, ...options.volume },
  });
}

const NOW = '2026-11-20T09:00:00Z';
export const HAND_BUILT_NOW = new Date(NOW);
const REPORT_AT = '2026-11-20T05:00:00Z';

interface PersonOptions {
  id: string;
  upn: string;
  enabled?: boolean;
  guest?: boolean;
  created?: string;
  /** A report row; undefined = not in the report. */
  row?: Partial<Record<string, unknown>> & { methodsRegistered: string[] };
  methods?: unknown[];
}

function userOf(p: PersonOptions): Record<string, unknown> {
  return {
    id: p.id,
    userPrincipalName: p.upn,
    displayName: p.upn.split('@')[0],
    accountEnabled: p.enabled ?? true,
    userType: p.guest === true ? 'Guest' : 'Member',
    onPremisesSyncEnabled: null,
    createdDateTime: p.created ?? '2025-01-10T08:00:00Z',
  };
}

function rowOf(p: PersonOptions): Record<string, unknown> | undefined {
  if (p.row === undefined) return undefined;
  const registered = p.row.methodsRegistered.length > 0;
  return {
    id: p.id,
    userPrincipalName: p.upn,
    userDisplayName: p.upn.split('@')[0],
    userType: p.guest === true ? 'guest' : 'member',
    isAdmin: false,
    isSsprRegistered: false,
    isSsprEnabled: false,
    isSsprCapable: false,
    isMfaRegistered: registered,
    isMfaCapable: registered,
    isPasswordlessCapable: false,
    isSystemPreferredAuthenticationMethodEnabled: false,
    systemPreferredAuthenticationMethods: [],
    userPreferredMethodForSecondaryAuthentication: registered ? 'push' : '',
    defaultMfaMethod: registered ? 'microsoftAuthenticatorPush' : 'none',
    lastUpdatedDateTime: REPORT_AT,
    ...p.row,
  };
}

const PASSWORD = {
  '@odata.type': '#microsoft.graph.passwordAuthenticationMethod',
  id: '28c10230-6103-485e-b985-444c60001490',
  password: null,
};
const AUTHENTICATOR = (id: string) => ({
  '@odata.type': '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod',
  id,
  displayName: 'iPhone 15',
  deviceTag: 'SoftwareTokenActivated',
  phoneAppVersion: '6.8.30',
  createdDateTime: '2026-10-01T10:00:00Z',
});
const MOBILE = {
  '@odata.type': '#microsoft.graph.phoneAuthenticationMethod',
  id: '3179e48a-750b-4051-897c-87b9720928f7',
  phoneNumber: '+1 2065550100',
  phoneType: 'mobile',
  smsSignInState: 'notEnabled',
};

function signIn(
  id: string,
  userId: string,
  upn: string,
  at: string,
  extra: Record<string, unknown>,
): Record<string, unknown> {
  return {
    id,
    createdDateTime: at,
    userId,
    userPrincipalName: upn,
    appId: '00000002-0000-0ff1-ce00-000000000000',
    appDisplayName: 'Office 365 Exchange Online',
    isInteractive: true,
    signInEventTypes: ['interactiveUser'],
    status: { errorCode: 0, failureReason: null, additionalDetails: null },
    authenticationRequirement: 'singleFactorAuthentication',
    authenticationDetails: [],
    ...extra,
  };
}

/**
 * Eleven people, one per reason the methods step can have (and a few with none), built so that each
 * reason is the only one that applies to its user:
 */
export const PEOPLE = {
  /** Authenticator + default method + capable: settled by the report. */
  settled: 'aaaaaaaa-0000-4000-8000-000000000001',
  /** Authenticator listed, default method `none`: incident 1's report-only trace. */
  noDefault: 'aaaaaaaa-0000-4000-8000-000000000002',
  /** A `User deleted security info` after the report's refresh. */
  stale: 'aaaaaaaa-0000-4000-8000-000000000003',
  /** Disabled: never in the report. */
  disabled: 'aaaaaaaa-0000-4000-8000-000000000004',
  /** Created after the report's refresh. */
  newcomer: 'aaaaaaaa-0000-4000-8000-000000000005',
  /** isMfaRegistered, not capable. */
  notCapable: 'aaaaaaaa-0000-4000-8000-000000000006',
  /** Only a mobile phone. */
  phoneOnly: 'aaaaaaaa-0000-4000-8000-000000000007',
  /** Not registered, three registration interrupts: a loop. */
  looping: 'aaaaaaaa-0000-4000-8000-000000000008',
  /** Not registered, signed into the Authenticator app (non-interactive). */
  loopRisk: 'aaaaaaaa-0000-4000-8000-000000000009',
  /** A guest missing from the report: excluded whatever their methods. */
  guest: 'aaaaaaaa-0000-4000-8000-00000000000a',
  /** Not registered, no sign-ins: the report settles it. */
  unregistered: 'aaaaaaaa-0000-4000-8000-00000000000b',
} as const;

export const PILOT_GROUP = 'bbbbbbbb-0000-4000-8000-000000000001';

/** The group targets of the docs' authentication methods policy example. */
export const POLICY_GROUPS = [
  'dad4ae4a-730c-4e52-826c-0d9094971f04',
  'd2d5bae7-a7b7-4581-8d52-5a8d26f517b3',
  'eb2aa918-770c-40b4-97b8-f58a0087f8b5',
  'd97d81ce-74be-46a4-ba6e-62eed46fabb9',
  '18c6ce0e-243f-4130-ad7d-d9049806df0e',
] as const;

export function handBuiltTenant(): FakeTenant {
  const p = PEOPLE;
  const people: PersonOptions[] = [
    {
      id: p.settled,
      upn: 'settled@contoso.test',
      row: { methodsRegistered: ['microsoftAuthenticatorPush'] },
      methods: [PASSWORD, AUTHENTICATOR('dev-1')],
    },
    {
      id: p.noDefault,
      upn: 'nodefault@contoso.test',
      row: {
        methodsRegistered: ['microsoftAuthenticatorPush'],
        defaultMfaMethod: 'none',
        userPreferredMethodForSecondaryAuthentication: '',
      },
      methods: [PASSWORD, AUTHENTICATOR('dev-2')],
    },
    {
      id: p.stale,
      upn: 'stale@contoso.test',
      row: { methodsRegistered: ['microsoftAuthenticatorPush'] },
      methods: [PASSWORD],
    },
    { id: p.disabled, upn: 'disabled@contoso.test', enabled: false, methods: [PASSWORD, MOBILE] },
    {
      id: p.newcomer,
      upn: 'newcomer@contoso.test',
      created: '2026-11-20T07:00:00Z',
      methods: [PASSWORD, AUTHENTICATOR('dev-5')],
    },
    {
      id: p.notCapable,
      upn: 'notcapable@contoso.test',
      row: {
        methodsRegistered: ['softwareOneTimePasscode'],
        isMfaCapable: false,
        defaultMfaMethod: 'softwareOneTimePasscode',
      },
      methods: [PASSWORD],
    },
    {
      id: p.phoneOnly,
      upn: 'phoneonly@contoso.test',
      row: { methodsRegistered: ['mobilePhone'], defaultMfaMethod: 'mobilePhone' },
      methods: [PASSWORD, MOBILE],
    },
    { id: p.looping, upn: 'looping@contoso.test', row: { methodsRegistered: [] }, methods: [PASSWORD] },
    { id: p.loopRisk, upn: 'looprisk@contoso.test', row: { methodsRegistered: [] }, methods: [PASSWORD] },
    { id: p.guest, upn: 'guest_fabrikam.test#EXT#@contoso.test', guest: true, methods: [] },
    {
      id: p.unregistered,
      upn: 'unregistered@contoso.test',
      row: { methodsRegistered: [] },
      methods: [PASSWORD],
    },
  ];
  const t = emptyTenant();
  t.organization = { id: 'tenant-0001', displayName: 'Contoso (hand-built)' };
  for (const person of people) {
    t.users.push(userOf(person));
    const row = rowOf(person);
    if (row !== undefined) t.registration.push(row);
    t.methods.set(person.id, person.methods ?? [PASSWORD]);
  }
  t.audits.push(
    {
      id: 'audit-deleted-1',
      category: 'UserManagement',
      activityDisplayName: 'User deleted security info',
      activityDateTime: '2026-11-20T07:30:00Z',
      loggedByService: 'Authentication Methods',
      result: 'success',
      resultReason: 'User deleted Authenticator App',
      initiatedBy: { user: { id: p.stale, userPrincipalName: 'stale@contoso.test' } },
      targetResources: [
        { id: p.stale, type: 'User', userPrincipalName: 'stale@contoso.test', modifiedProperties: [] },
      ],
      additionalDetails: [],
    },
    {
      // Noise the server-side filter keeps out.
      id: 'audit-noise-1',
      category: 'GroupManagement',
      activityDisplayName: 'Add member to group',
      activityDateTime: '2026-11-19T10:00:00Z',
      loggedByService: 'Core Directory',
      result: 'success',
      initiatedBy: { user: { id: p.settled } },
      targetResources: [{ id: p.settled, type: 'User', modifiedProperties: [] }],
      additionalDetails: [],
    },
  );
  for (const [i, at] of ['2026-11-20T08:00:00Z', '2026-11-20T08:03:00Z', '2026-11-20T08:06:00Z'].entries()) {
    t.signIns.push(
      signIn(`si-loop-${i}`, p.looping, 'looping@contoso.test', at, {
        // The middle one is the security-info page sending the user back (My Signins wants MFA too).
        ...(i === 1 ? { appId: MY_SIGNINS_APP_ID, appDisplayName: 'My Signins' } : {}),
        status: {
          errorCode: 50079,
          failureReason: 'Due to a configuration change…',
          additionalDetails: null,
        },
      }),
    );
  }
  t.signIns.push(
    signIn('si-app-1', p.loopRisk, 'looprisk@contoso.test', '2026-11-19T12:00:00Z', {
      appId: AUTHENTICATOR_APP_ID,
      appDisplayName: 'Microsoft Authenticator App',
      isInteractive: false,
      signInEventTypes: ['nonInteractiveUser'],
    }),
    // Non-interactive noise to another app: the server-side filter keeps it out.
    signIn('si-teams-1', p.settled, 'settled@contoso.test', '2026-11-19T12:05:00Z', {
      appId: '1fec8e78-bce4-4aaf-ab1b-5451cc387264',
      isInteractive: false,
      signInEventTypes: ['nonInteractiveUser'],
    }),
    // My Signins, non-interactive, older than the 7-day window: the apps' sign-ins are read over 30 days.
    signIn('si-mysignins-1', p.settled, 'settled@contoso.test', '2026-11-01T12:00:00Z', {
      appId: MY_SIGNINS_APP_ID,
      isInteractive: false,
      signInEventTypes: ['nonInteractiveUser'],
    }),
    // Older than the 7-day window.
    signIn('si-old-1', p.settled, 'settled@contoso.test', '2026-11-01T12:00:00Z', {}),
  );
  t.methodsPolicy = graphDoc('policies_authenticationMethodsPolicy.v1.0.json');
  t.securityDefaults = {
    id: '00000000-0000-0000-0000-000000000005',
    displayName: 'Security Defaults',
    isEnabled: false,
  };
  t.conditionalAccess = graphDoc<{ value: unknown[] }>('identity_conditionalAccess_policies.v1.0.json').value;
  t.domains = [{ id: 'contoso.test', authenticationType: 'Managed', isDefault: true, isVerified: true }];
  t.groups = [{ id: PILOT_GROUP, displayName: 'MFA pilot', onPremisesSyncEnabled: null }];
  t.members.set(PILOT_GROUP, [{ '@odata.type': '#microsoft.graph.user', id: p.settled }]);
  // The groups the docs' methods policy targets (https://learn.microsoft.com/graph/api/resources/authenticationmethodspolicy example), with a member or none.
  for (const id of POLICY_GROUPS) {
    t.groups.push({ id, displayName: `Policy group ${id.slice(0, 4)}`, onPremisesSyncEnabled: true });
    t.members.set(
      id,
      id === POLICY_GROUPS[0] ? [{ '@odata.type': '#microsoft.graph.user', id: p.notCapable }] : [],
    );
  }
  return t;
}
