/**
 * Remediation writes on authentication methods: TAP creation, Authenticator deletion, beta
 * signInPreferences, with Graph's documented answers, and what later reads show.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { GraphAuthenticationMethod } from '../../src/demo/graph-types.js';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { DEFAULT_PERMISSIONS } from '../../src/emulator/index.js';
import type { Caller, Reply } from './support.js';
import { fixture, graphError, startWithCaller } from './support.js';

const WRITE = [...DEFAULT_PERMISSIONS, 'UserAuthenticationMethod.ReadWrite.All'];
const AUTHENTICATOR = '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod';
const TAP = '#microsoft.graph.temporaryAccessPassAuthenticationMethod';
const POLICY_REFUSAL =
  'Converged UserCredentialPolicy does not allow creating or updating this authentication method. AuthMethodType [TemporaryAccessPass].';
const DEFAULT_REFUSAL =
  'Cannot delete default method with other methods configured. Please change default method before deletion.';

const json = (body: unknown) => ({
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json' },
});
const postTap = (c: Caller, user: string, body: unknown = {}, version = 'v1.0') =>
  c.raw(`/${version}/users/${user}/authentication/temporaryAccessPassMethods`, {
    method: 'POST',
    ...json(body),
  });
const delAuth = (c: Caller, user: string, id: string) =>
  c.raw(`/v1.0/users/${user}/authentication/microsoftAuthenticatorMethods/${id}`, { method: 'DELETE' });
const patchPrefs = (c: Caller, user: string, body: unknown, version = 'beta') =>
  c.raw(`/${version}/users/${user}/authentication/signInPreferences`, { method: 'PATCH', ...json(body) });

async function methods(c: Caller, user: string): Promise<Record<string, unknown>[]> {
  const r = await c.get(`/beta/users/${user}/authentication/methods`);
  expect(r.status).toBe(200);
  return (r.json as { value: Record<string, unknown>[] }).value;
}
async function row(c: Caller, user: string): Promise<Record<string, unknown>> {
  const r = await c.get(`/beta/reports/authenticationMethods/userRegistrationDetails/${user}`);
  expect(r.status).toBe(200);
  return r.json as Record<string, unknown>;
}

/** Each test writes to users no earlier test touched: a user is picked once. */
const picked = new Set<string>();
function pick(em: RunningEmulator, want: (m: GraphAuthenticationMethod[], id: string) => boolean): string {
  const user = em.tenant.users.find(
    (u) =>
      !picked.has(u.id) &&
      u.accountEnabled &&
      u.userType === 'Member' &&
      want(em.tenant.methodsOf(u.id) ?? [], u.id),
  );
  if (user === undefined) throw new Error('no such user in the emulated tenant');
  picked.add(user.id);
  return user.id;
}
const authenticators = (m: GraphAuthenticationMethod[]) =>
  m.filter((x) => x['@odata.type'] === AUTHENTICATOR);
const nonPassword = (m: GraphAuthenticationMethod[]) =>
  m.filter((x) => x['@odata.type'] !== '#microsoft.graph.passwordAuthenticationMethod');

