import { stat } from 'node:fs/promises';
import path from 'node:path';
import { load } from '../../load/index.js';
import { assess, EVIDENCE_RULES } from '../../assess/index.js';
import {
  emptyPopulation,
  resolveScope,
  splitListValues,
  type EmptyPopulation,
  type ScopeProblem,
} from '../../assess/scope-resolution.js';
import {
  renderCsv,
  renderJson,
  renderJsonChunks,
  renderTable,
  renderUserDetail,
  skippedDatasets,
  skippedRecordsText,
} from '../../report/index.js';
import { datasetName, populationGroupLabel } from '../../report/labels.js';
import { requireFinishedCollection } from '../unfinished-collection.js';
import { FailOnMatched, InputError, UsageError } from '../../domain/errors.js';
import { DATASET_FILES } from '../../domain/datasets.js';
import type { TenantSnapshot } from '../../domain/tenant.js';
import { VERDICTS, type Assessment, type ExclusionReason, type Verdict } from '../../domain/verdict.js';
import type { CollectScopeFlags, GraphFlags } from '../collect-flags.js';
import { firstCollectOnlyFlag } from '../collect-flags.js';
import type { CliDeps } from '../deps.js';
import type { StoredSnapshot } from '../stored-snapshot.js';
import { terminalWidth, wantsColor, writeChunks, writeFileAtomic, type Io } from '../output.js';
import { createProgress } from '../progress.js';
import { isoTimeFlag, wholeNumberFlag } from '../flag-values.js';

export interface AuditFlags extends GraphFlags, Omit<CollectScopeFlags, 'scopeGroup'> {
  from?: string;
  /** The history database (default MFA_READY_DB, else the user data directory's); with --demo, a throwaway one. */
  db?: string;
  demo?: boolean;
  /** With --tenant: the export folder to collect into (kept, so it can be assessed again). */
  outDir?: string;
  now?: string;
  format: 'table' | 'json' | 'csv';
  out?: string;
  scopeGroup: string[];
  excludeGroup: string[];
  excludeUser: string[];
  excludeServiceAccounts?: boolean;
  user?: string;
  /** Table only: list the N worst users who need action. */
  top?: string;
  /** Table only: the header and the verdict summary alone. */
  summary?: boolean;
  /** Every `--fail-on` given (commander collects them): the verdicts are the union of the lists. */
  failOn: string[];
  /** `--fail-on-new`: as --fail-on, for users who did not have the verdict in the previous run. */
  failOnNew: string[];
  /** List only the users whose verdict changed since the previous run (audit-changes.ts). */
  changed?: boolean;
  color: boolean;
  quiet?: boolean;
  /** Assess a collection that did not finish (its parts are marked incomplete) instead of exit 2. */
  allowIncomplete?: boolean;
}

/**
 * `mfa-ready audit`: get an export folder (the one given, or one collected now from a tenant or from
 * the built-in emulator), then read it, make one pure assessment and render it. All three sources
 * end in the same `auditFolder`, so a collected tenant is assessed exactly as `--from` would.
 */
