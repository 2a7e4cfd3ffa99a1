/* eslint-disable no-control-regex -- these tests look for control characters on purpose. */
import { describe, expect, it } from 'vitest';
import type { PreflightReport, ProbeResult } from '../../src/collect/live/index.js';
import { LOSS_BY_PART } from '../../src/collect/live/index.js';
import { preflightGaps, renderPreflight } from '../../src/report/preflight.js';

const context = {
  tenantId: 'tenant-1',
  cloud: 'global' as const,
  credential: 'client secret (app-only), app a',
};
const flat = (s: string) => s.replace(/\s+/g, ' ');

function probe(part: ProbeResult['part'], over: Partial<ProbeResult> = {}): ProbeResult {
  return {
    part,
    request: { path: `/${part}?$top=1`, version: 'v1.0' },
    state: 'ok',
    required: { permissions: ['Directory.Read.All'], delegatedRoles: [] },
    ...over,
  };
}

function report(probes: ProbeResult[], over: Partial<PreflightReport> = {}): PreflightReport {
  return {
    credential: { ok: true },
    probes,
    permissions: { present: ['Directory.Read.All'], missing: [] },
    delegatedRolesForMissing: [],
    licence: { name: 'Microsoft Entra ID P1 or P2', state: 'present' },
    ...over,
  };
}

const refusedAudits = probe('audits', {
  state: 'permission-missing',
  required: { permissions: ['AuditLog.Read.All', 'Directory.Read.All'], delegatedRoles: ['Reports Reader'] },
  failure: {
    kind: 'permission-missing',
    endpoint: 'GET /v1.0/auditLogs/directoryAudits',
    status: 403,
    message: 'refused',
    permissions: ['AuditLog.Read.All', 'Directory.Read.All'],
    delegatedRoles: ['Reports Reader'],
  },
  lost: [...LOSS_BY_PART.audits],
});

describe('renderPreflight', () => {
  it('all present: a table per part and the all-clear, without escape sequences', () => {
    const r = report([
      probe('users'),
      probe('signInActivity', { state: 'not-probed', reason: 'not selected' }),
    ]);
    const text = renderPreflight(r, context, { format: 'table', color: false });
    expect(text).not.toMatch(/\x1b/);
    expect(text.split('\n')[0]).toBe('mfa-ready preflight · tenant tenant-1 (global cloud)');
    expect(text).toMatch(/^ {2}users +Directory\.Read\.All +ok$/m);
    expect(text).toMatch(/^ {2}last sign-in \(signInActivity\) .* not probed: not selected$/m);
    expect(text).toContain('Everything the collection needs is present.');
    expect(preflightGaps(r)).toEqual([]);
  });

  it('a refused permission: what the endpoint asks for, the roles, and what its absence costs', () => {
    const r = report([probe('users'), refusedAudits], {
      permissions: { present: ['Directory.Read.All'], missing: ['AuditLog.Read.All'] },
      delegatedRolesForMissing: ['Reports Reader'],
    });
    const text = flat(renderPreflight(r, context, { format: 'table', color: false, width: 70 }));
    expect(text).toContain('Refused endpoints ask for: AuditLog.Read.All, Directory.Read.All');
    expect(text).toContain('Permissions missing: AuditLog.Read.All');
    expect(text).toContain('the user also needs one of the roles: Reports Reader');
    expect(text).toContain('✗ directory audits: permission missing (AuditLog.Read.All + Directory.Read.All)');
    expect(text).toContain('Lost: no audit trail');
    expect(text).toContain('a collection would run, without the parts above');
    expect(preflightGaps(r).map((p) => p.part)).toEqual(['audits']);
  });

  it('no licence: says the reports and sign-ins need P1/P2', () => {
    const r = report(
      [probe('registration', { state: 'licence-required', lost: [...LOSS_BY_PART.registration] })],
      {
        licence: { name: 'Microsoft Entra ID P1 or P2', state: 'missing' },
      },
    );
    const text = flat(renderPreflight(r, context, { format: 'table', color: false }));
    expect(text).toContain('Licence Microsoft Entra ID P1 or P2: MISSING');
    expect(text).toContain('Graph serves neither the registration report nor the sign-in logs');
  });

  it('a rejected credential: says so and what to check, nothing else', () => {
    const r = report([probe('tenant', { state: 'failed' })], {
      credential: {
        ok: false,
        failure: {
          kind: 'credential-rejected',
          endpoint: 'GET /v1.0/organization',
          status: 401,
          message: 'no token',
        },
      },
    });
    const text = renderPreflight(r, context, { format: 'table', color: false });
    expect(text).toContain('✗ rejected: no token');
    expect(text).toContain('Check the tenant id');
    expect(text).not.toContain('Permissions present');
  });

  it('json: the report as data, the context, and `ready`', () => {
    const json = JSON.parse(
      renderPreflight(report([refusedAudits]), context, { format: 'json', color: true }),
    );
    expect(json).toMatchObject({
      tenantId: 'tenant-1',
      cloud: 'global',
      ready: false,
      credential: { ok: true, description: 'client secret (app-only), app a' },
      probes: [{ part: 'audits', state: 'permission-missing' }],
    });
    expect(
      JSON.parse(renderPreflight(report([probe('users')]), context, { format: 'json', color: false })).ready,
    ).toBe(true);
  });
});

describe('renderPreflight --for (the write checks)', () => {
  it('delegated: an unconfirmed role is not an all-clear; the fix is the role assignment, not consent', async () => {
    const { checkWrites } = await import('../../src/collect/live/index.js');
    const writes = checkWrites('rollout', {
      claims: { kind: 'user', roles: [], scopes: ['GroupMember.ReadWrite.All'] },
    });
    const r = report([probe('users')], { writes });
    const text = flat(renderPreflight(r, context, { format: 'table', color: false }));
    expect(text).toContain('Sign-in: delegated');
    expect(text).toContain('? role Groups Administrator: could not be confirmed');
    expect(text).toContain('Any of: Groups Administrator, User Administrator, Global Administrator.');
    expect(text).toContain('Roles & admins → Roles & admins → Groups Administrator → Add assignments');
    expect(text).toContain(
      'mfa-ready rollout cannot change the tenant yet: Groups Administrator not confirmed.',
    );
    const json = JSON.parse(renderPreflight(r, context, { format: 'json', color: false })) as {
      ready: boolean;
    };
    expect(json.ready).toBe(false);
  });

  it('an advisory role missing (admins need a Privileged Authentication Administrator) keeps the command ready', async () => {
    const { checkWrites } = await import('../../src/collect/live/index.js');
    const writes = checkWrites('remediate', {
      claims: {
        kind: 'user',
        roles: [],
        scopes: ['UserAuthenticationMethod.ReadWrite.All', 'Policy.Read.All'],
        wids: ['c4e39bd9-1100-46d3-8c65-fb160da0071f'],
      },
    });
    const r = report([probe('users')], { writes });
    const text = flat(renderPreflight(r, context, { format: 'table', color: false }));
    expect(text).toContain('✗ role Privileged Authentication Administrator: MISSING');
    expect(text).toContain('Not needed for the other users.');
    expect(text).toContain('Everything mfa-ready remediate needs to write is present.');
    const json = JSON.parse(renderPreflight(r, context, { format: 'json', color: false })) as {
      ready: boolean;
    };
    expect(json.ready).toBe(true);
  });
});
