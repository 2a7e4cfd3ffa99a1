import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';

/*
 * Three exports of the small test tenant, one day apart, whose changes move verdicts the ways the
 * history commands must report:
 *
 *   run 1 (2024-05-10 12:00 UTC): the export as it is, plus Erin, not registered, whose display name is
 *     a spreadsheet formula. Alice ready, Bob unverified, Carol (guest) and Dave (disabled) excluded.
 *   run 2 (2024-05-11): Erin registers the Authenticator app (report row, methods list, audit event):
 *     not-registered → ready. Alice's Authenticator is gone from her list and from the report:
 *     ready → not ready. Bob fails three times in a row at the security-info page: unverified → looping.
 *     Erin joins MFA_Required.
 *   run 3 (2024-05-12): Alice registers her Authenticator again (not ready → ready); Bob loops again (he
 *     was looping already); the group "Pilot" appears (Alice, Erin).
 */

export const SMALL = 'test/fixtures/inputs/export-small';
export const ALICE = '11111111-1111-4111-8111-111111111111';
export const BOB = '22222222-2222-4222-8222-222222222222';
export const ERIN = '55555555-5555-4555-8555-5555555555e1';
export const MFA_REQUIRED = '99999999-0000-4000-8000-000000000001';
export const PILOT = '99999999-0000-4000-8000-0000000000f1';
export const FORMULA_NAME = "=cmd|' /C calc'!A0";
export const RUN_DATES = ['2024-05-10T12:00:00Z', '2024-05-11T12:00:00Z', '2024-05-12T12:00:00Z'];

const ORIGINAL_USERS = [
  {
    id: ALICE,
    userPrincipalName: 'alice@contoso.com',
    displayName: 'Alice Anders',
    accountEnabled: true,
    userType: 'Member',
    onPremisesSyncEnabled: null,
    createdDateTime: '2023-01-15T08:00:00Z',
  },
  {
    id: BOB,
    userPrincipalName: 'Bob@Contoso.com',
    displayName: 'Bob Brown',
    accountEnabled: true,
    userType: 'Member',
    onPremisesSyncEnabled: true,
    createdDateTime: '2024-05-01T09:30:00Z',
  },
  {
    id: '33333333-3333-4333-8333-333333333333',
    userPrincipalName: 'carol_fabrikam.com#EXT#@contoso.onmicrosoft.com',
    displayName: 'Carol (guest)',
    accountEnabled: true,
    userType: 'Guest',
    createdDateTime: '2024-02-02T10:00:00Z',
  },
  {
    id: '44444444-4444-4444-8444-444444444444',
    userPrincipalName: 'dave@contoso.com',
    displayName: 'Dave Disabled',
    accountEnabled: false,
    userType: 'Member',
    createdDateTime: '2022-06-01T10:00:00Z',
  },
];

const ERIN_USER = {
  id: ERIN,
  userPrincipalName: 'erin@contoso.com',
  displayName: FORMULA_NAME,
  accountEnabled: true,
  userType: 'Member',
  createdDateTime: '2024-03-01T08:00:00Z',
};

function reportRow(
  user: { id: string; userPrincipalName: string; displayName: string },
  registered: string[],
  refreshedAt: string,
) {
  const on = registered.length > 0;
  return {
    id: user.id,
    userPrincipalName: user.userPrincipalName,
    userDisplayName: user.displayName,
    userType: 'member',
    isAdmin: false,
    isSsprRegistered: on,
    isSsprEnabled: on,
    isSsprCapable: on,
    isMfaRegistered: on,
    isMfaCapable: on,
    isPasswordlessCapable: false,
    lastUpdatedDateTime: refreshedAt,
    methodsRegistered: registered,
    defaultMfaMethod: on ? registered[0] : '',
    isSystemPreferredAuthenticationMethodEnabled: true,
    systemPreferredAuthenticationMethods: on ? ['push'] : [],
    userPreferredMethodForSecondaryAuthentication: on ? 'push' : '',
  };
}

/** A failed sign-in at the security-info page (50079: register for MFA), as incident 2 shows them. */
function proofUpInterrupt(id: string, at: string) {
  return {
    id,
    createdDateTime: at,
    userId: BOB,
    userPrincipalName: 'Bob@Contoso.com',
    appId: '19db86c3-b2b9-44cc-b339-36da233a3be2',
    appDisplayName: 'My Signins',
    isInteractive: true,
    status: { errorCode: 50079, failureReason: 'you must enroll in multi-factor authentication.' },
  };
}

const page = (value: unknown[]) => JSON.stringify({ value }, null, 1);

