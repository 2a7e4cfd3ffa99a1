/**
 * Applying a remediation plan through a GraphWriter, journaled: TAP secrecy (the value only in the
 * owner-only file), the default-method refusal and its recovery, guests refused, resume after a
 * crash without a duplicate write, and the dry run writing nothing.
 */
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyRemediation, describeRemediation } from '../../src/apply/remediation.js';
import { InputError } from '../../src/domain/errors.js';
import type { RemediationAction, RemediationPlan, UserRemediation } from '../../src/domain/remediation.js';
import { MY_SECURITY_INFO_URL } from '../../src/domain/remediation.js';
import { renderApplyResult } from '../../src/report/remediation.js';
import { readJournal } from '../../src/store/journal.js';
import { openStore, type Store } from '../../src/store/index.js';
import { FakeGraph, type FakeUser } from './fake-graph.js';

const NOW = new Date('2025-06-10T12:00:00Z');
let tmp: string;
let store: Store;

beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'mfa-ready-remedy-'));
  store = openStore(join(tmp, 'history.db'));
});
afterEach(async () => {
  store.close();
  await rm(tmp, { recursive: true, force: true });
});

const tap = (): RemediationAction => ({
  code: 'create-tap',
  lifetimeInMinutes: 120,
  isUsableOnce: true,
  startDateTime: null,
  assumedTargets: [],
  reason: { code: 'federated-no-inline-registration', domain: 'uni.example' },
});
const ask = (): RemediationAction => ({
  code: 'ask-to-complete',
  message: `Open ${MY_SECURITY_INFO_URL}`,
  url: MY_SECURITY_INFO_URL,
  reason: { code: 'prompted-at-sign-in' },
});
const del = (methodId: string, fallbackDefault: 'sms' | 'oath' | null): RemediationAction => ({
  code: 'delete-authenticator',
  methodId,
  deviceName: 'iPhone 14 Pro Max',
  isDefault: null,
  fallbackDefault,
  reason: { code: 'half-registered-authenticator', methodId },
});

function userPlan(id: string, actions: RemediationAction[]): UserRemediation {
  return {
    userId: id,
    userPrincipalName: `${id}@uni.example`,
    displayName: id,
    verdict: 'loop-risk',
    isAdmin: false,
    federatedDomain: 'uni.example',
    actions,
  };
}

function planOf(users: UserRemediation[]): RemediationPlan {
  return {
    planVersion: 1,
    kind: 'remediation',
    createdAt: NOW.toISOString(),
    basedOn: { generatedAt: NOW.toISOString(), collectedAt: null, tenantId: null },
    selection: { verdicts: ['loop-risk'], users: [] },
    tapPolicy: {
      state: 'enabled',
      defaultLifetimeInMinutes: 60,
      minimumLifetimeInMinutes: 10,
      maximumLifetimeInMinutes: 480,
      isUsableOnce: null,
    },
    users,
  };
}

const fakeUsers = (ids: string[], over: Partial<FakeUser> = {}): FakeUser[] =>
  ids.map((id) => ({ id, userPrincipalName: `${id}@uni.example`, ...over }));

function deps(graph: FakeGraph, tapFile = join(tmp, 'taps.csv')) {
  return { store, writer: graph, reader: graph, now: () => NOW, tapFile };
}

