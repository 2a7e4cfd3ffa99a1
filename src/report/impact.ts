import { stringify } from 'csv-stringify/sync';
import {
  IMPACT_BUCKETS,
  type Impact,
  type ImpactBucket,
  type ImpactFinding,
  type ImpactNote,
  type ImpactUser,
  type UnknownCondition,
  type UserCondition,
} from '../assess/impact.js';
import { makeColors, type Colors } from './colors.js';
import { csvCell } from './csv.js';
import { formatTime, plural, wrap } from './format.js';
import { renderGrid } from './grid.js';
import { confidenceLabel, methodKindLabel, verdictLabel, verdictMeaning } from './labels.js';
import { safeText } from './sanitize.js';
import { displayWidth } from './text-width.js';

/** `mfa-ready impact`: words for the pure impact (assess/impact.ts), as a table, JSON or CSV. */

const BUCKET_LABELS: Record<ImpactBucket, string> = {
  'locked-out': 'Locked out or looping',
  unknown: 'Unknown',
  'will-register': 'Will be asked to register',
  satisfies: 'Already satisfies it',
  'not-signing-in': 'Disabled account',
  excluded: 'Excluded by the policy',
};

const BUCKET_MEANINGS: Record<ImpactBucket, string> = {
  'locked-out': 'cannot complete what the policy asks: fix before enforcing',
  unknown: 'evidence missing: the policy may hit them either way',
  'will-register': 'no method yet; the next sign-in sends them to register',
  satisfies: 'can already do what the policy asks',
  'not-signing-in': 'covered, but the account cannot sign in',
  excluded: "named by an include, left out by the policy's exclusions",
};

export function bucketLabel(b: ImpactBucket): string {
  return BUCKET_LABELS[b];
}

function paintOf(c: Colors, b: ImpactBucket): (s: string) => string {
  const paints: Record<ImpactBucket, (s: string) => string> = {
    'locked-out': (s) => c.bold(c.red(s)),
    unknown: c.cyan,
    'will-register': c.yellow,
    satisfies: c.green,
    'not-signing-in': c.gray,
    excluded: c.gray,
  };
  return paints[b];
}

function named(name: string | null, id: string): string {
  return name === null ? id : `${safeText(name)} (${id})`;
}

export function conditionText(c: UserCondition): string {
  switch (c.kind) {
    case 'all-users':
      return 'All users';
    case 'user':
      return `user ${c.userId}`;
    case 'group':
      return `group ${named(c.groupName, c.groupId)}`;
    case 'role':
      return `directory role ${c.roleTemplateId}`;
    case 'guests-or-external':
      return `guests or external users (${c.guestType})`;
    case 'target-group':
      return `member of ${named(c.groupName, c.groupId)}`;
    case 'security-defaults':
      return 'security defaults (every user)';
  }
}

function unknownText(c: UnknownCondition): string {
  switch (c.kind) {
    case 'group-members-not-collected':
      return `the members of group ${named(c.groupName, c.groupId)} were not collected`;
    case 'role-holders-not-collected':
      return `who holds directory role ${c.roleTemplateId} was not collected`;
    case 'external-tenant-unknown':
      return "the condition lists external tenants, and the guest's home tenant is not in the evidence";
  }
}

export function impactFindingText(f: ImpactFinding): string {
  switch (f.code) {
    case 'ready':
      return `ready (${confidenceLabel(f.confidence)})`;
    case 'strength-met':
      return f.methodType === null
        ? `the strength accepts the federated IdP's MFA (${f.combination})`
        : `${methodKindLabel(f.methodType)} meets the strength (${f.combination})`;
    case 'will-be-asked-to-register':
      return f.graceDays === null
        ? 'not registered: the next sign-in sends them to register'
        : `not registered: asked to register Microsoft Authenticator, ${f.graceDays} days to do it`;
    case 'verdict-blocks':
      return `${verdictLabel(f.verdict)}: ${verdictMeaning(f.verdict)}`;
    case 'strength-not-met':
      return `no method ${f.strength} accepts (usable: ${
        f.usableMethods.length === 0 ? 'none' : f.usableMethods.map(methodKindLabel).join(', ')
      })`;
    case 'strength-needs-prior-registration':
      return `not registered, and ${f.strength} allows no method the sign-in can register on the spot`;
    case 'federated-no-inline-registration':
      return `not registered, and ${safeText(f.domain)} signs in at a federated IdP (AD FS): no registration prompt at sign-in`;
    case 'verdict-unknown':
      return 'verdict unknown: not enough evidence about their methods';
    case 'coverage-unknown':
      return `${f.side === 'include' ? 'whether the policy covers them' : 'whether the policy excludes them'} is unknown: ${f.conditions
        .map(unknownText)
        .join('; ')}`;
    case 'guest-not-assessed':
      return 'guest: MFA may be done in their home tenant, which this evidence does not show';
    case 'not-assessed':
      return `not assessed (${f.exclusion})`;
    case 'strength-combinations-unknown':
      return `the method combinations ${f.strength} allows were not in the policy response`;
    case 'strength-methods-unmapped':
      return `whether ${f.methods.map(methodKindLabel).join(', ')} meets ${f.strength} is not known to mfa-ready`;
    case 'excluded-by-policy':
      return `excluded by ${f.conditions.map(conditionText).join(', ')}`;
    case 'account-disabled':
      return 'account disabled';
  }
}