export async function auditCommand(flags: AuditFlags, io: Io, deps: CliDeps = {}): Promise<void> {
  const failOn = parseFailOn(flags.failOn);
  parseFailOn(flags.failOnNew, '--fail-on-new');
  if (flags.changed === true || flags.failOnNew.length > 0) {
    const { checkChangedFlags, requireHistoryToCompare } = await import('./audit-changes.js');
    checkChangedFlags(flags);
    // Before a collection that may take an hour, not after it.
    if (flags.from !== undefined || flags.tenant !== undefined) requireHistoryToCompare(flags.db, io.env);
  }
  const now = parseNow(flags.now);
  const listing = parseListing(flags);
  switch (sourceOf(flags)) {
    case 'store': {
      if (hasScopeFlags(flags)) {
        // Loaded on demand: the SQLite binding is needed only here.
        const stored = await readStored(flags, io);
        return auditSnapshot(
          stored.snapshot,
          flags,
          io,
          now ?? new Date(),
          failOn,
          {
            kind: 'store',
            where: stored.file,
          },
          listing,
        );
      }
      // The whole tenant, as the history assessed it: its stored assessments serve where they hold.
      const { assessLatestStoredRun } = await import('../stored-snapshot.js');
      const stored = await assessLatestStoredRun(flags.db, io.env, now ?? new Date());
      return renderAudit(
        stored.assessment,
        presentIds(stored.assessment.users),
        flags,
        io,
        failOn,
        { kind: 'store', where: stored.file },
        listing,
      );
    }
    case 'from':
      return auditFolder(
        await existingFolder(flags.from ?? ''),
        flags,
        io,
        now ?? new Date(),
        failOn,
        'from',
        listing,
      );
    case 'demo': {
      // Loaded on demand (as for --tenant): `audit --from` needs neither the emulator nor Graph.
      const { withDemoCollection } = await import('../demo-collection.js');
      // Assessed at the demo's collection time, so its "looping now" users stay looping forever.
      const { storeDemoRun } = await import('../stored-snapshot.js');
      return withDemoCollection(
        io,
        { quiet: flags.quiet === true, color: flags.color, scopeGroups: groupsToCollect(flags) },
        async (dir, collectedAt) => {
          // Through the history as a real collection goes: stored (in a throwaway database unless
          // --db names one), then read back and assessed.
          const progress = createProgress(io, flags.quiet === true);
          const snapshot = await storeDemoRun(dir, flags.db, collectedAt, (dataset, rows) =>
            progress.update(datasetName(dataset), rows),
          );
          progress.finish();
          return auditSnapshot(
            snapshot,
            flags,
            io,
            now ?? new Date(collectedAt),
            failOn,
            {
              kind: 'demo',
              where: dir,
            },
            listing,
          );
        },
      );
    }
    case 'tenant': {
      const { collectFromGraph } = await import('./collect.js');
      const { collectIntoStore } = await import('../collect-into-store.js');
      const at = now ?? deps.now?.() ?? new Date();
      // Stored as a run, as `collect` does (a refresh reads only what is new), then assessed from there.
      // The excluded groups' members too: an exclusion is applied by membership, as a scope is.
      await collectIntoStore(
        {
          ...(flags.outDir !== undefined ? { out: flags.outDir } : {}),
          ...(flags.db !== undefined ? { db: flags.db } : {}),
          quiet: true,
        },
        io,
        deps,
        (dir, request) =>
          collectFromGraph(
            { ...flags, scopeGroup: groupsToCollect(flags), ...request, intoHistory: true },
            dir,
            io,
            deps,
            flags.quiet === true ? 'problems' : 'full',
          ),
      );
      if (flags.quiet !== true && flags.outDir !== undefined) {
        io.stderr.write(
          `The evidence is kept in ${flags.outDir}; assess it again with: mfa-ready audit --from ${flags.outDir}\n`,
        );
      }
      const stored = await readStored(flags, io);
      return auditSnapshot(
        stored.snapshot,
        flags,
        io,
        at,
        failOn,
        { kind: 'tenant', where: stored.file },
        listing,
      );
    }
  }
}

async function readStored(flags: AuditFlags, io: Io): Promise<StoredSnapshot> {
  const { readLatestSnapshot } = await import('../stored-snapshot.js');
  return readLatestSnapshot(flags.db, io.env);
}

/** Where the evidence came from: what to suggest when something is missing from it. */
type FolderSource = 'from' | 'demo' | 'tenant' | 'store';

interface EvidenceSource {
  kind: FolderSource;
  /** The export folder, or the history database file. */
  where: string;
}

/**
 * The groups whose members the assessment needs: the scope groups and the excluded ones, comma lists
 * split. Values that name nothing are the assessment's to refuse, once the groups are read.
 */
function groupsToCollect(flags: AuditFlags): string[] {
  return splitListValues([...flags.scopeGroup, ...flags.excludeGroup]);
}

