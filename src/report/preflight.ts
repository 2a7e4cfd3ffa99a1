/**
 * `mfa-ready preflight`: whether the credential works, and per part whether Graph answers, what it
 * needs, and what each missing permission or licence costs. Pure: a `PreflightReport` in, text out.
 */
import type { CloudName } from '../domain/graph-run.js';
import type {
  PreflightReport,
  ProbeResult,
  ProbeState,
  WriteCheck,
  WritePreflight,
} from '../domain/preflight.js';
import { makeColors } from './colors.js';
import type { Colors } from './colors.js';
import { failureBrief, failureFix, lossEffects, lossText, partLabel } from './collect-words.js';
import { wrap } from './format.js';
import { safeText } from './sanitize.js';

export interface PreflightContext {
  tenantId: string;
  cloud: CloudName;
  /** The credential's one-line description (CredentialChoice.description: never a secret). */
  credential: string;
}

export interface PreflightRenderOptions {
  format: 'table' | 'json';
  color: boolean;
  /** Terminal width; 100 when unknown. */
  width?: number;
}

/** States that mean "asked, and Graph would not serve it": a collection would miss the part. */
const MISSING_STATES: ReadonlySet<ProbeState> = new Set(['permission-missing', 'licence-required', 'failed']);

/** The probes whose part a collection would miss. Empty (and credential ok) means ready to collect. */
export function preflightGaps(report: PreflightReport): ProbeResult[] {
  return report.probes.filter((p) => MISSING_STATES.has(p.state));
}

/**
 * `preflight --for`: the required write checks not confirmed present. An `unknown` one counts: a
 * rollout must not start on rights nobody could confirm.
 */
export function preflightWriteGaps(report: PreflightReport): WriteCheck[] {
  return (report.writes?.checks ?? []).filter((c) => c.required && c.state !== 'present');
}

export function renderPreflight(
  report: PreflightReport,
  context: PreflightContext,
  options: PreflightRenderOptions,
): string {
  if (options.format === 'json') return `${JSON.stringify(toJson(report, context), null, 2)}\n`;
  return renderTable(report, context, makeColors(options.color), Math.max(40, options.width ?? 100));
}

/** The JSON form: the report as collected, with the context and the one answer scripts gate on. */
function toJson(report: PreflightReport, context: PreflightContext): Record<string, unknown> {
  return {
    tenantId: context.tenantId,
    cloud: context.cloud,
    ready:
      report.credential.ok && preflightGaps(report).length === 0 && preflightWriteGaps(report).length === 0,
    credential: { description: context.credential, ...report.credential },
    permissions: report.permissions,
    delegatedRolesForMissing: report.delegatedRolesForMissing,
    licence: report.licence,
    probes: report.probes,
    ...(report.writes !== undefined ? { writes: report.writes } : {}),
    ...(report.stats !== undefined ? { stats: report.stats } : {}),
  };
}

const STATE_WORDS = {
  ok: 'ok',
  'permission-missing': 'permission missing',
  'licence-required': 'licence missing',
  failed: 'failed',
  'unavailable-in-cloud': 'not offered in this cloud',
  'not-probed': 'not probed',
} as const satisfies Record<ProbeState, string>;