describe('remediation writes', () => {
  let em: RunningEmulator;
  let caller: Caller;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ em, caller, close } = await startWithCaller({
      users: 200,
      throttling: false,
      grantedPermissions: WRITE,
      logRequests: true,
    }));
  });
  afterAll(() => close());

  it('creates a TAP: 201 with the documented shape, the value only in this answer; GET lists it with value null', async () => {
    const user = pick(em, (m) => !m.some((x) => x['@odata.type'] === TAP));
    const r = await postTap(caller, user, { isUsableOnce: true, lifetimeInMinutes: 60 });
    expect(r.status).toBe(201);
    const body = r.json as Record<string, unknown>;
    const doc = fixture('users_authentication_temporaryAccessPassMethods.post-201.v1.0.json') as Record<
      string,
      unknown
    >;
    for (const key of Object.keys(doc)) expect(body).toHaveProperty(key);
    expect(body).toMatchObject({
      '@odata.type': TAP,
      lifetimeInMinutes: 60,
      isUsableOnce: true,
      isUsable: true,
      methodUsabilityReason: 'EnabledByPolicy',
    });
    const value = body['temporaryAccessPass'] as string;
    expect(value).toMatch(/^.{8}$/); // the demo policy's defaultLength
    const listed = (await methods(caller, user)).filter((m) => m['@odata.type'] === TAP);
    expect(listed).toEqual([expect.objectContaining({ id: body['id'], temporaryAccessPass: null })]);
    const typed = await caller.get(`/v1.0/users/${user}/authentication/temporaryAccessPassMethods`);
    expect(JSON.stringify(typed.json)).not.toContain(value);
    expect((await row(caller, user))['methodsRegistered']).toContain('temporaryAccessPass');
    // Never in the request log, nor in any later read.
    expect(em.requests().join('\n')).not.toContain(value);
    expect(JSON.stringify(await methods(caller, user))).not.toContain(value);
  });

  it('a new TAP replaces a valid one; two passes are random', async () => {
    const user = pick(em, () => true);
    const a = await postTap(caller, user);
    const b = await postTap(caller, user);
    expect([a.status, b.status]).toEqual([201, 201]);
    const ja = a.json as Record<string, unknown>;
    const jb = b.json as Record<string, unknown>;
    expect(ja['temporaryAccessPass']).not.toBe(jb['temporaryAccessPass']);
    const taps = (await methods(caller, user)).filter((m) => m['@odata.type'] === TAP);
    expect(taps.map((t) => t['id'])).toEqual([jb['id']]);
    // Lifetime defaulted from the policy (the demo's 480 minutes).
    expect(jb['lifetimeInMinutes']).toBe(480);
  });

  it('refuses a lifetime outside the policy (60 to 10,080 minutes in the demo) and a bad body with 400', async () => {
    const user = pick(em, () => true);
    for (const body of [
      { lifetimeInMinutes: 59 },
      { lifetimeInMinutes: 10_081 },
      { lifetimeInMinutes: 'x' },
      [],
    ]) {
      const r = await postTap(caller, user, body);
      expect(r.status).toBe(400);
    }
    expect((await postTap(caller, user, { lifetimeInMinutes: 10_080 })).status).toBe(201);
  });

  it('a TAP starting later is NotYetValid and not listed as registered', async () => {
    const user = pick(em, (m) => !m.some((x) => x['@odata.type'] === TAP));
    const start = new Date(Date.parse(em.tenant.options.collectedAt) + 86_400_000).toISOString();
    const r = await postTap(caller, user, { startDateTime: start, lifetimeInMinutes: 60 });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ isUsable: false, methodUsabilityReason: 'NotYetValid' });
    expect((await row(caller, user))['methodsRegistered']).not.toContain('temporaryAccessPass');
  });

  it('refuses a TAP for a guest with 400 and for an unknown user with 404', async () => {
    const guest = em.tenant.users.find((u) => u.userType === 'Guest');
    expect(guest).toBeDefined();
    const r = await postTap(caller, guest?.id as string);
    expect(r.status).toBe(400);
    expect(graphError(r).message).toContain('guest');
    const unknown = await postTap(caller, '00000000-0000-4000-8000-0000000000aa');
    expect(unknown.status).toBe(404);
  });

  it('deletes a non-default Authenticator entry (204), gone from the methods and the report row', async () => {
    const user = pick(
      em,
      (m, id) =>
        authenticators(m).length === 1 &&
        em.tenant.registration.find((r) => r.id === id)?.userPreferredMethodForSecondaryAuthentication !==
          'push',
    );
    const id = authenticators(em.tenant.methodsOf(user) ?? [])[0]?.id as string;
    const r = await delAuth(caller, user, id);
    expect(r.status).toBe(204);
    expect((await methods(caller, user)).some((m) => m['id'] === id)).toBe(false);
    const after = await row(caller, user);
    expect(after['methodsRegistered']).not.toContain('microsoftAuthenticatorPush');
    expect((await delAuth(caller, user, id)).status).toBe(404);
  });

  it('refuses to delete the default Authenticator while other methods exist; after changing the default it deletes', async () => {
    const user = pick(
      em,
      (m, id) =>
        authenticators(m).length === 1 &&
        m.some(
          (x) =>
            x['@odata.type'] === '#microsoft.graph.phoneAuthenticationMethod' &&
            (x as { phoneType: string }).phoneType === 'mobile',
        ) &&
        em.tenant.registration.find((r) => r.id === id)?.userPreferredMethodForSecondaryAuthentication ===
          'push',
    );
    const id = authenticators(em.tenant.methodsOf(user) ?? [])[0]?.id as string;
    const refused = await delAuth(caller, user, id);
    expect(refused.status).toBe(400);
    expect(graphError(refused).message).toBe(DEFAULT_REFUSAL);
    expect((await methods(caller, user)).some((m) => m['id'] === id)).toBe(true);

    expect(
      (await patchPrefs(caller, user, { userPreferredMethodForSecondaryAuthentication: 'sms' })).status,
    ).toBe(204);
    const prefs = await caller.get(`/beta/users/${user}/authentication/signInPreferences`);
    expect(prefs.json).toMatchObject({ userPreferredMethodForSecondaryAuthentication: 'sms' });
    expect(await row(caller, user)).toMatchObject({
      userPreferredMethodForSecondaryAuthentication: 'sms',
      defaultMfaMethod: 'mobilePhone',
    });
    expect((await delAuth(caller, user, id)).status).toBe(204);
    expect(await row(caller, user)).toMatchObject({ isMfaRegistered: true, defaultMfaMethod: 'mobilePhone' });
  });

  it('deletes the default Authenticator when it is the only method; the user is then not MFA-registered', async () => {
    const user = pick(
      em,
      (m, id) =>
        nonPassword(m).length === 1 &&
        authenticators(m).length === 1 &&
        em.tenant.registration.find((r) => r.id === id)?.userPreferredMethodForSecondaryAuthentication ===
          'push',
    );
    const id = authenticators(em.tenant.methodsOf(user) ?? [])[0]?.id as string;
    expect((await delAuth(caller, user, id)).status).toBe(204);
    expect(await row(caller, user)).toMatchObject({
      isMfaRegistered: false,
      isMfaCapable: false,
      defaultMfaMethod: '',
    });
  });

  it('signInPreferences: a method the user lacks, a value outside the enum, or v1.0 are refused with 400', async () => {
    const user = pick(em, (m) => authenticators(m).length === 0 && nonPassword(m).length === 0);
    expect(
      (await patchPrefs(caller, user, { userPreferredMethodForSecondaryAuthentication: 'push' })).status,
    ).toBe(400);
    expect(
      (await patchPrefs(caller, user, { userPreferredMethodForSecondaryAuthentication: 'none' })).status,
    ).toBe(400);
    expect((await patchPrefs(caller, user, { unknownProperty: 1 })).status).toBe(400);
    const v1 = await patchPrefs(
      caller,
      user,
      { userPreferredMethodForSecondaryAuthentication: 'sms' },
      'v1.0',
    );
    expect(v1.status).toBe(400);
  });

  it('the same writes work inside $batch (the TAP answer carries its value there too)', async () => {
    const user = pick(em, (m) => !m.some((x) => x['@odata.type'] === TAP));
    const r = await caller.batch('beta', [
      {
        id: 't',
        method: 'POST',
        url: `/users/${user}/authentication/temporaryAccessPassMethods`,
        body: { lifetimeInMinutes: 120 },
        headers: { 'Content-Type': 'application/json' },
      },
    ]);
    const inner = (r.json as { responses: { id: string; status: number; body: Record<string, unknown> }[] })
      .responses[0];
    expect(inner?.status).toBe(201);
    expect(typeof inner?.body['temporaryAccessPass']).toBe('string');
    expect(em.writes().at(-1)).toMatchObject({
      method: 'POST',
      path: `/beta/users/${user}/authentication/temporaryAccessPassMethods`,
      status: 201,
    });
  });
});

