import { describe, expect, it } from 'vitest';
import { serviceAccountOf } from '../../src/assess/service-accounts.js';
import { renderJson, renderTable } from '../../src/report/index.js';
import { assessmentJsonSchema } from '../../src/report/json.js';
import { evidenceText } from '../../src/report/evidence-messages.js';
import { authenticatorRow, codes, row, run, snapshot, user, userOf } from './builders.js';

const CONNECT = {
  id: '0b7f1a2c-3d4e-4f50-8a6b-7c8d9e0f1a2b',
  upn: 'Sync_SERVER01_1a2b3c4d5e6f@contoso.onmicrosoft.com',
};
const CLOUD = {
  id: '1c8a2b3d-4e5f-4061-9b7c-8d9e0f1a2b3c',
  upn: 'ADToAADSyncServiceAccount@contoso.onmicrosoft.com',
};
const PERSON = { id: '2d9b3c4e-5f60-4172-8c8d-9e0f1a2b3c4d', upn: 'sync.smith@contoso.com' };
const SYNC_DISPLAY_NAME = 'On-Premises Directory Synchronization Service Account';

/** The table as one line of words: the summary wraps long lines at the terminal width. */
const flat = (text: string) => text.replace(/\s+/g, ' ');

describe('serviceAccountOf', () => {
  it.each([
    [
      'Sync_SERVER01_1a2b3c4d5e6f@contoso.onmicrosoft.com',
      SYNC_DISPLAY_NAME,
      'entra-connect-sync',
      'userPrincipalName',
    ],
    [
      'sync_aadc-prod_0123456789ab@contoso.onmicrosoft.com',
      undefined,
      'entra-connect-sync',
      'userPrincipalName',
    ],
    [
      'ADToAADSyncServiceAccount@contoso.onmicrosoft.com',
      SYNC_DISPLAY_NAME,
      'entra-cloud-sync',
      'userPrincipalName',
    ],
    ['adtoaadsyncserviceaccount@contoso.com', undefined, 'entra-cloud-sync', 'userPrincipalName'],
    // A renamed sync account still carries the name both sync tools give it.
    [
      'svc-dirsync@contoso.com',
      'On-Premises Directory Synchronization Service Account',
      'entra-connect-sync',
      'displayName',
    ],
    [
      'svc-dirsync@contoso.com',
      ' on-premises directory synchronization service account ',
      'entra-connect-sync',
      'displayName',
    ],
  ])('flags %s (%s) as %s by its %s', (upn, displayName, kind, matched) => {
    expect(serviceAccountOf(upn, displayName)).toEqual({ kind, matched });
  });

  it.each([
    ['sync.smith@contoso.com', 'Sync Smith'],
    ['Sync_Smith@contoso.com', 'Sync Smith'],
    ['sync_team@contoso.com', 'Sync team'],
    ['syncopation@contoso.com', 'Directory Synchronization team'],
    ['Sync_SERVER01_notahexid@contoso.com', 'Sync server admin'],
    ['alice.adtoaadsyncserviceaccount@contoso.com', 'Alice'],
    ['alice@contoso.com', 'On-Premises Directory Synchronization Service Account (retired) Alice'],
    ['alice@contoso.com', undefined],
  ])('does not flag the near-miss %s (%s)', (upn, displayName) => {
    expect(serviceAccountOf(upn, displayName)).toBeUndefined();
  });
});