/** Reads the folder, then audits what it holds. */
async function auditFolder(
  dir: string,
  flags: AuditFlags,
  io: Io,
  now: Date,
  failOn: Verdict[],
  source: FolderSource,
  listing: Listing = {},
): Promise<void> {
  const incomplete = await requireFinishedCollection(
    dir,
    flags.allowIncomplete === true,
    '; or assess what is there, marked incomplete, with --allow-incomplete.',
  );
  const progress = createProgress(io, flags.quiet === true);
  const snapshot = await load({ kind: 'folder', dir }, 'assess', {
    rules: EVIDENCE_RULES,
    skipBadRecords: flags.skipBadRecords === true,
    onProgress: (dataset, rows) => progress.update(datasetName(dataset), rows),
  });
  progress.finish();
  // A refresh's folder (collect --out with a history) holds only what was new since a stored run: its
  // logs start at the previous collection and most methods lists stayed in the history. Assessed on
  // its own it would read as a tenant with little evidence.
  if (snapshot.tenant.baselineRunId !== undefined)
    throw new InputError(
      `this folder holds a refresh of run ${snapshot.tenant.baselineRunId} of a history database: ` +
        'only what was new since that run (the events since then, the methods lists read again)',
      { file: path.join(dir, DATASET_FILES.tenant), field: 'baselineRunId' },
      'Assess the history it was stored in: mfa-ready audit (with --db FILE if it is not the default one).',
    );
  for (const d of incomplete) snapshot.coverage[d] = { ...snapshot.coverage[d], incomplete: true };
  if (flags.quiet !== true) {
    for (const { skipped } of skippedDatasets(snapshot.coverage))
      io.stderr.write(`mfa-ready: warning: ${skippedRecordsText(skipped)}\n`);
  }
  return auditSnapshot(snapshot, flags, io, now, failOn, { kind: source, where: dir }, listing);
}

/** Makes the one pure `assess` call, renders; `--fail-on` last. */
async function auditSnapshot(
  snapshot: TenantSnapshot,
  flags: AuditFlags,
  io: Io,
  now: Date,
  failOn: Verdict[],
  source: EvidenceSource,
  listing: Listing,
): Promise<void> {
  const dir = source.where;
  const scope = resolveScope(snapshot, {
    scopeGroups: flags.scopeGroup,
    excludeGroups: flags.excludeGroup,
    excludeUsers: flags.excludeUser,
    excludeServiceAccounts: flags.excludeServiceAccounts === true,
  });
  if (scope.problems.length > 0) throw scopeError(scope.problems, dir, source.kind);

  const assessment = assess(snapshot, { now, scope: scope.values }, scope);
  return renderAudit(
    assessment,
    presentIds(snapshot.users ?? [], snapshot.registration ?? []),
    flags,
    io,
    failOn,
    source,
    listing,
  );
}

/** Whether any option narrows the population: the history's stored assessments are of the whole tenant. */
function hasScopeFlags(flags: AuditFlags): boolean {
  return (
    flags.scopeGroup.length > 0 ||
    flags.excludeGroup.length > 0 ||
    flags.excludeUser.length > 0 ||
    flags.excludeServiceAccounts === true
  );
}

/** The users in the tenant (lower-case ids): one outside the scope is not gone from it. */
function presentIds(...lists: (readonly { id: string }[])[]): Set<string> {
  const out = new Set<string>();
  for (const list of lists) for (const u of list) out.add(u.id.toLowerCase());
  return out;
}

