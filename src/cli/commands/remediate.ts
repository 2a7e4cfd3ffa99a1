import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { assess, EVIDENCE_RULES } from '../../assess/index.js';
import { InputError, UsageError } from '../../domain/errors.js';
import { REMEDIATION_PLAN_VERSION, type RemediationPlan } from '../../domain/remediation.js';
import type { TenantSnapshot } from '../../domain/tenant.js';
import { VERDICTS, type Verdict } from '../../domain/verdict.js';
import type { GraphWriter } from '../../collect/graph/writes.js';
import { load } from '../../load/index.js';
import { planRemediation } from '../../plan/remediation.js';
import {
  renderApplyResult,
  renderRemediationPlan,
  renderRemediationStatus,
  type RemediationFormat,
} from '../../report/remediation.js';
import { listPlans, readPlan, savePlan, type StoredPlan } from '../../store/plans.js';
import { readJournal } from '../../store/journal.js';
import { latestRun, openStore, type Store } from '../../store/index.js';
import type { GraphFlags } from '../collect-flags.js';
import type { CliDeps } from '../deps.js';
import { isoTimeFlag, wholeNumberFlag } from '../flag-values.js';
import { writeFileAtomic, type Io } from '../output.js';
import { openExistingStore, storeFile } from '../stored-snapshot.js';

export interface RemediatePlanFlags {
  from?: string;
  demo?: boolean;
  db?: string;
  verdict: string[];
  user: string[];
  out?: string;
  name?: string;
  tapLifetime?: string;
  tapStart?: string;
  privileged?: boolean;
  now?: string;
  format: RemediationFormat;
  quiet?: boolean;
}

export interface RemediateApplyFlags extends GraphFlags {
  apply?: boolean;
  tapFile?: string;
  db?: string;
  format: RemediationFormat;
}

export interface RemediateStatusFlags {
  db?: string;
  format: RemediationFormat;
}

const split = (values: readonly string[]) =>
  values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');

function parseVerdicts(values: readonly string[]): Verdict[] | undefined {
  const list = split(values);
  if (values.length > 0 && list.length === 0)
    throw new UsageError("--verdict '': an empty value names no verdict");
  for (const v of list)
    if (!(VERDICTS as readonly string[]).includes(v))
      throw new UsageError(`--verdict ${v}: not a verdict`, `Use some of: ${VERDICTS.join(', ')}.`);
  return list.length === 0 ? undefined : (list as Verdict[]);
}

/**
 * `remediate plan`: assess the latest stored run (or --from DIR, or --demo), plan what the helpdesk
 * does for each user, store the plan (kind 'remediation', every version kept) and show it. Writes
 * nothing to the tenant.
 */
