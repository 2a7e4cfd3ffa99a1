/**
 * GET /roleManagement/directory/roleAssignments
 * (https://learn.microsoft.com/graph/api/rbacapplication-list-roleassignments): the demo's admins hold
 * Global Administrator, `$filter` eq and `$expand=principal` as the reference uses them, paging, and the
 * permission it needs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from './support.js';
import { graphError, startWithCaller } from './support.js';

const GLOBAL_ADMIN = '62e90394-69f5-4237-9190-012177145e10';
const PATH = '/v1.0/roleManagement/directory/roleAssignments';

describe('emulator: /roleManagement/directory/roleAssignments', () => {
  let caller: Caller;
  let close: () => Promise<void>;
  let admins: Set<string>;

  beforeAll(async () => {
    const started = await startWithCaller({
      pageSizes: { roleAssignments: { default: 2, max: 999, overMax: 'cap' } },
    });
    caller = started.caller;
    close = started.close;
    admins = new Set(started.em.tenant.registration.filter((r) => r.isAdmin).map((r) => r.id));
  });
  afterAll(async () => close());

  it('lists a tenant-wide Global Administrator assignment for each user the report flags isAdmin, page by page', async () => {
    const { items, pages } = await caller.all(PATH);
    expect(admins.size).toBeGreaterThan(0);
    expect(new Set(items.map((a) => a['principalId']))).toEqual(admins);
    expect(pages).toBeGreaterThan(1);
    for (const a of items) {
      expect(a).toMatchObject({ roleDefinitionId: GLOBAL_ADMIN, directoryScopeId: '/' });
      expect(a['principal']).toBeUndefined();
    }
  });

  it('expands the principal with $expand=principal, and filters with eq', async () => {
    const id = [...admins][0]!;
    const r = await caller.get(`${PATH}?$filter=principalId eq '${id}'&$expand=principal`);
    expect(r.status).toBe(200);
    const body = r.json as { value: Record<string, unknown>[] };
    expect(body.value).toHaveLength(1);
    expect(body.value[0]!['principal']).toEqual({ '@odata.type': '#microsoft.graph.user', id });
    const none = await caller.get(
      `${PATH}?$filter=roleDefinitionId eq 'f2ef992c-3afb-46b9-b7cf-a126ee74c451'`,
    );
    expect((none.json as { value: unknown[] }).value).toEqual([]);
  });

  it('refuses an unknown $expand and an unknown $filter property with 400', async () => {
    const r = await caller.get(`${PATH}?$expand=roleDefinition`);
    expect(r.status).toBe(400);
    const f = await caller.get(`${PATH}?$filter=displayName eq 'x'`);
    expect(f.status).toBe(400);
    expect(graphError(f).code).not.toBe('');
  });
});

describe('emulator: role assignments need a role-management or directory read permission', () => {
  it('answers 403 to a token with User.Read.All only', async () => {
    const { caller, close } = await startWithCaller({ grantedPermissions: ['User.Read.All'] });
    try {
      const r = await caller.get(PATH);
      expect(r.status).toBe(403);
    } finally {
      await close();
    }
  });

  it('answers 200 to RoleManagement.Read.Directory alone', async () => {
    const { caller, close } = await startWithCaller({
      grantedPermissions: ['RoleManagement.Read.Directory'],
    });
    try {
      expect((await caller.get(PATH)).status).toBe(200);
    } finally {
      await close();
    }
  });
});