describe('TAPs', () => {
  it('puts each pass in a file of mode 0600 and nowhere else: not the result, the journal or the store', async () => {
    const ids = ['s1001', 's1002', 's1003'];
    const graph = new FakeGraph(fakeUsers(ids));
    const plan = planOf(ids.map((id) => userPlan(id, [tap(), ask()])));
    const result = await applyRemediation({ name: 'p1', version: 1, plan }, deps(graph));

    expect(graph.issued).toHaveLength(3);
    expect(result.taps.map((t) => t.userPrincipalName)).toEqual(ids.map((id) => `${id}@uni.example`));
    expect(result.taps[0]?.expiresAt).toBe('2025-06-10T14:00:00.000Z');
    expect(result.tapFile).toBe(join(tmp, 'taps.csv'));
    expect(result.outcomes.map((o) => o.status)).toEqual(['done', 'done', 'done']);
    expect(result.messages).toHaveLength(3);

    const file = await readFile(join(tmp, 'taps.csv'), 'utf8');
    expect((await stat(join(tmp, 'taps.csv'))).mode & 0o777).toBe(0o600);
    const resultText = [
      JSON.stringify(result),
      renderApplyResult(result, 'table'),
      renderApplyResult(result, 'json'),
      renderApplyResult(result, 'csv'),
    ].join('\n');
    expect(renderApplyResult(result, 'table')).toContain(join(tmp, 'taps.csv'));
    expect(renderApplyResult(result, 'table')).toContain('expire by 2025-06-10T14:00:00.000Z');
    const journalText = JSON.stringify(readJournal(store, 'remediation', 'p1'));
    store.close();
    const storeBytes = await readFile(join(tmp, 'history.db'));
    store = openStore(join(tmp, 'history.db'));
    for (const pass of graph.issued) {
      expect(file).toContain(pass);
      expect(resultText).not.toContain(pass);
      expect(journalText).not.toContain(pass);
      expect(storeBytes.includes(Buffer.from(pass))).toBe(false);
    }
    // The journal says what was done and when it expires, by method id.
    const j = readJournal(store, 'remediation', 'p1');
    expect(j.map((e) => [e.operation, e.status])).toEqual([
      ['create-tap', 'done'],
      ['create-tap', 'done'],
      ['create-tap', 'done'],
    ]);
    expect(j[0]?.detail).toMatchObject({
      status: 201,
      expiresAt: '2025-06-10T14:00:00.000Z',
      isUsableOnce: true,
    });
  });

  it('refuses a TAP for a user the directory now says is a guest, and sends nothing for them', async () => {
    const graph = new FakeGraph([
      { id: 'g1', userPrincipalName: 'g1@uni.example', userType: 'Guest' },
      { id: 'm1', userPrincipalName: 'm1@uni.example' },
    ]);
    const plan = planOf([userPlan('g1', [tap()]), userPlan('m1', [tap()])]);
    const result = await applyRemediation({ name: 'p', version: 1, plan }, deps(graph));
    expect(graph.writes).toEqual(['POST /users/m1/authentication/temporaryAccessPassMethods']);
    expect(result.outcomes.find((o) => o.userId === 'g1')).toMatchObject({ status: 'failed' });
    expect(result.outcomes.find((o) => o.userId === 'g1')?.detail).toMatch(/guest/);
    const j = readJournal(store, 'remediation', 'p');
    expect(j.find((e) => e.target === 'g1')).toMatchObject({
      status: 'failed',
      detail: { refused: 'guest' },
    });
  });

  it("journals the TAP policy's refusal as data and says where to change the policy", async () => {
    const graph = new FakeGraph(fakeUsers(['s1', 's2']));
    graph.tapRefused.add('s1');
    const plan = planOf([userPlan('s1', [tap()]), userPlan('s2', [tap()])]);
    const result = await applyRemediation({ name: 'p', version: 1, plan }, deps(graph));
    const refused = result.outcomes.find((o) => o.userId === 's1');
    expect(refused?.status).toBe('failed');
    expect(refused?.detail).toContain('UserCredentialPolicy');
    expect(refused?.detail).toContain('Policies → Temporary Access Pass');
    expect(result.outcomes.find((o) => o.userId === 's2')?.status).toBe('done');
    expect(readJournal(store, 'remediation', 'p').map((e) => [e.target, e.status])).toEqual([
      ['s1', 'failed'],
      ['s2', 'done'],
    ]);
    // Only the pass made is in the file.
    expect((await readFile(join(tmp, 'taps.csv'), 'utf8')).trim().split('\n')).toHaveLength(2);
  });

  it('refuses a TAP file others can read, before any pass is made', async () => {
    const file = join(tmp, 'open.csv');
    await writeFile(file, 'x\n', { mode: 0o644 });
    const graph = new FakeGraph(fakeUsers(['s1']));
    await expect(
      applyRemediation({ name: 'p', version: 1, plan: planOf([userPlan('s1', [tap()])]) }, deps(graph, file)),
    ).rejects.toThrow(InputError);
    expect(graph.writes).toEqual([]);
    expect(graph.issued).toEqual([]);
  });

  it('resumes after a crash mid-apply without sending any write twice', async () => {
    const ids = Array.from({ length: 25 }, (_, i) => `s${1000 + i}`);
    const plan = planOf(ids.map((id) => userPlan(id, [tap()])));
    const graph = new FakeGraph(fakeUsers(ids));
    graph.crashAfterBatches = 1;
    await expect(applyRemediation({ name: 'p', version: 1, plan }, deps(graph))).rejects.toThrow(
      'simulated crash',
    );
    const afterCrash = readJournal(store, 'remediation', 'p');
    expect(afterCrash.filter((e) => e.status === 'done')).toHaveLength(20);
    expect(afterCrash.filter((e) => e.status === 'pending')).toHaveLength(5);

    graph.crashAfterBatches = undefined;
    const result = await applyRemediation({ name: 'p', version: 1, plan }, deps(graph));
    const posts = graph.writes.filter((w) => w.startsWith('POST'));
    expect(posts).toHaveLength(25);
    expect(new Set(posts).size).toBe(25);
    expect(result.outcomes.filter((o) => o.status === 'already-done')).toHaveLength(20);
    expect(result.outcomes.filter((o) => o.status === 'done')).toHaveLength(5);
    const lines = (await readFile(join(tmp, 'taps.csv'), 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(26);

    // A third run sends nothing at all.
    const before = graph.log.length;
    const again = await applyRemediation({ name: 'p', version: 1, plan }, deps(graph));
    expect(graph.log.length).toBe(before);
    expect(again.outcomes.every((o) => o.status === 'already-done')).toBe(true);
  });
});

describe('deleting a half-registered Authenticator', () => {
  it('moves the default first when signInPreferences says push, then deletes', async () => {
    const graph = new FakeGraph([
      {
        id: 'u2',
        userPrincipalName: 'u2@contoso.com',
        authenticators: ['auth-2'],
        others: ['phone'],
        preferred: 'push',
      },
    ]);
    const plan = planOf([userPlan('u2', [del('auth-2', 'sms'), ask()])]);
    const result = await applyRemediation({ name: 'p', version: 1, plan }, deps(graph));
    expect(graph.writes).toEqual([
      'PATCH /beta/users/u2/authentication/signInPreferences',
      'DELETE /users/u2/authentication/microsoftAuthenticatorMethods/auth-2',
    ]);
    expect(graph.user('u2').preferred).toBe('sms');
    expect(graph.user('u2').authenticators).toEqual([]);
    expect(result.outcomes.map((o) => [o.action, o.status])).toEqual([
      ['delete-authenticator', 'done'],
      ['set-default-method', 'done'],
    ]);
  });

  it('recovers from Graph\'s "Cannot delete default method" refusal by changing the default', async () => {
    const graph = new FakeGraph([
      {
        id: 'u2',
        userPrincipalName: 'u2@contoso.com',
        authenticators: ['auth-2'],
        others: ['phone'],
        preferred: 'push',
      },
    ]);
    // The preferences cannot be read, so the deletion is tried first and refused.
    graph.preferencesUnreadable = true;
    const plan = planOf([userPlan('u2', [del('auth-2', 'sms')])]);
    const result = await applyRemediation({ name: 'p', version: 1, plan }, deps(graph));
    expect(graph.writes).toEqual([
      'DELETE /users/u2/authentication/microsoftAuthenticatorMethods/auth-2',
      'PATCH /beta/users/u2/authentication/signInPreferences',
      'DELETE /users/u2/authentication/microsoftAuthenticatorMethods/auth-2',
    ]);
    expect(graph.user('u2').authenticators).toEqual([]);
    expect(result.outcomes.find((o) => o.action === 'delete-authenticator')?.status).toBe('done');
    const j = readJournal(store, 'remediation', 'p');
    expect(j.map((e) => [e.operation, e.status])).toEqual([
      ['delete-method', 'done'],
      ['set-default-method', 'done'],
    ]);
  });

  it('says why not when the default cannot move to another method', async () => {
    const graph = new FakeGraph([
      {
        id: 'u3',
        userPrincipalName: 'u3@contoso.com',
        authenticators: ['auth-3'],
        others: ['fido2'],
        preferred: 'push',
      },
    ]);
    const result = await applyRemediation(
      { name: 'p', version: 1, plan: planOf([userPlan('u3', [del('auth-3', null)])]) },
      deps(graph),
    );
    expect(graph.writes).toEqual(['DELETE /users/u3/authentication/microsoftAuthenticatorMethods/auth-3']);
    const o = result.outcomes[0];
    expect(o?.status).toBe('failed');
    expect(o?.detail).toMatch(/no other method that can be the default/);
    expect(graph.user('u3').authenticators).toEqual(['auth-3']);
  });

  it('deletes a sole Authenticator that is the default without touching the default', async () => {
    const graph = new FakeGraph([
      { id: 'u4', userPrincipalName: 'u4@contoso.com', authenticators: ['auth-4'], preferred: 'push' },
    ]);
    await applyRemediation(
      { name: 'p', version: 1, plan: planOf([userPlan('u4', [del('auth-4', null)])]) },
      deps(graph),
    );
    expect(graph.writes).toEqual(['DELETE /users/u4/authentication/microsoftAuthenticatorMethods/auth-4']);
    expect(graph.user('u4').authenticators).toEqual([]);
  });

  it('after a crash, checks a pending deletion with a read instead of sending it again', async () => {
    const graph = new FakeGraph([
      { id: 'u5', userPrincipalName: 'u5@contoso.com', authenticators: ['auth-5'] },
    ]);
    const plan = planOf([userPlan('u5', [del('auth-5', null)])]);
    // The crash came after Graph deleted the entry and before its answer was journaled.
    const { journalPending } = await import('../../src/store/journal.js');
    journalPending(
      store,
      'remediation',
      'p',
      1,
      [{ key: 'delete-method:u5:auth-5', operation: 'delete-method', target: 'u5', subject: 'auth-5' }],
      NOW,
    );
    graph.user('u5').authenticators = [];
    const result = await applyRemediation({ name: 'p', version: 1, plan }, deps(graph));
    expect(graph.writes).toEqual([]);
    expect(result.outcomes[0]?.status).toBe('already-done');
  });
});

describe('dry run', () => {
  it('lists what would be written and writes nothing', async () => {
    const plan = planOf([userPlan('s1', [tap(), ask()]), userPlan('u2', [del('auth-2', 'sms')])]);
    const result = describeRemediation('p', 1, plan, readJournal(store, 'remediation', 'p'));
    expect(result.applied).toBe(false);
    expect(result.outcomes.map((o) => [o.action, o.status])).toEqual([
      ['create-tap', 'would-do'],
      ['delete-authenticator', 'would-do'],
    ]);
    expect(readJournal(store, 'remediation', 'p')).toEqual([]);
  });
});
