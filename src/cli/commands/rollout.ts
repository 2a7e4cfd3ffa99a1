/**
 * `mfa-ready rollout plan|status|next|pause|resume|rollback`: readiness-gated waves with a bypass
 * group. Readiness comes from the latest run stored in the history database; plans and every write
 * they make are kept there (src/store/plans.ts, src/store/journal.ts). Nothing is written to the
 * tenant without --apply.
 */
import { applyGroupChanges, type ApplyGroupChangesResult } from '../../apply/group-changes.js';
import { assess, EVIDENCE_RULES } from '../../assess/index.js';
import { resolveScope, type ScopeResolution } from '../../assess/scope-resolution.js';
import { RuntimeFailure, UsageError } from '../../domain/errors.js';
import type { RunInfo } from '../../domain/history.js';
import {
  ROLLOUT_ORDERS,
  type GroupChange,
  type RolloutGroup,
  type RolloutOrder,
  type RolloutPlan,
} from '../../domain/rollout.js';
import type { TenantSnapshot } from '../../domain/tenant.js';
import type { UserAssessment } from '../../domain/verdict.js';
import { load } from '../../load/index.js';
import {
  appliedWaves,
  rolloutNext,
  rolloutRollback,
  type RolloutNextInput,
} from '../../plan/rollout-next.js';
import { planRollout } from '../../plan/rollout-plan.js';
import { rolloutStatus } from '../../plan/rollout-status.js';
import {
  renderChangesCsv,
  renderPlanText,
  renderStatusCsv,
  renderStatusJson,
  renderStatusText,
  renderStepJson,
  renderStepText,
} from '../../report/rollout.js';
import { groupChangeCsv, groupChangeScript } from '../../report/rollout-script.js';
import {
  latestRun,
  readJournal,
  readPlan,
  savePlan,
  setPlanState,
  type Store,
  type StoredPlan,
} from '../../store/index.js';
import type { GraphFlags } from '../collect-flags.js';
import type { CliDeps } from '../deps.js';
import { isoTimeFlag, wholeNumberFlag } from '../flag-values.js';
import { writeFileAtomic, type Io } from '../output.js';
import { HOW_TO_FILL, openExistingStore } from '../stored-snapshot.js';
import { scopeError } from './audit.js';

const DAY_MS = 86_400_000;

type Format = 'table' | 'json' | 'csv';

export interface RolloutCommonFlags {
  db?: string;
  format: Format;
  /** The clock (ISO 8601): which wave is due, how old the evidence is. Default: now. */
  now?: string;
  quiet?: boolean;
}

export interface RolloutPlanFlags extends RolloutCommonFlags {
  name?: string;
  enforceGroup?: string;
  bypassGroup?: string;
  waveSize: string;
  every: string;
  start?: string;
  scopeGroup: string[];
  excludeGroup: string[];
  excludeUser: string[];
  order: string;
  readyThreshold: string;
  maxBypassDays: string;
  out?: string;
}

export interface RolloutApplyFlags extends RolloutCommonFlags, GraphFlags {
  apply?: boolean;
  /** Where the AD PowerShell script and CSV for synced groups go (default: the current folder). */
  scriptDir?: string;
}

function clock(flags: RolloutCommonFlags, deps: CliDeps): Date {
  if (flags.now !== undefined) return isoTimeFlag('--now', flags.now);
  return deps.now?.() ?? new Date();
}

/** `7d`, `7`, `2w`: days between waves. */
export function parseEvery(value: string): number {
  const m = /^\s*(\d+)\s*([dw]?)\s*$/i.exec(value);
  const n = m === null ? Number.NaN : Number(m[1]) * (m[2]?.toLowerCase() === 'w' ? 7 : 1);
  if (!Number.isInteger(n) || n < 1 || n > 365)
    throw new UsageError(`--every ${value}: expected days between waves, e.g. 7d or 2w (1 to 365 days)`);
  return n;
}

/** `0.95` or `95%`. */
export function parseThreshold(value: string): number {
  const t = value.trim();
  const n = t.endsWith('%') ? Number(t.slice(0, -1)) / 100 : Number(t);
  if (t === '' || !Number.isFinite(n) || n < 0 || n > 1)
    throw new UsageError(
      `--ready-threshold ${value}: expected a share from 0 to 1 (e.g. 0.95) or a percentage (95%)`,
    );
  return n;
}

function parseStart(value: string | undefined, now: Date): string {
  if (value === undefined) return now.toISOString().slice(0, 10);
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
  const t = m === null ? Number.NaN : Date.parse(`${value.trim()}T00:00:00Z`);
  if (Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== value.trim())
    throw new UsageError(`--start ${value}: expected a date as YYYY-MM-DD`);
  return value.trim();
}

