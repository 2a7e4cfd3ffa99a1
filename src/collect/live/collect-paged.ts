/**
 * A paged collection written as NDJSON, page by page, resumable from the saved nextLink:
 * users, the registration report, groups, directory audits, sign-ins, signInActivity.
 */
import { GraphRequestFailed, NextLinkRejected } from '../graph/index.js';
import type { GraphVersion } from '../graph/index.js';
import type { PartState } from './checkpoint.js';
import type { CollectPart } from './collect-parts.js';
import { PART_SPECS } from './collect-parts.js';
import type { PartStatus } from '../../domain/collect-result.js';
import type { NdjsonAppender } from './export-files.js';
import { readNdjsonIds } from './export-files.js';
import { asGraphFailure, failureInfo } from './failure-info.js';
import type { FailureInfo } from './failure-info.js';
import type { FilteredQuery } from './graph-queries.js';
import type { RunContext } from './run-context.js';
import { endsRun } from './run-context.js';
import { serialiseWithoutSecrets } from './secrets.js';

export interface PartOutcome {
  status: PartStatus;
  fromCheckpoint?: true;
}

export interface PagedOptions {
  headers?: Readonly<Record<string, string>>;
  /** Known total rows, for the ETA. */
  total?: () => Promise<number | undefined>;
}

/**
 * Plans the part's queries on its first run; a resumed run keeps the planned ones, whose time windows
 * were fixed when the collection started (so a saved nextLink and its restart ask for the same data).
 */
function plan(state: PartState, query: FilteredQuery): void {
  if (state.queries !== undefined) return;
  state.queries = [query.combined.path, ...(query.more?.queries ?? []).map((q) => q.path)];
  state.query = 0;
  if (query.fallback.length > 0) state.fallback = query.fallback.map((q) => q.path);
}

/** A 400 on the first page of a combined `or` filter, before anything was written: try the simple ones. */
function shouldFallBack(err: unknown, state: PartState): boolean {
  return (
    err instanceof GraphRequestFailed &&
    err.status === 400 &&
    state.rows === 0 &&
    (state.query ?? 0) === 0 &&
    state.fellBack !== true &&
    (state.fallback?.length ?? 0) > 0
  );
}

/**
 * The rows a planned second query may repeat (FilteredQuery.more): only those are remembered by id,
 * so the set stays as small as the apps' sign-ins, not every sign-in of the window.
 */
function plannedOverlap(state: PartState, query: FilteredQuery): ((row: unknown) => boolean) | undefined {
  return query.more !== undefined && state.fellBack !== true && (state.queries?.length ?? 0) > 1
    ? query.more.overlaps
    : undefined;
}

