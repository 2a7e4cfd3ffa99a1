/**
 * The parts of a refresh (a collection handed the stored run's CollectBaseline) that differ from a
 * first collection's: the users through their delta query, the registration report row by row, and
 * the deltaLink a first collection saves for the next refresh. Each writes the complete dataset (the
 * stored rows merged with what changed), so the folder's users and report are whole whichever way
 * they were read.
 */
import type { CollectBaseline } from '../../domain/baseline.js';
import { GraphFailure, NextLinkRejected } from '../graph/index.js';
import type { PartOutcome } from './collect-paged.js';
import { failPart, finishItemPart } from './collect-paged.js';
import { PART_SPECS } from './collect-parts.js';
import { writeFileAtomic } from './export-files.js';
import type { FailureInfo } from './failure-info.js';
import { failureInfo } from './failure-info.js';
import { registrationRow, USERS_DELTA_LATEST } from './graph-queries.js';
import { MAX_BATCH_SIZE } from '../graph/index.js';
import type { RunContext } from './run-context.js';
import { endsRun } from './run-context.js';
import { serialiseWithoutSecrets } from './secrets.js';

type Row = Record<string, unknown>;

/** A row as Graph returned it, without the OData annotations of a single-entity answer. */
function withoutAnnotations(body: unknown): Row {
  const row: Row = {};
  for (const [k, v] of Object.entries((body ?? {}) as Row)) if (!k.startsWith('@')) row[k] = v;
  return row;
}

/** The stored users and rows carry their ids in Graph's spelling; compared without case. */
const keyOf = (id: string): string => id.toLowerCase();

async function writeRows(ctx: RunContext, file: string, rows: readonly unknown[]): Promise<number> {
  const text = rows.map((r) => `${serialiseWithoutSecrets(r)}\n`).join('');
  await writeFileAtomic(ctx.path(file), text);
  return Buffer.byteLength(text);
}

/**
 * The deltaLink "from now" for the next refresh (USERS_DELTA_LATEST). Any Graph refusal only means
 * the next refresh reads the users in full again: undefined, the run goes on.
 */
export async function latestUsersDeltaLink(ctx: RunContext): Promise<string | undefined> {
  try {
    const body = await ctx.source.get<Row>(USERS_DELTA_LATEST.path, { version: USERS_DELTA_LATEST.version });
    const link = body['@odata.deltaLink'];
    return typeof link === 'string' && link !== '' ? link : undefined;
  } catch (err) {
    if (!(err instanceof GraphFailure) || endsRun(err)) throw err;
    return undefined;
  }
}

export interface UsersDeltaOutcome extends PartOutcome {
  /** Users the round named as added or changed (lower-case ids); undefined when not known (resumed). */
  changed?: Set<string>;
}

/**
 * users.ndjson from the stored users and one round of the users delta query, started from the
 * stored run's deltaLink (https://learn.microsoft.com/graph/api/user-delta): added and changed users
 * replace their stored entry (merged over it: a property never set is left out of a delta answer),
 * users under `@removed` leave (https://learn.microsoft.com/graph/delta-query-overview). Resolves
 * `rejected` when Graph refuses the deltaLink (delta tokens of directory objects expire, ibid.): the
 * caller then reads the users in full. A round is small and is not checkpointed page by page: a
 * resumed run asks the same deltaLink again, which answers the same changes.
 */
export async function collectUsersDelta(
  ctx: RunContext,
  baseline: CollectBaseline,
  deltaLink: string,
): Promise<UsersDeltaOutcome | 'rejected'> {
  const state = ctx.checkpoint.part('users');
  if (state.phase === 'complete') return { status: { state: 'complete' }, fromCheckpoint: true };
  state.queries = ['/users/delta?$deltatoken=… (the stored run’s deltaLink)'];
  state.phase = 'in-progress';
  const progress = ctx.progress('users', 0);
  const changes = new Map<string, Row | null>();
  let next: string | undefined;
  let pages = 0;
  try {
    for await (const page of ctx.source.pages<Row>(deltaLink, { version: 'v1.0', startLink: deltaLink })) {
      ctx.checkStopped();
      for (const item of page.items) {
        const id = item['id'];
        if (typeof id !== 'string') continue;
        changes.set(keyOf(id), item['@removed'] !== undefined ? null : withoutAnnotations(item));
      }
      pages++;
      if (page.deltaLink !== undefined) next = page.deltaLink;
      progress.update(pages, changes.size);
    }
  } catch (err) {
    if (err instanceof NextLinkRejected) return 'rejected';
    return failPart(ctx, state, err, progress);
  }
  // A round always ends with a deltaLink; one without cannot be continued: read in full instead.
  if (next === undefined) return 'rejected';

  const rows: unknown[] = [];
  const pending = new Map(changes);
  for (const [id, stored] of baseline.users) {
    const key = keyOf(id);
    const change = pending.get(key);
    pending.delete(key);
    if (change === null) continue;
    if (change !== undefined) rows.push({ ...(stored.user ?? {}), ...change });
    else if (stored.user !== null) rows.push(stored.user);
  }
  for (const change of pending.values()) if (change !== null) rows.push(change);
  const file = PART_SPECS.users.file;
  ctx.checkpoint.state.files[file] = await writeRows(ctx, file, rows);
  ctx.checkpoint.state.usersDeltaLink = next;
  state.rows = rows.length;
  state.pages = pages;
  state.phase = 'complete';
  delete state.failure;
  await ctx.checkpoint.save();
  progress.done(pages, rows.length, { state: 'complete' });
  const changed = new Set<string>();
  for (const [key, change] of changes) if (change !== null) changed.add(key);
  return { status: { state: 'complete' }, changed };
}

