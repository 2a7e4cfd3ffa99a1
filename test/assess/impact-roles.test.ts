import { describe, expect, it } from 'vitest';
import { roleHoldersFrom } from '../../src/assess/impact-roles.js';
import { GroupMembership } from '../../src/assess/group-membership.js';
import { impactOf } from '../../src/assess/impact.js';
import { assessed, assessmentOf, caPolicy } from './impact-builders.js';
import { group, snapshot, user } from './builders.js';

const GA = '62e90394-69f5-4237-9190-012177145e10';
const SEC_ADMIN = '194ae4cb-b126-40b2-bd5b-6091b380977d';
const HELPDESK = '729827e3-9c14-49f7-bb1b-9608f156bbb8';

const groups = new GroupMembership([
  group('g-admins', 'Role-assignable admins', ['u-dee']),
  group('g-uncollected', 'Helpdesk team'),
]);
const isGroup = (id: string) => id.startsWith('g-');

describe('who holds a directory role', () => {
  const holders = roleHoldersFrom(
    [
      { principalId: 'U-ANN', roleDefinitionId: GA, directoryScopeId: '/' },
      // A role-assignable group: its members hold the role.
      { principalId: 'g-admins', roleDefinitionId: SEC_ADMIN, directoryScopeId: '/' },
      // Scoped to an administrative unit: Conditional Access does not count it.
      { principalId: 'u-cid', roleDefinitionId: GA, directoryScopeId: '/administrativeUnits/au-1' },
      { principalId: 'g-uncollected', roleDefinitionId: HELPDESK },
    ],
    groups,
    isGroup,
  )!;

  it('users directly, members of role-assignable groups, tenant-wide assignments only', () => {
    expect([...holders.get(GA)!]).toEqual(['u-ann']);
    expect([...holders.get(SEC_ADMIN)!]).toEqual(['u-dee']);
  });

  it("a role held through a group whose members were not read is unknown, one nobody holds is nobody's", () => {
    expect(holders.get(HELPDESK)).toBeUndefined();
    expect(holders.get('00000000-0000-0000-0000-00000000abcd')!.size).toBe(0);
    expect(roleHoldersFrom(undefined, groups, isGroup)).toBeUndefined();
  });

  it('impact: a role condition decides with the holders; the unknown role leaves its users unknown', () => {
    const snap = snapshot({ users: [user('u-ann', 'ann@contoso.com'), user('u-cid', 'cid@contoso.com')] });
    const assessment = assessmentOf([
      assessed('u-ann', 'ann@contoso.com', 'ready'),
      assessed('u-cid', 'cid@contoso.com', 'ready'),
    ]);
    const byGa = impactOf({
      snapshot: snap,
      assessment,
      target: { kind: 'policy', policy: caPolicy('p', { includeRoles: [GA] }) },
      roleHolders: holders,
    });
    expect(byGa.users.map((u) => u.userPrincipalName)).toEqual(['ann@contoso.com']);
    const byHelpdesk = impactOf({
      snapshot: snap,
      assessment,
      target: { kind: 'policy', policy: caPolicy('p', { includeRoles: [HELPDESK] }) },
      roleHolders: holders,
    });
    expect(byHelpdesk.counts.unknown).toBe(2);
  });
});
