/**
 * roleAssignments.json (GET /roleManagement/directory/roleAssignments?$expand=principal,
 * https://learn.microsoft.com/graph/api/rbacapplication-list-roleassignments): read from an export
 * folder, turned into role holders, and what Conditional Access role conditions then decide in the
 * audit's coveredBy. An export without the file keeps role conditions unknown.
 */
import { cp, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { assess } from '../../src/assess/assess.js';
import { GroupMembership } from '../../src/assess/group-membership.js';
import { roleHoldersOf } from '../../src/assess/impact-roles.js';
import { InputError } from '../../src/domain/errors.js';
import { readExportFolder } from '../../src/load/read-export-folder.js';
import { tempFolders, writeInto } from '../collect/temp-files.js';

const EXPORT_SMALL = fileURLToPath(new URL('../fixtures/inputs/export-small/', import.meta.url));
const ROLES_FILE = fileURLToPath(
  new URL('../fixtures/inputs/role-assignments/roleAssignments.json', import.meta.url),
);
const ALICE = '11111111-1111-4111-8111-111111111111';
const BOB = '22222222-2222-4222-8222-222222222222';
const GLOBAL_ADMIN = '62e90394-69f5-4237-9190-012177145e10';
const SECURITY_ADMIN = '194ae4cb-b126-40b2-bd5b-6091b380977d';
const HELPDESK_ADMIN = '729827e3-9c14-49f7-bb1b-9608f156bbb8';
const USER_ADMIN = 'fe930be7-5e62-47db-91af-98c3a49a38b1';
const BILLING_ADMIN = 'b0f54661-2d74-4c50-afa3-1ec803f12efe';

const temp = tempFolders();
afterEach(temp.cleanup);

/** export-small plus roleAssignments.json (when given) and, instead of its policies, one MFA policy for `roles`. */
async function exportWith(rolesFile: string | undefined, roles: string[]): Promise<string> {
  const dir = await temp.make();
  await cp(EXPORT_SMALL, dir, { recursive: true });
  if (rolesFile !== undefined) await writeInto(dir, 'roleAssignments.json', await readFile(rolesFile));
  const policy = {
    id: 'ca000000-0000-4000-8000-0000000000ad',
    displayName: 'Require MFA for admins',
    state: 'enabled',
    conditions: {
      applications: { includeApplications: ['All'] },
      users: { includeUsers: [], includeGroups: [], includeRoles: roles, excludeRoles: [] },
    },
    grantControls: { operator: 'OR', builtInControls: ['mfa'] },
  };
  await writeInto(dir, 'conditionalAccessPolicies.json', JSON.stringify({ value: [policy] }));
  return dir;
}

describe('roleAssignments.json in an export folder', () => {
  it('is read into the snapshot: principal type from the expanded principal, scope kept', async () => {
    const s = await readExportFolder(await exportWith(ROLES_FILE, [GLOBAL_ADMIN]));
    expect(s.coverage.roleAssignments).toEqual({ present: true, rows: 4 });
    expect(s.roleAssignments?.[0]).toEqual({
      principalId: ALICE,
      roleDefinitionId: GLOBAL_ADMIN,
      directoryScopeId: '/',
      principalType: 'user',
    });
    expect(s.roleAssignments?.map((a) => a.principalType)).toEqual(['user', 'group', 'group', 'user']);
  });

  it('gives role holders: users directly, group members when collected, unknown otherwise, AU scopes left out', async () => {
    const s = await readExportFolder(await exportWith(ROLES_FILE, [GLOBAL_ADMIN]));
    const holders = roleHoldersOf(s, new GroupMembership(s.groups));
    expect(holders).toBeDefined();
    expect([...(holders!.get(GLOBAL_ADMIN) ?? [])]).toEqual([ALICE]);
    // Security Administrator is held through MFA_Required, whose transitive members were collected.
    expect(holders!.get(SECURITY_ADMIN)?.has(BOB)).toBe(true);
    // Helpdesk Administrator through "Break glass", whose members were not: not known, never "nobody".
    expect(holders!.get(HELPDESK_ADMIN)).toBeUndefined();
    // Bob's User Administrator is scoped to an administrative unit, which CA role conditions ignore.
    expect(holders!.get(USER_ADMIN)?.size).toBe(0);
    expect(holders!.get(BILLING_ADMIN)?.size).toBe(0);
  });

  it('lets the audit decide coveredBy for a role condition: the admin covered, the others not', async () => {
    const s = await readExportFolder(await exportWith(ROLES_FILE, [GLOBAL_ADMIN]));
    const a = assess(s, { now: new Date('2024-05-10T00:00:00Z') });
    const alice = a.users.find((u) => u.id === ALICE);
    const bob = a.users.find((u) => u.id === BOB);
    expect(alice?.coveredBy).toMatchObject({
      policies: [{ displayName: 'Require MFA for admins' }],
      undecided: [],
    });
    expect(bob?.coveredBy).toEqual({ policies: [], undecided: [] });
  });

  it('leaves a role held through an uncollected group undecided', async () => {
    const s = await readExportFolder(await exportWith(ROLES_FILE, [HELPDESK_ADMIN]));
    const a = assess(s, { now: new Date('2024-05-10T00:00:00Z') });
    for (const u of a.users)
      expect(u.coveredBy?.undecided.map((p) => p.displayName)).toEqual(['Require MFA for admins']);
  });

  it('without the file: the dataset is absent and role conditions stay undecided for everyone', async () => {
    const s = await readExportFolder(await exportWith(undefined, [GLOBAL_ADMIN]));
    expect(s.roleAssignments).toBeUndefined();
    expect(s.coverage.roleAssignments).toEqual({ present: false, rows: 0 });
    expect(roleHoldersOf(s, new GroupMembership(s.groups))).toBeUndefined();
    const a = assess(s, { now: new Date('2024-05-10T00:00:00Z') });
    expect(a.users.length).toBeGreaterThan(0);
    for (const u of a.users) expect(u.coveredBy?.undecided).toHaveLength(1);
  });

  it('refuses an assignment without roleDefinitionId, naming the file and field', async () => {
    const dir = await exportWith(undefined, []);
    await writeInto(
      dir,
      'roleAssignments.json',
      JSON.stringify({ value: [{ id: 'x', principalId: ALICE }] }),
    );
    const err = await readExportFolder(dir).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).location?.file).toMatch(/roleAssignments\.json$/);
    expect((err as InputError).location?.entity).toBe(0);
    expect((err as InputError).message).toMatch(/roleDefinitionId/);
  });
});
