import { describe, expect, it } from 'vitest';
import { auditFacts } from '../../src/assess/audit-facts.js';
import { indexAuditFacts } from '../../src/assess/audit-timeline.js';
import {
  methodTypeName,
  parseJsonValue,
  parsePhoneAppDevices,
  parseStrongAuthMethods,
} from '../../src/assess/modified-properties.js';
import { UserResolver } from '../../src/assess/user-resolver.js';
import {
  ago,
  authenticator,
  deviceJson,
  methodsMap,
  password,
  phoneAppDetailUpdate,
  run,
  securityInfo,
  snapshot,
  strongAuthMethodUpdate,
  user,
  userOf,
} from './builders.js';

const ALICE = { id: 'aaaaaaaa-0000-4000-8000-000000000001', upn: 'alice@contoso.com' };
const DEVICE = 'dddddddd-0000-4000-8000-000000000001';

describe('modifiedProperties values', () => {
  it('parses JSON encoded as a string, as Graph sends it, and JSON encoded twice', () => {
    expect(parseJsonValue('[]')).toEqual([]);
    expect(parseJsonValue('[{"MethodType":6,"Default":true}]')).toEqual([{ MethodType: 6, Default: true }]);
    expect(parseJsonValue(JSON.stringify(JSON.stringify([{ Id: 'x' }])))).toEqual([{ Id: 'x' }]);
    expect(parseJsonValue(null)).toBeUndefined();
    expect(parseJsonValue('not json')).toBeUndefined();
    expect(parseJsonValue('[{broken')).toBeUndefined();
  });

  it('reads MethodType as a number 0–7, a numeric string, or a name', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7].map(methodTypeName)).toEqual([
      'TwoWayVoiceMobile',
      'TwoWaySms',
      'TwoWayVoiceOffice',
      'TwoWayVoiceOtherMobile',
      'TwoWaySmsOtherMobile',
      'OneWaySms',
      'PhoneAppNotification',
      'PhoneAppOTP',
    ]);
    expect(methodTypeName('6')).toBe('PhoneAppNotification');
    expect(methodTypeName('phoneappotp')).toBe('PhoneAppOTP');
    expect(methodTypeName('SomethingNew')).toBe('SomethingNew');
    expect(
      parseStrongAuthMethods(
        '[{"MethodType":"PhoneAppNotification","Default":true},{"MethodType":1,"Default":false}]',
      ),
    ).toEqual([
      { methodType: 'PhoneAppNotification', isDefault: true },
      { methodType: 'TwoWaySms', isDefault: false },
    ]);
  });

  it('reads devices whatever the key casing, skipping entries without an Id', () => {
    expect(parsePhoneAppDevices('[{"id":"a","deviceName":"Pixel"},{"DeviceName":"no id"}]')).toEqual([
      { id: 'a', deviceName: 'Pixel' },
    ]);
  });
});

describe('StrongAuthenticationPhoneAppDetail', () => {
  it('is a new registration only when a device Id is absent from oldValue', () => {
    const added = phoneAppDetailUpdate('e1', ago(60), ALICE, [], [deviceJson(DEVICE)]);
    expect(auditFacts(added)).toMatchObject([
      { kind: 'phone-app-devices', added: [{ id: DEVICE }], removed: [] },
    ]);
  });

  it('ignores ordinary use: a version bump or a new LastAuthenticatedTimestamp on the same device', () => {
    const bump = phoneAppDetailUpdate(
      'e2',
      ago(30),
      ALICE,
      [deviceJson(DEVICE, { PhoneAppVersion: '6.7.12', LastAuthenticatedTimestamp: '2025-06-01T08:00:00Z' })],
      [deviceJson(DEVICE, { PhoneAppVersion: '6.8.0', LastAuthenticatedTimestamp: '2025-06-10T11:00:00Z' })],
    );
    expect(auditFacts(bump)).toEqual([]);
  });

  it('does not make a device that merely changed version look unverified', () => {
    // The device predates the log; only a version bump is in it. With a default method it is usable.
    const snap = snapshot({
      users: [user(ALICE.id, ALICE.upn)],
      methods: methodsMap({ [ALICE.id]: [password(), authenticator(DEVICE)] }),
      audits: [
        phoneAppDetailUpdate(
          'e2',
          ago(30),
          ALICE,
          [deviceJson(DEVICE)],
          [deviceJson(DEVICE, { PhoneAppVersion: '6.8.0' })],
        ),
      ],
    });
    expect(userOf(run(snap), ALICE.upn).verdict).toBe('ready');
  });

  it('sees a second device added next to a pre-existing one as new, and only that one', () => {
    const second = 'dddddddd-0000-4000-8000-000000000002';
    const snap = snapshot({
      users: [user(ALICE.id, ALICE.upn)],
      methods: methodsMap({
        [ALICE.id]: [password(), authenticator(DEVICE), authenticator(second, { displayName: 'iPad' })],
      }),
      audits: [
        phoneAppDetailUpdate(
          'e3',
          ago(30),
          ALICE,
          [deviceJson(DEVICE)],
          [deviceJson(DEVICE), deviceJson(second)],
        ),
      ],
    });
    const alice = userOf(run(snap), ALICE.upn);
    expect(alice.methods.filter((m) => m.type === 'microsoftAuthenticator')).toEqual([
      { id: DEVICE, type: 'microsoftAuthenticator', state: 'usable' },
      { id: second, type: 'microsoftAuthenticator', state: 'unverified' },
    ]);
    // One usable Authenticator is enough: ready wins over unverified.
    expect(alice.verdict).toBe('ready');
  });
});

