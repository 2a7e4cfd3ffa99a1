import type { BatchRequest, BatchResponse, GraphSource } from '../collect/graph/graph-client.js';
import type { GraphWriter, WriteRequest, WriteResponse } from '../collect/graph/writes.js';
import { TAP_POLICY_LOCATION } from '../domain/remediation.js';
import type {
  IssuedTap,
  RemediationAction,
  RemediationApplyResult,
  RemediationOutcome,
  RemediationPlan,
  SecondaryMethod,
  WriteActionCode,
} from '../domain/remediation.js';
import type { JournalEntry, JournalStatus } from '../store/journal.js';
import { journalOutcomes, journalPending, readJournal } from '../store/journal.js';
import type { Store } from '../store/open-store.js';
import { TapFile } from './remediation-tap-file.js';

/** One write a plan asks for, with the journal's identity for it. */
export interface PlannedWrite {
  /** The same key every time the plan asks for the same change: what makes a re-run resume. */
  key: string;
  /** The journal's operation name. */
  operation: 'create-tap' | 'delete-method' | 'set-default-method';
  action: WriteActionCode;
  userId: string;
  userPrincipalName: string;
  subject: string | null;
  /** create-tap: the body; set-default-method: the method; delete: the method id. */
  tap?: { lifetimeInMinutes: number; isUsableOnce: boolean; startDateTime: string | null };
  method?: SecondaryMethod;
  fallbackDefault?: SecondaryMethod | null;
}

const OPERATION: Record<WriteActionCode, PlannedWrite['operation']> = {
  'create-tap': 'create-tap',
  'delete-authenticator': 'delete-method',
  'set-default-method': 'set-default-method',
};

function keyOf(action: WriteActionCode, userId: string, subject: string | null): string {
  return `${OPERATION[action]}:${userId.toLowerCase()}${subject === null || action !== 'delete-authenticator' ? '' : `:${subject}`}`;
}

function setDefaultWrite(userId: string, upn: string, method: SecondaryMethod): PlannedWrite {
  return {
    key: keyOf('set-default-method', userId, method),
    operation: 'set-default-method',
    action: 'set-default-method',
    userId,
    userPrincipalName: upn,
    subject: method,
    method,
  };
}

/** The plan's writes, in the order the plan lists them. */
export function plannedWrites(plan: RemediationPlan): PlannedWrite[] {
  const out: PlannedWrite[] = [];
  for (const u of plan.users) {
    for (const a of u.actions) {
      const write = writeOf(u.userId, u.userPrincipalName, a);
      if (write !== undefined) out.push(write);
    }
  }
  return out;
}

function writeOf(userId: string, upn: string, a: RemediationAction): PlannedWrite | undefined {
  switch (a.code) {
    case 'create-tap':
      return {
        key: keyOf('create-tap', userId, null),
        operation: 'create-tap',
        action: 'create-tap',
        userId,
        userPrincipalName: upn,
        subject: null,
        tap: {
          lifetimeInMinutes: a.lifetimeInMinutes,
          isUsableOnce: a.isUsableOnce,
          startDateTime: a.startDateTime,
        },
      };
    case 'delete-authenticator':
      return {
        key: keyOf('delete-authenticator', userId, a.methodId),
        operation: 'delete-method',
        action: 'delete-authenticator',
        userId,
        userPrincipalName: upn,
        subject: a.methodId,
        fallbackDefault: a.fallbackDefault,
      };
    case 'set-default-method':
      return setDefaultWrite(userId, upn, a.method);
    default:
      return undefined;
  }
}

function messagesOf(plan: RemediationPlan): RemediationApplyResult['messages'] {
  const out: RemediationApplyResult['messages'] = [];
  for (const u of plan.users)
    for (const a of u.actions)
      if (a.code === 'ask-to-complete')
        out.push({ userPrincipalName: u.userPrincipalName, message: a.message });
  return out;
}

