import { stringify } from 'csv-stringify/sync';
import type {
  NoActionWhy,
  RemediationAction,
  RemediationApplyResult,
  RemediationPlan,
  RemediationReason,
  RemediationStatusRow,
} from '../domain/remediation.js';
import { csvCell } from './csv.js';
import { safeText } from './sanitize.js';

export type RemediationFormat = 'table' | 'json' | 'csv';

/** Why, in words. */
export function reasonWords(r: RemediationReason): string {
  switch (r.code) {
    case 'half-registered-authenticator':
      return `the Authenticator entry ${safeText(r.methodId)} was never verified (the registration was not finished), so it cannot do MFA`;
    case 'federated-no-inline-registration':
      return `federated domain ${safeText(r.domain)}: AD FS cannot host the registration Entra asks for, so the user bounces between AD FS and the security-info page`;
    case 'registration-loop':
      return `sign-ins show the user caught in the registration loop (${r.count} round trips)`;
    case 'prompted-at-sign-in':
      return 'a cloud user: Entra asks them to register at their next sign-in';
    case 'registration-interrupted':
      return `Entra already sent the user to register (last ${safeText(r.lastAt)}) and nothing was registered since`;
  }
}

/** Why nothing is written, in words, with where to fix it. */
export function noActionWords(w: NoActionWhy): string {
  switch (w.code) {
    case 'guest':
      return 'a guest: no Temporary Access Pass for guests; their methods are managed in their home tenant';
    case 'tap-policy-disabled':
      return `the Temporary Access Pass policy is disabled: enable it in ${w.where}`;
    case 'tap-user-not-targeted':
      return `the Temporary Access Pass policy does not include this user (it targets ${w.includeTargets.map(safeText).join(', ') || 'nobody'}): add them in ${w.where}`;
    case 'tap-user-excluded':
      return `the Temporary Access Pass policy excludes this user (target ${safeText(w.targetId)}): change it in ${w.where}`;
    case 'tap-policy-unknown':
      return 'the authentication methods policy was not collected, so whether a Temporary Access Pass can be issued is unknown: collect it (mfa-ready collect) and plan again';
    case 'tap-exists':
      return `the user already has a usable Temporary Access Pass (${safeText(w.methodId)}${w.endDateTime !== null ? `, until ${safeText(w.endDateTime)}` : ''}): hand that one over, or delete it first`;
    case 'admin-needs-privileged-authentication-administrator':
      return `an admin: only a Privileged Authentication Administrator may ${w.withheld.join(', ')} for them; plan again with --privileged if that is you`;
    case 'methods-not-collected':
      return "the user's methods list was not collected, so which entry to delete is unknown: collect with --methods open and plan again";
    case 'nothing-to-fix':
      return `nothing to fix (verdict ${w.verdict})`;
  }
}

export function actionWords(a: RemediationAction): string {
  switch (a.code) {
    case 'create-tap':
      return (
        `create a ${a.isUsableOnce ? 'one-time' : 'multi-use'} Temporary Access Pass, ${a.lifetimeInMinutes} minutes` +
        (a.startDateTime !== null ? `, from ${safeText(a.startDateTime)}` : ', usable at once') +
        (a.assumedTargets.length > 0
          ? ` (TAP policy group membership not collected: ${a.assumedTargets.map(safeText).join(', ')})`
          : '') +
        `: ${reasonWords(a.reason)}`
      );
    case 'delete-authenticator':
      return (
        `delete the Authenticator entry ${safeText(a.methodId)}${a.deviceName !== null ? ` ("${safeText(a.deviceName)}")` : ''}` +
        (a.isDefault === true
          ? a.fallbackDefault !== null
            ? `, after moving the default to ${a.fallbackDefault}`
            : ", the user's default (no usable method to move it to)"
          : '') +
        `: ${reasonWords(a.reason)}`
      );
    case 'set-default-method':
      return `set the default sign-in method to ${a.method}, so the entry can be deleted`;
    case 'ask-to-complete':
      return `ask the user to complete registration at ${a.url}`;
    case 'no-action':
      return `no action: ${noActionWords(a.why)}`;
  }
}

function csv(rows: string[][]): string {
  return stringify(rows, { escape_formulas: true });
}

