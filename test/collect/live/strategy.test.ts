/**
 * The bulk-first strategy on a hand-built tenant: the exact filters sent, and per-user methods only
 * for the users (and reasons) the bulk data leaves open.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EVIDENCE_RULES } from '../../../src/assess/index.js';
import { load } from '../../../src/load/index.js';
import { readExportFolder } from '../../../src/load/read-export-folder.js';
import { writeExportFolder } from '../../../src/demo/write-export-folder.js';
import { collectTenant } from '../../../src/collect/live/index.js';
import { usersNeedingMethods } from '../../../src/plan/index.js';
import type { MethodsNeed } from '../../../src/collect/live/index.js';
import { tempFolders } from '../temp-files.js';
import { ndjsonIds, optionsFor, partOf } from './collect-helpers.js';
import { FakeGraphSource, badRequest } from './fake-graph-source.js';
import { PEOPLE, PILOT_GROUP, POLICY_GROUPS, handBuiltTenant, syntheticTenant } from './tenants.js';

const temp = tempFolders();
afterEach(() => temp.cleanup());

const EXPECTED_NEEDS: MethodsNeed[] = [
  {
    id: PEOPLE.noDefault,
    userPrincipalName: 'nodefault@contoso.test',
    reasons: ['authenticator-without-default'],
    decidesReadiness: true,
  },
  {
    id: PEOPLE.stale,
    userPrincipalName: 'stale@contoso.test',
    reasons: ['report-stale'],
    decidesReadiness: false,
  },
  {
    id: PEOPLE.disabled,
    userPrincipalName: 'disabled@contoso.test',
    reasons: ['missing-from-report'],
    absence: 'disabled',
    decidesReadiness: false,
  },
  {
    id: PEOPLE.newcomer,
    userPrincipalName: 'newcomer@contoso.test',
    reasons: ['missing-from-report'],
    absence: 'created-after-report',
    decidesReadiness: false,
  },
  {
    id: PEOPLE.notCapable,
    userPrincipalName: 'notcapable@contoso.test',
    reasons: ['registered-not-capable'],
    decidesReadiness: false,
  },
  {
    id: PEOPLE.phoneOnly,
    userPrincipalName: 'phoneonly@contoso.test',
    reasons: ['phone-only'],
    decidesReadiness: false,
  },
  {
    id: PEOPLE.looping,
    userPrincipalName: 'looping@contoso.test',
    reasons: ['report-not-registered', 'registration-sign-ins'],
    decidesReadiness: false,
  },
  {
    id: PEOPLE.loopRisk,
    userPrincipalName: 'looprisk@contoso.test',
    reasons: ['report-not-registered', 'authenticator-app-sign-in'],
    decidesReadiness: false,
  },
  {
    id: PEOPLE.unregistered,
    userPrincipalName: 'unregistered@contoso.test',
    reasons: ['report-not-registered'],
    decidesReadiness: false,
  },
];

describe('the requests the collector sends', () => {
  it('filters audits and sign-ins server-side, with exactly these $filter strings', async () => {
    const source = new FakeGraphSource(handBuiltTenant(), { pageSize: 2 });
    await collectTenant(source, optionsFor(await temp.make()));
    const firstPages = source.urls('page').filter((u) => u.startsWith('/'));
    expect(firstPages.filter((u) => u.includes('/auditLogs/'))).toEqual([
      "/v1.0/auditLogs/directoryAudits?$filter=activityDateTime ge 2026-10-21T09:00:00Z and (activityDisplayName eq 'Update user' or activityDisplayName eq 'User started security info registration' or activityDisplayName eq 'User registered security info' or activityDisplayName eq 'User registered all required security info' or activityDisplayName eq 'User deleted security info' or activityDisplayName eq 'Admin deleted security info' or activityDisplayName eq 'Admin registered security info' or activityDisplayName eq 'User canceled security info registration' or activityDisplayName eq 'User changed default security info' or activityDisplayName eq 'User cancelled security info registration')",
      "/beta/auditLogs/signIns?$filter=createdDateTime ge 2026-11-13T09:00:00Z and (authenticationRequirement eq 'multiFactorAuthentication' or status/errorCode eq 50072 or status/errorCode eq 50079 or appId eq '19db86c3-b2b9-44cc-b339-36da233a3be2' or appId eq '4813382a-8fa7-425e-ab75-3b753aab3abb')&$select=id,createdDateTime,userId,userPrincipalName,appId,appDisplayName,status,isInteractive,signInEventTypes,authenticationRequirement,authenticationDetails,authenticationMethodsUsed,tokenIssuerType,conditionalAccessStatus,appliedConditionalAccessPolicies",
      // The apps the loop rules read, over the whole retention (30 days), whatever --signin-days says.
      "/beta/auditLogs/signIns?$filter=createdDateTime ge 2026-10-21T09:00:00Z and (appId eq '19db86c3-b2b9-44cc-b339-36da233a3be2' or appId eq '4813382a-8fa7-425e-ab75-3b753aab3abb')&$select=id,createdDateTime,userId,userPrincipalName,appId,appDisplayName,status,isInteractive,signInEventTypes,authenticationRequirement,authenticationDetails,authenticationMethodsUsed,tokenIssuerType,conditionalAccessStatus,appliedConditionalAccessPolicies",
      "/beta/auditLogs/signIns?$filter=createdDateTime ge 2026-10-21T09:00:00Z and signInEventTypes/any(t: t eq 'nonInteractiveUser') and (appId eq '4813382a-8fa7-425e-ab75-3b753aab3abb' or appId eq '19db86c3-b2b9-44cc-b339-36da233a3be2')&$select=id,createdDateTime,userId,userPrincipalName,appId,appDisplayName,status,isInteractive,signInEventTypes,authenticationRequirement,authenticationDetails,authenticationMethodsUsed,tokenIssuerType,conditionalAccessStatus,appliedConditionalAccessPolicies",
    ]);
    // The other lanes run alongside (one per throttling bucket): compare as a set.
    expect(
      firstPages.filter((u) => !u.includes('/auditLogs/') && !u.includes('/transitiveMembers')).sort(),
    ).toEqual([
      '/beta/reports/authenticationMethods/userRegistrationDetails',
      '/v1.0/domains',
      '/v1.0/groups?$select=id,displayName,onPremisesSyncEnabled&$top=999',
      '/v1.0/identity/conditionalAccess/policies',
      '/v1.0/roleManagement/directory/roleAssignments?$expand=principal',
      '/v1.0/users?$select=id,userPrincipalName,displayName,accountEnabled,userType,onPremisesSyncEnabled,createdDateTime&$top=999',
    ]);
    expect(source.urls('get')).toEqual([
      '/v1.0/organization?$select=id,displayName',
      // The deltaLink for the next refresh, asked before the users are read in full.
      '/v1.0/users/delta?$select=id,userPrincipalName,displayName,accountEnabled,userType,onPremisesSyncEnabled,createdDateTime&$deltatoken=latest',
      '/v1.0/users?$select=id&$top=1&$count=true',
      '/v1.0/policies/authenticationMethodsPolicy',
      '/v1.0/policies/identitySecurityDefaultsEnforcementPolicy',
    ]);
    expect(source.seen.find((s) => s.url.includes('$count=true'))?.headers).toEqual({
      ConsistencyLevel: 'eventual',
    });
    // Without it, the reportOnly* results of appliedConditionalAccessPolicies read unknownFutureValue.
    const signInRequests = source.seen.filter((s) => s.url.includes('/auditLogs/signIns'));
    expect(signInRequests.length).toBeGreaterThan(0);
    for (const s of signInRequests) expect(s.headers).toEqual({ Prefer: 'include-unknown-enum-members' });
  });

  it('keeps what the filters leave out out of the files: noise audits, other apps, old sign-ins', async () => {
    const out = await temp.make();
    await collectTenant(new FakeGraphSource(handBuiltTenant(), { pageSize: 2 }), optionsFor(out));
    expect(await ndjsonIds(path.join(out, 'directoryAudits.ndjson'))).toEqual(['audit-deleted-1']);
    // si-mysignins-1 is 19 days old: outside --signin-days, inside the apps' 30-day window.
    // si-loop-1 (My Signins, 50079, this week) comes from both interactive queries: written once.
    expect(await ndjsonIds(path.join(out, 'signIns.ndjson'))).toEqual(
      expect.arrayContaining(['si-app-1', 'si-loop-0', 'si-loop-1', 'si-loop-2', 'si-mysignins-1']),
    );
    expect(await ndjsonIds(path.join(out, 'signIns.ndjson'))).toHaveLength(5);
  });

  it('writes an empty file for a dataset with nothing in its window: "collected, none found"', async () => {
    const tenant = handBuiltTenant();
    tenant.audits = [];
    const out = await temp.make();
    const result = await collectTenant(new FakeGraphSource(tenant), optionsFor(out));
    expect(partOf(result, 'audits')).toMatchObject({ status: { state: 'complete' }, rows: 0, pages: 1 });
    const snapshot = await readExportFolder(out);
    expect(snapshot.coverage.audits).toEqual({ present: true, rows: 0 });
  });

  it('uses --since for the audit window and --signin-days for the sign-ins', async () => {
    const source = new FakeGraphSource(handBuiltTenant());
    const result = await collectTenant(
      source,
      optionsFor(await temp.make(), { since: new Date('2026-11-01T00:00:00.000Z'), signInDays: 2 }),
    );
    expect(result.windows).toEqual({
      auditsSince: '2026-11-01T00:00:00Z',
      signInsSince: '2026-11-18T09:00:00Z',
      appSignInsSince: '2026-10-21T09:00:00Z',
    });
    expect(partOf(result, 'audits').queries[0]).toMatch(
      /^\/auditLogs\/directoryAudits\?\$filter=activityDateTime ge 2026-11-01T00:00:00Z and \(/,
    );
    expect(partOf(result, 'signInsInteractive').queries).toEqual([
      "/auditLogs/signIns?$filter=createdDateTime ge 2026-11-18T09:00:00Z and (authenticationRequirement eq 'multiFactorAuthentication' or status/errorCode eq 50072 or status/errorCode eq 50079 or appId eq '19db86c3-b2b9-44cc-b339-36da233a3be2' or appId eq '4813382a-8fa7-425e-ab75-3b753aab3abb')&$select=id,createdDateTime,userId,userPrincipalName,appId,appDisplayName,status,isInteractive,signInEventTypes,authenticationRequirement,authenticationDetails,authenticationMethodsUsed,tokenIssuerType,conditionalAccessStatus,appliedConditionalAccessPolicies",
      "/auditLogs/signIns?$filter=createdDateTime ge 2026-10-21T09:00:00Z and (appId eq '19db86c3-b2b9-44cc-b339-36da233a3be2' or appId eq '4813382a-8fa7-425e-ab75-3b753aab3abb')&$select=id,createdDateTime,userId,userPrincipalName,appId,appDisplayName,status,isInteractive,signInEventTypes,authenticationRequirement,authenticationDetails,authenticationMethodsUsed,tokenIssuerType,conditionalAccessStatus,appliedConditionalAccessPolicies",
    ]);
    expect(partOf(result, 'signInsNonInteractive').queries[0]).toMatch(
      /createdDateTime ge 2026-10-21T09:00:00Z and signInEventTypes/,
    );
    // --signin-days 30: the one window covers the apps too, no second query.
    const month = await collectTenant(
      new FakeGraphSource(handBuiltTenant()),
      optionsFor(await temp.make(), { signInDays: 30 }),
    );
    expect(partOf(month, 'signInsInteractive').queries).toHaveLength(1);
    expect(month.windows.appSignInsSince).toBe(month.windows.signInsSince);
  });

  it('falls back to one query per activity when Graph refuses the combined `or` filter', async () => {
    // Graph's answer to a filter it does not support: a 400 GraphRequestFailed.
    const refusing = new FakeGraphSource(handBuiltTenant()).failOn(/directoryAudits\?.* or /, badRequest);
    const out = await temp.make();
    const result = await collectTenant(refusing, optionsFor(out));
    const audits = partOf(result, 'audits');
    expect(audits.status).toEqual({ state: 'complete' });
    expect(audits.queries).toHaveLength(10);
    expect(audits.queries[0]).toBe(
      "/auditLogs/directoryAudits?$filter=activityDateTime ge 2026-10-21T09:00:00Z and activityDisplayName eq 'Update user'",
    );
    expect(await ndjsonIds(path.join(out, 'directoryAudits.ndjson'))).toEqual(['audit-deleted-1']);
  });
});

describe('interactive sign-ins', () => {
  it('falls back to one query per condition, de-duplicating rows two of them share', async () => {
    const refusing = new FakeGraphSource(handBuiltTenant()).failOn(
      /signIns\?.*authenticationRequirement.* or /,
      badRequest,
    );
    const out = await temp.make();
    const result = await collectTenant(refusing, optionsFor(out));
    const part = partOf(result, 'signInsInteractive');
    expect(part.status).toEqual({ state: 'complete' });
    expect(part.queries).toHaveLength(5);
    expect(part.queries[0]).toBe(
      "/auditLogs/signIns?$filter=createdDateTime ge 2026-11-13T09:00:00Z and authenticationRequirement eq 'multiFactorAuthentication'",
    );
    const ids = await ndjsonIds(path.join(out, 'signIns.ndjson'));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(['si-app-1', 'si-loop-0', 'si-loop-1', 'si-loop-2', 'si-mysignins-1']);
    // The apps' fallback queries read their 30 days too.
    expect(part.queries.slice(3)).toEqual([
      "/auditLogs/signIns?$filter=createdDateTime ge 2026-10-21T09:00:00Z and appId eq '19db86c3-b2b9-44cc-b339-36da233a3be2'",
      "/auditLogs/signIns?$filter=createdDateTime ge 2026-10-21T09:00:00Z and appId eq '4813382a-8fa7-425e-ab75-3b753aab3abb'",
    ]);
  });
});

describe('--last-sign-in', () => {
  it("collects users' signInActivity into its own NDJSON file, 500 a page (its own 10-a-minute bucket)", async () => {
    const source = new FakeGraphSource(handBuiltTenant(), { pageSize: 4 });
    const out = await temp.make();
    const result = await collectTenant(source, optionsFor(out, { lastSignIn: true, only: ['users'] }));
    expect(partOf(result, 'signInActivity')).toMatchObject({
      status: { state: 'complete' },
      rows: 11,
      pages: 3,
    });
    expect(source.urls('page').filter((u) => u.includes('signInActivity'))[0]).toBe(
      '/v1.0/users?$select=id,userPrincipalName,signInActivity&$top=500',
    );
    expect(await ndjsonIds(path.join(out, 'signInActivity.ndjson'))).toHaveLength(11);
    // Not part of the export format yet: the reader ignores it.
    expect((await readExportFolder(out)).users).toHaveLength(11);
  });
});

describe('per-user methods, only where the bulk data leaves the verdict open', () => {
  it('usersNeedingMethods names each open user with its reasons', async () => {
    const out = await temp.make();
    await collectTenant(
      new FakeGraphSource(handBuiltTenant()),
      optionsFor(out, { only: ['users', 'registration', 'audits', 'signins', 'policies'] }),
    );
    const bulk = await readExportFolder(out);
    expect(bulk.methods).toBeUndefined();
    expect(usersNeedingMethods(bulk)).toEqual(EXPECTED_NEEDS);
  });

  it('asks /users/{id}/authentication/methods (beta, in $batch) for exactly those users, phone-only aside', async () => {
    const source = new FakeGraphSource(handBuiltTenant());
    const result = await collectTenant(source, optionsFor(await temp.make()));
    expect(result.methods?.needs).toEqual(EXPECTED_NEEDS);
    const fetched = EXPECTED_NEEDS.filter((n) => n.id !== PEOPLE.phoneOnly).map(
      (n) => `/beta/users/${n.id}/authentication/methods`,
    );
    expect(source.urls('batch-inner')).toEqual(fetched);
    expect(result.methods).toMatchObject({
      planned: 8,
      fetched: 8,
      alreadyWritten: 0,
      notFound: [],
      failed: [],
    });
    // The source's counters come back with the result: one $batch of 8 inner requests.
    expect(result.stats?.batches).toBe(1);
    expect(result.stats).toEqual(source.stats());
    expect(result.methods?.reasons).toEqual({
      'authenticator-without-default': 1,
      'report-stale': 1,
      'missing-from-report': 2,
      'registered-not-capable': 1,
      'phone-only': 1,
      'report-not-registered': 3,
      'registration-sign-ins': 1,
      'authenticator-app-sign-in': 1,
    });
    // Never the settled user, never the guest.
    expect(
      source.urls('batch-inner').some((u) => u.includes(PEOPLE.settled) || u.includes(PEOPLE.guest)),
    ).toBe(false);
  });

  it('methodsFor narrows the choice (here: every open user, phone-only included, but no disabled ones)', async () => {
    const source = new FakeGraphSource(handBuiltTenant());
    const result = await collectTenant(
      source,
      optionsFor(await temp.make(), { methodsFor: (n) => n.absence !== 'disabled' }),
    );
    expect(result.methods?.planned).toBe(8);
    expect(source.urls('batch-inner').some((u) => u.includes(PEOPLE.phoneOnly))).toBe(true);
    expect(source.urls('batch-inner').some((u) => u.includes(PEOPLE.disabled))).toBe(false);
  });

  it('--methods needed reads only the users whose list can decide readiness, and counts the rest', async () => {
    const source = new FakeGraphSource(handBuiltTenant());
    const result = await collectTenant(source, optionsFor(await temp.make(), { methods: 'needed' }));
    expect(source.urls('batch-inner')).toEqual([`/beta/users/${PEOPLE.noDefault}/authentication/methods`]);
    expect(result.methods).toMatchObject({ requested: 'needed', mode: 'needed', planned: 1, deferred: 7 });
  });

  it('--methods auto reads every open user while that fits the budget, else only the needed ones', async () => {
    const fits = await collectTenant(new FakeGraphSource(handBuiltTenant()), optionsFor(await temp.make()));
    expect(fits.methods).toMatchObject({ requested: 'auto', mode: 'open', planned: 8, deferred: 0 });
    // 0.2 minutes of the reports bucket (5 calls per 10 s) is 6 calls: fewer than the 8 open users.
    const source = new FakeGraphSource(handBuiltTenant());
    const tight = await collectTenant(source, optionsFor(await temp.make(), { methodsBudgetMinutes: 0.2 }));
    expect(tight.methods).toMatchObject({ requested: 'auto', mode: 'needed', planned: 1, deferred: 7 });
    expect(source.urls('batch-inner')).toHaveLength(1);
  });

  it('--methods none reads no methods list', async () => {
    const source = new FakeGraphSource(handBuiltTenant());
    const result = await collectTenant(source, optionsFor(await temp.make(), { methods: 'none' }));
    expect(source.urls('batch-inner')).toEqual([]);
    expect(result.methods).toMatchObject({ mode: 'none', planned: 0, deferred: 8 });
  });

  it('without the audit log, every sign of registration activity decides readiness', async () => {
    const out = await temp.make();
    await collectTenant(
      new FakeGraphSource(handBuiltTenant()),
      optionsFor(out, { only: ['users', 'registration', 'signins', 'policies'] }),
    );
    const needs = usersNeedingMethods(await readExportFolder(out));
    const deciding = needs.filter((n) => n.decidesReadiness).map((n) => n.id);
    expect(deciding.sort()).toEqual(
      [PEOPLE.noDefault, PEOPLE.newcomer, PEOPLE.looping, PEOPLE.loopRisk, PEOPLE.unregistered].sort(),
    );
  });

  it('chooses the same users from its lean re-read (isMethodsSignal) as from every evidence sign-in', async () => {
    const dir = await temp.make();
    await writeExportFolder(dir, syntheticTenant({ users: 400, seed: 5 }));
    const full = await load({ kind: 'folder', dir }, 'store', { rules: EVIDENCE_RULES });
    const lean = await load({ kind: 'folder', dir }, 'choose-methods', { rules: EVIDENCE_RULES });
    // Half of this tenant's evidence sign-ins only prove MFA; in a large one, most of them do.
    expect((lean.signIns ?? []).length).toBeLessThan((full.signIns ?? []).length * 0.6);
    const needs = usersNeedingMethods(full);
    expect(needs.length).toBeGreaterThan(50);
    expect(usersNeedingMethods(lean)).toEqual(needs);
  });

  it('collects transitive members of the groups the policies name and of the scope groups', async () => {
    const source = new FakeGraphSource(handBuiltTenant());
    const out = await temp.make();
    const result = await collectTenant(
      source,
      optionsFor(out, { scopeGroups: ['MFA pilot', 'No such group'] }),
    );
    expect(result.groups?.groups).toEqual([
      ...POLICY_GROUPS.map((id) => ({ id, why: ['methods-policy'] })),
      { id: PILOT_GROUP, why: ['scope'] },
    ]);
    expect(result.groups?.unresolvedScope).toEqual(['No such group']);
    expect(source.urls('page').filter((u) => u.includes('transitiveMembers'))).toEqual(
      [...POLICY_GROUPS, PILOT_GROUP].map((id) => `/v1.0/groups/${id}/transitiveMembers?$select=id&$top=999`),
    );
    const snapshot = await readExportFolder(out);
    expect(snapshot.groups?.find((g) => g.id === PILOT_GROUP)?.memberIds).toEqual([PEOPLE.settled]);
  });
});
