/** `preflight --for rollout|remediate`: what a token grants, read without writing anything. */
import { describe, expect, it } from 'vitest';
import { GraphRequestFailed } from '../../../src/collect/graph/errors.js';
import { requiredAccess } from '../../../src/collect/graph/permissions.js';
import { decodeTokenClaims } from '../../../src/collect/graph/token-claims.js';
import { checkWrites, preflightWrites } from '../../../src/collect/live/preflight.js';
import type { CollectSource } from '../../../src/collect/live/run-context.js';

const GROUPS_ADMIN = 'fdd7a751-b60b-444a-984c-02652fe8fa1c';
const AUTH_ADMIN = 'c4e39bd9-1100-46d3-8c65-fb160da0071f';
const PRIV_AUTH_ADMIN = '7be44c8a-adaf-4e2a-84d6-ab2649e08a13';

/** An unsigned JWT with these claims (the checks read claims, they never verify). */
function token(claims: Record<string, unknown>): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.sig`;
}
const states = (w: ReturnType<typeof checkWrites>) => w.checks.map((c) => `${c.kind} ${c.name} ${c.state}`);

describe('decodeTokenClaims', () => {
  it('reads roles (app-only), scp and wids (delegated); anything else is undefined', () => {
    expect(decodeTokenClaims(token({ idtyp: 'app', roles: ['A', 'B'] }))).toEqual({
      kind: 'app',
      roles: ['A', 'B'],
      scopes: [],
    });
    expect(
      decodeTokenClaims(token({ scp: 'User.Read GroupMember.ReadWrite.All', wids: [GROUPS_ADMIN] })),
    ).toEqual({
      kind: 'user',
      roles: [],
      scopes: ['User.Read', 'GroupMember.ReadWrite.All'],
      wids: [GROUPS_ADMIN],
    });
    expect(decodeTokenClaims('opaque-token')).toBeUndefined();
    expect(decodeTokenClaims('a.!!!.c')).toBeUndefined();
    expect(decodeTokenClaims(`a.${Buffer.from('[1]').toString('base64url')}.c`)).toBeUndefined();
  });
});

describe('checkWrites', () => {
  it('rollout, app-only: GroupMember.ReadWrite.All present; no role is asked of an app', () => {
    const w = checkWrites('rollout', {
      claims: decodeTokenClaims(token({ roles: ['GroupMember.ReadWrite.All'] })),
    });
    expect(w.signIn).toBe('app-only');
    expect(states(w)).toEqual(['permission GroupMember.ReadWrite.All present']);
  });

  it('rollout, app-only: a broader permission counts and says which; only read permissions are missing', () => {
    const broad = checkWrites('rollout', {
      claims: decodeTokenClaims(token({ roles: ['Directory.ReadWrite.All'] })),
    });
    expect(broad.checks[0]).toMatchObject({ state: 'present', found: 'Directory.ReadWrite.All' });
    const read = checkWrites('rollout', {
      claims: decodeTokenClaims(token({ roles: ['Directory.Read.All', 'GroupMember.Read.All'] })),
    });
    expect(states(read)).toEqual(['permission GroupMember.ReadWrite.All missing']);
  });

  it('rollout, delegated: the scope and one of the group roles; a missing role is a gap', () => {
    const ok = checkWrites('rollout', {
      claims: decodeTokenClaims(token({ scp: 'GroupMember.ReadWrite.All', wids: [GROUPS_ADMIN] })),
    });
    expect(ok.signIn).toBe('delegated');
    expect(states(ok)).toEqual([
      'permission GroupMember.ReadWrite.All present',
      'role Groups Administrator present',
    ]);
    const noRole = checkWrites('rollout', {
      claims: decodeTokenClaims(token({ scp: 'GroupMember.ReadWrite.All', wids: [AUTH_ADMIN] })),
    });
    expect(states(noRole)).toContain('role Groups Administrator missing');
  });

  it('remediate, delegated Authentication Administrator: ready for members, the admin-users role reported as not required', () => {
    const w = checkWrites('remediate', {
      claims: decodeTokenClaims(
        token({ scp: 'UserAuthenticationMethod.ReadWrite.All Policy.Read.All', wids: [AUTH_ADMIN] }),
      ),
    });
    expect(states(w)).toEqual([
      'permission UserAuthenticationMethod.ReadWrite.All present',
      'permission Policy.Read.All present',
      'role Authentication Administrator present',
      'role Privileged Authentication Administrator missing',
    ]);
    expect(w.checks[3]?.required).toBe(false);
    const priv = checkWrites('remediate', {
      claims: decodeTokenClaims(
        token({ scp: 'UserAuthenticationMethod.ReadWrite.All', wids: [PRIV_AUTH_ADMIN] }),
      ),
    });
    expect(priv.checks.filter((c) => c.kind === 'role').map((c) => c.state)).toEqual(['present', 'present']);
    expect(priv.checks[1]).toMatchObject({ name: 'Policy.Read.All', state: 'missing' });
  });

  it('a token that does not decode: every check unknown (never present), roles asked too', () => {
    const w = checkWrites('remediate', { claims: undefined });
    expect(w.signIn).toBe('unknown');
    expect(w.checks.every((c) => c.state === 'unknown')).toBe(true);
    expect(w.checks.some((c) => c.kind === 'role')).toBe(true);
  });

  it('delegated without wids and no directory answer: roles unknown; with the directory roles: judged', () => {
    const claims = decodeTokenClaims(token({ scp: 'GroupMember.ReadWrite.All' }));
    expect(states(checkWrites('rollout', { claims }))).toContain('role Groups Administrator unknown');
    expect(
      states(checkWrites('rollout', { claims, roleTemplateIds: [GROUPS_ADMIN.toUpperCase()] })),
    ).toContain('role Groups Administrator present');
  });
});

describe('preflightWrites', () => {
  const source = (answer: () => unknown): CollectSource & { asked: string[] } => {
    const asked: string[] = [];
    return {
      asked,
      get: async <T>(path: string) => {
        asked.push(path);
        return answer() as T;
      },
      pages: () => {
        throw new Error('not used');
      },
      batch: () => {
        throw new Error('not used');
      },
    } as unknown as CollectSource & { asked: string[] };
  };

  it('asks the directory for the roles of a delegated user whose token has no wids', async () => {
    const s = source(() => ({
      value: [{ roleTemplateId: GROUPS_ADMIN, displayName: 'Groups Administrator' }],
    }));
    const w = await preflightWrites(s, 'rollout', token({ scp: 'GroupMember.ReadWrite.All' }));
    expect(s.asked).toEqual([
      '/me/transitiveMemberOf/microsoft.graph.directoryRole?$select=roleTemplateId,displayName',
    ]);
    expect(states(w)).toContain('role Groups Administrator present');
  });

  it('a refused role lookup leaves the roles unknown; an app-only token asks nothing', async () => {
    const refused = source(() => {
      throw new GraphRequestFailed('no', { endpoint: 'GET /me', status: 403 });
    });
    const w = await preflightWrites(refused, 'rollout', token({ scp: 'GroupMember.ReadWrite.All' }));
    expect(states(w)).toContain('role Groups Administrator unknown');
    const app = source(() => ({}));
    await preflightWrites(app, 'rollout', token({ roles: [] }));
    expect(app.asked).toEqual([]);
  });
});

describe('requiredAccess for writes', () => {
  it('names the write permission and roles, not the read ones', () => {
    expect(requiredAccess('/v1.0/groups/g/members/$ref', 'POST')).toEqual({
      permissions: ['GroupMember.ReadWrite.All'],
      delegatedRoles: ['Groups Administrator', 'User Administrator'],
    });
    expect(requiredAccess('/v1.0/groups/g/members/u/$ref', 'DELETE').permissions).toEqual([
      'GroupMember.ReadWrite.All',
    ]);
    expect(requiredAccess('/beta/users/u/authentication/signInPreferences', 'PATCH')).toEqual({
      permissions: ['UserAuthenticationMethod.ReadWrite.All'],
      delegatedRoles: ['Authentication Administrator', 'Privileged Authentication Administrator'],
    });
    expect(requiredAccess('/v1.0/groups/g/members').permissions).toEqual(['Directory.Read.All']);
  });
});