export function renderRemediationPlan(
  plan: RemediationPlan,
  format: RemediationFormat,
  where?: string,
): string {
  if (format === 'json') return `${JSON.stringify(plan, null, 2)}\n`;
  if (format === 'csv') {
    const rows = [['userPrincipalName', 'userId', 'verdict', 'action', 'detail', 'message']];
    for (const u of plan.users)
      for (const a of u.actions)
        rows.push(
          [
            u.userPrincipalName,
            u.userId,
            u.verdict,
            a.code,
            actionWords(a),
            a.code === 'ask-to-complete' ? a.message : '',
          ].map(csvCell),
        );
    return csv(rows);
  }
  const lines: string[] = [];
  const count = (code: RemediationAction['code']) =>
    plan.users.reduce((n, u) => n + u.actions.filter((a) => a.code === code).length, 0);
  lines.push(
    `Remediation plan for ${plan.users.length} user(s): ${count('create-tap')} TAP(s), ${count('delete-authenticator')} deletion(s), ` +
      `${count('ask-to-complete')} message(s), ${plan.users.filter((u) => u.actions.some((a) => a.code === 'no-action')).length} without action.`,
  );
  lines.push(
    `TAP policy: ${plan.tapPolicy.state}` +
      (plan.tapPolicy.defaultLifetimeInMinutes !== null
        ? `, default ${plan.tapPolicy.defaultLifetimeInMinutes} min`
        : '') +
      (plan.tapPolicy.maximumLifetimeInMinutes !== null
        ? `, max ${plan.tapPolicy.maximumLifetimeInMinutes} min`
        : ''),
  );
  for (const u of plan.users) {
    lines.push('');
    lines.push(`${safeText(u.userPrincipalName)} (${u.verdict}${u.isAdmin ? ', admin' : ''})`);
    u.actions.forEach((a, i) => lines.push(`  ${i + 1}. ${actionWords(a)}`));
  }
  if (where !== undefined) {
    lines.push('');
    lines.push(where);
  }
  return `${lines.join('\n')}\n`;
}

export function renderApplyResult(r: RemediationApplyResult, format: RemediationFormat): string {
  if (format === 'json') return `${JSON.stringify(r, null, 2)}\n`;
  if (format === 'csv') {
    const rows = [['userPrincipalName', 'userId', 'action', 'subject', 'status', 'detail']];
    for (const o of r.outcomes)
      rows.push(
        [o.userPrincipalName, o.userId, o.action, o.subject ?? '', o.status, o.detail ?? ''].map(csvCell),
      );
    return csv(rows);
  }
  const lines: string[] = [];
  lines.push(
    r.applied
      ? `Applied plan ${safeText(r.plan)} (version ${r.planVersion}).`
      : `Dry run of plan ${safeText(r.plan)} (version ${r.planVersion}): nothing was written. Add --apply to make these changes.`,
  );
  for (const o of r.outcomes) {
    const what =
      o.action === 'create-tap'
        ? 'TAP'
        : o.action === 'delete-authenticator'
          ? `delete ${o.subject ?? ''}`
          : `default → ${o.subject ?? ''}`;
    lines.push(
      `  ${o.status.padEnd(12)} ${safeText(o.userPrincipalName)}: ${safeText(what)}${o.detail !== null ? ` (${safeText(o.detail)})` : ''}`,
    );
  }
  if (r.taps.length > 0) {
    const last = r.taps.map((t) => t.expiresAt).sort()[r.taps.length - 1] ?? '';
    lines.push('');
    lines.push(
      `${r.taps.length} Temporary Access Pass(es) are in ${safeText(r.tapFile ?? '')} (readable by you alone); ` +
        `they expire by ${last}. Hand each over privately, then delete the file.`,
    );
  }
  if (r.messages.length > 0) {
    lines.push('');
    lines.push(
      `Send ${r.messages.length} user(s) the message in the plan (remediate plan --format csv lists it), e.g.:`,
    );
    lines.push(`  ${safeText(r.messages[0]?.message ?? '')}`);
  }
  return `${lines.join('\n')}\n`;
}

const STATE_WORDS: Record<RemediationStatusRow['state'], string> = {
  'tap-used': 'TAP used',
  'tap-expired-unused': 'TAP expired unused',
  'tap-not-used-yet': 'TAP not used yet',
  'deleted-registered-again': 'deleted, registered again',
  'deleted-not-registered-yet': 'deleted, not registered yet',
  'default-changed': 'default changed',
  failed: 'failed',
  'not-done': 'not done',
  'no-evidence-since': 'no evidence since (collect again)',
};

export function renderRemediationStatus(
  plan: string,
  rows: readonly RemediationStatusRow[],
  format: RemediationFormat,
): string {
  if (format === 'json') return `${JSON.stringify({ plan, rows }, null, 2)}\n`;
  if (format === 'csv') {
    const out = [['userPrincipalName', 'userId', 'action', 'subject', 'doneAt', 'state', 'evidence']];
    for (const r of rows)
      out.push(
        [
          r.userPrincipalName,
          r.userId,
          r.action,
          r.subject ?? '',
          r.doneAt ?? '',
          r.state,
          r.evidence ?? '',
        ].map(csvCell),
      );
    return csv(out);
  }
  const lines = [`Plan ${safeText(plan)}: ${rows.length} write(s).`];
  for (const r of rows)
    lines.push(
      `  ${safeText(r.userPrincipalName)}: ${r.action}${r.subject !== null ? ` ${safeText(r.subject)}` : ''}: ${STATE_WORDS[r.state]}${r.evidence !== null ? ` (${safeText(r.evidence)})` : ''}`,
    );
  return `${lines.join('\n')}\n`;
}