function outcome(
  w: PlannedWrite,
  status: RemediationOutcome['status'],
  detail: string | null,
): RemediationOutcome {
  return {
    userId: w.userId,
    userPrincipalName: w.userPrincipalName,
    action: w.action,
    subject: w.subject,
    status,
    detail,
  };
}

/**
 * `remediate apply` without `--apply`: what would be written, reading the journal only (a change
 * already done is not sent again). Talks to nobody, writes nothing.
 */
export function describeRemediation(
  name: string,
  version: number,
  plan: RemediationPlan,
  journal: readonly JournalEntry[],
): RemediationApplyResult {
  const byKey = new Map(journal.map((e) => [e.key, e]));
  const outcomes = plannedWrites(plan).map((w) =>
    byKey.get(w.key)?.status === 'done' ? outcome(w, 'already-done', null) : outcome(w, 'would-do', null),
  );
  return {
    plan: name,
    planVersion: version,
    applied: false,
    outcomes,
    taps: [],
    tapFile: null,
    messages: messagesOf(plan),
  };
}

export interface ApplyDeps {
  store: Store;
  writer: GraphWriter;
  reader: GraphSource;
  now: () => Date;
  /** Where the TAP values go: created readable by its owner alone (remediation-tap-file.ts). */
  tapFile: string;
}

export interface PlanToApply {
  name: string;
  version: number;
  plan: RemediationPlan;
}

/** One write's recorded result: journal status and detail, and the outcome reported. */
interface Recorded {
  w: PlannedWrite;
  status: JournalStatus;
  detail: Record<string, unknown>;
  result: RemediationOutcome;
}

/** A user's default second factor, as beta signInPreferences answers it. */
interface Preferences {
  preferred: string | null;
}

/**
 * Graph's refusal to delete a user's default method while they have others
 * (https://github.com/microsoftgraph/microsoft-graph-docs-contrib/issues/2913).
 */
const DEFAULT_REFUSAL = /cannot delete default method/i;

/** "Converged UserCredentialPolicy does not allow creating or updating this authentication method. AuthMethodType [TemporaryAccessPass]." */
const TAP_POLICY_REFUSAL = /UserCredentialPolicy does not allow/i;

/**
 * `remediate apply --apply`: performs the plan's writes through the GraphWriter, each journaled
 * `pending` before it is sent and with Graph's answer after (src/store/journal.ts). A change the
 * journal says is done is never sent again, so a re-run after a crash resumes where it stopped.
 *
 * Order, per user: TAPs and default changes first; deletions after them; a deletion Graph refuses
 * because the entry is the default is retried once after moving the default to the usable method
 * the plan found. TAP values go to the owner-only TAP file before the answer is journaled, and
 * nowhere else: not the journal's detail, not the outcomes, not any message.
 */
