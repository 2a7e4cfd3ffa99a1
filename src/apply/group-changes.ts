/**
 * Performs a rollout's group changes, journaled so that a re-run, or a run after a crash, never writes
 * the same change twice.
 *
 * Cloud groups: through a GraphWriter, `POST /groups/{id}/members/$ref` and
 * `DELETE /groups/{id}/members/{userId}/$ref` (https://learn.microsoft.com/graph/api/group-post-members,
 * https://learn.microsoft.com/graph/api/group-delete-members) in `$batch`es of 20. Each change is
 * journaled `pending` before it is sent and gets its outcome as soon as its `$batch` is answered. Graph
 * answers 400 "One or more added object references already exist…" to an add of a member and 404 to a
 * removal of a non-member: the state the plan wants holds, so both count as done. A change journaled
 * done is never sent again; one left `pending` (a crash between two batches) may or may not have
 * reached Graph, so the group's members are read before it is sent again.
 *
 * Groups synced from on-premises: Graph refuses membership writes, so the changes go into an AD
 * PowerShell script and a CSV (made by the caller, src/report/rollout-script.ts), journaled `scripted`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { GraphWriter, WriteRequest, WriteResponse } from '../collect/graph/writes.js';
import type { GroupChange } from '../domain/rollout.js';
import {
  journalOutcomes,
  journalPending,
  readJournal,
  type JournalStatus,
  type NewJournalEntry,
  type Store,
} from '../store/index.js';

/** Graph's root for `@odata.id` references (https://learn.microsoft.com/graph/api/group-post-members). */
const DIRECTORY_OBJECTS = 'https://graph.microsoft.com/v1.0/directoryObjects/';

export interface ApplyGroupChangesOptions {
  store: Store;
  plan: { name: string; version: number };
  changes: readonly GroupChange[];
  /** Needed when a change is for a cloud group. */
  writer?: GraphWriter;
  /** The group's current member ids (transitive or direct): to check `pending` changes before re-sending. */
  readMembers?: (groupId: string) => Promise<ReadonlySet<string>>;
  /** Changes of synced groups: the script and CSV texts, and the folder to write them to. */
  script?: {
    dir: string;
    render: (changes: readonly GroupChange[]) => { ps1: string; csv: string };
    /** File name stem, e.g. `rollout-students-20261201T100000Z`. */
    stem: string;
  };
  now: () => Date;
}

export interface FailedChange {
  change: GroupChange;
  status: number;
  code: string | null;
  message: string;
  /** Graph said the group is synced from on-premises. */
  synced: boolean;
}

export interface ApplyGroupChangesResult {
  /** Changes sent to Graph in this run. */
  sent: number;
  /** Done in this run (sent and accepted, or found done by reading the group). */
  done: number;
  /** Already journaled done or scripted: not sent again. */
  skipped: number;
  /** Pending from an earlier run that a read of the group showed done: not sent again. */
  confirmedByRead: number;
  failed: FailedChange[];
  /** Written for synced groups. */
  scripted: { count: number; ps1: string; csv: string } | null;
}

function entryOf(c: GroupChange): NewJournalEntry {
  return { key: c.key, operation: c.op, target: c.group.id, subject: c.userId };
}

function requestOf(c: GroupChange, id: string): WriteRequest {
  return c.op === 'add-member'
    ? {
        id,
        method: 'POST',
        url: `/groups/${encodeURIComponent(c.group.id)}/members/$ref`,
        body: { '@odata.id': `${DIRECTORY_OBJECTS}${c.userId}` },
      }
    : {
        id,
        method: 'DELETE',
        url: `/groups/${encodeURIComponent(c.group.id)}/members/${encodeURIComponent(c.userId)}/$ref`,
      };
}

/** Graph's error message and code of an answer: from the body (`error.message`) or the typed failure. */
function errorOf(a: WriteResponse): { code: string | null; message: string } {
  const body = a.body as { error?: { code?: unknown; message?: unknown } } | null | undefined;
  const message =
    typeof body?.error?.message === 'string' ? body.error.message : (a.error?.message ?? `HTTP ${a.status}`);
  const code = typeof body?.error?.code === 'string' ? body.error.code : (a.error?.data.code ?? null);
  return { code, message };
}

const ALREADY_MEMBER = /added object references already exist/i;
const SYNCED = /on-premises mastered Directory Sync/i;

type Outcome = { status: JournalStatus; detail: Record<string, unknown>; failed?: FailedChange };

