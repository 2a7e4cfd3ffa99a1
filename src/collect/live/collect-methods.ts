/**
 * `authenticationMethods/<user id>.json` for the users the planner names (src/plan/methods-reads.ts,
 * handed in as CollectPlanner: the users whose verdict the bulk data leaves open), fetched through `$batch`: the Graph module sizes each batch to what the reports
 * bucket allows at that moment and retries only the throttled inner requests (https://learn.microsoft.com/graph/json-batching).
 * Each file is the inner response body as received (secret keys nulled), written whole; a resumed run
 * skips users whose file exists.
 */
import type {
  CollectPlanner,
  MethodsMode,
  MethodsNeed,
  MethodsReason,
  RefreshFacts,
} from '../../domain/methods-plan.js';
import type { TenantSnapshot } from '../../domain/tenant.js';
import { load, NoUsersInExport } from '../../load/index.js';
import type { BatchResponse, GraphFailure } from '../graph/index.js';
import { MAX_BATCH_SIZE, defaultRules } from '../graph/index.js';
import type { PartOutcome } from './collect-paged.js';
import { failPart, finishItemPart } from './collect-paged.js';
import { PART_SPECS } from './collect-parts.js';
import type { MethodsOutcome } from '../../domain/collect-result.js';
import { isSafeFileKey, listFileNames, writeFileAtomic } from './export-files.js';
import { failureInfo, isAccessFailure } from './failure-info.js';
import { userMethods } from './graph-queries.js';
import type { RunContext } from './run-context.js';
import { endsRun } from './run-context.js';
import { serialiseWithoutSecrets } from './secrets.js';

export interface MethodsStepOptions {
  /** Who chooses the users (src/plan/index.ts collectPlanner). */
  planner: CollectPlanner;
  /** A refresh: what the planner weighs besides the folder (the stored run, what changed). */
  refresh?: RefreshFacts | undefined;
  /** `--methods-max-age`: a refresh reads an open user's stored list again when older. */
  methodsMaxAgeDays?: number | undefined;
  /** The collection's reference time. */
  now: Date;
  /** How many open users to read (the planner's mode); default `auto`. */
  mode?: MethodsMode | undefined;
  /** `auto`'s budget for reading every open user, in minutes of the reports bucket; default 30. */
  budgetMinutes?: number | undefined;
  /** Overrides `mode` with an exact choice (tests, callers with their own rule). */
  methodsFor?: ((need: MethodsNeed) => boolean) | undefined;
  /** `--skip-bad-records` for the re-read of the bulk files (load's skipBadRecords). */
  skipBadRecords?: boolean | undefined;
}

export const DEFAULT_METHODS_BUDGET_MINUTES = 30;

/** Calls the reports bucket allows in `minutes` (https://learn.microsoft.com/graph/throttling-limits: 5 per 10 s, so 30 per minute). */
export function reportsCallsIn(minutes: number): number {
  const rule = defaultRules('large').reports;
  const perMinute = rule.kind === 'window' ? (rule.limit * 60_000) / rule.windowMs : 0;
  return Math.floor(minutes * perMinute);
}

/** How many users each reason named. */
function countReasons(needs: readonly MethodsNeed[]): Partial<Record<MethodsReason, number>> {
  const counts: Partial<Record<MethodsReason, number>> = {};
  for (const n of needs) for (const r of n.reasons) counts[r] = (counts[r] ?? 0) + 1;
  return counts;
}

/**
 * The bulk datasets the choice reads: from the folder (this run's files, or an earlier run's when
 * `--only methods`), keeping only the audit events a rule can use and the sign-ins that can change
 * the choice (isMethodsSignal: not the many that only prove MFA, so a large tenant's re-read stays small).
 */
export async function readBulk(
  ctx: RunContext,
  planner: CollectPlanner,
  skipBadRecords: boolean,
): Promise<TenantSnapshot | undefined> {
  try {
    // 'choose-methods': one worker thread per file, as the collector's memory budget (512 MB at
    // 100,000 users) has no room for a second.
    return await load({ kind: 'folder', dir: ctx.outDir }, 'choose-methods', {
      rules: planner.rules,
      skipBadRecords,
    });
  } catch (err) {
    // Neither users nor the report could be read: there is no one to choose from.
    if (err instanceof NoUsersInExport) return undefined;
    throw err;
  }
}

/** A methods list longer than one page (not seen in practice): the remaining pages, following nextLink. */
async function withRemainingPages(ctx: RunContext, body: unknown): Promise<unknown> {
  const next = (body as Record<string, unknown> | null)?.['@odata.nextLink'];
  if (typeof next !== 'string' || next === '') return body;
  const pages: unknown[] = [body];
  for await (const page of ctx.source.pages<unknown>(next, { version: 'beta', startLink: next })) {
    pages.push({ value: page.items });
  }
  return pages;
}

