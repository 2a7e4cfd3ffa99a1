/**
 * The words of a rollout: today's change set (`rollout next`), the per-wave status (`rollout status`)
 * and the plan (`rollout plan`), as text, JSON or CSV. Tenant strings pass through safeText / csvCell.
 */
import { stringify } from 'csv-stringify/sync';
import type {
  Blocker,
  GroupChange,
  HoldReason,
  RolloutNotice,
  RolloutPlan,
  RolloutStep,
} from '../domain/rollout.js';
import type { RolloutStatus } from '../plan/rollout-status.js';
import { csvCell } from './csv.js';
import { safeText } from './sanitize.js';

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;

function upnOf(plan: RolloutPlan, id: string): string {
  return safeText(plan.upns[id] ?? id);
}

function groupName(g: { id: string; displayName: string | null; onPremisesSyncEnabled: boolean }): string {
  const name = g.displayName === null ? g.id : safeText(g.displayName);
  return g.onPremisesSyncEnabled ? `${name} (synced from on-premises)` : name;
}

export function holdText(plan: RolloutPlan, h: HoldReason): string {
  switch (h.code) {
    case 'paused':
      return `the plan is paused: no change (resume it with: mfa-ready rollout resume ${safeText(plan.name)})`;
    case 'rolled-back':
      return `the plan was rolled back: no change (plan it again with: mfa-ready rollout plan --name ${safeText(plan.name)} …)`;
    case 'below-threshold':
      return (
        `wave ${h.wave} holds: ${h.ready} of its ${h.inScope} users in scope are ready (${pct(h.ready / h.inScope)}), ` +
        `fewer than the threshold of ${pct(h.threshold)}`
      );
    case 'previous-wave-failing':
      return (
        `wave ${h.wave} holds: ${h.users} user${h.users === 1 ? '' : 's'} of wave ${h.previous} ` +
        `${h.users === 1 ? 'was' : 'were'} sent to register again, or loop, in sign-ins since wave ${h.previous} was applied`
      );
    case 'evidence-before-previous-wave':
      return (
        `wave ${h.wave} holds: the latest run was collected (${h.collectedAt}) before wave ${h.previous} was applied ` +
        `(${h.appliedAt}), so how its users sign in since is not known: collect, then run next again`
      );
  }
}

export function blockerText(plan: RolloutPlan, b: Blocker): string {
  const who = upnOf(plan, b.userId);
  switch (b.code) {
    case 'not-ready':
      return `${who}: not ready (${b.verdict})`;
    case 'new-interrupt':
      return `${who} (wave ${b.wave}): sent to register security info at sign-in${b.at === null ? '' : ` on ${b.at}`}`;
    case 'new-loop':
      return `${who} (wave ${b.wave}): loops between sign-in and registration${b.at === null ? '' : ` (${b.at})`}`;
  }
}

export function noticeText(plan: RolloutPlan, n: RolloutNotice): string {
  switch (n.code) {
    case 'left-scope':
      return `${upnOf(plan, n.userId)} (wave ${n.wave}) left the scope (disabled, deleted, guest or excluded): skipped`;
    case 'regressed':
      return (
        `${upnOf(plan, n.userId)} (wave ${n.wave}) graduated but is no longer ready (${n.verdict}); ` +
        'enforced and out of the bypass group: check this user'
      );
    case 'overstayed':
      return `${upnOf(plan, n.userId)} has been in the bypass group for ${n.days} days (since ${n.since}), more than --max-bypass-days ${plan.maxBypassDays}`;
    case 'script-not-arrived':
      return (
        `${upnOf(plan, n.userId)}: the scripted ${n.op === 'add-member' ? 'add to' : 'removal from'} ` +
        `${n.groupId === plan.enforceGroup.id ? groupName(plan.enforceGroup) : groupName(plan.bypassGroup)} ` +
        'has not arrived in the latest collected members (run the script, wait for the sync, collect again)'
      );
    case 'next-wave':
      return `nothing due today: wave ${n.wave} is due on ${n.date}`;
    case 'complete':
      return 'every wave is applied and nobody of the plan is left in the bypass group: the rollout is complete';
  }
}