function required(flag: string, value: string | undefined): string {
  if (value === undefined || value.trim() === '') throw new UsageError(`${flag} is required`);
  return value.trim();
}

/** The latest stored run, read as `assess` reads it, and how old it is. */
export interface Evidence {
  run: RunInfo;
  snapshot: TenantSnapshot;
  ageDays: number | null;
  collectedAt: string | null;
}

async function latestEvidence(store: Store, now: Date): Promise<Evidence> {
  const run = latestRun(store);
  if (run === undefined)
    throw new UsageError(`the history database ${store.file} holds no complete run`, HOW_TO_FILL);
  const snapshot = await load({ kind: 'store', store, run }, 'assess', { rules: EVIDENCE_RULES });
  return evidenceOf(run, snapshot, now);
}

/** A run already read back (the dashboard has it), as the evidence the rollout commands judge on. */
export function evidenceOf(run: RunInfo, snapshot: TenantSnapshot, now: Date): Evidence {
  const collectedAt = snapshot.tenant.collectedAt ?? run.collectedAt ?? run.finishedAt;
  const t = Date.parse(collectedAt);
  const ageDays = Number.isNaN(t) ? null : (now.getTime() - t) / DAY_MS;
  return { run, snapshot, ageDays, collectedAt };
}

/** Says how old the readiness is; warns when older than a day. */
function evidenceNote(e: Evidence): string[] {
  const age =
    e.ageDays === null
      ? 'of unknown age'
      : e.ageDays < 1 / 24
        ? 'less than an hour old'
        : `${fmtAge(e.ageDays)} old`;
  const lines = [
    `Readiness from run ${e.run.id}, collected ${e.collectedAt ?? 'at an unknown time'} (${age}).`,
  ];
  if (e.ageDays === null || e.ageDays > 1)
    lines.push(
      'warning: this evidence is older than a day: collect first (mfa-ready collect --tenant … --scope-group <the groups>) so that waves advance on what is true today.',
    );
  return lines;
}

function fmtAge(days: number): string {
  return days < 1 ? `${Math.round(days * 24)} hours` : `${Math.round(days * 10) / 10} days`;
}

/** A group of the latest run by id or display name (any case); refused naming the flag when not one. */
function resolveGroup(snapshot: TenantSnapshot, flag: string, value: string): RolloutGroup {
  const groups = snapshot.groups;
  if (groups === undefined)
    throw new UsageError(
      `${flag} ${value}: the latest run holds no groups to look it up in`,
      'Collect the tenant again (mfa-ready collect), groups included.',
    );
  const wanted = value.trim().toLowerCase();
  const byId = groups.filter((g) => g.id.toLowerCase() === wanted);
  const hits = byId.length > 0 ? byId : groups.filter((g) => (g.displayName ?? '').toLowerCase() === wanted);
  if (hits.length === 0)
    throw new UsageError(`${flag} ${value}: no group of the latest run has this id or display name`);
  if (hits.length > 1)
    throw new UsageError(
      `${flag} ${value}: ${hits.length} groups have this display name: ${hits.map((g) => g.id).join(', ')}`,
      'Give the id of the one you mean.',
    );
  const g = hits[0]!;
  return {
    id: g.id,
    displayName: g.displayName ?? null,
    onPremisesSyncEnabled: g.onPremisesSyncEnabled === true,
  };
}

/** The latest run assessed with the plan's scope: every user of it, `excluded` ones included. */
function assessForPlan(
  e: Evidence,
  scope: { scopeGroups: string[]; excludeGroups: string[]; excludeUsers: string[] },
  now: Date,
  store: Store,
): { users: UserAssessment[]; resolution: ScopeResolution } {
  const resolution = resolveScope(e.snapshot, scope);
  if (resolution.problems.length > 0) throw scopeError(resolution.problems, store.file, 'store');
  const assessment = assess(e.snapshot, { now, scope: resolution.values }, resolution);
  return { users: assessment.users, resolution };
}

function groupMembers(snapshot: TenantSnapshot, group: RolloutGroup): ReadonlySet<string> | undefined {
  const ids = snapshot.groups?.find((g) => g.id === group.id)?.memberIds;
  return ids === undefined ? undefined : new Set(ids);
}

