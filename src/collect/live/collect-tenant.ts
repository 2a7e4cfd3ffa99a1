/**
 * `mfa-ready collect`: reads a tenant through the Graph module and writes the export folder that
 * `mfa-ready audit --from DIR` reads. Bulk first: the users, the registration report, the
 * policies, groups, audits and sign-ins; then per-user methods only for the users those leave open.
 *
 * Parts run in lanes, one per throttling bucket (https://learn.microsoft.com/graph/throttling-limits), so that the directory lane (users,
 * groups, policies) does not wait behind the reports lane's 5 requests per 10 s:
 * - reports:   registration → audits → interactive sign-ins → non-interactive sign-ins
 * - directory: users → CA policies → methods policy → security defaults → domains → groups → members
 *   (the policies come before the groups: they name the groups whose members matter)
 * - signInActivity (optional): its own 10 requests a minute
 * then per-user methods, which need all of the above.
 *
 * A refresh (`baseline`: the stored run, from the history database) asks only for what is new: the
 * audits and sign-ins since the stored collection (REFRESH_OVERLAP_MS before it), the users through
 * their delta query, the report rows and methods lists the planner names (collect-refresh.ts; the
 * report reads wait for the new events and the policies, which tell whose rows may have moved).
 * users.ndjson and the report stay complete (stored rows merged with the changes); the audits and
 * sign-ins hold the new events only, as tenant.json `windows` and `baselineRunId` say; a methods file
 * exists only for the users whose list was read again (the store carries the others).
 *
 * A part that Graph refuses (403, no licence, retries exhausted) is recorded with what it costs and
 * the run goes on; a rejected credential, or anything that is not a Graph error, ends it (after the
 * checkpoint is saved, so `resume: true` continues).
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CollectBaseline } from '../../domain/baseline.js';
import { policyFingerprint, REFRESH_OVERLAP_MS } from '../../domain/baseline.js';
import { UsageError } from '../../domain/errors.js';
import type { CollectPlanner, MethodsMode, MethodsNeed, RefreshFacts } from '../../domain/methods-plan.js';
import type { EvidenceWindows } from '../../domain/tenant.js';
import type { Clock, CloudEndpoints } from '../graph/index.js';
import { GraphFailure, unavailableReason } from '../graph/index.js';
import type { CollectState } from './checkpoint.js';
import { CheckpointWriter, loadState, newState } from './checkpoint.js';
import { collectAsOnePage, collectDomains, collectSingle, collectTenantFile } from './collect-documents.js';
import { collectGroupMembers } from './collect-group-members.js';
import { collectMethods, readBulk } from './collect-methods.js';
import { collectRegistrationRows, collectUsersDelta, latestUsersDeltaLink } from './collect-refresh.js';
import type { PartOutcome } from './collect-paged.js';
import { collectPaged } from './collect-paged.js';
import type { CollectDataset, CollectPart } from './collect-parts.js';
import { COLLECT_PARTS, PART_SPECS, filesOf, isPartSelected } from './collect-parts.js';
import type {
  CollectResult,
  GroupsOutcome,
  MethodsOutcome,
  PartResult,
  PartStatus,
} from '../../domain/collect-result.js';
import { lossOf, unreadLossOf } from './confidence-loss.js';
import { fileSize, removeFromFolder, removeTemporaryFiles, writeFileAtomic } from './export-files.js';
import {
  CONDITIONAL_ACCESS,
  ROLE_ASSIGNMENTS,
  GROUPS,
  METHODS_POLICY,
  REGISTRATION,
  SECURITY_DEFAULTS,
  SIGN_IN_ACTIVITY,
  USERS,
  USERS_COUNT,
  directoryAudits,
  interactiveSignIns,
  nonInteractiveSignIns,
  odataDateTime,
} from './graph-queries.js';
import type { FilteredQuery, GraphQuery } from './graph-queries.js';
import type { CollectProgressEvent } from './progress.js';
import {
  folderHoldsCollection,
  holdsCollection,
  recoverInterruptedSwap,
  replaceCollection,
} from './replace-folder.js';
import type { CollectSource } from './run-context.js';
import { RunContext } from './run-context.js';

export interface CollectOptions {
  /** The export folder to write (created when missing). */
  outDir: string;
  tenantId: string;
  /** From resolveCloud: the cloud name for tenant.json and the datasets it does not offer. */
  endpoints: CloudEndpoints;
  /** Start of the directory-audit window; default 30 days before `now` (P1/P2 retention, https://learn.microsoft.com/graph/api/directoryaudit-list). */
  since?: Date;
  /** Parts to collect; default all. tenant.json is always written. */
  only?: readonly CollectDataset[];
  /** Days of sign-ins, ending at `now`; default 7. */
  signInDays?: number;
  /** Also collect users' `signInActivity` (its own 10 requests / minute). */
  lastSignIn?: boolean;
  /** Continue the collection in `outDir` from its checkpoint (`.collect-state.json`). */
  resume?: boolean;
  /**
   * `outDir` holds a collection: collect anew into a sibling temporary folder and swap it in once the
   * run has finished (replace-folder.ts). Without this or `resume`, such a folder is refused.
   */
  replace?: boolean;
  /** `--scope-group` values (ids or display names): their transitive members are collected too. */
  scopeGroups?: readonly string[];
  /**
   * Chooses whose methods lists (and, in a refresh, whose report rows) to read: src/plan/index.ts
   * collectPlanner, handed in by the CLI (the choice is assessment logic; collect only asks).
   */
  planner: CollectPlanner;
  /** The stored run this collection refreshes (from the history database): ask Graph only for what is new. */
  baseline?: CollectBaseline;
  /** `--report-max-age`: a refresh reads the registration report in full when the stored one is older; default 7. */
  reportMaxAgeDays?: number;
  /** `--methods-max-age`: a refresh reads an open user's stored methods list again when older; default 30. */
  methodsMaxAgeDays?: number;
  /** `--methods`: which open users get a per-user methods call (the planner's modes); default `auto`. */
  methods?: MethodsMode;
  /** `--methods-budget`: minutes `auto` may spend reading every open user; default 30. */
  methodsBudgetMinutes?: number;
  /**
   * Overrides `methods` with an exact choice. `() => true` fetches every user usersNeedingMethods names.
   */
  methodsFor?: (need: MethodsNeed) => boolean;
  /** `--skip-bad-records`: the re-read for the methods choice leaves broken sign-in/audit records out. */
  skipBadRecords?: boolean;
  clock: Clock;
  /** The collection's reference time (kept from the first run when resuming). */
  now: Date;
  onProgress?: (event: CollectProgressEvent) => void;
}

