import { stat } from 'node:fs/promises';
import { load } from '../../load/index.js';
import { assess, EVIDENCE_RULES } from '../../assess/index.js';
import { GroupMembership } from '../../assess/group-membership.js';
import { impactOf, type Impact, type ImpactTargetSpec } from '../../assess/impact.js';
import { roleHoldersOf } from '../../assess/impact-roles.js';
import { renderImpactCsv, renderImpactJson, renderImpactTable } from '../../report/impact.js';
import { datasetName } from '../../report/labels.js';
import { safeText } from '../../report/sanitize.js';
import { UsageError } from '../../domain/errors.js';
import type { ConditionalAccessPolicy, TenantSnapshot } from '../../domain/tenant.js';
import { requireFinishedCollection } from '../unfinished-collection.js';
import { isoTimeFlag } from '../flag-values.js';
import { terminalWidth, wantsColor, writeFileAtomic, type Io } from '../output.js';
import { createProgress } from '../progress.js';

export interface ImpactFlags {
  policy?: string;
  group?: string;
  securityDefaults?: boolean;
  from?: string;
  db?: string;
  demo?: boolean;
  now?: string;
  format: 'table' | 'json' | 'csv';
  out?: string;
  color: boolean;
  quiet?: boolean;
  allowIncomplete?: boolean;
}

type Wanted =
  { kind: 'policy'; value: string } | { kind: 'group'; value: string } | { kind: 'security-defaults' };

/**
 * `mfa-ready impact`: who a Conditional Access policy (or an MFA requirement on a group, or security
 * defaults) would hit, and how, from the same evidence `audit` reads: an export folder, the demo
 * tenant, or the latest run in the history database.
 */
export async function impactCommand(flags: ImpactFlags, io: Io): Promise<void> {
  const wanted = wantedTarget(flags);
  const now = flags.now === undefined ? undefined : isoTimeFlag('--now', flags.now);
  const source = sourceOf(flags);
  if (source === 'from') {
    const dir = flags.from!;
    const info = await stat(dir).catch(() => undefined);
    if (info === undefined || !info.isDirectory())
      throw new UsageError(
        `--from ${dir}: no such folder`,
        'Give the folder that holds users.json or userRegistrationDetails.json.',
      );
    const incomplete = await requireFinishedCollection(
      dir,
      flags.allowIncomplete === true,
      '; or work out the impact on what is there with --allow-incomplete.',
    );
    const progress = createProgress(io, flags.quiet === true);
    const snapshot = await load({ kind: 'folder', dir }, 'assess', {
      rules: EVIDENCE_RULES,
      onProgress: (dataset, rows) => progress.update(datasetName(dataset), rows),
    });
    progress.finish();
    for (const d of incomplete) snapshot.coverage[d] = { ...snapshot.coverage[d], incomplete: true };
    return impactOfSnapshot(snapshot, wanted, flags, io, now ?? new Date());
  }
  if (source === 'demo') {
    const { withDemoCollection } = await import('../demo-collection.js');
    const { storeDemoRun } = await import('../stored-snapshot.js');
    return withDemoCollection(
      io,
      {
        quiet: flags.quiet === true,
        color: flags.color,
        scopeGroups: wanted.kind === 'group' ? [wanted.value] : [],
      },
      async (dir, collectedAt) => {
        const snapshot = await storeDemoRun(dir, flags.db, collectedAt);
        return impactOfSnapshot(snapshot, wanted, flags, io, now ?? new Date(collectedAt));
      },
    );
  }
  const { readLatestSnapshot } = await import('../stored-snapshot.js');
  const stored = await readLatestSnapshot(flags.db, io.env);
  return impactOfSnapshot(stored.snapshot, wanted, flags, io, now ?? new Date());
}

function wantedTarget(flags: ImpactFlags): Wanted {
  const given: Wanted[] = [];
  if (flags.policy !== undefined) given.push({ kind: 'policy', value: flags.policy });
  if (flags.group !== undefined) given.push({ kind: 'group', value: flags.group });
  if (flags.securityDefaults === true) given.push({ kind: 'security-defaults' });
  if (given.length !== 1)
    throw new UsageError(
      given.length === 0
        ? 'say what to work out the impact of: --policy, --group or --security-defaults'
        : 'use only one of --policy, --group and --security-defaults',
      'e.g. mfa-ready impact --policy "Require MFA for all users"',
    );
  return given[0]!;
}

function sourceOf(flags: ImpactFlags): 'from' | 'demo' | 'store' {
  if (flags.from !== undefined && flags.demo === true)
    throw new UsageError('use either --from or --demo, not both');
  if (flags.from !== undefined && flags.db !== undefined)
    throw new UsageError(
      'use either --from or --db, not both',
      '--from reads an export folder; --db names the history database read when --from is not given.',
    );
  return flags.from !== undefined ? 'from' : flags.demo === true ? 'demo' : 'store';
}

