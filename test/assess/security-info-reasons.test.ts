import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { auditFacts } from '../../src/assess/audit-facts.js';
import { EVIDENCE_RULES, isEvidenceAudit } from '../../src/assess/evidence-filter.js';
import { assess } from '../../src/assess/index.js';
import { readReason } from '../../src/assess/security-info-reasons.js';
import { readExportFolder } from '../../src/load/read-export-folder.js';
import type { AuditEvent } from '../../src/domain/tenant.js';
import { evidenceText } from '../../src/report/evidence-messages.js';
import { tempFolders } from '../collect/temp-files.js';
import {
  NOW,
  ago,
  authenticator,
  authenticatorRow,
  codes,
  deviceJson,
  methodsMap,
  password,
  phoneAppDetailUpdate,
  row,
  run,
  securityInfo,
  snapshot,
  user,
  userOf,
} from './builders.js';

const ANA = { id: 'aaaaaaaa-0000-4000-8000-00000000000a', upn: 'ana@contoso.com' };
const ADMIN = { id: 'adadadad-0000-4000-8000-0000000000ad', upn: 'helpdesk@contoso.com' };

describe('the security-info reason table', () => {
  it.each([
    // [reason text, outcome, actor, method kind]
    [
      'User registered Authenticator App with Notification and Code',
      'registered',
      'user',
      'microsoftAuthenticator',
    ],
    ['User registered Authenticator App with Code', 'registered', 'user', 'microsoftAuthenticator'],
    ['User registered Authenticator App with Notification', 'registered', 'user', 'microsoftAuthenticator'],
    ['User failed to register Authenticator App with Code', 'failed', 'user', 'microsoftAuthenticator'],
    [
      'User started the registration for Authenticator App with Code',
      'started',
      'user',
      'microsoftAuthenticator',
    ],
    ['User canceled security info registration.', 'cancelled', 'user', undefined],
    ['User cancelled security info registration.', 'cancelled', 'user', undefined],
    ['User registered all required security info.', 'registered', 'user', undefined],
    [
      'User deleted Authenticator App with Notification and Code',
      'deleted',
      'user',
      'microsoftAuthenticator',
    ],
    ['User failed to delete Mobile Phone SMS', 'not-done', 'user', 'phone'],
    [
      'User changed the default security info for Authenticator app notification',
      'changed-default',
      'user',
      'microsoftAuthenticator',
    ],
    [
      'User changed the default security info for Text a code to +1 4255550100',
      'changed-default',
      'user',
      'phone',
    ],
    ['User changed the default security info for Call +1 4255550100', 'changed-default', 'user', 'phone'],
    ['User registered Mobile Phone SMS', 'registered', 'user', 'phone'],
    ['User deleted Mobile Phone Call and SMS', 'deleted', 'user', 'phone'],
    ['Admin registered phone method for user', 'registered', 'admin', 'phone'],
    ['Admin deleted temporary access pass method for user', 'deleted', 'admin', 'temporaryAccessPass'],
    ['User registered Fido2 Authentication Method', 'registered', 'user', 'fido2'],
    ['User registered Fido', 'registered', 'user', 'fido2'],
    ['User registered Passkey', 'registered', 'user', 'fido2'],
    ['User registered Passkey (device-bound)', 'registered', 'user', 'fido2'],
    // A passkey kept in Microsoft Authenticator is a FIDO2 method, not the app's push or code.
    ['User registered Passkey in Microsoft Authenticator', 'registered', 'user', 'fido2'],
    ['User failed to register FIDO2 security key', 'failed', 'user', 'fido2'],
    ['User registered Windows Hello for Business', 'registered', 'user', 'windowsHelloForBusiness'],
    ['User registered Software OATH token', 'registered', 'user', 'softwareOath'],
    ['Admin registered Hardware OATH token', 'registered', 'admin', 'hardwareOath'],
    ['User registered Alternate phone', 'registered', 'user', 'phone'],
    ['User registered Office phone', 'registered', 'user', 'phone'],
    ['User registered Email', 'registered', 'user', 'email'],
    ['User registered temporary access pass method', 'registered', 'user', 'temporaryAccessPass'],
  ] as const)('reads "%s" as %s by %s (%s)', (text, outcome, actor, kind) => {
    const reading = readReason(text);
    expect(reading?.outcome).toBe(outcome);
    expect(reading?.actor).toBe(actor);
    expect(reading?.method?.kind).toBe(kind);
  });

  it('keeps the phone slot and SSPR-only methods apart', () => {
    expect(readReason('User registered Alternate phone')?.method).toEqual({
      kind: 'phone',
      phoneType: 'alternateMobile',
    });
    expect(readReason('User registered Office phone')?.method).toEqual({
      kind: 'phone',
      phoneType: 'office',
    });
    expect(readReason('User registered Security questions')?.method).toEqual({
      kind: 'unknown',
      notMfa: true,
    });
    expect(readReason('User registered App password')?.method).toEqual({ kind: 'unknown', notMfa: true });
  });

  it('reads a text no phrase matches as unknown, and a missing one as nothing', () => {
    expect(readReason('Registration of Authenticator App pending approval')).toEqual({
      outcome: 'unknown',
      method: { kind: 'microsoftAuthenticator' },
    });
    expect(readReason('Something new')).toEqual({ outcome: 'unknown' });
    expect(readReason('')).toBeUndefined();
    expect(readReason(undefined)).toBeUndefined();
  });
});

