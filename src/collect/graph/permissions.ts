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
 * - a domain's federationConfiguration → Domain.Read.All, which Directory.Read.All does not stand in for
 *   (https://learn.microsoft.com/graph/api/domain-list-federationconfiguration)
 */
export function requiredAccess(url: string): RequiredAccess {
  const parts = parseGraphUrl(url);
  const [a, b, c, d] = parts.lower;
  const query = parts.query;
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
  if (a === 'users') {
    const select = `${query.get('$select') ?? ''} ${query.get('$filter') ?? ''}`.toLowerCase();
    if (select.includes('signinactivity')) {
      return { permissions: ['AuditLog.Read.All', 'User.Read.All'], delegatedRoles: REPORT_READERS };
    }
    return { permissions: ['User.Read.All'], delegatedRoles: [] };
  }
  return { permissions: ['Directory.Read.All'], delegatedRoles: [] };
}

/** `AuditLog.Read.All + Directory.Read.All`. */
export function formatPermissions(access: RequiredAccess): string {
  return access.permissions.join(' + ');
}
