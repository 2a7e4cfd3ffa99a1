import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyGroupChanges } from '../../src/apply/group-changes.js';
import type { GroupChange, RolloutGroup } from '../../src/domain/rollout.js';
import { groupChangeCsv, groupChangeScript } from '../../src/report/rollout-script.js';
import { openStore, readJournal, type Store } from '../../src/store/index.js';
import { parseCsv } from '../support/csv.js';
import { FakeGroupWriter } from './fake-group-writer.js';

let tmp: string;
let store: Store;
beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'mfa-ready-apply-'));
  store = openStore(join(tmp, 'history.db'));
});
afterEach(async () => {
  store.close();
  await rm(tmp, { recursive: true, force: true });
});

const CLOUD: RolloutGroup = { id: 'g-cloud', displayName: 'Cloud MFA', onPremisesSyncEnabled: false };
const SYNCED: RolloutGroup = {
  id: 'g-sync',
  displayName: "MFA_Required'; $(Remove-Item C:\\)",
  onPremisesSyncEnabled: true,
};
const now = () => new Date('2026-12-01T10:00:00Z');
const plan = { name: 'students', version: 1 };

function adds(n: number, group = CLOUD): GroupChange[] {
  return Array.from({ length: n }, (_, i) => {
    const userId = `u${String(i).padStart(4, '0')}`;
    return {
      op: 'add-member' as const,
      group,
      userId,
      upn: `${userId}@contoso.edu`,
      reason: 'wave-enforce' as const,
      wave: 1,
      key: `e0:w1:add-member:${group.id}:${userId}`,
    };
  });
}

function readMembersOf(writer: FakeGroupWriter) {
  const reads: string[] = [];
  return {
    reads,
    readMembers: async (g: string) => {
      reads.push(g);
      return new Set(writer.members(g));
    },
  };
}

describe('applyGroupChanges', () => {
  it('sends ⌈changes / 20⌉ $batches, journals every change done, and a re-run writes nothing', async () => {
    const writer = new FakeGroupWriter();
    const changes = adds(45);
    const r = await applyGroupChanges({ store, plan, changes, writer, now });
    expect(writer.roundTrips).toBe(3);
    expect(r).toMatchObject({ sent: 45, done: 45, skipped: 0, failed: [] });
    expect(readJournal(store, 'rollout', 'students').every((e) => e.status === 'done')).toBe(true);
    const again = await applyGroupChanges({ store, plan, changes, writer, now });
    expect(again).toMatchObject({ sent: 0, skipped: 45 });
    expect(writer.log).toHaveLength(45);
  });

  it('counts "already a member" and "not a member" as done, and remembers who was there before', async () => {
    const writer = new FakeGroupWriter();
    writer.members(CLOUD.id).add('u0000');
    const remove: GroupChange = {
      ...adds(1)[0]!,
      op: 'remove-member',
      userId: 'nobody',
      key: 'e0:graduate:remove-member:g-cloud:nobody',
    };
    const r = await applyGroupChanges({ store, plan, changes: [...adds(2), remove], writer, now });
    expect(r).toMatchObject({ sent: 3, done: 3, failed: [] });
    const journal = readJournal(store, 'rollout', 'students');
    expect(journal.find((e) => e.subject === 'u0000')?.detail).toMatchObject({ alreadyMember: true });
    expect(journal.find((e) => e.subject === 'nobody')?.detail).toMatchObject({ notMember: true });
  });

  it('after a crash between two $batches, the re-run reads the group and sends only what never arrived', async () => {
    const writer = new FakeGroupWriter();
    writer.crashAfterBatches = 1;
    const changes = adds(30);
    await expect(applyGroupChanges({ store, plan, changes, writer, now })).rejects.toThrow(/simulated crash/);
    const statuses = readJournal(store, 'rollout', 'students').map((e) => e.status);
    expect(statuses.filter((s) => s === 'done')).toHaveLength(20);
    expect(statuses.filter((s) => s === 'pending')).toHaveLength(10);

    writer.crashAfterBatches = undefined;
    const { reads, readMembers } = readMembersOf(writer);
    const r = await applyGroupChanges({ store, plan, changes, writer, readMembers, now });
    expect(reads).toEqual([CLOUD.id]);
    expect(r).toMatchObject({ sent: 10, skipped: 20, failed: [] });
    expect(writer.log).toHaveLength(30);
    expect(new Set(writer.log).size).toBe(30);
  });

  it('a pending change that did reach Graph is confirmed by the read, not sent again', async () => {
    const writer = new FakeGroupWriter();
    const changes = adds(3);
    await applyGroupChanges({ store, plan, changes, writer, now });
    // As if the process died after Graph answered but before the journal recorded it.
    store.db.prepare("UPDATE journal SET status = 'pending', done_at = NULL").run();
    const { readMembers } = readMembersOf(writer);
    const r = await applyGroupChanges({ store, plan, changes, writer, readMembers, now });
    expect(r).toMatchObject({ sent: 0, confirmedByRead: 3 });
    expect(writer.log).toHaveLength(3);
  });

  it('journals a refusal as failed with what Graph said, and sends it again next time', async () => {
    const writer = new FakeGroupWriter();
    writer.synced.add(CLOUD.id); // Graph knows better than the plan: the group is synced.
    const r = await applyGroupChanges({ store, plan, changes: adds(1), writer, now });
    expect(r.failed).toHaveLength(1);
    expect(r.failed[0]).toMatchObject({ status: 400, synced: true });
    expect(readJournal(store, 'rollout', 'students')[0]).toMatchObject({ status: 'failed' });
    writer.synced.clear();
    const again = await applyGroupChanges({ store, plan, changes: adds(1), writer, now });
    expect(again).toMatchObject({ sent: 1, done: 1 });
  });

  it('writes a script and a CSV for a synced group, journaled scripted, never sent to Graph', async () => {
    const writer = new FakeGroupWriter();
    const changes = adds(2, SYNCED);
    const script = {
      dir: join(tmp, 'out'),
      stem: 'rollout-students-1',
      render: (c: readonly GroupChange[]) => ({
        ps1: groupChangeScript(c, { plan: 'students', planVersion: 1, at: now().toISOString() }),
        csv: groupChangeCsv(c),
      }),
    };
    const r = await applyGroupChanges({ store, plan, changes, writer, script, now });
    expect(writer.log).toEqual([]);
    expect(r.scripted).toMatchObject({ count: 2 });
    expect(readJournal(store, 'rollout', 'students').map((e) => e.status)).toEqual(['scripted', 'scripted']);
    const ps1 = await readFile(r.scripted!.ps1, 'utf8');
    expect(ps1).toContain('-WhatIf');
    expect(ps1).toContain('Add-ADGroupMember');
    // The quote in the display name is doubled: the whole name stays one literal.
    expect(ps1).toContain("Group = 'MFA_Required''; $(Remove-Item C:\\)'");
    const rows = parseCsv((await readFile(r.scripted!.csv, 'utf8')).replace(/^\ufeff/, ''));
    expect(rows[0]).toEqual([
      'operation',
      'group',
      'groupId',
      'userPrincipalName',
      'userId',
      'reason',
      'wave',
    ]);
    expect(rows[1]).toEqual([
      'add-member',
      "MFA_Required'; $(Remove-Item C:\\)",
      'g-sync',
      'u0000@contoso.edu',
      'u0000',
      'wave-enforce',
      '1',
    ]);
    const again = await applyGroupChanges({ store, plan, changes, writer, script, now });
    expect(again).toMatchObject({ skipped: 2, scripted: null });
  });
});