/** Writes the export of run `n` (1, 2 or 3) into `dir`. */
export async function writeRunExport(dir: string, n: 1 | 2 | 3): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await cp(SMALL, dir, { recursive: true });
  const collectedAt = RUN_DATES[n - 1]!;
  const refreshedAt = collectedAt.replace('12:00:00Z', '06:00:00Z');
  const tenant = JSON.parse(await readFile(join(dir, 'tenant.json'), 'utf8')) as Record<string, unknown>;
  await writeFile(join(dir, 'tenant.json'), JSON.stringify({ ...tenant, collectedAt }));
  await writeFile(join(dir, 'users.json'), page([...ORIGINAL_USERS, ERIN_USER]));

  // Alice's Authenticator is deleted before run 2 and registered again before run 3.
  const alice = ORIGINAL_USERS[0]!;
  const bob = ORIGINAL_USERS[1]!;
  const aliceRow =
    n !== 2
      ? {
          ...reportRow(
            alice,
            ['microsoftAuthenticatorPush', 'softwareOneTimePasscode', 'mobilePhone'],
            refreshedAt,
          ),
          isAdmin: true,
        }
      : { ...reportRow(alice, [], refreshedAt), isAdmin: true };
  await writeFile(
    join(dir, 'userRegistrationDetails.json'),
    page([
      aliceRow,
      reportRow(bob, [], refreshedAt),
      reportRow(ERIN_USER, n === 1 ? [] : ['microsoftAuthenticatorPush'], refreshedAt),
    ]),
  );
  const methods = join(dir, 'authenticationMethods');
  if (n === 2) {
    const file = join(methods, `${ALICE}.json`);
    const list = JSON.parse(await readFile(file, 'utf8')) as { value: { '@odata.type': string }[] };
    list.value = list.value.filter(
      (m) =>
        m['@odata.type'] === '#microsoft.graph.passwordAuthenticationMethod' ||
        m['@odata.type'] === '#microsoft.graph.emailAuthenticationMethod',
    );
    await writeFile(file, JSON.stringify(list));
  }
  if (n >= 2) {
    await writeFile(
      join(methods, `${ERIN}.json`),
      page([
        {
          '@odata.type': '#microsoft.graph.passwordAuthenticationMethod',
          id: '28c10230-6103-485e-b985-444c60001490',
        },
        {
          '@odata.type': '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod',
          id: 'e1e1e1e1-0000-4000-8000-0000000000e1',
          displayName: 'Galaxy S24',
          deviceTag: 'SoftwareTokenActivated',
          phoneAppVersion: '6.2405.1',
          createdDateTime: '2024-05-11T08:00:00Z',
        },
      ]),
    );
  } else {
    await writeFile(
      join(methods, `${ERIN}.json`),
      page([
        {
          '@odata.type': '#microsoft.graph.passwordAuthenticationMethod',
          id: '28c10230-6103-485e-b985-444c60001490',
        },
      ]),
    );
  }

  if (n >= 2) {
    const audits = join(dir, 'directoryAudits.json');
    const registered = {
      id: 'Authentication Methods_erin-0001',
      category: 'UserManagement',
      result: 'success',
      resultReason: 'User registered Authenticator App with Notification and Code',
      activityDisplayName: 'User registered security info',
      activityDateTime: '2024-05-11T08:00:30Z',
      loggedByService: 'Authentication Methods',
      operationType: 'Add',
      initiatedBy: { user: { id: ERIN, userPrincipalName: 'erin@contoso.com' }, app: null },
      targetResources: [
        {
          id: ERIN,
          displayName: null,
          type: 'User',
          userPrincipalName: 'erin@contoso.com',
          modifiedProperties: [],
        },
      ],
      additionalDetails: [{ key: 'Method', value: 'Authenticator App' }],
    };
    await writeFile(audits, `${await readFile(audits, 'utf8')}\n${JSON.stringify(registered)}\n`);

    const signIns = join(dir, 'signIns.json');
    const pages = JSON.parse(await readFile(signIns, 'utf8')) as unknown[];
    const day = collectedAt.slice(0, 10);
    pages.push({
      value: [0, 3, 6].map((m) => proofUpInterrupt(`si-loop-${n}-${m}`, `${day}T10:0${m}:00Z`)),
    });
    await writeFile(signIns, JSON.stringify(pages));

    const members = join(dir, 'groupMembers', `${MFA_REQUIRED}.json`);
    const doc = JSON.parse(await readFile(members, 'utf8')) as { value: unknown[] };
    doc.value.push({
      '@odata.type': '#microsoft.graph.user',
      id: ERIN,
      userPrincipalName: 'erin@contoso.com',
    });
    await writeFile(members, JSON.stringify(doc));
  }
  if (n === 3) {
    const groups = join(dir, 'groups.json');
    const doc = JSON.parse(await readFile(groups, 'utf8')) as { value: unknown[] };
    doc.value.push({ id: PILOT, displayName: 'Pilot', onPremisesSyncEnabled: null });
    await writeFile(groups, JSON.stringify(doc));
    await writeFile(
      join(dir, 'groupMembers', `${PILOT}.json`),
      page([
        { '@odata.type': '#microsoft.graph.user', id: ALICE },
        { '@odata.type': '#microsoft.graph.user', id: ERIN },
      ]),
    );
  }
}

/** Imports runs 1..upTo into `db`, each from its own folder under `tmp`. */
export async function importRuns(tmp: string, db: string, upTo: 1 | 2 | 3 = 3): Promise<void> {
  await mkdir(tmp, { recursive: true });
  for (const n of [1, 2, 3] as const) {
    if (n > upTo) break;
    const dir = join(tmp, `run-${n}`);
    await writeRunExport(dir, n);
    const r = await runCli(['import', dir, '--db', db]);
    if (r.code !== 0) throw new Error(`import of run ${n} failed: ${r.stderr}`);
  }
}

export { csvRows } from '../support/csv.js';