/**
 * userRegistrationDetails.ndjson from the stored rows and the rows of `ids` read again one by one
 * (registrationRow, 20 to a `$batch`): a row read replaces the stored one, a 404 (no row any more)
 * removes it; the other stored rows are carried (src/plan/registration-reads.ts says why they hold)
 * when their user is still in the directory (`users`, lower-case ids) or was known only from the
 * report. `whenRefreshed`: users without a stored row, read only when the probe's row shows the
 * report was refreshed since the stored one. A row that could not be read again is left out rather than carried: it may have moved, and
 * a stale row must not make a user look ready. Not checkpointed row by row: a resumed run reads them
 * all again (they are the few that changed).
 */
export async function collectRegistrationRows(
  ctx: RunContext,
  baseline: CollectBaseline,
  ids: readonly string[],
  users: ReadonlySet<string>,
  whenRefreshed?: { probe: string; ids: readonly string[] },
): Promise<PartOutcome> {
  const state = ctx.checkpoint.part('registration');
  if (state.phase === 'complete') return { status: { state: 'complete' }, fromCheckpoint: true };
  const first =
    whenRefreshed === undefined || ids.some((id) => keyOf(id) === keyOf(whenRefreshed.probe))
      ? ids
      : [...ids, whenRefreshed.probe];
  state.queries = [`/reports/authenticationMethods/userRegistrationDetails/{id} (${first.length} users)`];
  state.phase = 'in-progress';
  state.pages = 0;
  const progress = ctx.progress('registration', 0, first.length);
  const read = new Map<string, Row | null>();
  const failed: { id: string; failure: FailureInfo }[] = [];
  const readRows = async (list: readonly string[]): Promise<void> => {
    for (let i = 0; i < list.length; i += MAX_BATCH_SIZE) {
      ctx.checkStopped();
      const chunk = list.slice(i, i + MAX_BATCH_SIZE);
      const responses = await ctx.source.batch(
        chunk.map((id, j) => ({ id: String(j), url: registrationRow(id).path })),
        { version: 'beta' },
      );
      state.pages++;
      for (const [j, id] of chunk.entries()) {
        const res = responses[j];
        if (res === undefined) continue;
        if (res.error === undefined && res.status >= 200 && res.status < 300) {
          read.set(keyOf(id), withoutAnnotations(res.body));
        } else if (res.status === 404) {
          read.set(keyOf(id), null);
        } else if (res.error !== undefined) {
          if (endsRun(res.error)) throw res.error;
          failed.push({ id, failure: failureInfo(res.error) });
        }
      }
      progress.update(state.pages, read.size);
    }
  };
  try {
    await readRows(first);
    // Users created after the stored report's refresh have a row only once the report is refreshed
    // again: when the probe's row shows a newer refresh (or cannot tell), read theirs.
    if (whenRefreshed !== undefined && whenRefreshed.ids.length > 0) {
      const probe = read.get(keyOf(whenRefreshed.probe));
      const before = [...baseline.users].find(([id]) => keyOf(id) === keyOf(whenRefreshed.probe))?.[1]
        .registration?.lastUpdatedDateTime;
      const now =
        typeof probe?.['lastUpdatedDateTime'] === 'string' ? probe['lastUpdatedDateTime'] : undefined;
      if (!(Date.parse(now ?? '') <= Date.parse(before ?? ''))) {
        state.queries.push(
          `/reports/authenticationMethods/userRegistrationDetails/{id} (${whenRefreshed.ids.length} users without a row)`,
        );
        await readRows(whenRefreshed.ids);
      }
    }
  } catch (err) {
    return failPart(ctx, state, err, progress);
  }

  const unread = new Set(failed.map((f) => keyOf(f.id)));
  const rows: unknown[] = [];
  for (const [id, stored] of baseline.users) {
    const key = keyOf(id);
    if (read.has(key) || unread.has(key)) continue;
    if (stored.registration !== null && (users.has(key) || stored.user === null))
      rows.push(stored.registration);
  }
  for (const row of read.values()) if (row !== null) rows.push(row);
  const file = PART_SPECS.registration.file;
  ctx.checkpoint.state.files[file] = await writeRows(ctx, file, rows);
  state.rows = rows.length;
  const status = await finishItemPart(ctx, state, failed, progress);
  return { status };
}