export async function remediatePlanCommand(flags: RemediatePlanFlags, io: Io): Promise<void> {
  const verdicts = parseVerdicts(flags.verdict);
  const users = split(flags.user);
  if (flags.from !== undefined && flags.demo === true)
    throw new UsageError('give --from or --demo, not both');
  const tapLifetime =
    flags.tapLifetime === undefined
      ? undefined
      : wholeNumberFlag('--tap-lifetime', flags.tapLifetime, 10, 43_200);
  const tapStart =
    flags.tapStart === undefined ? undefined : isoTimeFlag('--tap-start', flags.tapStart).toISOString();
  const given = flags.now === undefined ? undefined : isoTimeFlag('--now', flags.now);

  const make = (snapshot: TenantSnapshot, now: Date, store: Store) => {
    const assessment = assess(snapshot, { now });
    const plan = planRemediation(assessment, snapshot, {
      now,
      ...(verdicts !== undefined ? { verdicts } : {}),
      ...(users.length > 0 ? { users } : {}),
      ...(tapLifetime !== undefined ? { tapLifetimeInMinutes: tapLifetime } : {}),
      ...(tapStart !== undefined ? { tapStart } : {}),
      ...(flags.privileged === true ? { privileged: true } : {}),
    });
    const name =
      flags.name ?? freeName(store, `remediation-${now.toISOString().replace(/[-:]/g, '').slice(0, 15)}`);
    const named: RemediationPlan = { ...plan, name };
    const stored = savePlan(store, 'remediation', name, named, now);
    return { plan: named, stored };
  };

  let result: { plan: RemediationPlan; stored: StoredPlan<RemediationPlan> };
  if (flags.demo === true) {
    const { withDemoCollection } = await import('../demo-collection.js');
    const { storeDemoRun } = await import('../stored-snapshot.js');
    result = await withDemoCollection(
      io,
      { quiet: flags.quiet === true, color: false, scopeGroups: [] },
      async (dir, at) => {
        const snapshot = await storeDemoRun(dir, flags.db, at);
        // Without --db the demo's database is thrown away with it: the plan lives on in --out only.
        const store = openStore(
          flags.db !== undefined ? storeFile(flags.db, io.env) : path.join(dir, 'plans.db'),
        );
        try {
          return make(snapshot, given ?? new Date(at), store);
        } finally {
          store.close();
        }
      },
    );
  } else if (flags.from !== undefined) {
    const dir = flags.from;
    if (!existsSync(dir) || !statSync(dir).isDirectory())
      throw new UsageError(`--from ${dir}: no such folder`);
    const snapshot = await load({ kind: 'folder', dir }, 'assess', { rules: EVIDENCE_RULES });
    const store = openStore(storeFile(flags.db, io.env));
    try {
      result = make(snapshot, given ?? new Date(), store);
    } finally {
      store.close();
    }
  } else {
    const store = openExistingStore(flags.db, io.env);
    try {
      const run = latestRun(store);
      if (run === undefined)
        throw new UsageError(
          `the history database ${store.file} holds no complete run`,
          'Collect or import a run first, or give --from DIR.',
        );
      const snapshot = await load({ kind: 'store', store, run }, 'assess', { rules: EVIDENCE_RULES });
      result = make(snapshot, given ?? new Date(), store);
    } finally {
      store.close();
    }
  }
  if (flags.out !== undefined) await writeFileAtomic(flags.out, `${JSON.stringify(result.plan, null, 2)}\n`);
  const where =
    `Stored as plan ${result.stored.name} version ${result.stored.version}` +
    (flags.out !== undefined ? `, and written to ${flags.out}` : '') +
    `. Review it, then: mfa-ready remediate apply ${flags.out ?? result.stored.name} (add --apply to write).`;
  io.stdout.write(
    renderRemediationPlan(result.plan, flags.format, flags.format === 'table' ? where : undefined),
  );
  if (flags.format !== 'table' && flags.quiet !== true) io.stderr.write(`mfa-ready: ${where}\n`);
}

/**
 * A default name no stored plan has: the journal is kept per plan name, so two plans made at the same
 * clock must not share one (--name given again is a new version of that plan, on purpose).
 */
function freeName(store: Store, base: string): string {
  let name = base;
  for (let i = 2; readPlan(store, 'remediation', name) !== undefined; i++) name = `${base}-${i}`;
  return name;
}

// ------------------------------------------------------------------------------ plan files

const text = z.string().min(1);
const reason = z.looseObject({ code: text });
const actionSchema = z.discriminatedUnion('code', [
  z.looseObject({
    code: z.literal('create-tap'),
    lifetimeInMinutes: z.number().int().min(10).max(43_200),
    isUsableOnce: z.boolean(),
    startDateTime: z.string().nullable(),
    assumedTargets: z.array(z.string()),
    reason,
  }),
  z.looseObject({
    code: z.literal('delete-authenticator'),
    methodId: text,
    deviceName: z.string().nullable(),
    isDefault: z.boolean().nullable(),
    fallbackDefault: z
      .enum(['push', 'oath', 'voiceMobile', 'voiceAlternateMobile', 'voiceOffice', 'sms'])
      .nullable(),
    reason,
  }),
  z.looseObject({
    code: z.literal('set-default-method'),
    method: z.enum(['push', 'oath', 'voiceMobile', 'voiceAlternateMobile', 'voiceOffice', 'sms']),
    reason,
  }),
  z.looseObject({ code: z.literal('ask-to-complete'), message: text, url: text, reason }),
  z.looseObject({ code: z.literal('no-action'), why: z.looseObject({ code: text }) }),
]);
const planSchema = z.looseObject({
  planVersion: z.literal(REMEDIATION_PLAN_VERSION),
  kind: z.literal('remediation'),
  name: text,
  createdAt: text,
  users: z.array(
    z.looseObject({
      userId: text,
      userPrincipalName: text,
      isAdmin: z.boolean(),
      actions: z.array(actionSchema),
    }),
  ),
});

