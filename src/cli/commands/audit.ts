import { stat } from 'node:fs/promises';
import path from 'node:path';
import { readCollectionState, readExportFolder } from '../../collect/export/index.js';
import { assess, isEvidenceAudit, isEvidenceSignIn } from '../../assess/index.js';
import { renderCsv, renderJson, renderTable, renderUserDetail } from '../../report/index.js';
import { datasetWords } from '../../report/messages.js';
import type { DatasetName } from '../../domain/datasets.js';
import { FailOnMatched, InputError, UsageError } from '../../domain/errors.js';
import { VERDICTS, type Assessment, type Verdict } from '../../domain/verdict.js';
import type { CollectScopeFlags, GraphFlags } from '../collect-flags.js';
import { firstCollectOnlyFlag } from '../collect-flags.js';
import type { CliDeps } from '../deps.js';
import { terminalWidth, wantsColor, writeFileAtomic, type Io } from '../output.js';
import { createProgress } from '../progress.js';
import { isoTimeFlag } from '../flag-values.js';

export interface AuditFlags extends GraphFlags, Omit<CollectScopeFlags, 'scopeGroup'> {
  from?: string;
  demo?: boolean;
  /** With --tenant: the export folder to collect into (kept, so it can be assessed again). */
  outDir?: string;
  now?: string;
  format: 'table' | 'json' | 'csv';
  out?: string;
  scopeGroup: string[];
  excludeGroup: string[];
  excludeUser: string[];
  user?: string;
  failOn?: string;
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
  const now = parseNow(flags.now);
  switch (sourceOf(flags)) {
    case 'from':
      return auditFolder(await existingFolder(flags.from ?? ''), flags, io, now ?? new Date(), failOn);
    case 'demo': {
      // Loaded on demand (as for --tenant): `audit --from` needs neither the emulator nor Graph.
      const { withDemoCollection } = await import('../demo-collection.js');
      // Assessed at the demo's collection time, so its "looping now" users stay looping forever.
      return withDemoCollection(
        io,
        { quiet: flags.quiet === true, color: flags.color, scopeGroups: flags.scopeGroup },
        (dir, collectedAt) => auditFolder(dir, flags, io, now ?? new Date(collectedAt), failOn),
      );
    }
    case 'tenant': {
      const { collectFromGraph } = await import('./collect.js');
      const at = now ?? deps.now?.() ?? new Date();
      const dir = flags.outDir ?? defaultExportFolder(flags.tenant ?? '', at);
      await collectFromGraph(flags, dir, io, deps, flags.quiet === true ? 'problems' : 'full');
      if (flags.quiet !== true) {
        io.stderr.write(
          `The evidence is kept in ${dir}; assess it again with: mfa-ready audit --from ${dir}\n`,
        );
      }
      return auditFolder(dir, flags, io, at, failOn);
    }
  }
}