describe('security-info events as facts', () => {
  const event = (activity: string, reason: string, result = 'success', byAdmin?: typeof ADMIN) =>
    securityInfo('e1', ago(60), ANA, activity, reason, result, byAdmin);

  it('reads a registration the result says failed as failed, whatever the reason says', () => {
    expect(
      auditFacts(
        event(
          'User registered security info',
          'User failed to register Authenticator App with Code',
          'failure',
        ),
      ),
    ).toEqual([{ kind: 'registration-failed', byAdmin: false, method: { kind: 'microsoftAuthenticator' } }]);
    expect(
      auditFacts(
        event('User registered security info', 'User registered Authenticator App with Code', 'failure'),
      ),
    ).toEqual([{ kind: 'registration-failed', byAdmin: false, method: { kind: 'microsoftAuthenticator' } }]);
  });

  it('reads a "success" whose reason says it failed or was cancelled as not registered', () => {
    expect(
      auditFacts(
        event('User registered security info', 'User failed to register Authenticator App with Code'),
      ),
    ).toEqual([{ kind: 'registration-failed', byAdmin: false, method: { kind: 'microsoftAuthenticator' } }]);
    expect(
      auditFacts(event('User registered security info', 'User canceled security info registration.')),
    ).toEqual([{ kind: 'registration-cancelled' }]);
  });

  it('keeps an unknown reason as unknown, and a missing reason as the activity says', () => {
    expect(auditFacts(event('User registered security info', 'Something new'))).toEqual([
      { kind: 'unknown-reason' },
    ]);
    expect(auditFacts(event('User registered security info', ''))).toEqual([
      { kind: 'registered', byAdmin: false, allRequired: false },
    ]);
  });

  it('reads admin registrations, failed ones included', () => {
    expect(
      auditFacts(
        event('Admin registered security info', 'Admin registered phone method for user', 'success', ADMIN),
      ),
    ).toEqual([
      {
        kind: 'registered',
        byAdmin: true,
        allRequired: false,
        method: { kind: 'phone', phoneType: 'mobile' },
      },
    ]);
    expect(
      auditFacts(
        event('Admin registered security info', 'Admin registered Hardware OATH token', 'failure', ADMIN),
      ),
    ).toEqual([{ kind: 'registration-failed', byAdmin: true, method: { kind: 'hardwareOath' } }]);
  });

  it('reads the default change as such, and a failed delete or change as nothing', () => {
    expect(
      auditFacts(
        event(
          'User changed default security info',
          'User changed the default security info for Call +1 4255550100',
        ),
      ),
    ).toEqual([{ kind: 'default-changed', byAdmin: false, method: { kind: 'phone', phoneType: 'mobile' } }]);
    expect(
      auditFacts(event('User deleted security info', 'User failed to delete Mobile Phone SMS', 'failure')),
    ).toEqual([]);
    expect(auditFacts(event('User deleted security info', 'User failed to delete Mobile Phone SMS'))).toEqual(
      [],
    );
    expect(
      auditFacts(
        event(
          'User changed default security info',
          'User failed to change the default security info',
          'failure',
        ),
      ),
    ).toEqual([]);
  });

  it('keeps the failure of "registered all required" a cancellation', () => {
    expect(
      auditFacts(
        event(
          'User registered all required security info',
          'User canceled security info registration.',
          'failure',
        ),
      ),
    ).toEqual([{ kind: 'registration-cancelled' }]);
  });
});

