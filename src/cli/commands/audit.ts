import { stat } from 'node:fs/promises';
import { readExportFolder } from '../../collect/export/index.js';
import { assess, isEvidenceAudit, isEvidenceSignIn } from '../../assess/index.js';
import { renderCsv, renderJson, renderTable, renderUserDetail } from '../../report/index.js';
import { FailOnMatched, UsageError } from '../../domain/errors.js';
import { VERDICTS, type Assessment, type Verdict } from '../../domain/verdict.js';
import { DEMO_TENANT_DIR } from '../paths.js';
import { wantsColor, writeFileAtomic, type Io } from '../output.js';
import { createProgress } from '../progress.js';

export interface AuditFlags {
  from?: string;
  demo?: boolean;
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
}

/** `mfa-ready audit`: read the evidence, make one pure assessment, render it. */
export async function auditCommand(flags: AuditFlags, io: Io): Promise<void> {
  const failOn = parseFailOn(flags.failOn);
  const dir = await sourceFolder(flags);
  const progress = createProgress(io, flags.quiet === true);

  const snapshot = await readExportFolder(dir, {
    keepSignIn: isEvidenceSignIn,
    keepAudit: isEvidenceAudit,
    onProgress: (dataset, rows) => progress.update(dataset, rows),
  });
  progress.finish();

  const now = parseNow(flags.now) ?? (flags.demo ? demoClock(snapshot.tenant.collectedAt) : new Date());
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
  const width = !toFile && io.stdout.isTTY === true ? (io.stdout as { columns?: number }).columns : undefined;
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

async function sourceFolder(flags: AuditFlags): Promise<string> {
  if (flags.demo === true && flags.from !== undefined) {
    throw new UsageError('use either --demo or --from, not both');
  }
  if (flags.demo === true) return DEMO_TENANT_DIR;
  if (flags.from === undefined) {
    throw new UsageError(
      'say where the evidence comes from',
      'Use --from DIR for an export folder, or --demo to try the bundled demo tenant.',
    );
  }
  const info = await stat(flags.from).catch(() => undefined);
  if (info === undefined || !info.isDirectory()) {
    throw new UsageError(
      `--from ${flags.from}: no such folder`,
      'Give the folder that holds users.json or userRegistrationDetails.json.',
    );
  }
  return flags.from;
}

function parseNow(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const t = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(t)) {
    throw new UsageError(`--now ${value}: not an ISO 8601 time`, 'For example --now 2026-11-20T09:00:00Z.');
  }
  return new Date(t);
}

/** The demo is assessed at its own collection time, so its "looping now" users stay looping forever. */
function demoClock(collectedAt: string | undefined): Date {
  return collectedAt !== undefined ? new Date(collectedAt) : new Date();
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