export async function applyRemediation(input: PlanToApply, deps: ApplyDeps): Promise<RemediationApplyResult> {
  const { name, version, plan } = input;
  const { store } = deps;
  const journal = new Map(readJournal(store, 'remediation', name).map((e) => [e.key, e]));
  const results = new Map<string, RemediationOutcome>();
  const taps: IssuedTap[] = [];
  const writes = plannedWrites(plan);
  for (const w of writes)
    if (journal.get(w.key)?.status === 'done') results.set(w.key, outcome(w, 'already-done', null));
  const todo = writes.filter((w) => !results.has(w.key));
  const tapWrites = todo.filter((w) => w.action === 'create-tap');
  const deletes = todo.filter((w) => w.action === 'delete-authenticator');
  let defaults = todo.filter((w) => w.action === 'set-default-method');

  const record = (entries: readonly Recorded[]) => {
    if (entries.length === 0) return;
    journalPending(
      store,
      'remediation',
      name,
      version,
      entries.map(({ w }) => toJournal(w)),
      deps.now(),
    );
    journalOutcomes(
      store,
      'remediation',
      name,
      entries.map(({ w, status, detail }) => ({ key: w.key, status, detail })),
      deps.now(),
    );
    for (const e of entries) results.set(e.w.key, e.result);
  };

  // 1. What is true now, read before writing: a guest never gets a pass (the plan may be older than
  // a change of userType), and a change an interrupted run may have made is checked, not resent.
  const userChecks = await readAll(
    deps.reader,
    tapWrites.map((w) => ({ id: w.key, url: `/users/${w.userId}?$select=id,userType,accountEnabled` })),
  );
  const refusedTaps = new Set<PlannedWrite>();
  const found: Recorded[] = [];
  for (const w of tapWrites) {
    const r = userChecks.get(w.key);
    const userType = stringField(r?.body, 'userType');
    if (r !== undefined && r.status === 404) {
      refusedTaps.add(w);
      found.push({
        w,
        status: 'failed',
        detail: { refused: 'user-not-found' },
        result: outcome(w, 'failed', 'the user no longer exists'),
      });
    } else if (userType?.toLowerCase() === 'guest') {
      refusedTaps.add(w);
      found.push({
        w,
        status: 'failed',
        detail: { refused: 'guest' },
        result: outcome(w, 'failed', 'a guest: Temporary Access Passes are for members only'),
      });
    }
  }
  const pendingDeletes = deletes.filter((w) => journal.get(w.key)?.status === 'pending');
  const methodChecks = await readAll(
    deps.reader,
    pendingDeletes.map((w) => ({
      id: w.key,
      url: `/users/${w.userId}/authentication/microsoftAuthenticatorMethods/${w.subject ?? ''}`,
    })),
  );
  const goneAlready = new Set<string>();
  for (const w of pendingDeletes) {
    if (methodChecks.get(w.key)?.status === 404) {
      goneAlready.add(w.key);
      found.push({
        w,
        status: 'done',
        detail: { status: 404, found: 'already-deleted' },
        result: outcome(w, 'already-done', null),
      });
    }
  }
  const deleteUsers = [...new Set(deletes.filter((w) => !goneAlready.has(w.key)).map((w) => w.userId))];
  const prefs = await readPreferences(deps.reader, [
    ...new Set([...deleteUsers, ...defaults.map((w) => w.userId)]),
  ]);

  // Default changes: only when the default is the Authenticator (push), or could not be read.
  const upnOf = new Map(writes.map((w) => [w.userId, w.userPrincipalName]));
  const fallbackOf = new Map(deletes.map((w) => [w.userId, w.fallbackDefault]));
  const plannedDefault = new Set(defaults.map((w) => w.userId));
  for (const userId of deleteUsers) {
    const p = prefs.get(userId);
    const fallback = fallbackOf.get(userId) ?? null;
    const planned = plannedDefault.has(userId);
    const done = journal.get(keyOf('set-default-method', userId, null))?.status === 'done';
    if (p?.preferred === 'push' && fallback !== null && !planned && !done)
      defaults = [...defaults, setDefaultWrite(userId, upnOf.get(userId) ?? userId, fallback)];
  }
  const sendDefaults: PlannedWrite[] = [];
  for (const w of defaults) {
    const p = prefs.get(w.userId);
    if (p?.preferred === w.method) {
      found.push({
        w,
        status: 'done',
        detail: { found: 'already-set' },
        result: outcome(w, 'already-done', null),
      });
    } else if (p !== undefined && p.preferred !== 'push') {
      found.push({
        w,
        status: 'done',
        detail: { found: 'not-needed', preferred: p.preferred },
        result: outcome(
          w,
          'skipped',
          `the default is ${p.preferred ?? 'not set'}, not the Authenticator: left as it is`,
        ),
      });
    } else sendDefaults.push(w);
  }
  record(found);

  // 2. TAPs and default changes.
  const sendTaps = tapWrites.filter((w) => !refusedTaps.has(w));
  let tapFile: TapFile | undefined;
  try {
    // Opened (created 0600) before any pass exists: a file that cannot be written stops the run
    // before Graph makes a pass whose value would have nowhere to go.
    if (sendTaps.length > 0) tapFile = TapFile.open(deps.tapFile);
    const first = await send(deps, input, [...sendTaps, ...sendDefaults], record, tapFile, taps);
    // 3. Deletions, after their user's default moved (not if the move failed: Graph would refuse).
    const failedDefault = new Set(
      sendDefaults.filter((w) => first.get(w.key)?.status !== 'done').map((w) => w.userId),
    );
    const sendDeletes: PlannedWrite[] = [];
    const held: Recorded[] = [];
    for (const w of deletes) {
      if (goneAlready.has(w.key)) continue;
      if (failedDefault.has(w.userId))
        held.push({
          w,
          status: 'failed',
          detail: { refused: 'default-not-changed' },
          result: outcome(
            w,
            'skipped',
            'the default could not be moved off this entry, so it was not deleted',
          ),
        });
      else sendDeletes.push(w);
    }
    record(held);
    const second = await send(deps, input, sendDeletes, record, tapFile, taps);
    // 4. A deletion refused because the entry is the default: move the default, then delete again.
    const movedFirst = new Set(sendDefaults.map((d) => d.userId));
    const refused = sendDeletes.filter((w) => second.get(w.key)?.refusedAsDefault === true);
    const canMove = refused.filter((w) => w.fallbackDefault != null && !movedFirst.has(w.userId));
    const cannot = refused.filter((w) => !canMove.includes(w)); // both at most the refused few
    record(
      cannot.map((w) => ({
        w,
        status: 'failed' as const,
        detail: { refused: 'default-method', status: 400 },
        result: outcome(
          w,
          'failed',
          'Graph refuses to delete the default method while the user has others, and the user has no other method that can be the default (an OATH code, a phone): add one, or delete the entry in the portal',
        ),
      })),
    );
    const moves = canMove.map((w) =>
      setDefaultWrite(w.userId, w.userPrincipalName, w.fallbackDefault as SecondaryMethod),
    );
    const third = await send(deps, input, moves, record, tapFile, taps);
    const retry = canMove.filter(
      (w) => third.get(keyOf('set-default-method', w.userId, null))?.status === 'done',
    );
    await send(deps, input, retry, record, tapFile, taps);
  } finally {
    tapFile?.close();
  }
  const outcomes = writes.map((w) => results.get(w.key) ?? outcome(w, 'skipped', 'not sent'));
  const planned = new Set(writes.map((w) => w.key));
  for (const [key, r] of results) if (!planned.has(key)) outcomes.push(r);
  return {
    plan: name,
    planVersion: version,
    applied: true,
    outcomes,
    taps,
    tapFile: taps.length > 0 || tapFile !== undefined ? deps.tapFile : null,
    messages: messagesOf(plan),
  };
}