describe('TAP policy and permissions', () => {
  let session: Awaited<ReturnType<typeof startWithCaller>> | undefined;
  afterEach(async () => {
    await session?.close();
    session = undefined;
  });

  it('a disabled TAP policy refuses with the "Converged UserCredentialPolicy" 400, and the policy GET shows it disabled', async () => {
    session = await startWithCaller({
      throttling: false,
      grantedPermissions: WRITE,
      temporaryAccessPassPolicy: { state: 'disabled' },
    });
    const user = session.em.tenant.users.find((u) => u.userType === 'Member')?.id as string;
    const r = await postTap(session.caller, user);
    expect(r.status).toBe(400);
    expect(graphError(r).message).toBe(POLICY_REFUSAL);
    const policy = await session.caller.get('/v1.0/policies/authenticationMethodsPolicy');
    const configs = (policy.json as { authenticationMethodConfigurations: Record<string, unknown>[] })
      .authenticationMethodConfigurations;
    expect(configs.find((c) => c['id'] === 'TemporaryAccessPass')).toMatchObject({ state: 'disabled' });
  });

  it('a policy targeting a group refuses users outside it', async () => {
    session = await startWithCaller({ throttling: false, grantedPermissions: WRITE });
    const it0 = session.em.tenant.groups.find((g) => g.displayName === 'IT Admins')?.id as string;
    await session.close();
    session = await startWithCaller({
      throttling: false,
      grantedPermissions: WRITE,
      temporaryAccessPassPolicy: { includeGroups: [it0] },
    });
    const inside = session.em.tenant.groupMembers.get(it0)?.[0]?.id as string;
    const outsider = session.em.tenant.users.find(
      (u) =>
        u.userType === 'Member' &&
        !(session?.em.tenant.groupMembers.get(it0) ?? []).some((m) => m.id === u.id),
    )?.id as string;
    expect((await postTap(session.caller, inside)).status).toBe(201);
    const r = await postTap(session.caller, outsider);
    expect(r.status).toBe(400);
    expect(graphError(r).message).toBe(POLICY_REFUSAL);
  });

  it('403 without UserAuthenticationMethod.ReadWrite.All (the read permission is not enough)', async () => {
    session = await startWithCaller({ throttling: false });
    const { caller, em } = session;
    const user = em.tenant.users[0]?.id as string;
    const checks: Reply[] = [
      await postTap(caller, user),
      await delAuth(caller, user, '00000000-0000-4000-8000-000000000001'),
      await patchPrefs(caller, user, { userPreferredMethodForSecondaryAuthentication: 'push' }),
    ];
    expect(checks.map((r) => r.status)).toEqual([403, 403, 403]);
    expect(graphError(checks[0] as Reply).code).toBe('Authorization_RequestDenied');
  });

  it('method writes are throttled with the authentication-method reads: 5 per 10 s', async () => {
    session = await startWithCaller({ grantedPermissions: WRITE });
    const users = session.em.tenant.users.filter((u) => u.userType === 'Member').slice(0, 6);
    const statuses: number[] = [];
    for (const u of users) statuses.push((await postTap(session.caller, u.id)).status);
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429]);
  });
});