describe('service accounts in the assessment', () => {
  const snap = () =>
    snapshot({
      users: [
        user(CONNECT.id, CONNECT.upn, { displayName: SYNC_DISPLAY_NAME, onPremisesSyncEnabled: false }),
        user(CLOUD.id, CLOUD.upn, { displayName: SYNC_DISPLAY_NAME }),
        user(PERSON.id, PERSON.upn, { displayName: 'Sync Smith' }),
      ],
      registration: [
        row(CONNECT.id, CONNECT.upn, { userDisplayName: SYNC_DISPLAY_NAME }),
        row(CLOUD.id, CLOUD.upn, { userDisplayName: SYNC_DISPLAY_NAME }),
        authenticatorRow(PERSON.id, PERSON.upn, { userDisplayName: 'Sync Smith' }),
      ],
    });

  it('flags them without the option, and keeps their verdicts', () => {
    const a = run(snap());
    const connect = userOf(a, CONNECT.upn);
    expect(connect.verdict).toBe('not-registered');
    expect(connect.exclusion).toBeUndefined();
    expect(connect.evidence.find((e) => e.code === 'service-account')).toMatchObject({
      source: 'users',
      ref: CONNECT.id,
      fields: {
        kind: 'entra-connect-sync',
        matched: 'userPrincipalName',
        value: CONNECT.upn,
        excluded: false,
      },
    });
    expect(userOf(a, CLOUD.upn).evidence.find((e) => e.code === 'service-account')?.fields?.['kind']).toBe(
      'entra-cloud-sync',
    );
    const person = userOf(a, PERSON.upn);
    expect(person.verdict).toBe('ready');
    expect(codes(person)).not.toContain('service-account');
    expect(a.summary.excluded).toBe(0);
    // The one-line reason is still the verdict's cause, not the flag.
    const table = flat(renderTable(a, { color: false, width: 120 }));
    expect(table).toContain(
      '2 accounts look like service accounts (Entra Connect sync, Entra Cloud Sync): ADToAADSyncServiceAccount@contoso.onmicrosoft.com, Sync_SERVER01_1a2b3c4d5e6f@contoso.onmicrosoft.com;',
    );
    expect(table).toContain('add --exclude-service-accounts to leave them out');
    expect(table).toContain(CONNECT.upn);
  });

  it('excludes them with the option, with the evidence why', () => {
    const a = run(snap(), {
      scope: { scopeGroups: [], excludeGroups: [], excludeUsers: [], excludeServiceAccounts: true },
    });
    for (const key of [CONNECT.upn, CLOUD.upn]) {
      const u = userOf(a, key);
      expect(u.verdict).toBe('excluded');
      expect(u.exclusion).toBe('service-account');
      expect(u.action.code).toBe('none-excluded');
      const flag = u.evidence.find((e) => e.code === 'service-account');
      expect(flag?.fields?.['excluded']).toBe(true);
      expect(evidenceText(flag!)).toContain('--exclude-service-accounts');
    }
    expect(userOf(a, PERSON.upn).verdict).toBe('ready');
    expect(a.summary.excluded).toBe(2);
    const table = flat(renderTable(a, { color: false, width: 120 }));
    expect(table).toContain(
      '2 accounts look like service accounts (Entra Connect sync, Entra Cloud Sync), left out by',
    );
    expect(table).not.toContain('add --exclude-service-accounts');
  });

  it('keeps the flag on an account excluded for another reason first', () => {
    const disabled = snapshot({
      users: [user(CONNECT.id, CONNECT.upn, { displayName: SYNC_DISPLAY_NAME, accountEnabled: false })],
    });
    const u = userOf(run(disabled), CONNECT.upn);
    expect(u.exclusion).toBe('disabled');
    expect(codes(u)).toEqual(expect.arrayContaining(['account-disabled', 'service-account']));
  });

  it('counts them in the JSON, excluded or not', () => {
    const flagged = assessmentJsonSchema.parse(JSON.parse(renderJson(run(snap()))));
    expect(flagged.serviceAccounts).toEqual({
      count: 2,
      excluded: 0,
      userPrincipalNames: [CLOUD.upn, CONNECT.upn],
    });
    const excluded = assessmentJsonSchema.parse(
      JSON.parse(
        renderJson(
          run(snap(), {
            scope: { scopeGroups: [], excludeGroups: [], excludeUsers: [], excludeServiceAccounts: true },
          }),
        ),
      ),
    );
    expect(excluded.serviceAccounts).toMatchObject({ count: 2, excluded: 2 });
    expect(excluded.users.find((u) => u.userPrincipalName === CONNECT.upn)?.exclusion).toBe(
      'service-account',
    );
  });

  it('says nothing when there is none', () => {
    const a = run(
      snapshot({
        users: [user(PERSON.id, PERSON.upn)],
        registration: [authenticatorRow(PERSON.id, PERSON.upn)],
      }),
    );
    expect(renderTable(a, { color: false, width: 120 })).not.toContain('service account');
    expect(assessmentJsonSchema.parse(JSON.parse(renderJson(a))).serviceAccounts).toEqual({
      count: 0,
      excluded: 0,
      userPrincipalNames: [],
    });
  });
});