describe('a failed registration is not a completed one', () => {
  /** Ana with Authenticator reported capable by the report (older than the event) and no methods list. */
  function anaWith(audits: AuditEvent[]) {
    const snap = snapshot({
      users: [user(ANA.id, ANA.upn)],
      registration: [authenticatorRow(ANA.id, ANA.upn, { lastUpdatedDateTime: ago(30) })],
      audits,
    });
    return userOf(run(snap), ANA.upn);
  }

  it('gives `registered` confidence for a completed registration (the control)', () => {
    const ana = anaWith([
      securityInfo(
        'ok',
        ago(90),
        ANA,
        'User registered security info',
        'User registered Authenticator App with Notification and Code',
      ),
    ]);
    expect(ana.verdict).toBe('ready');
    expect(ana.confidence).toBe('registered');
  });

  it.each([
    ['result failure', 'failure', 'User failed to register Authenticator App with Code'],
    [
      'reason "failed" under a success result',
      'success',
      'User failed to register Authenticator App with Code',
    ],
    ['an unknown reason', 'success', 'Authenticator App with Code: pending'],
  ])('never gives `registered` confidence for %s, and cites the event', (_name, result, reason) => {
    const ana = anaWith([securityInfo('bad', ago(90), ANA, 'User registered security info', reason, result)]);
    expect(ana.verdict).toBe('ready');
    expect(ana.confidence).toBe('reported');
    expect(codes(ana)).not.toContain('security-info-registered');
    const cited = ana.evidence.find((e) => e.ref === 'bad');
    expect(cited?.fields).toMatchObject({ resultReason: reason });
  });

  it('says what failed, in words', () => {
    const ana = anaWith([
      securityInfo(
        'bad',
        ago(90),
        ANA,
        'User registered security info',
        'User failed to register Authenticator App with Code',
        'failure',
      ),
    ]);
    const failed = ana.evidence.find((e) => e.code === 'security-info-registration-failed');
    expect(failed).toMatchObject({
      source: 'audits',
      ref: 'bad',
      fields: { methodType: 'microsoftAuthenticator', result: 'failure', byAdmin: false },
    });
    expect(evidenceText(failed!)).toMatch(/registration of Microsoft Authenticator by the user failed/);
    expect(evidenceText(failed!)).toContain('User failed to register Authenticator App with Code');
  });

  it('does not add a method from a failed registration newer than the report', () => {
    // The report says nothing registered; a later failed phone registration must not make the user ready.
    const snap = snapshot({
      users: [user(ANA.id, ANA.upn)],
      registration: [row(ANA.id, ANA.upn, { lastUpdatedDateTime: ago(600) })],
      audits: [
        securityInfo(
          'bad',
          ago(60),
          ANA,
          'User registered security info',
          'User failed to register Mobile Phone SMS',
          'failure',
        ),
      ],
    });
    const ana = userOf(run(snap), ANA.upn);
    expect(ana.verdict).toBe('not-registered');
    expect(ana.methods).toEqual([]);
    // The same event succeeding adds the phone: the rule above is what keeps it out.
    const ok = snapshot({
      users: [user(ANA.id, ANA.upn)],
      registration: [row(ANA.id, ANA.upn, { lastUpdatedDateTime: ago(600) })],
      audits: [
        securityInfo('ok', ago(60), ANA, 'User registered security info', 'User registered Mobile Phone SMS'),
      ],
    });
    expect(userOf(run(ok), ANA.upn).verdict).toBe('ready');
  });

  it('leaves a scanned QR code pending when the registration then failed', () => {
    const device = '7c1d1f3e-5b2a-4c8e-9f10-aabbccddeeff';
    const audits = (result: string, reason: string) => [
      phoneAppDetailUpdate('qr', ago(120), ANA, [], [deviceJson(device)]),
      securityInfo(
        'start',
        ago(119),
        ANA,
        'User started security info registration',
        'User started the registration for Authenticator App with Notification and Code',
      ),
      securityInfo('end', ago(118), ANA, 'User registered security info', reason, result),
    ];
    const ledgerOf = (result: string, reason: string) =>
      userOf(
        run(
          snapshot({
            users: [user(ANA.id, ANA.upn)],
            methods: methodsMap({ [ANA.id]: [password(), authenticator(device)] }),
            audits: audits(result, reason),
          }),
        ),
        ANA.upn,
      );
    const failed = ledgerOf(
      'failure',
      'User failed to register Authenticator App with Notification and Code',
    );
    expect(failed.verdict).toBe('unverified');
    expect(failed.evidence.find((e) => e.code === 'authenticator-device-added')?.fields?.['completed']).toBe(
      false,
    );
    expect(codes(failed)).toContain('security-info-registration-failed');

    const completed = ledgerOf('success', 'User registered Authenticator App with Notification and Code');
    expect(completed.verdict).toBe('ready');
    expect(
      completed.evidence.find((e) => e.code === 'authenticator-device-added')?.fields?.['completed'],
    ).toBe(true);
  });

  it('does not read a default change as a registration', () => {
    const snap = snapshot({
      users: [user(ANA.id, ANA.upn)],
      registration: [authenticatorRow(ANA.id, ANA.upn, { lastUpdatedDateTime: ago(30) })],
      audits: [
        securityInfo(
          'def',
          ago(90),
          ANA,
          'User changed default security info',
          'User changed the default security info for Authenticator app notification',
        ),
      ],
    });
    const ana = userOf(run(snap), ANA.upn);
    expect(ana.confidence).toBe('reported');
    expect(ana.evidence.find((e) => e.code === 'security-info-default-changed')).toMatchObject({
      ref: 'def',
      fields: { methodType: 'microsoftAuthenticator' },
    });
  });
});

