import { describe, expect, it } from 'vitest';
import type { GroupChange } from '../../src/domain/rollout.js';
import { groupChangeCsv, groupChangeScript, psLiteral } from '../../src/report/rollout-script.js';
import { parseCsv } from '../support/csv.js';

const change = (displayName: string, upn = 'a@contoso.edu'): GroupChange => ({
  op: 'remove-member',
  group: { id: 'g1', displayName, onPremisesSyncEnabled: true },
  userId: 'u1',
  upn,
  reason: 'graduated',
  wave: 2,
  key: 'k',
});

describe('the AD PowerShell script and CSV for synced groups', () => {
  it('quotes tenant strings as inert single-quoted literals, typographic quotes included', () => {
    expect(psLiteral("O'Brien")).toBe("'O''Brien'");
    expect(psLiteral('x\u2019; $(evil)')).toBe("'x\u2019\u2019; $(evil)'");
    expect(psLiteral('a\r\nb')).toBe("'a  b'");
  });

  it('removes with Remove-ADGroupMember, finds users by a filter on a variable, and says to run -WhatIf first', () => {
    const ps1 = groupChangeScript([change('MFA_ProofUpBypass\r\n# $(x)')], {
      plan: 'p\nq',
      planVersion: 3,
      at: '2026-12-01T10:00:00Z',
    });
    expect(ps1).toContain("Op = 'Remove'; Group = 'MFA_ProofUpBypass  # $(x)'");
    expect(ps1).toContain('Remove-ADGroupMember -Identity $c.Group -Members $user -Confirm:$false');
    expect(ps1).toContain("Get-ADUser -Filter 'UserPrincipalName -eq $upn'");
    expect(ps1).toContain('SupportsShouldProcess');
    expect(ps1).toMatch(/-WhatIf/);
    // The plan name cannot end the comment line it is in.
    expect(ps1.split('\r\n')[0]).toBe(
      '# mfa-ready rollout p q (plan version 3), written 2026-12-01T10:00:00Z',
    );
  });

  it('writes formula-safe CSV cells', () => {
    const rows = parseCsv(groupChangeCsv([change('=HYPERLINK("http://x")', '+1@contoso.edu')]));
    expect(rows[1]?.[1]).toBe('\'=HYPERLINK("http://x")');
    expect(rows[1]?.[3]).toBe("'+1@contoso.edu");
  });
});
