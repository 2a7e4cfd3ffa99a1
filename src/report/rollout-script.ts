/**
 * Membership changes of groups synced from on-premises AD, which Graph refuses to change ("Unable to
 * update the specified properties for on-premises mastered Directory Sync objects…";
 * https://learn.microsoft.com/entra/fundamentals/concept-learn-about-groups: synced groups "can only
 * be managed on-premises"): an AD PowerShell script for an admin to review and run, and the same
 * changes as a CSV.
 *
 * Every tenant string (a UPN, a group's display name) goes into the script as a single-quoted
 * PowerShell literal, where nothing is expanded: `$(...)` stays text. PowerShell also takes the
 * typographic quotes U+2018–U+201B as single quotes
 * (https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_quoting_rules),
 * so they are doubled as `'` is. Users are found by UPN with a filter that names a variable, not text
 * pasted into the filter (https://learn.microsoft.com/powershell/module/activedirectory/get-aduser).
 */
import type { GroupChange } from '../domain/rollout.js';
import { stringify } from 'csv-stringify/sync';
import { csvCell } from './csv.js';

// eslint-disable-next-line no-control-regex -- the controls are what it removes
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/** A PowerShell single-quoted literal of `s`: inert whatever it holds. */
export function psLiteral(s: string): string {
  return `'${s.replace(CONTROL, ' ').replace(/['\u2018\u2019\u201a\u201b]/g, (q) => q + q)}'`;
}

/** Text safe in a `#` comment: one line, no controls. */
function commentText(s: string): string {
  return s.replace(CONTROL, ' ');
}

export interface ScriptContext {
  plan: string;
  planVersion: number;
  /** When it was written (ISO 8601). */
  at: string;
}

export function groupChangeScript(changes: readonly GroupChange[], ctx: ScriptContext): string {
  const lines = [
    `# mfa-ready rollout ${commentText(ctx.plan)} (plan version ${ctx.planVersion}), written ${ctx.at}`,
    '#',
    '# These groups are synced from on-premises Active Directory: Microsoft Graph cannot change their',
    '# members, so the changes are made here, in AD, and reach Microsoft Entra ID with the next sync.',
    '# Review it, then run it first with -WhatIf to see what it would do without changing anything:',
    '#     .\\this-script.ps1 -WhatIf',
    '# then without -WhatIf, on a host with the ActiveDirectory module, as an account allowed to',
    '# change these groups. `mfa-ready rollout status` says when the changes have arrived.',
    '#',
    '# Every name below is quoted as data (single quotes: nothing in it is run). Groups are named by',
    "# their display name: where a group's sAMAccountName differs, put it in place of the name.",
    '#Requires -Modules ActiveDirectory',
    '[CmdletBinding(SupportsShouldProcess = $true)]',
    'param()',
    "$ErrorActionPreference = 'Stop'",
    '',
    '$changes = @(',
  ];
  for (const c of changes) {
    lines.push(
      `  @{ Op = ${psLiteral(c.op === 'add-member' ? 'Add' : 'Remove')}; Group = ${psLiteral(
        c.group.displayName ?? c.group.id,
      )}; Upn = ${psLiteral(c.upn)}; Reason = ${psLiteral(c.reason)} }`,
    );
  }
  lines.push(
    ')',
    '',
    'foreach ($c in $changes) {',
    '  $upn = $c.Upn',
    "  $user = Get-ADUser -Filter 'UserPrincipalName -eq $upn'",
    "  if ($null -eq $user) { Write-Warning ('no AD user has the UPN {0}: skipped' -f $upn); continue }",
    "  if ($c.Op -eq 'Add') {",
    '    Add-ADGroupMember -Identity $c.Group -Members $user',
    '  } else {',
    '    Remove-ADGroupMember -Identity $c.Group -Members $user -Confirm:$false',
    '  }',
    '}',
    '',
  );
  return lines.join('\r\n');
}

export const SCRIPT_CSV_COLUMNS = [
  'operation',
  'group',
  'groupId',
  'userPrincipalName',
  'userId',
  'reason',
  'wave',
];

/** The same changes as CSV (RFC 4180 quoting; cells made inert for spreadsheets, as src/report/csv.ts does). */
export function groupChangeCsv(changes: readonly GroupChange[]): string {
  const rows = changes.map((c) =>
    [c.op, c.group.displayName ?? '', c.group.id, c.upn, c.userId, c.reason, String(c.wave)].map(csvCell),
  );
  return stringify([SCRIPT_CSV_COLUMNS, ...rows], { escape_formulas: true });
}