const REASON_WORDS: Record<GroupChange['reason'], string> = {
  'wave-enforce': 'wave due',
  'wave-bypass': 'not ready yet: bypass while registering',
  graduated: 'registration verified: graduates',
  rollback: 'rollback',
};

export function changeLine(c: GroupChange): string {
  const verb = c.op === 'add-member' ? 'add to' : 'remove from';
  return `${verb} ${groupName(c.group)}: ${safeText(c.upn)} (wave ${c.wave}; ${REASON_WORDS[c.reason]})`;
}

export function renderStepText(plan: RolloutPlan, step: RolloutStep, applied: boolean): string {
  const lines: string[] = [];
  if (step.advancing !== null) lines.push(`Wave ${step.advancing} advances.`);
  if (step.hold !== null) lines.push(`Hold: ${holdText(plan, step.hold)}.`);
  if (step.blockers.length > 0) {
    lines.push(`Blocking (${step.blockers.length}):`);
    for (const b of step.blockers) lines.push(`  ${blockerText(plan, b)}`);
  }
  if (step.changes.length === 0) lines.push('No group change today.');
  else {
    lines.push(
      applied
        ? `Changes (${step.changes.length}):`
        : `Changes to review (${step.changes.length}); nothing is written to the tenant without --apply:`,
    );
    for (const c of step.changes) lines.push(`  ${changeLine(c)}`);
  }
  for (const n of step.notices) lines.push(`Note: ${noticeText(plan, n)}`);
  return `${lines.join('\n')}\n`;
}

/** One row per change: for review in a spreadsheet. */
export function renderChangesCsv(changes: readonly GroupChange[]): string {
  return stringify(
    [
      [
        'operation',
        'group',
        'groupId',
        'syncedFromOnPremises',
        'userPrincipalName',
        'userId',
        'wave',
        'reason',
      ],
      ...changes.map((c) =>
        [
          c.op,
          c.group.displayName ?? '',
          c.group.id,
          String(c.group.onPremisesSyncEnabled),
          c.upn,
          c.userId,
          String(c.wave),
          c.reason,
        ].map(csvCell),
      ),
    ],
    { escape_formulas: true },
  );
}

export function renderStepJson(
  plan: RolloutPlan,
  step: RolloutStep,
  extra: Record<string, unknown> = {},
): string {
  return `${JSON.stringify(
    {
      plan: plan.name,
      ...extra,
      ...step,
      holdText: step.hold === null ? null : holdText(plan, step.hold),
      blockerTexts: step.blockers.map((b) => blockerText(plan, b)),
      noticeTexts: step.notices.map((n) => noticeText(plan, n)),
    },
    null,
    2,
  )}\n`;
}