function toJournal(w: PlannedWrite) {
  return { key: w.key, operation: w.operation, target: w.userId, subject: w.subject };
}

interface Answered {
  status: JournalStatus;
  refusedAsDefault: boolean;
}

/**
 * Sends one phase's writes: journaled pending first; each `$batch` Graph answers is handled in
 * `onAnswered` (TAP values to the file, then the journal), so what was answered before a crash is on
 * disk. Returns each key's answer.
 */
async function send(
  deps: ApplyDeps,
  input: PlanToApply,
  writes: readonly PlannedWrite[],
  record: (entries: readonly Recorded[]) => void,
  tapFile: TapFile | undefined,
  taps: IssuedTap[],
): Promise<Map<string, Answered>> {
  const answered = new Map<string, Answered>();
  if (writes.length === 0) return answered;
  const { store } = deps;
  journalPending(store, 'remediation', input.name, input.version, writes.map(toJournal), deps.now());
  const requests: WriteRequest[] = writes.map((w, i) => requestOf(w, String(i + 1)));
  const byId = new Map(requests.map((r, i) => [r.id, writes[i] as PlannedWrite]));
  await deps.writer.write(requests, {
    onAnswered: (answers) => {
      const entries: Recorded[] = [];
      for (const a of answers) {
        const w = byId.get(a.id);
        if (w === undefined) continue;
        const e = answerOf(w, a, input, tapFile, taps, deps.now());
        entries.push({ w, ...e });
        answered.set(w.key, { status: e.status, refusedAsDefault: e.refusedAsDefault });
      }
      // journalPending inside `record` keeps each row (already pending): only the outcomes change.
      record(entries);
    },
  });
  return answered;
}