async function impactOfSnapshot(
  snapshot: TenantSnapshot,
  wanted: Wanted,
  flags: ImpactFlags,
  io: Io,
  now: Date,
): Promise<void> {
  const target = resolveTarget(snapshot, wanted);
  // Every user, no scope: the policy's own conditions decide who is in.
  const assessment = assess(snapshot, { now });
  const roleHolders = roleHoldersOf(snapshot, new GroupMembership(snapshot.groups));
  const impact = impactOf({ snapshot, assessment, target, roleHolders });
  if (impact.requirement.kind === 'none')
    throw new UsageError(
      `--policy ${wanted.kind === 'policy' ? safeText(wanted.value) : ''}: the policy asks for no MFA (grant controls: ${
        impact.requirement.controls.join(', ') || 'none'
      })`,
      'impact works out who an MFA policy (builtInControls mfa, or an authentication strength) would stop.',
    );
  const text = render(impact, flags, io);
  if (flags.out !== undefined) {
    await writeFileAtomic(flags.out, text);
    if (flags.quiet !== true) io.stderr.write(`wrote ${flags.out}\n`);
  } else {
    io.stdout.write(text);
  }
}

function render(impact: Impact, flags: ImpactFlags, io: Io): string {
  const toFile = flags.out !== undefined;
  if (flags.format === 'json') return renderImpactJson(impact);
  if (flags.format === 'csv') return renderImpactCsv(impact, { bom: toFile });
  const width = toFile ? undefined : terminalWidth(io.stdout, io.env);
  return renderImpactTable(impact, {
    color: !toFile && wantsColor(io.stdout, io.env, flags.color),
    ...(width !== undefined ? { width } : {}),
  });
}

/** The policy or group named on the command line, by id or display name; exit 2 with close names if none. */
export function resolveTarget(snapshot: TenantSnapshot, wanted: Wanted): ImpactTargetSpec {
  if (wanted.kind === 'security-defaults') return { kind: 'security-defaults' };
  if (wanted.kind === 'group') {
    const groups = new GroupMembership(snapshot.groups);
    const ids = groups.resolve(wanted.value);
    const known = (snapshot.groups ?? []).filter((g) => ids.includes(g.id.toLowerCase()));
    if (known.length === 0)
      throw new UsageError(
        `--group ${safeText(wanted.value)}: no such group in the evidence${closeNames(
          wanted.value,
          (snapshot.groups ?? []).map((g) => g.displayName ?? g.id),
        )}`,
        snapshot.groups === undefined ? 'The groups were not collected.' : undefined,
      );
    if (known.length > 1)
      throw new UsageError(
        `--group ${safeText(wanted.value)}: ${known.length} groups have this name`,
        `Give the id: ${known.map((g) => g.id).join(', ')}`,
      );
    return { kind: 'group', groupId: known[0]!.id };
  }
  const policies = snapshot.conditionalAccess;
  if (policies === undefined)
    throw new UsageError(
      '--policy: the Conditional Access policies were not collected',
      'Collect them (Policy.Read.All), or use --group or --security-defaults.',
    );
  const key = wanted.value.toLowerCase();
  const byId = policies.filter((p) => p.id.toLowerCase() === key);
  const matches: ConditionalAccessPolicy[] =
    byId.length > 0 ? byId : policies.filter((p) => p.displayName?.toLowerCase() === key);
  if (matches.length === 0)
    throw new UsageError(
      `--policy ${safeText(wanted.value)}: no Conditional Access policy has this id or name${closeNames(
        wanted.value,
        policies.map((p) => p.displayName ?? p.id),
      )}`,
    );
  if (matches.length > 1)
    throw new UsageError(
      `--policy ${safeText(wanted.value)}: ${matches.length} policies have this name`,
      `Give the id: ${matches.map((p) => p.id).join(', ')}`,
    );
  return { kind: 'policy', policy: matches[0]! };
}

/** Up to five names close to what was typed (contains it, or a small edit away), as a suffix. */
function closeNames(typed: string, names: readonly string[]): string {
  const t = typed.toLowerCase();
  const scored = names
    .map((n) => ({
      n,
      d: n.toLowerCase().includes(t) || t.includes(n.toLowerCase()) ? 0 : distance(t, n.toLowerCase()),
    }))
    .filter((x) => x.d <= Math.max(3, Math.floor(t.length / 3)))
    .sort((a, b) => a.d - b.d || (a.n < b.n ? -1 : 1))
    .slice(0, 5);
  if (scored.length === 0) {
    if (names.length === 0) return ' (the evidence holds none)';
    const some = [...names].sort().slice(0, 10);
    return `; the evidence holds: ${some.map((n) => `"${safeText(n)}"`).join(', ')}${names.length > some.length ? ', …' : ''}`;
  }
  return `; close names: ${scored.map((x) => `"${safeText(x.n)}"`).join(', ')}`;
}

/** Levenshtein distance, bounded by the names' lengths (policy names are short). */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++)
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}
