/**
 * roleAssignments.json: the collector reads GET /roleManagement/directory/roleAssignments?$expand=principal
 * (https://learn.microsoft.com/graph/api/rbacapplication-list-roleassignments) into the export folder,
 * page by page; refused, the rest is collected and the result names Directory.Read.All (already in the README's set) and
 * what is lost (who a Conditional Access role condition covers).
 */
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GroupMembership } from '../../../src/assess/group-membership.js';
import { roleHoldersOf } from '../../../src/assess/impact-roles.js';
import { collectTenant } from '../../../src/collect/live/index.js';
import { generateDemoTenant } from '../../../src/demo/demo-tenant.js';
import { readExportFolder } from '../../../src/load/read-export-folder.js';
import { tempFolders } from '../temp-files.js';
import { optionsFor, partOf } from './collect-helpers.js';
import { FakeGraphSource, permissionMissing } from './fake-graph-source.js';
import { PEOPLE, PILOT_GROUP, fakeFromSynthetic, handBuiltTenant } from './tenants.js';

const temp = tempFolders();
afterEach(() => temp.cleanup());

describe('collecting directory role assignments', () => {
  it('writes every page to roleAssignments.json, which reads back as the admins’ assignments', async () => {
    const tenant = generateDemoTenant();
    const out = await temp.make();
    const source = new FakeGraphSource(fakeFromSynthetic(tenant), { pageSize: 4 });
    const result = await collectTenant(
      source,
      optionsFor(out, { tenantId: tenant.tenant.tenantId, now: new Date(tenant.options.collectedAt) }),
    );

    const part = partOf(result, 'roleAssignments');
    expect(part.status.state).toBe('complete');
    expect(part.rows).toBe(tenant.roleAssignments.length);
    expect(part.pages).toBeGreaterThan(1);
    const file = JSON.parse(await readFile(path.join(out, 'roleAssignments.json'), 'utf8')) as {
      value: unknown[];
    };
    expect(file.value).toEqual(tenant.roleAssignments);

    const s = await readExportFolder(out);
    const admins = tenant.registration.filter((r) => r.isAdmin).map((r) => r.id);
    expect(admins.length).toBeGreaterThan(0);
    expect(s.roleAssignments?.map((a) => a.principalId).sort()).toEqual([...admins].sort());
    expect(s.roleAssignments?.every((a) => a.principalType === 'user')).toBe(true);
  });

  it('refused (403): no file, the rest collected, the permission and the loss named', async () => {
    const tenant = generateDemoTenant();
    const out = await temp.make();
    const source = new FakeGraphSource(fakeFromSynthetic(tenant), { pageSize: 100 }).failOn(
      '/roleManagement/directory/roleAssignments',
      permissionMissing,
    );
    const result = await collectTenant(
      source,
      optionsFor(out, { tenantId: tenant.tenant.tenantId, now: new Date(tenant.options.collectedAt) }),
    );

    const part = partOf(result, 'roleAssignments');
    expect(part.status).toMatchObject({
      state: 'failed',
      failure: { kind: 'permission-missing', status: 403, permissions: ['Directory.Read.All'] },
    });
    expect(part.lost?.map((l) => l.code)).toEqual(['role-holders-unknown']);
    expect(result.parts.filter((p) => p.status.state === 'failed').map((p) => p.part)).toEqual([
      'roleAssignments',
    ]);
    await expect(access(path.join(out, 'roleAssignments.json'))).rejects.toThrow();
    const s = await readExportFolder(out);
    expect(s.roleAssignments).toBeUndefined();
    expect(s.coverage.roleAssignments.present).toBe(false);
  });

  it('collects the members of a group holding a role a policy names, so the role is decided', async () => {
    const SECURITY_ADMIN = '194ae4cb-b126-40b2-bd5b-6091b380977d';
    const OTHER_GROUP = 'bbbbbbbb-0000-4000-8000-0000000000ff';
    const t = handBuiltTenant();
    t.conditionalAccess = [
      {
        id: 'ca000000-0000-4000-8000-0000000000ad',
        displayName: 'Require MFA for security admins',
        state: 'enabled',
        conditions: {
          applications: { includeApplications: ['All'] },
          users: { includeUsers: [], includeGroups: [], includeRoles: [SECURITY_ADMIN], excludeRoles: [] },
        },
        grantControls: { operator: 'OR', builtInControls: ['mfa'] },
      },
    ];
    const group = (id: string) => ({ '@odata.type': '#microsoft.graph.group', id });
    t.roleAssignments = [
      {
        principalId: PILOT_GROUP,
        roleDefinitionId: SECURITY_ADMIN,
        directoryScopeId: '/',
        principal: group(PILOT_GROUP),
      },
      // Scoped to an administrative unit: Conditional Access ignores it, so its members are not needed.
      {
        principalId: OTHER_GROUP,
        roleDefinitionId: SECURITY_ADMIN,
        directoryScopeId: '/administrativeUnits/au-1',
        principal: group(OTHER_GROUP),
      },
    ];
    const source = new FakeGraphSource(t);
    const out = await temp.make();
    const result = await collectTenant(source, optionsFor(out));

    expect(result.groups?.groups).toContainEqual({ id: PILOT_GROUP, why: ['role'] });
    expect(result.groups?.groups.map((g) => g.id)).not.toContain(OTHER_GROUP);
    const s = await readExportFolder(out);
    const holders = roleHoldersOf(s, new GroupMembership(s.groups));
    expect([...(holders?.get(SECURITY_ADMIN) ?? ['not known'])]).toEqual([PEOPLE.settled]);
  });
});