export function impactNoteText(n: ImpactNote): string {
  switch (n.code) {
    case 'policy-report-only':
      return 'The policy is in report-only mode: nobody is stopped yet; this is what turning it on would do.';
    case 'policy-disabled':
      return 'The policy is disabled: this is what turning it on would do.';
    case 'requirement-none':
      return `The policy asks for no MFA (grant controls: ${n.controls.length === 0 ? 'none' : n.controls.join(', ')}).`;
    case 'grant-alternatives':
      return `The grant controls are combined with OR: a user may pass by ${n.controls.join(', ')} without MFA.`;
    case 'applies-to-some-apps':
      return n.includeApplications.length > 0
        ? `The policy applies to ${plural(n.includeApplications.length, 'application')} only, not to every sign-in.`
        : `The policy applies to user actions only (${n.includeUserActions.join(', ') || 'none'}), not to sign-ins to apps.`;
    case 'role-holders-not-collected':
      return `Who holds the directory roles the policy names was not collected (${n.roleTemplateIds.join(', ')}): the users they decide are unknown.`;
    case 'group-members-not-collected':
      return `The members of ${n.groups.map((g) => named(g.groupName, g.groupId)).join(', ')} were not collected: the users they decide are unknown. Collect with --scope-group to read them.`;
    case 'strength-combinations-unknown':
      return `The authentication strength ${n.strength} is not a built-in one and the policy response did not list its method combinations: its users are unknown.`;
    case 'security-defaults-state':
      return n.isEnabled === null
        ? 'Whether security defaults are on was not collected.'
        : `Security defaults are ${n.isEnabled ? 'on' : 'off'} in this tenant.`;
    case 'no-users-read':
      return 'No user was read: these counts cover nobody, which is not an all-clear.';
  }
}

function targetTitle(i: Impact): string {
  const t = i.target;
  switch (t.kind) {
    case 'policy':
      return `policy ${named(t.displayName, t.policyId)}${t.state === null ? '' : ` · state ${t.state}`}`;
    case 'group':
      return `an MFA requirement on the members of ${named(t.displayName, t.groupId)}`;
    case 'security-defaults':
      return `security defaults${t.isEnabled === null ? '' : t.isEnabled ? ' (on now)' : ' (off now)'}`;
  }
}

function requirementText(i: Impact): string {
  const r = i.requirement;
  switch (r.kind) {
    case 'mfa':
      return 'asks for: multifactor authentication';
    case 'strength':
      return `asks for: authentication strength ${r.displayName === null ? r.id : safeText(r.displayName)}`;
    case 'none':
      return 'asks for: no MFA';
  }
}

function why(u: ImpactUser): string {
  return u.findings.map(impactFindingText).join('; ');
}

export interface ImpactTableOptions {
  color: boolean;
  width?: number;
}