describe('security-info activities', () => {
  it('reads registered, cancelled (either spelling, or a failed "registered all required") and deleted', () => {
    const kinds = (activity: string, result = 'success', reason = 'User registered Authenticator App') =>
      auditFacts(securityInfo('x', ago(1), ALICE, activity, reason, result)).map((f) => f.kind);
    expect(kinds('User registered security info')).toEqual(['registered']);
    // A failed registration is a finding of its own (what failed), never a registration.
    expect(kinds('User registered security info', 'failure')).toEqual(['registration-failed']);
    expect(kinds('User canceled security info registration')).toEqual(['registration-cancelled']);
    expect(kinds('User cancelled security info registration')).toEqual(['registration-cancelled']);
    expect(
      kinds(
        'User registered all required security info',
        'failure',
        'User canceled security info registration.',
      ),
    ).toEqual(['registration-cancelled']);
    expect(kinds('User deleted security info')).toEqual(['deleted']);
    expect(kinds('Admin deleted security info')).toEqual(['deleted']);
    expect(kinds('Update group')).toEqual([]);
  });

  it('names the method from the reason text', () => {
    const fact = auditFacts(
      securityInfo('x', ago(1), ALICE, 'User deleted security info', 'User deleted Alternate phone'),
    )[0];
    expect(fact).toMatchObject({ kind: 'deleted', method: { kind: 'phone', phoneType: 'alternateMobile' } });
  });
});

describe('matching events to users', () => {
  it('matches by target id, by target UPN in any case, and falls back to the initiator', () => {
    const users = new UserResolver();
    users.add(ALICE.id, ALICE.upn);
    const byUpn = strongAuthMethodUpdate(
      'e-upn',
      ago(5),
      { id: 'unknown-id', upn: 'ALICE@CONTOSO.COM' },
      [],
      [{ MethodType: 6, Default: true }],
    );
    const byInitiator = {
      ...securityInfo('e-init', ago(4), ALICE, 'User registered security info', 'User registered Phone'),
      targetResources: [],
    };
    const other = securityInfo(
      'e-other',
      ago(3),
      { id: 'someone', upn: 'bob@contoso.com' },
      'User registered security info',
      'x',
    );
    const index = indexAuditFacts([byInitiator, byUpn, other], users);
    expect(index.get(ALICE.id)?.map((f) => f.event.id)).toEqual(['e-upn', 'e-init']);
    expect(index.size).toBe(1);
  });

  it("files an admin's deletion under the target user, not the admin", () => {
    const users = new UserResolver();
    const admin = { id: 'admin-id', upn: 'admin@contoso.com' };
    users.add(ALICE.id, ALICE.upn);
    users.add(admin.id, admin.upn);
    const e = securityInfo(
      'e-admin',
      ago(1),
      ALICE,
      'Admin deleted security info',
      'Admin deleted Phone',
      'success',
      admin,
    );
    const index = indexAuditFacts([e], users);
    expect(index.get(ALICE.id)).toHaveLength(1);
    expect(index.get(admin.id)).toBeUndefined();
  });
});