function existingPlan(store: Store, name: string): StoredPlan<RolloutPlan> {
  const plan = readPlan<RolloutPlan>(store, 'rollout', name);
  if (plan === undefined)
    throw new UsageError(
      `no rollout named '${name}' in ${store.file}`,
      'Make one with: mfa-ready rollout plan --name NAME --enforce-group G --bypass-group B …',
    );
  return plan;
}

async function writeOut(io: Io, text: string): Promise<void> {
  io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

export async function rolloutPlanCommand(flags: RolloutPlanFlags, io: Io, deps: CliDeps = {}): Promise<void> {
  const now = clock(flags, deps);
  const name = required('--name', flags.name);
  const enforceValue = required('--enforce-group', flags.enforceGroup);
  const bypassValue = required('--bypass-group', flags.bypassGroup);
  const waveSize = wholeNumberFlag('--wave-size', flags.waveSize, 1, 1_000_000);
  const everyDays = parseEvery(flags.every);
  const startDate = parseStart(flags.start, now);
  if (!(ROLLOUT_ORDERS as readonly string[]).includes(flags.order))
    throw new UsageError(`--order ${flags.order}: expected one of ${ROLLOUT_ORDERS.join(', ')}`);
  const readyThreshold = parseThreshold(flags.readyThreshold);
  const maxBypassDays = wholeNumberFlag('--max-bypass-days', flags.maxBypassDays, 1, 3650);

  const store = openExistingStore(flags.db, io.env);
  try {
    const e = await latestEvidence(store, now);
    const enforceGroup = resolveGroup(e.snapshot, '--enforce-group', enforceValue);
    const bypassGroup = resolveGroup(e.snapshot, '--bypass-group', bypassValue);
    if (enforceGroup.id === bypassGroup.id)
      throw new UsageError('--enforce-group and --bypass-group name the same group: they must be two groups');
    const scope = {
      scopeGroups: flags.scopeGroup,
      excludeGroups: flags.excludeGroup,
      excludeUsers: flags.excludeUser,
    };
    const { users, resolution } = assessForPlan(e, scope, now, store);
    const asGroup = (g: { id: string }) => resolveGroup(e.snapshot, '--scope-group', g.id);
    const previous = readPlan<RolloutPlan>(store, 'rollout', name);
    const plan = planRollout(
      {
        name,
        enforceGroup,
        bypassGroup,
        scopeGroups: resolution.scopeGroups.map(asGroup),
        excludeGroups: resolution.excludeGroups.map(asGroup),
        excludeUsers: resolution.excludeUsers.map((u) => u.id),
        users,
        createdAt: new Map(
          (e.snapshot.users ?? []).flatMap((u) =>
            u.createdDateTime === undefined ? [] : [[u.id, u.createdDateTime] as const],
          ),
        ),
        plannedFrom: { runId: e.run.id, collectedAt: e.collectedAt },
        ...(previous === undefined
          ? {}
          : {
              previous: {
                plan: previous.data,
                keepWaves: appliedWaves(previous.data, readJournal(store, 'rollout', name)),
                rolledBack: previous.state === 'rolled-back',
              },
            }),
      },
      { waveSize, everyDays, startDate, order: flags.order as RolloutOrder, readyThreshold, maxBypassDays },
    );
    if (plan.waves.length === 0)
      throw new UsageError(
        'nobody to roll out to: no enabled member user is in scope',
        'Check --scope-group and the --exclude-* options; a plan of nobody would read as done.',
      );
    const stored = savePlan(store, 'rollout', name, plan, now);
    if (flags.out !== undefined)
      await writeFileAtomic(flags.out, `${JSON.stringify({ version: stored.version, ...plan }, null, 2)}\n`);
    if (flags.format === 'json')
      await writeOut(io, JSON.stringify({ version: stored.version, ...plan }, null, 2));
    else if (flags.format === 'csv')
      await writeOut(
        io,
        renderChangesCsv(
          plan.waves.flatMap((w) =>
            w.userIds.map((id): GroupChange => ({
              op: 'add-member',
              group: enforceGroup,
              userId: id,
              upn: plan.upns[id] ?? id,
              reason: 'wave-enforce',
              wave: w.number,
              key: '',
            })),
          ),
        ),
      );
    else await writeOut(io, renderPlanText(plan, stored.version, flags.out));
    if (flags.quiet !== true) for (const line of evidenceNote(e)) io.stderr.write(`${line}\n`);
  } finally {
    store.close();
  }
}

/** What status and next read: the plan, its journal, the latest run assessed with the plan's scope. */
export async function planInputs(
  store: Store,
  name: string,
  now: Date,
  /** The latest run, when the caller has read it already; else it is read here. */
  latest?: Evidence,
): Promise<{ stored: StoredPlan<RolloutPlan>; input: RolloutNextInput; evidence: Evidence }> {
  const stored = existingPlan(store, name);
  const plan = stored.data;
  const e = latest ?? (await latestEvidence(store, now));
  const { users } = assessForPlan(
    e,
    {
      scopeGroups: plan.scopeGroups.map((g) => g.id),
      excludeGroups: plan.excludeGroups.map((g) => g.id),
      excludeUsers: plan.excludeUsers,
    },
    now,
    store,
  );
  const enforce = groupMembers(e.snapshot, plan.enforceGroup);
  const bypass = groupMembers(e.snapshot, plan.bypassGroup);
  return {
    stored,
    evidence: e,
    input: {
      plan,
      state: stored.state,
      now,
      users: new Map(users.map((u) => [u.id, u])),
      members: { ...(enforce !== undefined ? { enforce } : {}), ...(bypass !== undefined ? { bypass } : {}) },
      journal: readJournal(store, 'rollout', name),
      evidenceAt: e.collectedAt,
    },
  };
}

export async function rolloutStatusCommand(
  name: string,
  flags: RolloutCommonFlags,
  io: Io,
  deps: CliDeps = {},
): Promise<void> {
  const now = clock(flags, deps);
  const store = openExistingStore(flags.db, io.env);
  try {
    const { stored, input, evidence } = await planInputs(store, name, now);
    const status = rolloutStatus(input);
    const header = [
      `${evidenceNote(evidence).join('\n')}`,
      `Plan version ${stored.version}, ${stored.state}.`,
    ];
    if (flags.format === 'json')
      await writeOut(
        io,
        renderStatusJson(status, {
          version: stored.version,
          state: stored.state,
          runId: evidence.run.id,
          collectedAt: evidence.collectedAt,
        }),
      );
    else if (flags.format === 'csv') await writeOut(io, renderStatusCsv(status));
    else await writeOut(io, renderStatusText(status, header));
  } finally {
    store.close();
  }
}

/** `rollout-<name>-<time>`: the script and CSV file names, safe on every file system. */
export function scriptStem(name: string, now: Date): string {
  return `rollout-${name.replace(/[^A-Za-z0-9_-]/g, '_')}-${now.toISOString().replace(/[:.-]/g, '')}`;
}

async function applyChanges(
  store: Store,
  stored: StoredPlan<RolloutPlan>,
  changes: readonly GroupChange[],
  flags: RolloutApplyFlags,
  io: Io,
  deps: CliDeps,
  now: Date,
): Promise<ApplyGroupChangesResult> {
  const needsGraph = changes.some((c) => !c.group.onPremisesSyncEnabled);
  const { openGraphSession } = needsGraph
    ? await import('../graph-session.js')
    : { openGraphSession: undefined };
  const session = openGraphSession?.(flags, io, deps);
  try {
    const source = session?.source;
    return await applyGroupChanges({
      store,
      plan: { name: stored.name, version: stored.version },
      changes,
      ...(source !== undefined
        ? {
            writer: source,
            readMembers: async (groupId: string) => {
              const ids = new Set<string>();
              for await (const page of source.pages<{ id: string }>(
                `/groups/${encodeURIComponent(groupId)}/members?$select=id`,
              ))
                for (const m of page.items) ids.add(m.id);
              return ids;
            },
          }
        : {}),
      script: {
        dir: flags.scriptDir ?? '.',
        stem: scriptStem(stored.name, now),
        render: (c) => ({
          ps1: groupChangeScript(c, {
            plan: stored.name,
            planVersion: stored.version,
            at: now.toISOString(),
          }),
          csv: groupChangeCsv(c),
        }),
      },
      // The journal records when each write happened; with --now the whole command acts at that time,
      // so "since when" in the bypass group is counted on one clock.
      now: () => (flags.now !== undefined ? new Date(now) : (deps.now?.() ?? new Date())),
    });
  } finally {
    session?.close();
  }
}

function appliedText(r: ApplyGroupChangesResult): string {
  const lines = [
    `Applied: ${r.done} done (${r.sent} sent to Microsoft Graph${r.confirmedByRead > 0 ? `, ${r.confirmedByRead} found done by reading the group` : ''}), ` +
      `${r.skipped} already done before, ${r.failed.length} refused.`,
  ];
  if (r.scripted !== null)
    lines.push(
      `${r.scripted.count} change${r.scripted.count === 1 ? '' : 's'} of groups synced from on-premises written to ${r.scripted.ps1} ` +
        `(and ${r.scripted.csv}): review it, run it with -WhatIf first, then for real; ` +
        '`mfa-ready rollout status` says when the changes have arrived (after the next sync and collect).',
    );
  for (const f of r.failed)
    lines.push(
      `  refused: ${f.change.op} ${f.change.upn} in ${f.change.group.displayName ?? f.change.group.id}: ${f.status} ${f.code ?? ''} ${f.message}`,
    );
  return `${lines.join('\n')}\n`;
}

function failIfRefused(r: ApplyGroupChangesResult): void {
  if (r.failed.length === 0) return;
  const synced = r.failed.some((f) => f.synced);
  throw new RuntimeFailure(
    `${r.failed.length} change${r.failed.length === 1 ? ' was' : 's were'} refused by Microsoft Graph (journaled; the next run tries again)`,
    synced
      ? 'Graph says a group is synced from on-premises: plan again (rollout plan) after the next collect so it is scripted instead.'
      : 'Check the permissions (GroupMember.ReadWrite.All) with mfa-ready preflight, then run the same command again.',
  );
}

export async function rolloutNextCommand(
  name: string,
  flags: RolloutApplyFlags,
  io: Io,
  deps: CliDeps = {},
): Promise<void> {
  const now = clock(flags, deps);
  const store = openExistingStore(flags.db, io.env);
  try {
    const { stored, input, evidence } = await planInputs(store, name, now);
    const step = rolloutNext(input);
    if (flags.quiet !== true) for (const line of evidenceNote(evidence)) io.stderr.write(`${line}\n`);
    let result: ApplyGroupChangesResult | undefined;
    if (flags.apply === true && step.changes.length > 0)
      result = await applyChanges(store, stored, step.changes, flags, io, deps, now);
    if (flags.format === 'json')
      await writeOut(
        io,
        renderStepJson(stored.data, step, {
          version: stored.version,
          state: stored.state,
          applied: flags.apply === true,
          ...(result !== undefined ? { result } : {}),
        }),
      );
    else if (flags.format === 'csv') await writeOut(io, renderChangesCsv(step.changes));
    else {
      await writeOut(io, renderStepText(stored.data, step, flags.apply === true));
      if (result !== undefined) await writeOut(io, appliedText(result));
    }
    if (result !== undefined) failIfRefused(result);
  } finally {
    store.close();
  }
}

export async function rolloutStateCommand(
  action: 'pause' | 'resume',
  name: string,
  flags: RolloutCommonFlags,
  io: Io,
): Promise<void> {
  const store = openExistingStore(flags.db, io.env);
  try {
    const stored = existingPlan(store, name);
    if (action === 'resume' && stored.state === 'rolled-back')
      throw new UsageError(
        `rollout '${name}' was rolled back: resuming it would add its users again`,
        `Plan it again to start over: mfa-ready rollout plan --name ${name} …`,
      );
    setPlanState(store, 'rollout', name, action === 'pause' ? 'paused' : 'active');
    io.stdout.write(
      action === 'pause'
        ? `Rollout ${name} paused: rollout next makes no change until it is resumed.\n`
        : `Rollout ${name} resumed.\n`,
    );
  } finally {
    store.close();
  }
}

export async function rolloutRollbackCommand(
  name: string,
  flags: RolloutApplyFlags,
  io: Io,
  deps: CliDeps = {},
): Promise<void> {
  const now = clock(flags, deps);
  const store = openExistingStore(flags.db, io.env);
  try {
    const stored = existingPlan(store, name);
    const changes = rolloutRollback(stored.data, readJournal(store, 'rollout', name));
    let result: ApplyGroupChangesResult | undefined;
    if (flags.apply === true) {
      // Stops `next` at once, even if some removals are refused: they are journaled and retried.
      setPlanState(store, 'rollout', name, 'rolled-back');
      if (changes.length > 0) result = await applyChanges(store, stored, changes, flags, io, deps, now);
    }
    const step = { advancing: null, changes, hold: null, blockers: [], notices: [] };
    if (flags.format === 'json')
      await writeOut(
        io,
        renderStepJson(stored.data, step, {
          rollback: true,
          applied: flags.apply === true,
          ...(result !== undefined ? { result } : {}),
        }),
      );
    else if (flags.format === 'csv') await writeOut(io, renderChangesCsv(changes));
    else {
      await writeOut(io, `Rollback of ${name}:\n${renderStepText(stored.data, step, flags.apply === true)}`);
      if (result !== undefined) await writeOut(io, appliedText(result));
    }
    if (result !== undefined) failIfRefused(result);
  } finally {
    store.close();
  }
}