export async function collectMethods(
  ctx: RunContext,
  options: MethodsStepOptions,
): Promise<PartOutcome & { methods?: MethodsOutcome }> {
  const state = ctx.checkpoint.part('methods');
  const bulk = await readBulk(ctx, options.planner, options.skipBadRecords === true);
  if (bulk === undefined) {
    state.phase = 'skipped';
    await ctx.checkpoint.save();
    return { status: { state: 'skipped', reason: { code: 'no-input', needs: ['users', 'registration'] } } };
  }
  const { needs, plan, carried } = options.planner.methodsReads({
    bulk,
    ...(options.refresh !== undefined ? { refresh: options.refresh } : {}),
    ...(options.methodsMaxAgeDays !== undefined ? { methodsMaxAgeDays: options.methodsMaxAgeDays } : {}),
    mode: options.mode ?? 'auto',
    budgetRequests: reportsCallsIn(options.budgetMinutes ?? DEFAULT_METHODS_BUDGET_MINUTES),
    pick: options.methodsFor,
    now: options.now,
  });
  const chosen = plan.chosen;
  const folder = PART_SPECS.methods.file;
  const written = new Set(
    (await listFileNames(ctx.path(folder)))
      .filter((n) => n.endsWith('.json'))
      .map((n) => n.slice(0, -'.json'.length).toLowerCase()),
  );
  const todo = chosen.filter((n) => isSafeFileKey(n.id) && !written.has(n.id.toLowerCase()));
  const outcome: MethodsOutcome = {
    needs,
    reasons: countReasons(needs),
    mode: plan.mode,
    requested: plan.requested,
    deferred: plan.deferred,
    deferredMinutes: Math.ceil(plan.deferred / reportsCallsIn(1)),
    budgetMinutes: options.budgetMinutes ?? DEFAULT_METHODS_BUDGET_MINUTES,
    planned: chosen.length,
    alreadyWritten: chosen.length - todo.length,
    fetched: 0,
    notFound: [],
    failed: [],
  };
  if (carried !== undefined) outcome.carried = carried;
  if (chosen.length === 0) {
    state.phase = 'skipped';
    await ctx.checkpoint.save();
    return { status: { state: 'skipped', reason: { code: 'nothing-to-fetch' } }, methods: outcome };
  }
  if (todo.length === 0 && state.phase === 'complete') {
    return { status: { state: 'complete' }, fromCheckpoint: true, methods: outcome };
  }

  const progress = ctx.progress('methods', outcome.alreadyWritten, chosen.length);
  state.phase = 'in-progress';
  state.rows = outcome.alreadyWritten;
  state.pages = 0;
  try {
    for (let i = 0; i < todo.length; i += MAX_BATCH_SIZE) {
      ctx.checkStopped();
      const chunk = todo.slice(i, i + MAX_BATCH_SIZE);
      const responses = await ctx.source.batch(
        chunk.map((need, j) => ({ id: String(j), url: userMethods(need.id).path })),
        { version: 'beta' },
      );
      state.pages++;
      const refused = await handleChunk(ctx, chunk, responses, outcome);
      // The app cannot read methods at all (403, no licence): the next users would only repeat it.
      if (refused !== undefined && outcome.fetched === 0) throw refused;
      state.rows = outcome.alreadyWritten + outcome.fetched;
      await ctx.checkpoint.save();
      progress.update(state.pages, state.rows);
    }
  } catch (err) {
    return { ...(await failPart(ctx, state, err, progress)), methods: outcome };
  }
  const status = await finishItemPart(ctx, state, outcome.failed, progress);
  return { status, methods: outcome };
}

/** Writes the answers of one batch; returns an access failure (403, licence) if one came back. */
async function handleChunk(
  ctx: RunContext,
  chunk: readonly MethodsNeed[],
  responses: readonly BatchResponse[],
  outcome: MethodsOutcome,
): Promise<GraphFailure | undefined> {
  let refused: GraphFailure | undefined;
  for (const [j, need] of chunk.entries()) {
    const res = responses[j];
    if (res === undefined) continue;
    const error = res.error;
    if (error === undefined && res.status >= 200 && res.status < 300) {
      const body = await withRemainingPages(ctx, res.body);
      const file = ctx.path(`${PART_SPECS.methods.file}/${need.id}.json`);
      await writeFileAtomic(file, `${serialiseWithoutSecrets(body)}\n`);
      outcome.fetched++;
      continue;
    }
    if (error === undefined) continue;
    if (endsRun(error)) throw error;
    if (res.status === 404) {
      outcome.notFound.push(need.id);
      continue;
    }
    if (isAccessFailure(error)) refused ??= error;
    outcome.failed.push({ id: need.id, failure: failureInfo(error) });
  }
  return refused;
}