describe('a failed registration read from an export folder', () => {
  const INCIDENT_1 = fileURLToPath(new URL('../fixtures/incidents/incident-1/', import.meta.url));
  const temp = tempFolders();
  afterEach(temp.cleanup);

  /**
   * incident-1 with MFATest1's registration failing: no StrongAuthenticationMethod update (none is
   * written when nothing was registered), and the "User registered security info" event a failure.
   */
  async function failedFolder(): Promise<string> {
    const dir = await temp.make();
    await cp(INCIDENT_1, dir, { recursive: true });
    const file = path.join(dir, 'directoryAudits.json');
    const json = JSON.parse(await readFile(file, 'utf8')) as { value: Record<string, unknown>[] };
    json.value = json.value.filter((a) => !String(a['id']).includes('_T1C03_'));
    const registered = json.value.find((a) => a['activityDisplayName'] === 'User registered security info')!;
    registered['result'] = 'failure';
    registered['resultReason'] = 'User failed to register Authenticator App with Notification and Code';
    await writeFile(file, JSON.stringify(json));
    return dir;
  }

  it('is not a completion whole, slimmed, or slimmed in worker threads', async () => {
    const dir = await failedFolder();
    const whole = assess(await readExportFolder(dir), { now: NOW });
    const slim = assess(
      await readExportFolder(dir, { keepAudit: isEvidenceAudit, slimEvents: true, rules: EVIDENCE_RULES }),
      {
        now: NOW,
      },
    );
    const inWorkers = assess(
      await readExportFolder(dir, {
        keepAudit: isEvidenceAudit,
        slimEvents: true,
        rules: EVIDENCE_RULES,
        workerMinBytes: 0,
      }),
      { now: NOW },
    );
    for (const a of [whole, slim, inWorkers]) {
      const t1 = userOf(a, 'MFATest1@contoso.com');
      expect(t1.verdict).toBe('unverified');
      expect(t1.confidence).toBeNull();
      expect(t1.evidence.find((e) => e.code === 'security-info-registration-failed')).toMatchObject({
        fields: {
          resultReason: 'User failed to register Authenticator App with Notification and Code',
          methodType: 'microsoftAuthenticator',
        },
      });
    }
    expect(slim).toEqual(whole);
    expect(inWorkers).toEqual(whole);
  });
});