export async function collectPaged(
  ctx: RunContext,
  part: CollectPart,
  query: FilteredQuery,
  options: PagedOptions = {},
): Promise<PartOutcome> {
  const state = ctx.checkpoint.part(part);
  if (state.phase === 'complete') return { status: { state: 'complete' }, fromCheckpoint: true };
  plan(state, query);
  const version: GraphVersion = query.combined.version;
  const file = PART_SPECS[part].file;
  const total = options.total === undefined ? undefined : await options.total();
  const progress = ctx.progress(part, state.rows, total);
  // Opened at the first page, so that a part refused at its first request leaves no (empty) file:
  // the reader would take an empty file for "collected, nothing found".
  const appender = (): Promise<NdjsonAppender> => ctx.appender(part);
  const committed = (): number => ctx.checkpoint.state.files[file] ?? 0;
  // The ids already written: of every row once the part has restarted after a refused nextLink (rows
  // from before are in the file) or runs fallback queries, whose results may overlap; otherwise, when
  // a second query is planned, only of the rows it may repeat (`scope`).
  let scope = plannedOverlap(state, query);
  let seen =
    (state.restarts ?? 0) > 0 || state.fellBack === true
      ? await readNdjsonIds(ctx.path(file), committed())
      : scope !== undefined
        ? await readNdjsonIds(ctx.path(file), committed(), scope)
        : undefined;
  if ((state.restarts ?? 0) > 0 || state.fellBack === true) scope = undefined;

  state.phase = 'in-progress';
  delete state.failure;
  try {
    for (;;) {
      const queries = state.queries ?? [];
      const index = state.query ?? 0;
      const path = queries[index];
      if (path === undefined) break;
      const startLink = state.nextLink;
      try {
        // The query's own headers (the sign-ins' Prefer) unless the caller gives others.
        const headers = options.headers ?? query.combined.headers;
        const opts = { version, ...(headers !== undefined ? { headers } : {}) };
        for await (const page of ctx.source.pages<unknown>(
          path,
          startLink !== undefined ? { ...opts, startLink } : opts,
        )) {
          ctx.checkStopped();
          let items = page.items;
          if (seen !== undefined) {
            const fresh = items.filter((item) => !isSeen(seen!, item, scope));
            const dropped = items.length - fresh.length;
            if (scope === undefined || dropped > 0)
              state.duplicatesSkipped = (state.duplicatesSkipped ?? 0) + dropped;
            items = fresh;
          }
          // Data first, durably; then the checkpoint that names it (a kill in between loses this page only).
          const out = await appender();
          await out.append(items.map((item) => `${serialiseWithoutSecrets(item)}\n`).join(''));
          state.rows += items.length;
          state.pages++;
          ctx.checkpoint.state.files[file] = out.bytes;
          if (page.nextLink !== undefined) state.nextLink = page.nextLink;
          else {
            delete state.nextLink;
            state.query = index + 1;
            if (state.query >= queries.length) state.phase = 'complete';
          }
          await ctx.checkpoint.save();
          progress.update(state.pages, state.rows);
        }
        if (state.phase === 'complete') break;
        // A collection that ended without a last page (an empty iteration): move on.
        if ((state.query ?? 0) === index) state.query = index + 1;
      } catch (err) {
        if (err instanceof NextLinkRejected && startLink !== undefined) {
          // Skip tokens expire. Start the query again from its first page and drop what is already written.
          delete state.nextLink;
          state.restarts = (state.restarts ?? 0) + 1;
          state.duplicatesSkipped ??= 0;
          seen = await readNdjsonIds(ctx.path(file), committed());
          scope = undefined;
          await ctx.checkpoint.save();
          continue;
        }
        if (shouldFallBack(err, state)) {
          state.queries = state.fallback ?? [];
          state.query = 0;
          state.fellBack = true;
          seen ??= new Set();
          scope = undefined;
          delete state.fallback;
          await ctx.checkpoint.save();
          continue;
        }
        throw err;
      }
    }
    // A complete part always has its file, even with no rows ("collected, none found").
    await appender();
    state.phase = 'complete';
    await ctx.checkpoint.save();
    const status: PartStatus = { state: 'complete' };
    progress.done(state.pages, state.rows, status);
    return { status };
  } catch (err) {
    return failPart(ctx, state, err, progress);
  }
}

function isSeen(seen: Set<string>, item: unknown, scope?: (row: unknown) => boolean): boolean {
  if (scope !== undefined && !scope(item)) return false;
  const id = (item as { id?: unknown } | null)?.id;
  if (typeof id !== 'string') return false;
  if (seen.has(id)) return true;
  seen.add(id);
  return false;
}

/**
 * Records a Graph failure on the part and returns its status, so the run goes on with the other
 * parts; rethrows what ends the run (see endsRun), after saving what is known.
 */
export async function failPart(
  ctx: RunContext,
  state: PartState,
  err: unknown,
  progress?: { done: (pages: number, rows: number, status: PartStatus) => void },
): Promise<PartOutcome> {
  const failure = asGraphFailure(err);
  if (failure !== undefined) {
    state.phase = 'failed';
    state.failure = failureInfo(failure);
    await ctx.checkpoint.save();
  }
  if (endsRun(err)) {
    ctx.stop(err);
    throw err;
  }
  const status: PartStatus = { state: 'failed', failure: failureInfo(failure!) };
  progress?.done(state.pages, state.rows, status);
  return { status };
}

/**
 * Ends a part fetched item by item (group members, per-user methods): complete when every item came,
 * otherwise failed with the first item's failure (the others are in the outcome), saved either way.
 */
export async function finishItemPart(
  ctx: RunContext,
  state: PartState,
  failed: readonly { failure: FailureInfo }[],
  progress: { done: (pages: number, rows: number, status: PartStatus) => void },
): Promise<PartStatus> {
  const first = failed[0];
  const status: PartStatus =
    first === undefined ? { state: 'complete' } : { state: 'failed', failure: first.failure };
  state.phase = first === undefined ? 'complete' : 'failed';
  if (first !== undefined) state.failure = first.failure;
  else delete state.failure;
  await ctx.checkpoint.save();
  progress.done(state.pages, state.rows, status);
  return status;
}