/** Renders an assessment; `--fail-on` last. */
async function renderAudit(
  assessment: Assessment,
  present: ReadonlySet<string>,
  flags: AuditFlags,
  io: Io,
  failOn: Verdict[],
  source: EvidenceSource,
  listing: Listing,
): Promise<void> {
  const dir = source.where;
  const empty = emptyPopulation(assessment);
  // The assessment's coverage is the evidence's, as read.
  if (empty !== undefined) throw emptyPopulationError(empty, assessment, dir);

  const toFile = flags.out !== undefined;
  const color = !toFile && wantsColor(io.stdout, io.env, flags.color);
  const width = toFile ? undefined : terminalWidth(io.stdout, io.env);
  const failOnNew = parseFailOn(flags.failOnNew, '--fail-on-new');
  const changes =
    flags.changed === true || failOnNew.length > 0 ? await import('./audit-changes.js') : undefined;
  const previous = changes?.previousRun(
    flags.db,
    io.env,
    source.kind === 'store' || (source.kind === 'demo' && flags.db !== undefined),
    source.kind === 'demo' && flags.db === undefined,
  );
  if (previous !== undefined && flags.quiet !== true) changes?.noPreviousNote(previous, io);
  const listsChanges = changes !== undefined && previous !== undefined && flags.changed === true;
  const newCounts =
    changes !== undefined && previous !== undefined && failOnNew.length > 0
      ? () => changes.newVerdictCounts(assessment, previous, failOnNew)
      : undefined;
  if (flags.format === 'json' && flags.user === undefined && !listsChanges) {
    // Written as it is made: at 100,000 users the text is 420 MB (src/report/json.ts renderJsonChunks).
    const chunks = renderJsonChunks(assessment);
    if (flags.out !== undefined) {
      await writeFileAtomic(flags.out, chunks);
      if (flags.quiet !== true) io.stderr.write(`wrote ${flags.out}\n`);
    } else await writeChunks(io.stdout, chunks);
    return failIfMatched(assessment, failOn, newCounts);
  }
  const text =
    listsChanges && changes !== undefined && previous !== undefined
      ? changes.renderChanges(assessment, present, previous, flags.format, {
          color,
          bom: toFile,
          ...(width !== undefined ? { width } : {}),
        })
      : render(assessment, flags, {
          color,
          toFile,
          listing,
          ...(width !== undefined ? { width } : {}),
        });
  if (flags.out !== undefined) {
    await writeFileAtomic(flags.out, text);
    if (flags.quiet !== true) io.stderr.write(`wrote ${flags.out}\n`);
  } else {
    io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  return failIfMatched(assessment, failOn, newCounts);
}

/** `--fail-on` and `--fail-on-new` (the new verdicts' counts, when asked for), once the report is out. */
function failIfMatched(
  assessment: Assessment,
  failOn: Verdict[],
  newCounts: (() => Partial<Record<Verdict, number>>) | undefined,
): void {
  if (failOn.length > 0) {
    const hits = countVerdicts(assessment, failOn);
    if (Object.keys(hits).length > 0) throw new FailOnMatched(hits);
  }
  const hits = newCounts?.();
  if (hits !== undefined && Object.keys(hits).length > 0) throw new FailOnMatched(hits, '--fail-on-new');
}

interface RenderContext {
  color: boolean;
  toFile: boolean;
  listing: Listing;
  width?: number;
}

/** How much of the users list the table shows: `--top N`, `--summary`. */
interface Listing {
  limit?: number;
  summaryOnly?: boolean;
}

/**
 * `--top N` and `--summary` shape the table only: JSON and CSV are the complete record scripts rely
 * on, and `--user` is one user already. Refused there rather than silently ignored.
 */
function parseListing(flags: AuditFlags): Listing {
  const given = [
    flags.top !== undefined ? '--top' : undefined,
    flags.summary === true ? '--summary' : undefined,
  ].filter((f): f is string => f !== undefined);
  if (given.length === 0) return {};
  if (given.length === 2) {
    throw new UsageError(
      'use either --top or --summary, not both',
      '--summary lists no user; --top N lists the N worst.',
    );
  }
  const flag = given[0]!;
  if (flags.user !== undefined)
    throw new UsageError(`${flag} is for the table of all users, not with --user`);
  if (flags.format !== 'table') {
    throw new UsageError(
      `${flag} shapes the table; --format ${flags.format} always lists every user`,
      'Drop it, or use --format table.',
    );
  }
  if (flags.summary === true) return { summaryOnly: true };
  return { limit: wholeNumberFlag('--top', flags.top ?? '', 1, 10_000_000) };
}

function render(assessment: Assessment, flags: AuditFlags, ctx: RenderContext): string {
  // A CSV file gets a byte-order mark so Excel reads accented names as UTF-8; a pipe does not.
  const csv = (a: Assessment) => renderCsv(a, { bom: ctx.toFile });
  if (flags.user === undefined) {
    if (flags.format === 'json') return renderJson(assessment);
    if (flags.format === 'csv') return csv(assessment);
    return renderTable(assessment, {
      color: ctx.color,
      ...ctx.listing,
      ...(ctx.width !== undefined ? { width: ctx.width } : {}),
    });
  }
  const wanted = flags.user.toLowerCase();
  const user = assessment.users.find(
    (u) => u.userPrincipalName.toLowerCase() === wanted || u.id.toLowerCase() === wanted,
  );
  if (user === undefined) {
    throw new UsageError(
      `no user '${flags.user}' in the assessed population`,
      'Check the UPN (or use the object id); --scope-group limits who is assessed.',
    );
  }
  const one: Assessment = { ...assessment, users: [user] };
  if (flags.format === 'json') return renderJson(one);
  if (flags.format === 'csv') return csv(one);
  return renderUserDetail(user, {
    color: ctx.color,
    now: assessment.generatedAt,
    ...(ctx.width !== undefined ? { width: ctx.width } : {}),
  });
}

/**
 * At most one of --from, --demo and --tenant (none: the latest run in the history database);
 * collecting flags only with --tenant.
 */
function sourceOf(flags: AuditFlags): FolderSource {
  const given = (
    [
      ['--demo', flags.demo === true],
      ['--from', flags.from !== undefined],
      ['--tenant', flags.tenant !== undefined],
    ] as const
  ).filter(([, on]) => on);
  const names = given.map(([f]) => f);
  if (names.length === 2) throw new UsageError(`use either ${names[0]} or ${names[1]}, not both`);
  if (names.length > 2) throw new UsageError(`use only one of ${names.join(', ')}`);
  const [only] = given;
  const collectFlag = firstCollectOnlyFlag(flags as unknown as Record<string, unknown>);
  if (only === undefined) {
    if (collectFlag !== undefined)
      throw new UsageError(
        `${collectFlag} is for collecting from a tenant, with --tenant`,
        'Without --from, --demo or --tenant, audit reads the latest run stored in the history database.',
      );
    return 'store';
  }
  // --from with --db only to compare with the history (--changed, --fail-on-new).
  const comparing = flags.changed === true || flags.failOnNew.length > 0;
  if (only[0] === '--from' && flags.db !== undefined && !comparing)
    throw new UsageError(
      'use either --from or --db, not both',
      '--from reads an export folder; --db names the history database audit reads when --from is not given.',
    );
  if (only[0] !== '--tenant' && collectFlag !== undefined) {
    throw new UsageError(
      `${collectFlag} is for collecting from a tenant, with --tenant`,
      only[0] === '--demo'
        ? '--demo collects the built-in tenant with fixed settings.'
        : '--from reads a folder that is already collected.',
    );
  }
  return only[0] === '--from' ? 'from' : only[0] === '--demo' ? 'demo' : 'tenant';
}

async function existingFolder(dir: string): Promise<string> {
  const info = await stat(dir).catch(() => undefined);
  if (info === undefined || !info.isDirectory()) {
    throw new UsageError(
      `--from ${dir}: no such folder`,
      'Give the folder that holds users.json or userRegistrationDetails.json.',
    );
  }
  return dir;
}

function parseNow(value: string | undefined): Date | undefined {
  return value === undefined ? undefined : isoTimeFlag('--now', value);
}

/** Every `--fail-on` list, checked one by one (an error names the list it is in), as one set. */
function parseFailOn(values: readonly string[], flag = '--fail-on'): Verdict[] {
  const all = new Set<Verdict>();
  for (const value of values) {
    const names = value
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
    const unknown = names.filter((n) => !(VERDICTS as readonly string[]).includes(n));
    if (unknown.length > 0 || names.length === 0) {
      throw new UsageError(
        `${flag} ${value}: unknown verdict ${unknown.join(', ')}`,
        `Verdicts: ${VERDICTS.join(', ')}.`,
      );
    }
    for (const n of names) all.add(n as Verdict);
  }
  return [...all];
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const groupText = populationGroupLabel;

/** One line per option value that names nobody, and what to do about each. */
function scopeProblemText(p: ScopeProblem, dir: string, source: FolderSource): string {
  if (p.code === 'empty-value') {
    return `--${p.flag} '': an empty value names nobody (an unset shell variable?)`;
  }
  const head = `--${p.flag} '${p.value}'`;
  switch (p.code) {
    case 'group-not-found':
      return (
        `${head}: no group has this id or display name in ${DATASET_FILES.groups}; ` +
        (p.closest.length > 0
          ? `closest: ${p.closest.map(groupText).join(', ')}`
          : 'no group has a close name either')
      );
    case 'group-ambiguous':
      return (
        `${head}: ${p.candidates.length} groups have this display name: ` +
        `${p.candidates.map((g) => g.id).join(', ')}; give the id of the one you mean`
      );
    case 'group-members-missing': {
      const file = `${DATASET_FILES.groupMembers}/${p.group.id}.json`;
      const how =
        source === 'demo'
          ? ''
          : source === 'store'
            ? `; collect them with: mfa-ready collect --tenant <your tenant> --scope-group ${p.group.id}`
            : `; collect them with: mfa-ready collect --out ${dir} --resume --scope-group ${p.group.id}` +
              ` (or save GET /groups/${p.group.id}/transitiveMembers to ${file})`;
      return `${head}: the members of ${groupText(p.group)} were not collected (${file} is missing)${how}`;
    }
    case 'groups-not-collected':
      return (
        `${head}: cannot be checked: the export has no ${DATASET_FILES.groups}` +
        (GUID.test(p.value)
          ? `, and no ${DATASET_FILES.groupMembers}/${p.value}.json for this id`
          : ' to look this display name up in') +
        `; save GET /groups to ${DATASET_FILES.groups}, or give the id of a group whose members file ` +
        `is in ${DATASET_FILES.groupMembers}/`
      );
    case 'user-not-found':
      return (
        `${head}: no user has this UPN or id in ${DATASET_FILES.users} or ${DATASET_FILES.registration}; ` +
        (p.closest.length > 0
          ? `closest: ${p.closest.map((u) => u.userPrincipalName).join(', ')}`
          : 'no user has a close name either')
      );
  }
}

export function scopeError(problems: readonly ScopeProblem[], dir: string, source: FolderSource): UsageError {
  const lines = problems.map((p) => scopeProblemText(p, dir, source));
  return new UsageError(
    lines.join('\n  '),
    'Nothing was assessed: an option that cannot be applied would change who is counted without a word. ' +
      'Groups: an id or the exact display name (any case); users: a UPN or id; comma lists are accepted.',
  );
}

const EXCLUSION_WORDS: Record<ExclusionReason, string> = {
  disabled: 'disabled',
  guest: 'guests',
  'excluded-user': 'by --exclude-user',
  'excluded-group': 'by --exclude-group',
  'service-account': 'by --exclude-service-accounts',
};

/** Nobody would be assessed: say why, never print "No user needs action" about no one. */
function emptyPopulationError(
  empty: EmptyPopulation,
  snapshot: Pick<TenantSnapshot, 'coverage'>,
  dir: string,
): Error {
  const outcome = 'a report of nobody would read as "no user needs action"';
  switch (empty.code) {
    case 'no-users': {
      const files = [DATASET_FILES.users, DATASET_FILES.registration]
        .filter((_, i) => snapshot.coverage[i === 0 ? 'users' : 'registration'].present)
        .join(' and ');
      return new InputError(
        `no user to assess: ${files} ${files.includes(' and ') ? 'hold' : 'holds'} no user`,
        { file: dir },
        `Collect the users again (GET /users into ${DATASET_FILES.users}); ${outcome}.`,
      );
    }
    case 'none-in-scope':
      return new UsageError(
        `no user to assess: none of the export's users is a member of ${empty.scopeGroups.map(groupText).join(', ')}`,
        `Check that --scope-group names the group the enforcement targets; ${outcome}.`,
      );
    case 'all-excluded': {
      const why = (Object.entries(empty.byReason) as [ExclusionReason, number][])
        .map(([reason, n]) => `${n} ${EXCLUSION_WORDS[reason]}`)
        .join(', ');
      return new UsageError(
        `no user to assess: ${empty.users === 1 ? 'the one user' : `all ${empty.users} users`} ` +
          `in the population ${empty.users === 1 ? 'is' : 'are'} excluded (${why})`,
        `Check --scope-group and the --exclude-* options; ${outcome}.`,
      );
    }
  }
}

function countVerdicts(assessment: Assessment, verdicts: Verdict[]): Record<string, number> {
  const hits: Record<string, number> = {};
  for (const v of verdicts) {
    const n = assessment.summary[v];
    if (n > 0) hits[v] = n;
  }
  return hits;
}
