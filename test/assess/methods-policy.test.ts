import { describe, expect, it } from 'vitest';
import type { AuthenticationMethodsPolicy, MethodConfiguration } from '../../src/domain/tenant.js';
import {
  authenticator,
  codes,
  fido2,
  group,
  methodsMap,
  password,
  phone,
  policy,
  row,
  run,
  snapshot,
  user,
  userOf,
} from './builders.js';

const CAROL = { id: 'cccccccc-0000-4000-8000-000000000001', upn: 'carol@contoso.com' };
const PILOT = 'a0000000-0000-4000-8000-0000000000a1';
const NO_FIDO = 'a0000000-0000-4000-8000-0000000000a2';

function carol(
  methodsPolicy: AuthenticationMethodsPolicy | undefined,
  methods = [password(), authenticator('dev-c')],
  extra = {},
) {
  const snap = snapshot({
    users: [user(CAROL.id, CAROL.upn)],
    methods: methodsMap({ [CAROL.id]: methods }),
    groups: [group(PILOT, 'Pilot', [CAROL.id]), group(NO_FIDO, 'No FIDO', ['someone-else'])],
    methodsPolicy,
    ...extra,
  });
  return userOf(run(snap), CAROL.upn);
}

const only = (over: Record<string, Partial<MethodConfiguration>>) => policy(over);

describe('authentication methods policy (migrated)', () => {
  it('blocks a method whose configuration is disabled', () => {
    const c = carol(only({ MicrosoftAuthenticator: { state: 'disabled' } }));
    expect(c.verdict).toBe('policy-blocked');
    expect(c.methods).toContainEqual({
      id: 'dev-c',
      type: 'microsoftAuthenticator',
      state: 'policy-blocked',
    });
    expect(c.evidence.find((e) => e.code === 'policy-method-disabled')).toMatchObject({
      source: 'methodsPolicy',
      ref: 'MicrosoftAuthenticator',
      fields: { configurationId: 'MicrosoftAuthenticator', methodId: 'dev-c' },
    });
    expect(c.action).toEqual({
      code: 'allow-method-in-policy',
      fields: { configurationIds: ['MicrosoftAuthenticator'] },
    });
  });

  it('blocks a method whose include targets do not contain the user', () => {
    const c = carol(
      only({ MicrosoftAuthenticator: { includeTargets: [{ id: NO_FIDO, targetType: 'group' }] } }),
    );
    expect(c.verdict).toBe('policy-blocked');
    expect(c.evidence.find((e) => e.code === 'policy-user-not-targeted')?.fields).toMatchObject({
      includeTargets: [NO_FIDO],
      includeGroupNames: ['No FIDO'],
    });
  });

  it('allows a method through a group the user is a transitive member of, or through their own id', () => {
    expect(
      carol(only({ MicrosoftAuthenticator: { includeTargets: [{ id: PILOT, targetType: 'group' }] } }))
        .verdict,
    ).toBe('ready');
    expect(
      carol(only({ MicrosoftAuthenticator: { includeTargets: [{ id: CAROL.id, targetType: 'user' }] } }))
        .verdict,
    ).toBe('ready');
  });

  it('lets an exclude target win over an include', () => {
    const c = carol(
      only({ MicrosoftAuthenticator: { excludeTargets: [{ id: PILOT, targetType: 'group' }] } }),
    );
    expect(c.verdict).toBe('policy-blocked');
    expect(c.evidence.find((e) => e.code === 'policy-user-excluded')?.fields).toMatchObject({
      groupId: PILOT,
      groupName: 'Pilot',
    });
  });

  it('allows a mobile phone through Voice when Sms is disabled, but not an office phone through Sms', () => {
    expect(carol(only({ Sms: { state: 'disabled' } }), [password(), phone('mobile')]).verdict).toBe('ready');
    expect(carol(only({ Voice: { state: 'disabled' } }), [password(), phone('office')]).verdict).toBe(
      'policy-blocked',
    );
  });

  it('is ready when one method is allowed even if another is blocked', () => {
    const c = carol(only({ Fido2: { state: 'disabled' } }), [password(), fido2(), authenticator('dev-c')]);
    expect(c.verdict).toBe('ready');
    expect(c.methods.find((m) => m.type === 'fido2')?.state).toBe('policy-blocked');
  });

  it('does not block on a group whose membership was not collected, and says so', () => {
    const unknownGroup = 'a0000000-0000-4000-8000-0000000000ff';
    const c = carol(
      only({ MicrosoftAuthenticator: { includeTargets: [{ id: unknownGroup, targetType: 'group' }] } }),
    );
    expect(c.verdict).toBe('ready');
    expect(c.evidence.find((e) => e.code === 'policy-membership-unknown')).toMatchObject({
      source: 'groupMembers',
      ref: unknownGroup,
      fields: { configurationId: 'MicrosoftAuthenticator', targetKind: 'include' },
    });
  });
});

describe('authentication methods policy not migrated', () => {
  const notCapable = row(CAROL.id, CAROL.upn, {
    isMfaRegistered: true,
    isMfaCapable: false,
    methodsRegistered: ['microsoftAuthenticatorPush'],
    defaultMfaMethod: 'microsoftAuthenticatorPush',
  });

  it('ignores the policy and falls back to the report: registered but not capable is policy-blocked', () => {
    const pre = only({ MicrosoftAuthenticator: { state: 'enabled' } });
    pre.policyMigrationState = 'migrationInProgress';
    const c = carol(pre, [password(), authenticator('dev-c')], { registration: [notCapable] });
    expect(c.verdict).toBe('policy-blocked');
    expect(codes(c)).toEqual(
      expect.arrayContaining(['report-mfa-registered-not-capable', 'policy-not-migrated']),
    );
    expect(c.evidence.find((e) => e.code === 'policy-not-migrated')?.fields).toEqual({
      policyMigrationState: 'migrationInProgress',
    });
  });

  it('does not evaluate a disabled configuration of an unmigrated policy', () => {
    const pre = only({ MicrosoftAuthenticator: { state: 'disabled' } });
    pre.policyMigrationState = 'preMigration';
    expect(carol(pre).verdict).toBe('ready');
  });

  it('falls back to the report when no policy was collected at all', () => {
    const c = carol(undefined, [password(), authenticator('dev-c')], { registration: [notCapable] });
    expect(c.verdict).toBe('policy-blocked');
    expect(codes(c)).not.toContain('policy-not-migrated');
  });
});
