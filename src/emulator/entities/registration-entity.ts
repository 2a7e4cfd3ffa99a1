/** Registration-report rows per version: `defaultMfaMethod` is beta only (https://learn.microsoft.com/graph/api/resources/userregistrationdetails). */
import type { UserRegistrationDetails } from '../../demo/graph-types.js';
import type { GraphVersion } from '../graph/graph-request.js';

export const REGISTRATION_TYPE = 'microsoft.graph.userRegistrationDetails';

export const REGISTRATION_PROPERTIES = (version: GraphVersion): readonly string[] => [
  'id',
  'userPrincipalName',
  'userDisplayName',
  'userType',
  'isAdmin',
  'isSsprRegistered',
  'isSsprEnabled',
  'isSsprCapable',
  'isMfaRegistered',
  'isMfaCapable',
  'isPasswordlessCapable',
  'lastUpdatedDateTime',
  'methodsRegistered',
  'isSystemPreferredAuthenticationMethodEnabled',
  'systemPreferredAuthenticationMethods',
  'userPreferredMethodForSecondaryAuthentication',
  ...(version === 'beta' ? ['defaultMfaMethod'] : []),
];

export function registrationFor(
  row: UserRegistrationDetails,
  version: GraphVersion,
): Record<string, unknown> {
  if (version === 'beta') return { ...row };
  const { defaultMfaMethod: _beta, ...v1 } = row;
  return v1;
}