function renderTable(report: PreflightReport, context: PreflightContext, c: Colors, width: number): string {
  const lines = [
    c.bold(`mfa-ready preflight · tenant ${safeText(context.tenantId)} (${context.cloud} cloud)`),
    ...para(`Credential: ${safeText(context.credential)}`, '', width),
  ];
  const rejected = report.credential.failure;
  if (!report.credential.ok) {
    // A refused server certificate stops the sign-in before the credential is even tried.
    const untrusted = rejected?.kind === 'certificate-untrusted';
    const verdict = untrusted ? 'not signed in' : 'rejected';
    lines.push(
      ...para(`${c.red('✗')} ${verdict}: ${safeText(rejected?.message ?? 'no token')}`, '  ', width),
    );
    for (const fix of rejected === undefined ? [] : failureFix(rejected))
      lines.push(...para(fix, '    ', width));
    lines.push(
      '',
      untrusted
        ? "Nothing else was probed: no request can succeed until this machine trusts the server's certificate."
        : 'Nothing else was probed: no request can succeed without a working credential.',
    );
    return `${lines.join('\n')}\n`;
  }
  lines.push(`  ${c.green('✓')} accepted`, '', ...probeTable(report.probes, c));

  const { present, missing } = report.permissions;
  lines.push('');
  lines.push(
    ...para(`Permissions present: ${present.length > 0 ? present.join(', ') : 'none seen'}`, '', width),
  );
  // Straight from the refusals: "present" is inferred from the probes that answered, and an endpoint
  // that also accepts a broader permission can make a missing one look present.
  const asked = [
    ...new Set(
      report.probes.flatMap((p) => (p.failure?.kind === 'permission-missing' ? p.failure.permissions : [])),
    ),
  ].sort();
  if (asked.length > 0) {
    lines.push(...para(`Refused endpoints ask for: ${c.red(asked.join(', '))}`, '', width));
  }
  if (missing.length > 0) {
    lines.push(...para(`Permissions missing: ${c.red(missing.join(', '))}`, '', width));
    lines.push(
      ...para(
        'Add them as Microsoft Graph application permissions on the app registration (API permissions), then grant admin consent.',
        '  ',
        width,
      ),
    );
  }
  if (report.delegatedRolesForMissing.length > 0) {
    lines.push(
      ...para(
        `For delegated sign-in (--device-code, --azure-cli) the user also needs one of the roles: ${report.delegatedRolesForMissing.join(', ')}`,
        '',
        width,
      ),
    );
  }
  const licence = { present: c.green('present'), missing: c.red('MISSING'), unknown: 'unknown (not probed)' };
  lines.push(`Licence ${report.licence.name}: ${licence[report.licence.state]}`);
  if (report.licence.state === 'missing') {
    lines.push(
      ...para(
        'Without it Graph serves neither the registration report nor the sign-in logs; the rest can be collected.',
        '  ',
        width,
      ),
    );
  }

  const gaps = preflightGaps(report);
  if (gaps.length > 0) {
    lines.push('', c.bold(c.yellow('What a collection would miss, and what it costs:')));
    for (const p of gaps) {
      const why = p.failure !== undefined ? failureBrief(p.failure) : STATE_WORDS[p.state];
      const probe = p.request !== null ? ` (GET /${p.request.version}${p.request.path})` : '';
      lines.push(...para(`${c.red('✗')} ${probeLabel(p)}: ${why}${safeText(probe)}`, '  ', width));
      for (const loss of p.lost ?? []) {
        const effects = lossEffects(loss);
        lines.push(
          ...para(`Lost: ${lossText(loss.code)}${effects !== '' ? ` (${effects})` : ''}`, '      ', width),
        );
      }
    }
    lines.push('', 'Not everything is present: a collection would run, without the parts above.');
  } else {
    lines.push('', c.green('Everything the collection needs is present.'));
  }
  if (report.writes !== undefined) lines.push('', ...writeSection(report.writes, c, width));
  return `${lines.join('\n')}\n`;
}

const COMMAND_WORDS = { rollout: 'mfa-ready rollout', remediate: 'mfa-ready remediate' } as const;

/** Where an admin fixes a missing permission or role, step by step in the Entra admin center. */
function fixFor(check: WriteCheck, signIn: WritePreflight['signIn']): string {
  if (check.kind === 'role') {
    return `Entra admin center → Identity → Roles & admins → Roles & admins → ${check.name} → Add assignments (with Privileged Identity Management: activate the eligible role before running).`;
  }
  const kind =
    signIn === 'delegated'
      ? 'Delegated permissions'
      : signIn === 'app-only'
        ? 'Application permissions'
        : 'Application permissions (Delegated permissions for a signed-in admin)';
  return `Entra admin center → Identity → Applications → App registrations → your app → API permissions → Add a permission → Microsoft Graph → ${kind} → ${check.name} → Add permissions, then Grant admin consent for the tenant.`;
}

