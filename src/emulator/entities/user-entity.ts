/**
 * /users entities. The generator gives the seven properties the export reads; Graph's user has many
 * more, and v1.0 without `$select` returns only its default set (MGDC user-list.md: businessPhones,
 * displayName, givenName, jobTitle, mail, mobilePhone, officeLocation, preferredLanguage, surname,
 * userPrincipalName, id), without accountEnabled or userType. A collector that forgets `$select`
 * must notice it here too. `signInActivity` is computed only when selected (it is costly, as in Graph).
 */
import type { SyntheticTenant } from '../../demo/generate-tenant.js';
import type { GraphUser } from '../../demo/graph-types.js';
import type { GraphVersion } from '../graph/graph-request.js';

export const USER_TYPE = 'microsoft.graph.user';

export const USER_DEFAULT_V1 = [
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
  'id',
] as const;

const USER_MORE = [
  'accountEnabled',
  'userType',
  'onPremisesSyncEnabled',
  'createdDateTime',
  'department',
  'companyName',
  'usageLocation',
  'employeeId',
  'mailNickname',
  'otherMails',
  'proxyAddresses',
  'onPremisesImmutableId',
  'onPremisesLastSyncDateTime',
  'externalUserState',
  'creationType',
  'deletedDateTime',
  'lastPasswordChangeDateTime',
] as const;

/** Every property `$select` accepts on users. */
export const USER_PROPERTIES: readonly string[] = [...USER_DEFAULT_V1, ...USER_MORE, 'signInActivity'];

/** Properties returned without `$select`: v1.0 its documented default set; beta everything but signInActivity. */
export function defaultUserProperties(version: GraphVersion): readonly string[] {
  return version === 'v1.0' ? USER_DEFAULT_V1 : [...USER_DEFAULT_V1, ...USER_MORE];
}

/** All plain properties of a user (signInActivity excluded: see signInActivityOf). */
export function fullUser(u: GraphUser, collectedAt: number): Record<string, unknown> {
  const [given = null, ...rest] = u.displayName.split(' ');
  const guest = u.userType === 'Guest';
  const synced = u.onPremisesSyncEnabled === true;
  return {
    id: u.id,
    businessPhones: [],
    displayName: u.displayName,
    givenName: rest.length > 0 ? given : null,
    jobTitle: null,
    mail: guest ? null : u.userPrincipalName,
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: null,
    surname: rest.length > 0 ? rest.join(' ') : null,
    userPrincipalName: u.userPrincipalName,
    accountEnabled: u.accountEnabled,
    userType: u.userType,
    onPremisesSyncEnabled: u.onPremisesSyncEnabled,
    createdDateTime: u.createdDateTime,
    department: null,
    companyName: null,
    usageLocation: guest ? null : 'GB',
    employeeId: null,
    mailNickname: u.userPrincipalName.split('@')[0] ?? null,
    otherMails: [],
    proxyAddresses: [],
    onPremisesImmutableId: synced ? Buffer.from(u.id.replace(/-/g, ''), 'hex').toString('base64') : null,
    // Entra Connect syncs every 30 minutes; the last run was some minutes before collection.
    onPremisesLastSyncDateTime: synced
      ? new Date(collectedAt - 17 * 60_000).toISOString().replace('.000Z', 'Z')
      : null,
    externalUserState: guest ? 'Accepted' : null,
    creationType: guest ? 'Invitation' : null,
    deletedDateTime: null,
    lastPasswordChangeDateTime: u.createdDateTime,
  };
}

export interface SignInActivity {
  lastSignInDateTime: string | null;
  lastSignInRequestId: string | null;
  lastNonInteractiveSignInDateTime: string | null;
  lastNonInteractiveSignInRequestId: string | null;
  lastSuccessfulSignInDateTime: string | null;
  lastSuccessfulSignInRequestId: string | null;
}

/** The user's most recent sign-ins in the retained window, newest first (stops as soon as all are found). */
export function signInActivityOf(tenant: SyntheticTenant, userId: string): SignInActivity {
  const activity: SignInActivity = {
    lastSignInDateTime: null,
    lastSignInRequestId: null,
    lastNonInteractiveSignInDateTime: null,
    lastNonInteractiveSignInRequestId: null,
    lastSuccessfulSignInDateTime: null,
    lastSuccessfulSignInRequestId: null,
  };
  for (const s of tenant.iterateSignIns({ userId })) {
    if (s.isInteractive && activity.lastSignInDateTime === null) {
      activity.lastSignInDateTime = s.createdDateTime;
      activity.lastSignInRequestId = s.id;
    }
    if (!s.isInteractive && activity.lastNonInteractiveSignInDateTime === null) {
      activity.lastNonInteractiveSignInDateTime = s.createdDateTime;
      activity.lastNonInteractiveSignInRequestId = s.id;
    }
    if (s.status.errorCode === 0 && activity.lastSuccessfulSignInDateTime === null) {
      activity.lastSuccessfulSignInDateTime = s.createdDateTime;
      activity.lastSuccessfulSignInRequestId = s.id;
    }
    if (
      activity.lastSignInDateTime !== null &&
      activity.lastNonInteractiveSignInDateTime !== null &&
      activity.lastSuccessfulSignInDateTime !== null
    ) {
      break;
    }
  }
  return activity;
}