/** A plan file as `remediate plan --out` wrote it (maybe edited): checked, or exit 2 naming the field. */
function readPlanFile(file: string): RemediationPlan {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new InputError(`${file} is not a plan: ${(err as Error).message}`, { file });
  }
  const parsed = planSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') ?? '';
    throw new InputError(
      `${file} is not a remediation plan: ${issue?.message ?? 'invalid'}`,
      { file, ...(field !== '' ? { field } : {}) },
      'Make one with: mfa-ready remediate plan --out PLAN.json',
    );
  }
  return raw as RemediationPlan;
}

/** PLAN: a plan file, else a stored plan's name; a file that differs from its stored version is stored as the next. */
function resolvePlan(store: Store, given: string, now: Date): StoredPlan<RemediationPlan> {
  if (existsSync(given) && statSync(given).isFile()) {
    const plan = readPlanFile(given);
    const name = plan.name as string;
    const stored = readPlan<RemediationPlan>(store, 'remediation', name);
    if (stored !== undefined && JSON.stringify(stored.data) === JSON.stringify(plan)) return stored;
    return savePlan(store, 'remediation', name, plan, now);
  }
  const stored = readPlan<RemediationPlan>(store, 'remediation', given);
  if (stored === undefined)
    throw new UsageError(
      `no plan file or stored remediation plan named ${given}`,
      `Stored plans: ${
        listPlans(store, 'remediation')
          .map((p) => p.name)
          .join(', ') || 'none'
      }.`,
    );
  return stored;
}

/**
 * `remediate apply PLAN`: without --apply, what would be written (nothing is); with --apply, the
 * writes through Graph, journaled, resumable. TAP values go to the --tap-file only.
 */
export async function remediateApplyCommand(
  given: string,
  flags: RemediateApplyFlags,
  io: Io,
  deps: CliDeps,
): Promise<void> {
  const now = () => deps.now?.() ?? new Date();
  const store = openStore(storeFile(flags.db, io.env));
  try {
    const stored = resolvePlan(store, given, now());
    const input = { name: stored.name, version: stored.version, plan: stored.data };
    const { applyRemediation, describeRemediation } = await import('../../apply/remediation.js');
    if (flags.apply !== true) {
      io.stdout.write(
        renderApplyResult(
          describeRemediation(
            stored.name,
            stored.version,
            stored.data,
            readJournal(store, 'remediation', stored.name),
          ),
          flags.format,
        ),
      );
      return;
    }
    const tapFile = path.resolve(flags.tapFile ?? `mfa-ready-taps-${stored.name}.csv`);
    const { openGraphSession } = await import('../graph-session.js');
    const session = openGraphSession(flags, io, deps);
    try {
      const writer: GraphWriter = session.source;
      const result = await applyRemediation(input, { store, writer, reader: session.source, now, tapFile });
      io.stdout.write(renderApplyResult(result, flags.format));
    } finally {
      session.close();
    }
  } finally {
    store.close();
  }
}

/** `remediate status [PLAN]`: what became of each write, judged on the latest stored run. */
export async function remediateStatusCommand(
  given: string | undefined,
  flags: RemediateStatusFlags,
  io: Io,
): Promise<void> {
  const store = openExistingStore(flags.db, io.env);
  try {
    let stored: StoredPlan<RemediationPlan> | undefined;
    if (given === undefined) {
      const all = listPlans<RemediationPlan>(store, 'remediation').sort((a, b) =>
        a.createdAt.localeCompare(b.createdAt),
      );
      stored = all.at(-1);
      if (stored === undefined)
        throw new UsageError(
          `no remediation plan is stored in ${store.file}`,
          'Make one with: mfa-ready remediate plan',
        );
    } else stored = resolvePlan(store, given, new Date());
    const run = latestRun(store);
    const snapshot =
      run === undefined
        ? undefined
        : await load({ kind: 'store', store, run }, 'assess', { rules: EVIDENCE_RULES });
    const { remediationStatus } = await import('../../apply/remediation-status.js');
    const rows = remediationStatus(stored.data, readJournal(store, 'remediation', stored.name), snapshot);
    io.stdout.write(renderRemediationStatus(stored.name, rows, flags.format));
  } finally {
    store.close();
  }
}