export function outcomeOf(c: GroupChange, a: WriteResponse): Outcome {
  if (a.status >= 200 && a.status < 300) return { status: 'done', detail: { status: a.status } };
  const { code, message } = errorOf(a);
  if (c.op === 'add-member' && a.status === 400 && ALREADY_MEMBER.test(message))
    return { status: 'done', detail: { status: a.status, alreadyMember: true } };
  // 404 to a removal: not a member (or no longer there at all): the state the plan wants holds.
  if (c.op === 'remove-member' && a.status === 404)
    return { status: 'done', detail: { status: a.status, notMember: true } };
  const synced = a.status === 400 && SYNCED.test(message);
  return {
    status: 'failed',
    detail: { status: a.status, code, message },
    failed: { change: c, status: a.status, code, message, synced },
  };
}

export async function applyGroupChanges(opts: ApplyGroupChangesOptions): Promise<ApplyGroupChangesResult> {
  const { store, plan } = opts;
  const result: ApplyGroupChangesResult = {
    sent: 0,
    done: 0,
    skipped: 0,
    confirmedByRead: 0,
    failed: [],
    scripted: null,
  };
  const before = new Map(readJournal(store, 'rollout', plan.name).map((e) => [e.key, e]));
  const todo: GroupChange[] = [];
  const seen = new Set<string>();
  for (const c of opts.changes) {
    if (seen.has(c.key)) continue;
    seen.add(c.key);
    const status = before.get(c.key)?.status;
    if (status === 'done' || status === 'scripted') result.skipped += 1;
    else todo.push(c);
  }
  const cloud = todo.filter((c) => !c.group.onPremisesSyncEnabled);
  const synced = todo.filter((c) => c.group.onPremisesSyncEnabled);

  // Left pending by a run that stopped: did it reach Graph? The group's members say.
  const crashed = cloud.filter((c) => before.get(c.key)?.status === 'pending');
  const confirmed = new Set<string>();
  if (crashed.length > 0 && opts.readMembers !== undefined) {
    const byGroup = new Map<string, ReadonlySet<string>>();
    for (const c of crashed) {
      let members = byGroup.get(c.group.id);
      if (members === undefined) byGroup.set(c.group.id, (members = await opts.readMembers(c.group.id)));
      if (members.has(c.userId) === (c.op === 'add-member')) confirmed.add(c.key);
    }
    journalOutcomes(
      store,
      'rollout',
      plan.name,
      [...confirmed].map((key) => ({ key, status: 'done' as const, detail: { confirmedByRead: true } })),
      opts.now(),
    );
    result.confirmedByRead = confirmed.size;
    result.done += confirmed.size;
  }

  const send = cloud.filter((c) => !confirmed.has(c.key));
  if (send.length > 0) {
    if (opts.writer === undefined)
      throw new Error('applyGroupChanges: a cloud group change needs a GraphWriter');
    journalPending(store, 'rollout', plan.name, plan.version, send.map(entryOf), opts.now());
    const byId = new Map<string, GroupChange>();
    const requests = send.map((c, i) => {
      const id = String(i + 1);
      byId.set(id, c);
      return requestOf(c, id);
    });
    result.sent = send.length;
    await opts.writer.write(requests, {
      onAnswered: (answers) => {
        const outcomes = answers.flatMap((a) => {
          const c = byId.get(a.id);
          if (c === undefined) return [];
          const o = outcomeOf(c, a);
          if (o.failed !== undefined) result.failed.push(o.failed);
          else result.done += 1;
          return [{ key: c.key, status: o.status, detail: o.detail }];
        });
        journalOutcomes(store, 'rollout', plan.name, outcomes, opts.now());
      },
    });
  }

  if (synced.length > 0) {
    if (opts.script === undefined)
      throw new Error('applyGroupChanges: a synced group change needs a script writer');
    journalPending(store, 'rollout', plan.name, plan.version, synced.map(entryOf), opts.now());
    const { ps1, csv } = opts.script.render(synced);
    await mkdir(opts.script.dir, { recursive: true });
    const ps1File = path.join(opts.script.dir, `${opts.script.stem}.ps1`);
    const csvFile = path.join(opts.script.dir, `${opts.script.stem}.csv`);
    // UTF-8 with a byte-order mark: Windows PowerShell 5.1 reads a script without one as ANSI.
    await writeFile(ps1File, `\ufeff${ps1}`, 'utf8');
    await writeFile(csvFile, `\ufeff${csv}`, 'utf8');
    journalOutcomes(
      store,
      'rollout',
      plan.name,
      synced.map((c) => ({ key: c.key, status: 'scripted' as const, detail: { script: ps1File } })),
      opts.now(),
    );
    result.scripted = { count: synced.length, ps1: ps1File, csv: csvFile };
  }
  return result;
}
