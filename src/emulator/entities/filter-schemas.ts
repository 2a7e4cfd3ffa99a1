/**
 * What `$filter` may name on each collection, from the documented filter tables: https://learn.microsoft.com/graph/api/resources/userregistrationdetails
 * (userRegistrationDetails), https://learn.microsoft.com/graph/api/directoryaudit-list (directoryAudits), https://learn.microsoft.com/graph/api/resources/signin?view=graph-rest-beta (signIns), and the directory objects'
 * usual filterable properties. `category` and `result` on directoryAudits are UNCONFIRMED (https://learn.microsoft.com/graph/api/directoryaudit-list)
 * but widely used by community code, so they are accepted.
 */
import { entity, flat, prim, strings } from '../odata/filter-schema.js';
import type { EntitySchema } from '../odata/filter-schema.js';
import type { GraphVersion } from '../graph/graph-request.js';

export const REGISTRATION_FILTER = (version: GraphVersion): EntitySchema =>
  entity('microsoft.graph.userRegistrationDetails', {
    id: prim('string'),
    userPrincipalName: prim('string'),
    userDisplayName: prim('string'),
    userType: prim('string'),
    isAdmin: prim('boolean'),
    isMfaCapable: prim('boolean'),
    isMfaRegistered: prim('boolean'),
    isPasswordlessCapable: prim('boolean'),
    isSsprCapable: prim('boolean'),
    isSsprEnabled: prim('boolean'),
    isSsprRegistered: prim('boolean'),
    isSystemPreferredAuthenticationMethodEnabled: prim('boolean'),
    methodsRegistered: strings(),
    systemPreferredAuthenticationMethods: strings(),
    userPreferredMethodForSecondaryAuthentication: prim('string'),
    lastUpdatedDateTime: prim('datetime'),
    ...(version === 'beta' ? { defaultMfaMethod: prim('string') } : {}),
  });

const AUDIT_USER = flat('microsoft.graph.userIdentity', {
  id: 'string',
  displayName: 'string',
  userPrincipalName: 'string',
});
const AUDIT_APP = flat('microsoft.graph.appIdentity', {
  appId: 'string',
  displayName: 'string',
  servicePrincipalId: 'string',
});
const TARGET = flat('microsoft.graph.targetResource', {
  id: 'string',
  displayName: 'string',
  type: 'string',
  userPrincipalName: 'string',
});

export const DIRECTORY_AUDIT_FILTER: EntitySchema = entity('microsoft.graph.directoryAudit', {
  id: prim('string'),
  activityDateTime: prim('datetime'),
  activityDisplayName: prim('string'),
  category: prim('string'),
  correlationId: prim('string'),
  loggedByService: prim('string'),
  operationType: prim('string'),
  result: prim('string'),
  initiatedBy: {
    kind: 'complex',
    of: entity('microsoft.graph.auditActivityInitiator', {
      user: { kind: 'complex', of: AUDIT_USER },
      app: { kind: 'complex', of: AUDIT_APP },
    }),
  },
  targetResources: { kind: 'entities', of: TARGET },
});

export const SIGN_IN_FILTER = (version: GraphVersion): EntitySchema =>
  entity('microsoft.graph.signIn', {
    id: prim('string'),
    createdDateTime: prim('datetime'),
    userId: prim('string'),
    userDisplayName: prim('string'),
    userPrincipalName: prim('string'),
    appId: prim('string'),
    appDisplayName: prim('string'),
    ipAddress: prim('string'),
    clientAppUsed: prim('string'),
    correlationId: prim('string'),
    conditionalAccessStatus: prim('string'),
    isInteractive: prim('boolean'),
    resourceDisplayName: prim('string'),
    resourceId: prim('string'),
    riskDetail: prim('string'),
    riskLevelAggregated: prim('string'),
    riskLevelDuringSignIn: prim('string'),
    riskState: prim('string'),
    status: { kind: 'complex', of: flat('microsoft.graph.signInStatus', { errorCode: 'number' }) },
    location: {
      kind: 'complex',
      of: flat('microsoft.graph.signInLocation', {
        city: 'string',
        state: 'string',
        countryOrRegion: 'string',
      }),
    },
    deviceDetail: {
      kind: 'complex',
      of: flat('microsoft.graph.deviceDetail', { browser: 'string', operatingSystem: 'string' }),
    },
    // Beta only (https://learn.microsoft.com/graph/api/resources/signin?view=graph-rest-beta).
    ...(version === 'beta'
      ? {
          authenticationRequirement: prim('string'),
          signInEventTypes: strings(),
          tokenIssuerType: prim('string'),
          tokenIssuerName: prim('string'),
          originalRequestId: prim('string'),
          userType: prim('string'),
        }
      : {}),
  });

export const USER_FILTER: EntitySchema = entity('microsoft.graph.user', {
  id: prim('string'),
  userPrincipalName: prim('string'),
  displayName: prim('string'),
  givenName: prim('string'),
  surname: prim('string'),
  mail: prim('string'),
  userType: prim('string'),
  accountEnabled: prim('boolean'),
  onPremisesSyncEnabled: prim('boolean'),
  createdDateTime: prim('datetime'),
  signInActivity: {
    kind: 'complex',
    of: flat('microsoft.graph.signInActivity', {
      lastSignInDateTime: 'datetime',
      lastNonInteractiveSignInDateTime: 'datetime',
      lastSuccessfulSignInDateTime: 'datetime',
    }),
  },
});

export const GROUP_FILTER: EntitySchema = entity('microsoft.graph.group', {
  id: prim('string'),
  displayName: prim('string'),
  description: prim('string'),
  mailEnabled: prim('boolean'),
  securityEnabled: prim('boolean'),
  onPremisesSyncEnabled: prim('boolean'),
  groupTypes: strings(),
});

export const DIRECTORY_OBJECT_FILTER: EntitySchema = flat('microsoft.graph.directoryObject', {
  id: 'string',
});

export const POLICY_FILTER: EntitySchema = flat('microsoft.graph.conditionalAccessPolicy', {
  id: 'string',
  displayName: 'string',
  state: 'string',
  createdDateTime: 'datetime',
  modifiedDateTime: 'datetime',
});