/** Counts per bucket first, then the users, the locked-out first. */
export function renderImpactTable(i: Impact, opts: ImpactTableOptions): string {
  const c = makeColors(opts.color);
  const width = Math.max(60, opts.width ?? 100);
  const lines: string[] = [];
  lines.push(...wrap(`mfa-ready impact · ${targetTitle(i)}`, width).map((l) => c.bold(l)));
  lines.push(
    ...wrap(`${requirementText(i)} · generated ${formatTime(i.generatedAt)}`, width).map((l) => c.dim(l)),
  );
  for (const n of i.notes) lines.push(...wrap(`! ${impactNoteText(n)}`, width));
  lines.push('');
  const total = i.users.length;
  const labelWidth = Math.max(...IMPACT_BUCKETS.map((b) => displayWidth(bucketLabel(b))));
  for (const b of IMPACT_BUCKETS) {
    const n = i.counts[b];
    const label = bucketLabel(b).padEnd(labelWidth);
    const prefix = labelWidth + 10;
    const meaning = wrap(BUCKET_MEANINGS[b], Math.max(20, width - prefix));
    lines.push(`${paintOf(c, b)(label)}  ${String(n).padStart(6)}  ${c.dim(meaning[0] ?? '')}`);
    for (const more of meaning.slice(1)) lines.push(`${' '.repeat(prefix)}${c.dim(more)}`);
  }
  lines.push(`${'Users the target names'.padEnd(labelWidth)}  ${String(total).padStart(6)}`);
  if (i.reportOnly !== undefined) {
    lines.push('');
    lines.push(...reportOnlyLines(i.reportOnly, width));
  }
  const listed = i.users.filter((u) => u.bucket !== 'satisfies' && u.bucket !== 'not-signing-in');
  if (listed.length === 0) return `${lines.join('\n')}\n`;
  lines.push('');
  const fixed = [24, 30];
  const whyWidth = Math.max(20, width - fixed[0]! - fixed[1]! - 4);
  const rows = listed.map((u) => [
    wrap(bucketLabel(u.bucket), fixed[0]! - 2)
      .map(paintOf(c, u.bucket))
      .join('\n'),
    wrap(safeText(u.userPrincipalName), fixed[1]! - 2).join('\n'),
    wrap(why(u), whyWidth - 2).join('\n'),
  ]);
  lines.push(renderGrid(rows, { widths: [fixed[0]!, fixed[1]!, whyWidth], head: ['Impact', 'User', 'Why'] }));
  const hidden = total - listed.length;
  if (hidden > 0)
    lines.push(
      ...wrap(
        `Not listed: ${plural(hidden, 'user')} already satisfying it or unable to sign in (--format json or csv lists everyone).`,
        width,
      ).map((l) => c.dim(l)),
    );
  return `${lines.join('\n')}\n`;
}

function reportOnlyLines(r: NonNullable<Impact['reportOnly']>, width: number): string[] {
  const head = `Report-only results over ${plural(r.windowDays, 'day')} of sign-ins (${plural(r.signIns, 'sign-in')} read evaluated it; mfa-ready reads the MFA-related sign-ins, not all):`;
  const out = wrap(head, width);
  const parts: [string, number][] = [
    ['would interrupt', r.users.reportOnlyInterrupted],
    ['would fail', r.users.reportOnlyFailure],
    ['would pass', r.users.reportOnlySuccess],
    ['would not apply to', r.users.reportOnlyNotApplied],
  ];
  for (const [words, n] of parts) out.push(`  ${words} ${plural(n, 'user')}`);
  if (r.unreadable > 0)
    out.push(
      ...wrap(
        `  ${plural(r.unreadable, 'sign-in')} said unknownFutureValue: collected without "Prefer: include-unknown-enum-members", their report-only result is unknown`,
        width,
      ),
    );
  return out;
}

/** The whole impact as JSON, for scripts. */
export function renderImpactJson(i: Impact): string {
  return `${JSON.stringify({ kind: 'impact', ...i }, null, 2)}\n`;
}

export const IMPACT_CSV_COLUMNS = [
  'bucket',
  'userPrincipalName',
  'displayName',
  'id',
  'verdict',
  'confidence',
  'includedBy',
  'why',
  'actionCode',
] as const;

/** One row per user the target names, safe against formula injection. */
export function renderImpactCsv(i: Impact, opts: { bom?: boolean } = {}): string {
  const rows = i.users.map((u) =>
    [
      u.bucket,
      u.userPrincipalName,
      u.displayName,
      u.id,
      u.verdict,
      u.confidence ?? '',
      u.includedBy.map(conditionText).join('; '),
      why(u),
      u.action,
    ].map(csvCell),
  );
  return stringify([[...IMPACT_CSV_COLUMNS], ...rows], { bom: opts.bom ?? false, escape_formulas: true });
}