function writeSection(writes: WritePreflight, c: Colors, width: number): string[] {
  const signIn = {
    'app-only': 'app-only (application permissions)',
    delegated: 'delegated (a signed-in admin: scopes and directory roles)',
    unknown: 'unknown (the access token could not be read)',
  }[writes.signIn];
  const lines = [
    c.bold(`What ${COMMAND_WORDS[writes.purpose]} needs to change the tenant`),
    ...para(`Sign-in: ${signIn}`, '  ', width),
  ];
  for (const check of writes.checks) {
    const mark =
      check.state === 'present' ? c.green('✓') : check.state === 'unknown' ? c.yellow('?') : c.red('✗');
    const what = check.kind === 'role' ? 'role' : 'permission';
    const state =
      check.state === 'present'
        ? `present${check.found !== undefined && check.found !== check.name ? ` (as ${check.found})` : ''}`
        : check.state === 'unknown'
          ? 'could not be confirmed'
          : 'MISSING';
    lines.push(...para(`${mark} ${what} ${check.name}: ${state}`, '  ', width));
    lines.push(...para(`For: ${check.why}.`, '      ', width));
    if (check.state !== 'present') {
      if (check.accepted.length > 1)
        lines.push(...para(`Any of: ${check.accepted.join(', ')}.`, '      ', width));
      lines.push(...para(fixFor(check, writes.signIn), '      ', width));
      if (!check.required) lines.push(...para('Not needed for the other users.', '      ', width));
    }
  }
  const gaps = writes.checks.filter((k) => k.required && k.state !== 'present');
  lines.push(
    '',
    gaps.length === 0
      ? c.green(`Everything ${COMMAND_WORDS[writes.purpose]} needs to write is present.`)
      : c.red(
          `${COMMAND_WORDS[writes.purpose]} cannot change the tenant yet: ${gaps.map((g) => g.name).join(', ')} ${
            gaps.some((g) => g.state === 'unknown') ? 'not confirmed' : 'missing'
          }.`,
        ),
  );
  return lines;
}

/** The part, and the per-item data a second probe of it asks for. */
function probeLabel(p: ProbeResult): string {
  return p.item === 'federationConfiguration'
    ? `${partLabel(p.part)} (federation configuration)`
    : partLabel(p.part);
}

function probeTable(probes: ProbeResult[], c: Colors): string[] {
  const rows = probes.map((p) => {
    let result: string = STATE_WORDS[p.state];
    if (p.failure !== undefined) result = failureBrief(p.failure);
    if (p.state === 'not-probed' && p.reason !== undefined) result = `not probed: ${p.reason}`;
    return [probeLabel(p), p.required.permissions.join(' + '), safeText(result), p.state] as const;
  });
  const head = ['Part', 'Needs', 'Result'];
  const w0 = Math.max(head[0]!.length, ...rows.map((r) => r[0].length));
  const w1 = Math.max(head[1]!.length, ...rows.map((r) => r[1].length));
  const paint = (state: ProbeState, text: string) =>
    state === 'ok' ? c.green(text) : MISSING_STATES.has(state) ? c.red(text) : c.dim(text);
  return [
    `  ${c.bold(head[0]!.padEnd(w0))}  ${c.bold(head[1]!.padEnd(w1))}  ${c.bold(head[2]!)}`,
    ...rows.map(
      ([part, needs, result, state]) => `  ${part.padEnd(w0)}  ${needs.padEnd(w1)}  ${paint(state, result)}`,
    ),
  ];
}

/** `text` wrapped to `width`, every line after `prefix`. Colour codes count as width; they are rare here. */
function para(text: string, prefix: string, width: number): string[] {
  return wrap(text, Math.max(20, width - prefix.length)).map((l) => `${prefix}${l}`);
}