export function renderStatusText(status: RolloutStatus, header: string[]): string {
  const { plan } = status;
  const lines = [
    ...header,
    `Rollout ${safeText(plan.name)}: enforce ${groupName(plan.enforceGroup)}, bypass ${groupName(plan.bypassGroup)}; ` +
      `waves of ${plan.waveSize} every ${plan.everyDays} days from ${plan.startDate}; ready threshold ${pct(plan.readyThreshold)}`,
    '',
    'wave  date        state           users  in scope  ready  % ready  enforced  in bypass',
  ];
  for (const w of status.waves)
    lines.push(
      [
        String(w.number).padEnd(4),
        w.date.padEnd(10),
        w.state.padEnd(14),
        String(w.users).padStart(5),
        String(w.inScope).padStart(8),
        String(w.ready).padStart(5),
        (w.readyShare === null ? '-' : pct(w.readyShare)).padStart(7),
        String(w.enforced).padStart(8),
        String(w.bypassed).padStart(9),
      ].join('  '),
    );
  lines.push('');
  if (status.bypass.length === 0) lines.push('Nobody of the plan is in the bypass group.');
  else {
    lines.push(`In the bypass group by the plan (${status.bypass.length}):`);
    for (const b of status.bypass)
      lines.push(
        `  ${safeText(b.upn)} (wave ${b.wave}): since ${b.since ?? 'unknown'}${b.days === null ? '' : ` (${b.days} days)`}, ` +
          `now ${b.verdict}${b.overstayed ? ', OVERSTAYED' : ''}` +
          (b.arrived === false
            ? ', scripted add not arrived yet'
            : b.arrived === true
              ? ', scripted add arrived'
              : ''),
      );
  }
  const sc = status.scripted;
  if (sc.total > 0)
    lines.push(
      '',
      `Changes written as AD scripts: ${sc.total}; ${sc.arrived} arrived in the groups' latest collected members, ` +
        `${sc.notArrived} not yet` +
        (sc.unknown > 0
          ? `, ${sc.unknown} unknown (collect with --scope-group for the synced groups to see their members)`
          : ''),
    );
  lines.push('', 'Today:', renderStepText(plan, status.next, false).trimEnd());
  return `${lines.join('\n')}\n`;
}

export function renderStatusJson(status: RolloutStatus, extra: Record<string, unknown> = {}): string {
  const { plan, next, ...rest } = status;
  return `${JSON.stringify(
    {
      plan: {
        name: plan.name,
        enforceGroup: plan.enforceGroup,
        bypassGroup: plan.bypassGroup,
        readyThreshold: plan.readyThreshold,
      },
      ...extra,
      ...rest,
      next: JSON.parse(renderStepJson(plan, next)) as unknown,
    },
    null,
    2,
  )}\n`;
}

/** One row per wave. */
export function renderStatusCsv(status: RolloutStatus): string {
  return stringify(
    [
      ['wave', 'date', 'state', 'users', 'inScope', 'ready', 'readyShare', 'enforced', 'inBypass'],
      ...status.waves.map((w) => [
        String(w.number),
        w.date,
        w.state,
        String(w.users),
        String(w.inScope),
        String(w.ready),
        w.readyShare === null ? '' : w.readyShare.toFixed(3),
        String(w.enforced),
        String(w.bypassed),
      ]),
    ],
    { escape_formulas: true },
  );
}

export function renderPlanText(plan: RolloutPlan, version: number, file: string | undefined): string {
  const users = plan.waves.reduce((n, w) => n + w.userIds.length, 0);
  const last = plan.waves[plan.waves.length - 1];
  const lines = [
    `Rollout ${safeText(plan.name)} version ${version}: ${users} users in ${plan.waves.length} waves of up to ${plan.waveSize}, ` +
      `every ${plan.everyDays} days from ${plan.startDate}${last === undefined ? '' : ` to ${last.date}`} (order ${plan.order}).`,
    `Enforcement group ${groupName(plan.enforceGroup)}; bypass group ${groupName(plan.bypassGroup)}.`,
  ];
  if (plan.enforceGroup.onPremisesSyncEnabled || plan.bypassGroup.onPremisesSyncEnabled)
    lines.push(
      'Groups synced from on-premises cannot be changed through Microsoft Graph: `rollout next --apply` writes an AD PowerShell script and a CSV for them.',
    );
  for (const w of plan.waves.slice(0, 10))
    lines.push(`  wave ${w.number}  ${w.date}  ${w.userIds.length} users`);
  if (plan.waves.length > 10) lines.push(`  … ${plan.waves.length - 10} more waves`);
  if (file !== undefined) lines.push(`Wrote ${file}.`);
  lines.push(`Next: mfa-ready rollout next ${safeText(plan.name)} (review), then with --apply.`);
  return `${lines.join('\n')}\n`;
}