export const DEFAULT_SIGN_IN_DAYS = 7;
export const DEFAULT_REPORT_MAX_AGE_DAYS = 7;

/** How far before the stored collection a refresh starts reading (src/domain/baseline.ts). */
export { REFRESH_OVERLAP_MS };

/** Waits for every task, then rethrows the first failure: no task is left running behind a throw. */
async function settleAll(tasks: readonly Promise<void>[]): Promise<void> {
  const settled = await Promise.allSettled(tasks);
  const failed = settled.find((l): l is PromiseRejectedResult => l.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
}
export const DEFAULT_AUDIT_DAYS = 30;
/**
 * Days of sign-ins Entra keeps on P1/P2, read in full for the apps the loop rules look at: an
 * Authenticator app signed in with the work account weeks ago is still signed in. Retention:
 * https://learn.microsoft.com/en-us/entra/identity/monitoring-health/reference-reports-data-retention
 */
export const APP_SIGN_IN_DAYS = 30;
const DAY_MS = 86_400_000;

function checkOptions(options: CollectOptions): void {
  const days = options.signInDays ?? DEFAULT_SIGN_IN_DAYS;
  // Entra keeps sign-ins 30 days on P1/P2 (https://learn.microsoft.com/graph/api/directoryaudit-list); more asks for nothing.
  if (!Number.isInteger(days) || days < 1 || days > 30) {
    throw new UsageError(`sign-in days must be a whole number from 1 to 30, got ${days}`);
  }
  if (options.since !== undefined && Number.isNaN(options.since.getTime())) {
    throw new UsageError('the --since time is not a valid date');
  }
  for (const [flag, value] of [
    ['--report-max-age', options.reportMaxAgeDays],
    ['--methods-max-age', options.methodsMaxAgeDays],
  ] as const) {
    if (value !== undefined && !(Number.isFinite(value) && value >= 0)) {
      throw new UsageError(`${flag} must be a number of days (0 or more), got ${value}`);
    }
  }
  if (options.baseline !== undefined && Number.isNaN(Date.parse(options.baseline.collectedAt))) {
    throw new UsageError(`the stored run ${options.baseline.runId} has no valid collection time`);
  }
}

/**
 * A fresh state for a new collection, or the saved one for `resume`. A fresh collection removes the
 * files of the parts it is about to write (both `.json` and `.ndjson`: the reader prefers `.json`, so
 * an old one would shadow the new file); files of parts it does not collect are left alone.
 */
async function prepareState(
  options: CollectOptions,
  selected: readonly CollectPart[],
): Promise<{
  state: CollectState;
  resumed: boolean;
}> {
  const saved = options.resume === true ? await loadState(options.outDir) : undefined;
  if (saved !== undefined) {
    if (saved.tenantId.toLowerCase() !== options.tenantId.toLowerCase()) {
      throw new UsageError(
        `${options.outDir} holds a collection of tenant ${saved.tenantId}, not ${options.tenantId}`,
        'Resume with the same --tenant, or collect into another folder.',
      );
    }
    if (saved.baselineRunId !== undefined && saved.baselineRunId !== options.baseline?.runId) {
      throw new UsageError(
        `${options.outDir} holds a refresh of stored run ${saved.baselineRunId}; resume it from the same history`,
        'Resume with the same --db, or collect anew without --resume.',
      );
    }
    await reconcileFiles(options.outDir, saved);
    saved.selected = COLLECT_PARTS.filter((p) => selected.includes(p) || saved.selected?.includes(p));
    saved.windows ??= windowsFor(options, new Date(saved.collectedAt));
    return { state: saved, resumed: true };
  }
  for (const part of selected) {
    for (const name of filesOf(part)) await removeFromFolder(options.outDir, name);
  }
  const state = newState(options.tenantId, options.now.toISOString());
  state.selected = [...selected];
  state.windows = windowsFor(options, options.now);
  if (options.baseline !== undefined) state.baselineRunId = options.baseline.runId;
  return { state, resumed: false };
}

/**
 * Where each time window starts, for a collection whose reference time is `collectedAt`. A refresh
 * starts each at the stored collection less REFRESH_OVERLAP_MS, never earlier than a first
 * collection would (the logs keep no more).
 */
function windowsFor(options: CollectOptions, collectedAt: Date): Required<EvidenceWindows> {
  const stored = options.baseline === undefined ? undefined : Date.parse(options.baseline.collectedAt);
  const from = (fullStart: number): string => {
    const start =
      stored === undefined
        ? fullStart
        : Math.max(fullStart, Math.min(stored, collectedAt.getTime()) - REFRESH_OVERLAP_MS);
    return odataDateTime(new Date(start));
  };
  const daysBefore = (days: number) => from(collectedAt.getTime() - days * DAY_MS);
  return {
    signIns: daysBefore(options.signInDays ?? DEFAULT_SIGN_IN_DAYS),
    appSignIns: daysBefore(APP_SIGN_IN_DAYS),
    audits: options.since !== undefined ? from(options.since.getTime()) : daysBefore(DEFAULT_AUDIT_DAYS),
  };
}

/** Whether the methods policy or security defaults differ from the stored run's (unknown counts as changed). */
async function policiesChanged(ctx: RunContext, baseline: CollectBaseline): Promise<boolean> {
  const pairs = [
    ['methodsPolicy', baseline.methodsPolicy],
    ['securityDefaults', baseline.securityDefaults],
  ] as const;
  for (const [part, stored] of pairs) {
    if (stored === undefined || ctx.checkpoint.state.parts[part]?.phase !== 'complete') return true;
    try {
      const text = await readFile(ctx.path(PART_SPECS[part].file), 'utf8');
      if (policyFingerprint(JSON.parse(text)) !== stored) return true;
    } catch {
      return true;
    }
  }
  return false;
}

/** tenant.json gains what only the end of the run knows: the users deltaLink, the refresh's baseline. */
async function finishTenantFile(ctx: RunContext, state: CollectState): Promise<void> {
  const extra: Record<string, unknown> = {};
  if (state.usersDeltaLink !== undefined) extra['usersDeltaLink'] = state.usersDeltaLink;
  if (state.baselineRunId !== undefined) extra['baselineRunId'] = state.baselineRunId;
  if (state.registrationReadAt !== undefined) extra['registrationReadAt'] = state.registrationReadAt;
  if (Object.keys(extra).length === 0) return;
  let tenant: Record<string, unknown>;
  try {
    tenant = JSON.parse(await readFile(ctx.path(PART_SPECS.tenant.file), 'utf8')) as Record<string, unknown>;
  } catch {
    return;
  }
  await writeFileAtomic(
    ctx.path(PART_SPECS.tenant.file),
    `${JSON.stringify({ ...tenant, ...extra }, null, 2)}\n`,
  );
}

/**
 * A file shorter than its checkpoint was changed by someone else: its parts start over. (Longer is
 * normal after a kill between data and checkpoint; the appender cuts it back.)
 */
async function reconcileFiles(outDir: string, state: CollectState): Promise<void> {
  for (const [file, bytes] of Object.entries(state.files)) {
    if ((await fileSize(path.join(outDir, file))) >= bytes) continue;
    state.files[file] = 0;
    for (const part of COLLECT_PARTS) {
      if (PART_SPECS[part].storage === 'ndjson' && PART_SPECS[part].file === file) delete state.parts[part];
    }
  }
  await removeTemporaryFiles(outDir);
  await removeTemporaryFiles(path.join(outDir, PART_SPECS.methods.file));
  await removeTemporaryFiles(path.join(outDir, PART_SPECS.groupMembers.file));
}

/** Counts the users (for the ETA); any Graph failure just means "unknown". */
async function countUsers(ctx: RunContext): Promise<number | undefined> {
  try {
    const body = await ctx.source.get<Record<string, unknown>>(USERS_COUNT.path, queryOptions(USERS_COUNT));
    const count = body['@odata.count'];
    return typeof count === 'number' && Number.isFinite(count) ? count : undefined;
  } catch (err) {
    if (!(err instanceof GraphFailure)) throw err;
    return undefined;
  }
}

function queryOptions(q: GraphQuery): {
  version: GraphQuery['version'];
  headers?: Readonly<Record<string, string>>;
} {
  return q.headers === undefined ? { version: q.version } : { version: q.version, headers: q.headers };
}

function single(q: GraphQuery): FilteredQuery {
  return { combined: q, fallback: [] };
}

/**
 * Collects the tenant into `options.outDir`. Resolves with what each part did (rows, pages, status,
 * what a missing part costs); rejects only when the run cannot go on (CredentialRejected, a file
 * system error, a UsageError for bad options or a folder of another tenant).
 *
 * @example
 * const result = await collectTenant(source, { outDir: './export', tenantId, endpoints: resolveCloud(),
 *   clock: realClock(), now: new Date(), onProgress: (e) => display.update(e) });
 */
export async function collectTenant(source: CollectSource, options: CollectOptions): Promise<CollectResult> {
  checkOptions(options);
  if (options.resume === true && options.replace === true) {
    throw new UsageError(
      'use either --resume or --replace, not both',
      '--resume continues the collection in the folder; --replace collects anew and swaps it in when done.',
    );
  }
  if (options.resume !== true) {
    await recoverInterruptedSwap(options.outDir);
    if (await holdsCollection(options.outDir)) {
      if (options.replace !== true) throw folderHoldsCollection(options.outDir);
      return replaceCollection(options.outDir, (tempDir) =>
        collectInto(source, { ...options, outDir: tempDir }),
      );
    }
  }
  return collectInto(source, options);
}

async function collectInto(source: CollectSource, options: CollectOptions): Promise<CollectResult> {
  await mkdir(options.outDir, { recursive: true });
  const lastSignIn = options.lastSignIn === true;
  const selected = COLLECT_PARTS.filter((p) => isPartSelected(p, options.only, lastSignIn));
  const { state, resumed } = await prepareState(options, selected);
  const checkpoint = new CheckpointWriter(options.outDir, state);
  await checkpoint.save();
  const ctx = new RunContext(source, options.outDir, checkpoint, options.clock, options.onProgress);

  const windows = state.windows ?? windowsFor(options, new Date(state.collectedAt));
  const auditsSince = new Date(windows.audits ?? state.collectedAt);
  const signInsSince = new Date(windows.signIns ?? state.collectedAt);
  // Never later than the other sign-ins' start (a resumed collection of an older version has no such window).
  const appSignInsSince = new Date(
    Math.min(Date.parse(windows.appSignIns ?? state.collectedAt), signInsSince.getTime()),
  );

  // A refresh only when the checkpoint agrees (a resumed first collection stays one).
  const baseline = state.baselineRunId !== undefined ? options.baseline : undefined;
  let changedUsers: Set<string> | undefined;
  let policiesMoved: Promise<boolean> | undefined;
  // The directory lane's users and policies, which a refresh's report reads wait for.
  let directoryReady!: () => void;
  const directoryRead = new Promise<void>((resolve) => (directoryReady = resolve));
  /**
   * The change feeds a refresh's choices rest on: with the audit log or a sign-in query missing or cut
   * short, "nothing new about this user" cannot be told, so the report is read in full and methods are
   * chosen as in a first collection.
   */
  const feedsComplete = (): boolean =>
    (['audits', 'signInsInteractive', 'signInsNonInteractive'] as const).every(
      (p) => state.parts[p]?.phase === 'complete',
    );
  const refreshFacts = async (): Promise<RefreshFacts | undefined> => {
    if (baseline === undefined || !feedsComplete()) return undefined;
    policiesMoved ??= policiesChanged(ctx, baseline);
    return {
      baseline,
      policiesChanged: await policiesMoved,
      ...(changedUsers !== undefined ? { changedUsers } : {}),
    };
  };

  const outcomes = new Map<CollectPart, PartOutcome>();
  let methods: MethodsOutcome | undefined;
  let groups: GroupsOutcome | undefined;

  /** Runs a part unless it is not selected or not offered in this cloud. */
  const run = async (part: CollectPart, collect: () => Promise<PartOutcome>): Promise<void> => {
    ctx.checkStopped();
    if (!selected.includes(part)) {
      // Left out of this run; an earlier run of this collection (resumed) may have completed it.
      const done = state.parts[part]?.phase === 'complete';
      outcomes.set(
        part,
        done
          ? { status: { state: 'complete' }, fromCheckpoint: true }
          : { status: { state: 'skipped', reason: { code: 'not-requested' } } },
      );
      return;
    }
    const dataset = PART_SPECS[part].dataset;
    const reason = dataset === undefined ? undefined : unavailableReason(options.endpoints, dataset);
    if (reason !== undefined) {
      checkpoint.part(part).phase = 'skipped';
      const status: PartStatus = {
        state: 'skipped',
        reason: { code: 'unavailable-in-cloud', cloud: options.endpoints.cloud, message: reason },
      };
      ctx.progress(part, 0).done(0, 0, status);
      outcomes.set(part, { status });
      return;
    }
    outcomes.set(part, await collect());
  };

  try {
    // The first request proves the credential before the lanes start.
    await run('tenant', () =>
      collectTenantFile(ctx, {
        tenantId: options.tenantId,
        collectedAt: state.collectedAt,
        cloud: options.endpoints.cloud,
        windows: {
          signIns: odataDateTime(signInsSince),
          appSignIns: odataDateTime(appSignInsSince),
          audits: odataDateTime(auditsSince),
        },
      }),
    );

    // The reports bucket's parts page side by side: the limiter spaces their requests, and one
    // part's round trip overlaps another's wait, so the bucket's 5 requests per 10 s are all used.
    // The two sign-in parts share a file and stay in sequence.
    /** The whole report, as a first collection reads it; the run then knows when it was read in full. */
    const fullReport = async (): Promise<PartOutcome> => {
      const out = await collectPaged(ctx, 'registration', single(REGISTRATION));
      if (out.status.state === 'complete') state.registrationReadAt = state.collectedAt;
      return out;
    };
    /** A refresh's report: in full, or the rows the planner names read again and the others carried. */
    const refreshReport = async (facts: RefreshFacts): Promise<PartOutcome> => {
      const part = ctx.checkpoint.part('registration');
      if (part.phase === 'complete') return { status: { state: 'complete' }, fromCheckpoint: true };
      // A full read already under way (resumed) goes on.
      if (part.queries?.[0] === REGISTRATION.path) return fullReport();
      const bulk = await readBulk(ctx, options.planner, options.skipBadRecords === true);
      const choice =
        bulk === undefined
          ? ({ kind: 'full', why: 'no-stored-report' } as const)
          : options.planner.registrationReads({
              bulk: { ...bulk, registration: undefined },
              refresh: facts,
              reportMaxAgeDays: options.reportMaxAgeDays ?? DEFAULT_REPORT_MAX_AGE_DAYS,
              now: new Date(state.collectedAt),
            });
      if (choice.kind === 'full' || bulk === undefined) return fullReport();
      const users = new Set((bulk.users ?? []).map((u) => u.id.toLowerCase()));
      const out = await collectRegistrationRows(ctx, facts.baseline, choice.ids, users, choice.whenRefreshed);
      if (facts.baseline.registrationReadAt !== undefined) {
        state.registrationReadAt = facts.baseline.registrationReadAt;
      }
      return out;
    };

    const reportsLane = async (): Promise<void> => {
      const signIns = async (): Promise<void> => {
        await run('signInsInteractive', () =>
          collectPaged(ctx, 'signInsInteractive', interactiveSignIns(signInsSince, appSignInsSince)),
        );
        // Only the apps' sign-ins: over their whole window.
        await run('signInsNonInteractive', () =>
          collectPaged(ctx, 'signInsNonInteractive', nonInteractiveSignIns(appSignInsSince)),
        );
      };
      if (baseline === undefined) {
        await settleAll([
          run('registration', fullReport),
          run('audits', () => collectPaged(ctx, 'audits', directoryAudits(auditsSince))),
          signIns(),
        ]);
        return;
      }
      // A refresh reads the new events first: they say whose report rows may have moved.
      await settleAll([
        run('audits', () => collectPaged(ctx, 'audits', directoryAudits(auditsSince))),
        signIns(),
      ]);
      await directoryRead;
      ctx.checkStopped();
      const facts = await refreshFacts();
      await run('registration', () => (facts === undefined ? fullReport() : refreshReport(facts)));
    };
    /** users.ndjson: by the stored run's deltaLink in a refresh, else in full (saving a deltaLink first). */
    const users = async (): Promise<PartOutcome> => {
      const link = baseline?.usersDeltaLink;
      if (baseline !== undefined && link !== undefined && baseline.users.size > 0) {
        const out = await collectUsersDelta(ctx, baseline, link);
        if (out !== 'rejected') {
          if (out.changed !== undefined) changedUsers = out.changed;
          return out;
        }
        // The deltaLink expired or was refused: read in full, as a first collection does.
        ctx.checkpoint.reset('users');
        await ctx.checkpoint.save();
      }
      // The deltaLink first: a user changed while the full read runs is then reported again by the
      // next refresh's round, never missed.
      if (state.usersDeltaLink === undefined && state.parts.users?.phase !== 'complete') {
        const next = await latestUsersDeltaLink(ctx);
        if (next !== undefined) {
          state.usersDeltaLink = next;
          await ctx.checkpoint.save();
        }
      }
      return collectPaged(ctx, 'users', single(USERS), { total: () => countUsers(ctx) });
    };
    const directoryLane = async (): Promise<void> => {
      try {
        await run('users', users);
        await run('conditionalAccess', () => collectAsOnePage(ctx, 'conditionalAccess', CONDITIONAL_ACCESS));
        await run('methodsPolicy', () => collectSingle(ctx, 'methodsPolicy', METHODS_POLICY));
        await run('securityDefaults', () => collectSingle(ctx, 'securityDefaults', SECURITY_DEFAULTS));
      } finally {
        // Released however the lane went: the reports lane must not wait for a lane that stopped.
        directoryReady();
      }
      await run('domains', () => collectDomains(ctx));
      await run('roleAssignments', () => collectAsOnePage(ctx, 'roleAssignments', ROLE_ASSIGNMENTS));
      await run('groups', () => collectPaged(ctx, 'groups', single(GROUPS)));
      await run('groupMembers', async () => {
        const out = await collectGroupMembers(ctx, options.scopeGroups ?? []);
        groups = out.groups;
        return out;
      });
    };
    const signInActivityLane = async (): Promise<void> => {
      await run('signInActivity', () => collectPaged(ctx, 'signInActivity', single(SIGN_IN_ACTIVITY)));
    };

    try {
      await settleAll([reportsLane(), directoryLane(), signInActivityLane()]);
    } catch (err) {
      // What stopped the run (a kill, a credential refused) rather than a lane's echo of it.
      throw ctx.stoppedBy ?? err;
    }

    await run('methods', async () => {
      const refresh = await refreshFacts();
      const out = await collectMethods(ctx, {
        planner: options.planner,
        refresh,
        methodsMaxAgeDays: options.methodsMaxAgeDays,
        now: new Date(state.collectedAt),
        mode: options.methods,
        budgetMinutes: options.methodsBudgetMinutes,
        methodsFor: options.methodsFor,
        skipBadRecords: options.skipBadRecords,
      });
      methods = out.methods;
      return out;
    });
    await finishTenantFile(ctx, state);
  } finally {
    await ctx.closeFiles();
  }

  const result: CollectResult = {
    tenantId: options.tenantId,
    cloud: options.endpoints.cloud,
    outDir: options.outDir,
    collectedAt: state.collectedAt,
    resumed,
    windows: {
      auditsSince: odataDateTime(auditsSince),
      signInsSince: odataDateTime(signInsSince),
      appSignInsSince: odataDateTime(appSignInsSince),
    },
    parts: COLLECT_PARTS.map((part) => partResult(part, state, outcomes.get(part))),
  };
  if (methods !== undefined) result.methods = methods;
  if (groups !== undefined) result.groups = groups;
  const stats = source.stats?.();
  if (stats !== undefined) result.stats = stats;
  return result;
}

function partResult(part: CollectPart, state: CollectState, outcome: PartOutcome | undefined): PartResult {
  const saved = state.parts[part];
  const status: PartStatus = outcome?.status ?? { state: 'skipped', reason: { code: 'not-requested' } };
  const result: PartResult = {
    part,
    file: PART_SPECS[part].file,
    queries: saved?.queries ?? [],
    status,
    rows: saved?.rows ?? 0,
    pages: saved?.pages ?? 0,
  };
  const nothingToFetch = status.state === 'skipped' && status.reason.code === 'nothing-to-fetch';
  if (status.state !== 'complete' && !nothingToFetch) result.lost = lossOf(part);
  const unread = status.state === 'complete' ? saved?.unread : undefined;
  if (status.state === 'complete' && unread !== undefined) {
    result.unread = { items: [...unread.items], failure: unread.failure };
    result.lost = unreadLossOf(part);
  }
  if (outcome?.fromCheckpoint === true) result.fromCheckpoint = true;
  if (saved?.restarts !== undefined) result.restarts = saved.restarts;
  if (saved?.duplicatesSkipped !== undefined) result.duplicatesSkipped = saved.duplicatesSkipped;
  return result;
}