function requestOf(w: PlannedWrite, id: string): WriteRequest {
  switch (w.action) {
    case 'create-tap': {
      const t = w.tap as NonNullable<PlannedWrite['tap']>;
      return {
        id,
        method: 'POST',
        url: `/users/${w.userId}/authentication/temporaryAccessPassMethods`,
        body: {
          isUsableOnce: t.isUsableOnce,
          lifetimeInMinutes: t.lifetimeInMinutes,
          ...(t.startDateTime !== null ? { startDateTime: t.startDateTime } : {}),
        },
      };
    }
    case 'delete-authenticator':
      return {
        id,
        method: 'DELETE',
        url: `/users/${w.userId}/authentication/microsoftAuthenticatorMethods/${w.subject ?? ''}`,
      };
    case 'set-default-method':
      // Beta only: https://learn.microsoft.com/graph/api/authentication-update?view=graph-rest-beta
      return {
        id,
        method: 'PATCH',
        url: `/beta/users/${w.userId}/authentication/signInPreferences`,
        body: { userPreferredMethodForSecondaryAuthentication: w.method },
      };
  }
}

function answerOf(
  w: PlannedWrite,
  a: WriteResponse,
  input: PlanToApply,
  tapFile: TapFile | undefined,
  taps: IssuedTap[],
  now: Date,
): {
  status: JournalStatus;
  detail: Record<string, unknown>;
  result: RemediationOutcome;
  refusedAsDefault: boolean;
} {
  const ok = a.status >= 200 && a.status < 300;
  if (!ok) {
    const err = graphError(a);
    const refusedAsDefault =
      w.action === 'delete-authenticator' && a.status === 400 && DEFAULT_REFUSAL.test(err.message);
    // A deletion Graph found nothing to delete for: the entry is gone, which is what was wanted.
    if (w.action === 'delete-authenticator' && a.status === 404)
      return {
        status: 'done',
        detail: { status: 404 },
        result: outcome(w, 'already-done', 'the entry was already gone'),
        refusedAsDefault: false,
      };
    // The TAP policy refuses the pass (disabled, or the user not targeted): say where to change it
    // (https://github.com/glueckkanja/MyWorkID/issues/47 quotes the refusal).
    const where =
      w.action === 'create-tap' && TAP_POLICY_REFUSAL.test(err.message) ? ` (${TAP_POLICY_LOCATION})` : '';
    return {
      status: 'failed',
      detail: { status: a.status, ...(err.code !== null ? { code: err.code } : {}), message: err.message },
      result: outcome(
        w,
        'failed',
        `${a.status}${err.code !== null ? ` ${err.code}` : ''}: ${err.message}${where}`,
      ),
      refusedAsDefault,
    };
  }
  if (w.action !== 'create-tap')
    return {
      status: 'done',
      detail: { status: a.status },
      result: outcome(w, 'done', null),
      refusedAsDefault: false,
    };
  // The clear-text pass is only in this answer
  // (https://learn.microsoft.com/graph/api/authentication-post-temporaryaccesspassmethods): to the
  // owner-only file, flushed, before anything else is recorded.
  const body = a.body;
  const pass = stringField(body, 'temporaryAccessPass');
  const t = w.tap as NonNullable<PlannedWrite['tap']>;
  const start =
    stringField(body, 'startDateTime') ??
    t.startDateTime ??
    stringField(body, 'createdDateTime') ??
    now.toISOString();
  const lifetime = numberField(body, 'lifetimeInMinutes') ?? t.lifetimeInMinutes;
  const expiresAt = new Date(Date.parse(start) + lifetime * 60_000).toISOString();
  const isUsableOnce = booleanField(body, 'isUsableOnce') ?? t.isUsableOnce;
  const methodId = stringField(body, 'id');
  if (pass === undefined || tapFile === undefined)
    return {
      status: 'failed',
      detail: {
        status: a.status,
        refused: 'no-pass-in-answer',
        ...(methodId !== undefined ? { methodId } : {}),
      },
      result: outcome(
        w,
        'failed',
        'Graph created a pass but did not return its value: delete it in the portal and apply again',
      ),
      refusedAsDefault: false,
    };
  tapFile.append({
    userPrincipalName: w.userPrincipalName,
    userId: w.userId,
    temporaryAccessPass: pass,
    startDateTime: start,
    expiresAt,
    isUsableOnce,
    plan: input.name,
  });
  taps.push({
    userId: w.userId,
    userPrincipalName: w.userPrincipalName,
    methodId: methodId ?? null,
    startDateTime: start,
    expiresAt,
    isUsableOnce,
  });
  return {
    status: 'done',
    detail: {
      status: a.status,
      ...(methodId !== undefined ? { methodId } : {}),
      startDateTime: start,
      expiresAt,
      lifetimeInMinutes: lifetime,
      isUsableOnce,
    },
    result: outcome(w, 'done', `expires ${expiresAt}`),
    refusedAsDefault: false,
  };
}