/** Reads the folder, makes the one pure `assess` call, renders; `--fail-on` last. */
async function auditFolder(
  dir: string,
  flags: AuditFlags,
  io: Io,
  now: Date,
  failOn: Verdict[],
): Promise<void> {
  const incomplete = await unfinishedDatasets(dir, flags.allowIncomplete === true);
  const progress = createProgress(io, flags.quiet === true);
  const snapshot = await readExportFolder(dir, {
    keepSignIn: isEvidenceSignIn,
    keepAudit: isEvidenceAudit,
    slimEvents: true,
    onProgress: (dataset, rows) => progress.update(dataset, rows),
  });
  progress.finish();
  for (const d of incomplete) snapshot.coverage[d] = { ...snapshot.coverage[d], incomplete: true };

  const assessment = assess(snapshot, {
    now,
    scope: {
      scopeGroups: flags.scopeGroup,
      excludeGroups: flags.excludeGroup,
      excludeUsers: flags.excludeUser,
    },
  });

  const toFile = flags.out !== undefined;
  const color = !toFile && wantsColor(io.stdout, io.env, flags.color);
  const width = toFile ? undefined : terminalWidth(io.stdout);
  const text = render(assessment, flags, { color, toFile, ...(width !== undefined ? { width } : {}) });
  if (flags.out !== undefined) {
    await writeFileAtomic(flags.out, text);
    if (flags.quiet !== true) io.stderr.write(`wrote ${flags.out}\n`);
  } else {
    io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  if (failOn.length > 0) {
    const hits = countVerdicts(assessment, failOn);
    if (Object.keys(hits).length > 0) throw new FailOnMatched(hits);
  }
}

/**
 * The datasets a collection that did not finish left half-read (the collector's state says so). Such
 * a folder is not assessed as if complete: exit 2 naming them, unless `--allow-incomplete`, which
 * assesses what is there with those datasets marked in the coverage.
 */
async function unfinishedDatasets(dir: string, allowed: boolean): Promise<DatasetName[]> {
  const state = await readCollectionState(dir);
  const incomplete = state?.incomplete ?? [];
  if (incomplete.length > 0 && !allowed) {
    const words = incomplete.map((d) => datasetWords(d).label).join(', ');
    throw new InputError(
      `the collection in this folder did not finish: not read in full: ${words}`,
      { file: dir },
      `Finish it with: mfa-ready collect --resume --out ${dir} (same --tenant); or assess what is there, marked incomplete, with --allow-incomplete.`,
    );
  }
  return incomplete;
}

interface RenderContext {
  color: boolean;
  toFile: boolean;
  width?: number;
}

function render(assessment: Assessment, flags: AuditFlags, ctx: RenderContext): string {
  // A CSV file gets a byte-order mark so Excel reads accented names as UTF-8; a pipe does not.
  const csv = (a: Assessment) => renderCsv(a, { bom: ctx.toFile });
  if (flags.user === undefined) {
    if (flags.format === 'json') return renderJson(assessment);
    if (flags.format === 'csv') return csv(assessment);
    return renderTable(assessment, {
      color: ctx.color,
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
    ...(ctx.width !== undefined ? { width: ctx.width } : {}),
  });
}

/** Exactly one of --from, --demo and --tenant; collecting flags only with --tenant. */
function sourceOf(flags: AuditFlags): 'from' | 'demo' | 'tenant' {
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
  if (only === undefined) {
    throw new UsageError(
      'say where the evidence comes from',
      'Use --from DIR for an export folder, --tenant ID to collect one from Microsoft Graph now, or --demo to try the built-in demo tenant.',
    );
  }
  const collectFlag = firstCollectOnlyFlag(flags as unknown as Record<string, unknown>);
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

/**
 * `./mfa-ready-export-<tenant>-<date>`: kept in the working folder rather than a temporary one, so
 * the evidence can be assessed again (`--from`) or a broken run continued (`--resume`) the same day.
 */
function defaultExportFolder(tenant: string, at: Date): string {
  const safe = tenant.replace(/[^0-9A-Za-z.-]/g, '_');
  return `.${path.sep}mfa-ready-export-${safe}-${at.toISOString().slice(0, 10)}`;
}

function parseNow(value: string | undefined): Date | undefined {
  return value === undefined ? undefined : isoTimeFlag('--now', value);
}

function parseFailOn(value: string | undefined): Verdict[] {
  if (value === undefined) return [];
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const unknown = names.filter((n) => !(VERDICTS as readonly string[]).includes(n));
  if (unknown.length > 0 || names.length === 0) {
    throw new UsageError(
      `--fail-on ${value}: unknown verdict ${unknown.join(', ')}`,
      `Verdicts: ${VERDICTS.join(', ')}.`,
    );
  }
  return names as Verdict[];
}

function countVerdicts(assessment: Assessment, verdicts: Verdict[]): Record<string, number> {
  const hits: Record<string, number> = {};
  for (const v of verdicts) {
    const n = assessment.summary[v];
    if (n > 0) hits[v] = n;
  }
  return hits;
}
