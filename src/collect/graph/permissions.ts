import type { RequiredAccess } from '../../domain/graph-run.js';
import { parseGraphUrl } from './graph-url.js';

export type { RequiredAccess } from '../../domain/graph-run.js';

const REPORT_READERS = ['Reports Reader', 'Security Reader', 'Global Reader'];
const POLICY_READERS = ['Global Reader', 'Security Reader'];

/**
 * The permission table (https://learn.microsoft.com/graph/api/resources/userregistrationdetails, https://learn.microsoft.com/graph/api/resources/authenticationmethods-overview, https://learn.microsoft.com/graph/api/directoryaudit-list, https://learn.microsoft.com/graph/api/signin-list, https://learn.microsoft.com/graph/api/resources/conditionalaccesspolicy; the README's list):
 * - userRegistrationDetails (and the other /reports/authenticationMethods reports) → AuditLog.Read.All
 * - directoryAudits, signIns → AuditLog.Read.All + Directory.Read.All
 * - /users/{id}/authentication/requirements (per-user MFA state) → Policy.Read.All
 * - other /users/{id}/authentication/… → UserAuthenticationMethod.Read.All
 * - CA policies, authenticationMethodsPolicy, security defaults → Policy.Read.All
 * - users with signInActivity → AuditLog.Read.All + User.Read.All
 * - users → User.Read.All; groups, domains and the rest of the directory → Directory.Read.All
 * - directory role assignments → Directory.Read.All, already granted for groups: the narrower
 *   RoleManagement.Read.Directory also reads them
 *   (https://learn.microsoft.com/graph/api/rbacapplication-list-roleassignments), but naming it would
 *   ask for a grant the README's set does not need
 * - a domain's federationConfiguration → Domain.Read.All, which Directory.Read.All does not stand in for
 *   (https://learn.microsoft.com/graph/api/domain-list-federationconfiguration)
 */
export function requiredAccess(url: string, method = 'GET'): RequiredAccess {
  const parts = parseGraphUrl(url);
  const [a, b, c, d] = parts.lower;
  const query = parts.query;
  if (method.toUpperCase() !== 'GET') {
    const write = writeAccess(parts.lower);
    if (write !== undefined) return write;
  }
  if (a === 'reports') return { permissions: ['AuditLog.Read.All'], delegatedRoles: REPORT_READERS };
  if (a === 'auditlogs') {
    return { permissions: ['AuditLog.Read.All', 'Directory.Read.All'], delegatedRoles: REPORT_READERS };
  }
  if ((a === 'users' && c === 'authentication') || (a === 'me' && b === 'authentication')) {
    const leaf = a === 'me' ? c : d;
    if (leaf === 'requirements') {
      return {
        permissions: ['Policy.Read.All'],
        delegatedRoles: ['Global Reader', 'Authentication Policy Administrator'],
      };
    }
    return {
      permissions: ['UserAuthenticationMethod.Read.All'],
      delegatedRoles: ['Global Reader', 'Authentication Administrator'],
    };
  }
  if (a === 'identity' && b === 'conditionalaccess')
    return { permissions: ['Policy.Read.All'], delegatedRoles: POLICY_READERS };
  if (a === 'policies') return { permissions: ['Policy.Read.All'], delegatedRoles: POLICY_READERS };
  if (a === 'domains' && c === 'federationconfiguration') {
    return {
      permissions: ['Domain.Read.All'],
      delegatedRoles: ['Global Reader', 'Security Reader', 'Domain Name Administrator'],
    };
  }
  if (a === 'rolemanagement' && b === 'directory') {
    return {
      permissions: ['Directory.Read.All'],
      delegatedRoles: ['Directory Readers', 'Global Reader', 'Privileged Role Administrator'],
    };
  }
  if (a === 'users') {
    const select = `${query.get('$select') ?? ''} ${query.get('$filter') ?? ''}`.toLowerCase();
    if (select.includes('signinactivity')) {
      return { permissions: ['AuditLog.Read.All', 'User.Read.All'], delegatedRoles: REPORT_READERS };
    }
    return { permissions: ['User.Read.All'], delegatedRoles: [] };
  }
  return { permissions: ['Directory.Read.All'], delegatedRoles: [] };
}

/**
 * The writes of `rollout` and `remediate`, least privileged first:
 * - group membership (https://learn.microsoft.com/graph/api/group-post-members, group-delete-members):
 *   GroupMember.ReadWrite.All, or Group.ReadWrite.All / Directory.ReadWrite.All; delegated, a Groups
 *   Administrator or User Administrator (https://learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference);
 * - a user's methods (https://learn.microsoft.com/graph/api/authentication-post-temporaryaccesspassmethods,
 *   microsoftauthenticatorauthenticationmethod-delete, beta authentication-update): UserAuthenticationMethod.ReadWrite.All;
 *   delegated, an Authentication Administrator (members only) or a Privileged Authentication Administrator (admins too).
 */
export const WRITE_ACCESS = {
  groupMembers: {
    permissions: ['GroupMember.ReadWrite.All'],
    accepted: ['GroupMember.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'],
    delegatedRoles: ['Groups Administrator', 'User Administrator'],
  },
  methods: {
    permissions: ['UserAuthenticationMethod.ReadWrite.All'],
    accepted: ['UserAuthenticationMethod.ReadWrite.All'],
    delegatedRoles: ['Authentication Administrator', 'Privileged Authentication Administrator'],
  },
} as const;

/**
 * Template ids of the directory roles the writes need (https://learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference):
 * what a delegated token's `wids` claim and `/me/transitiveMemberOf/microsoft.graph.directoryRole` name.
 */
export const ROLE_TEMPLATE_IDS: Readonly<Record<string, string>> = {
  'Global Administrator': '62e90394-69f5-4237-9190-012177145e10',
  'Groups Administrator': 'fdd7a751-b60b-444a-984c-02652fe8fa1c',
  'User Administrator': 'fe930be7-5e62-47db-91af-98c3a49a38b1',
  'Authentication Administrator': 'c4e39bd9-1100-46d3-8c65-fb160da0071f',
  'Privileged Authentication Administrator': '7be44c8a-adaf-4e2a-84d6-ab2649e08a13',
};

function writeAccess(lower: readonly string[]): RequiredAccess | undefined {
  const [a, , c] = lower;
  if (a === 'groups' && c === 'members') {
    const w = WRITE_ACCESS.groupMembers;
    return { permissions: [...w.permissions], delegatedRoles: [...w.delegatedRoles] };
  }
  if ((a === 'users' && c === 'authentication') || (a === 'me' && lower[1] === 'authentication')) {
    const w = WRITE_ACCESS.methods;
    return { permissions: [...w.permissions], delegatedRoles: [...w.delegatedRoles] };
  }
  return undefined;
}

/** `AuditLog.Read.All + Directory.Read.All`. */
export function formatPermissions(access: RequiredAccess): string {
  return access.permissions.join(' + ');
}