/** Graph's error code and message of a refused write, from the typed failure or the body. */
function graphError(a: WriteResponse): { code: string | null; message: string } {
  const inner = isRecord(a.body) && isRecord(a.body['error']) ? a.body['error'] : undefined;
  const code = a.error?.data.code ?? (typeof inner?.['code'] === 'string' ? inner['code'] : null);
  const message =
    typeof inner?.['message'] === 'string' ? inner['message'] : (a.error?.message ?? `HTTP ${a.status}`);
  return { code, message };
}

async function readAll(
  reader: GraphSource,
  requests: BatchRequest[],
  version?: 'beta',
): Promise<Map<string, BatchResponse>> {
  const out = new Map<string, BatchResponse>();
  if (requests.length === 0) return out;
  const ids = requests.map((r, i) => ({ ...r, id: String(i + 1) }));
  const answers = await reader.batch(ids, version !== undefined ? { version } : {});
  answers.forEach((a, i) => {
    const given = requests[i];
    if (given !== undefined) out.set(given.id, a);
  });
  return out;
}

/**
 * Each user's default second factor, read before a deletion: beta
 * `GET /users/{id}/authentication/signInPreferences`
 * (https://learn.microsoft.com/graph/api/authentication-get?view=graph-rest-beta). A user whose
 * preferences could not be read is left out: the deletion is then tried, and a refusal handled.
 */
async function readPreferences(
  reader: GraphSource,
  userIds: readonly string[],
): Promise<Map<string, Preferences>> {
  const answers = await readAll(
    reader,
    userIds.map((id) => ({ id, url: `/users/${id}/authentication/signInPreferences` })),
    'beta',
  );
  const out = new Map<string, Preferences>();
  for (const [id, a] of answers) {
    if (a.status < 200 || a.status >= 300) continue;
    out.set(id, { preferred: stringField(a.body, 'userPreferredMethodForSecondaryAuthentication') ?? null });
  }
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringField(body: unknown, key: string): string | undefined {
  const v = isRecord(body) ? body[key] : undefined;
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function numberField(body: unknown, key: string): number | undefined {
  const v = isRecord(body) ? body[key] : undefined;
  return typeof v === 'number' ? v : undefined;
}

function booleanField(body: unknown, key: string): boolean | undefined {
  const v = isRecord(body) ? body[key] : undefined;
  return typeof v === 'boolean' ? v : undefined;
}
