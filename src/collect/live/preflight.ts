/**
 * `mfa-ready preflight`: before a long run, check that the credential works and probe each
 * part's endpoint with a minimal request, to say which permissions, roles and licences are present or
 * missing and what each missing one costs. All data; the CLI renders it.
 */
import type { CloudEndpoints, GraphVersion, TokenClaims } from '../graph/index.js';
import {
  ROLE_TEMPLATE_IDS,
  WRITE_ACCESS,
  decodeTokenClaims,
  GraphFailure,
  GraphRequestFailed,
  LicenceRequired,
  PermissionMissing,
  requiredAccess,
  unavailableReason,
} from '../graph/index.js';
import type { CollectDataset, CollectPart } from './collect-parts.js';
import { COLLECT_PARTS, PART_SPECS, isPartSelected } from './collect-parts.js';
import { lossOf, unreadLossOf } from './confidence-loss.js';
import { failureInfo } from './failure-info.js';
import { ORGANIZATION, domainFederation } from './graph-queries.js';
import type { CollectSource } from './run-context.js';
import type {
  PreflightReport,
  ProbeResult,
  ProbeState,
  WriteCheck,
  WritePreflight,
  WritePurpose,
} from '../../domain/preflight.js';

export interface PreflightOptions {
  endpoints: CloudEndpoints;
  only?: readonly CollectDataset[];
  lastSignIn?: boolean;
}

export type { PreflightReport, ProbeResult, ProbeState } from '../../domain/preflight.js';

interface Probe {
  path: string;
  version: GraphVersion;
}

const LICENCE = 'Microsoft Entra ID P1 or P2';

/** For probes that need an id no earlier probe gave: the path shape, to name what it needs. */
const PERMISSION_PATHS: Partial<Record<CollectPart, string>> & Record<'methods' | 'groupMembers', string> = {
  methods: '/users/{id}/authentication/methods',
  groupMembers: '/groups/{id}/transitiveMembers',
};

/** The minimal request per part (`$top=1` where the endpoint pages). `id`s come from earlier probes. */
function probeFor(part: CollectPart, ids: { user?: string; group?: string }): Probe | string {
  switch (part) {
    case 'tenant':
      return ORGANIZATION;
    case 'users':
      return { path: '/users?$select=id&$top=1', version: 'v1.0' };
    case 'registration':
      return { path: '/reports/authenticationMethods/userRegistrationDetails?$top=1', version: 'beta' };
    case 'conditionalAccess':
      return { path: '/identity/conditionalAccess/policies?$top=1', version: 'v1.0' };
    case 'methodsPolicy':
      return { path: '/policies/authenticationMethodsPolicy', version: 'v1.0' };
    case 'securityDefaults':
      return { path: '/policies/identitySecurityDefaultsEnforcementPolicy', version: 'v1.0' };
    case 'domains':
      return { path: '/domains', version: 'v1.0' };
    case 'roleAssignments':
      return { path: '/roleManagement/directory/roleAssignments?$top=1', version: 'v1.0' };
    case 'groups':
      return { path: '/groups?$select=id&$top=1', version: 'v1.0' };
    case 'groupMembers':
      return ids.group === undefined
        ? 'no group id to probe with (the groups probe failed or the tenant has no groups)'
        : {
            path: `/groups/${encodeURIComponent(ids.group)}/transitiveMembers?$select=id&$top=1`,
            version: 'v1.0',
          };
    case 'audits':
      return { path: '/auditLogs/directoryAudits?$top=1', version: 'v1.0' };
    case 'signInsInteractive':
    case 'signInsNonInteractive':
      return { path: '/auditLogs/signIns?$top=1', version: 'beta' };
    case 'signInActivity':
      return { path: '/users?$select=id,signInActivity&$top=1', version: 'v1.0' };
    case 'methods':
      return ids.user === undefined
        ? 'no user id to probe with (the users probe failed or the tenant has no users)'
        : { path: `/users/${encodeURIComponent(ids.user)}/authentication/methods`, version: 'beta' };
  }
}

function stateOf(err: GraphFailure): ProbeState {
  if (err instanceof PermissionMissing) return 'permission-missing';
  if (err instanceof LicenceRequired) return 'licence-required';
  return 'failed';
}

/** The first domain of a `/domains` page whose authenticationType is Federated. */
function firstFederatedId(body: unknown): string | undefined {
  const list = (body as { value?: { id?: unknown; authenticationType?: unknown }[] } | null)?.value ?? [];
  const found = list.find(
    (d) => typeof d.authenticationType === 'string' && d.authenticationType.toLowerCase() === 'federated',
  );
  return typeof found?.id === 'string' ? found.id : undefined;
}

/**
 * A federated domain's federationConfiguration, which needs Domain.Read.All
 * (https://learn.microsoft.com/graph/api/domain-list-federationconfiguration): refused, the
 * collection still writes domains.json, without whether the domain rejects its IdP's MFA.
 */
async function probeFederation(
  source: CollectSource,
  domainId: string,
  report: PreflightReport,
): Promise<ProbeResult> {
  const probe = domainFederation(domainId);
  const result: ProbeResult = {
    part: 'domains',
    item: 'federationConfiguration',
    request: probe,
    state: 'ok',
    required: requiredAccess(probe.path),
  };
  try {
    await source.get<unknown>(probe.path, { version: probe.version });
  } catch (err) {
    if (!(err instanceof GraphFailure)) throw err;
    result.failure = failureInfo(err);
    result.state = stateOf(err);
    if (result.failure.kind === 'credential-rejected' || result.failure.kind === 'certificate-untrusted') {
      report.credential = { ok: false, failure: result.failure };
      result.state = 'failed';
    }
  }
  if (result.state !== 'ok') result.lost = unreadLossOf('domains');
  return result;
}

function firstId(body: unknown): string | undefined {
  const id = (body as { value?: { id?: unknown }[] } | null)?.value?.[0]?.id;
  return typeof id === 'string' ? id : undefined;
}

/** GET, and once more without `$top` if Graph refuses it (`$top` is unconfirmed on some reports, https://learn.microsoft.com/graph/api/resources/userregistrationdetails). */
async function send(source: CollectSource, probe: Probe): Promise<unknown> {
  try {
    return await source.get<unknown>(probe.path, { version: probe.version });
  } catch (err) {
    const bare = probe.path.replace(/[?&]\$top=1$/, '');
    if (!(err instanceof GraphRequestFailed) || err.status !== 400 || bare === probe.path) throw err;
    return source.get<unknown>(bare, { version: probe.version });
  }
}

/**
 * Probes every selected part. Never throws for a Graph answer (a rejected credential is reported,
 * not thrown); only errors that are not Graph failures escape.
 */
export async function preflight(source: CollectSource, options: PreflightOptions): Promise<PreflightReport> {
  const lastSignIn = options.lastSignIn === true;
  const ids: { user?: string; group?: string; federatedDomain?: string } = {};
  const probes: ProbeResult[] = [];
  const report: PreflightReport = {
    credential: { ok: true },
    probes,
    permissions: { present: [], missing: [] },
    delegatedRolesForMissing: [],
    licence: { name: LICENCE, state: 'unknown' },
  };
  // Order matters: users and groups first, for the ids the per-entity probes need.
  const order: CollectPart[] = [
    'tenant',
    'users',
    'groups',
    ...COLLECT_PARTS.filter((p) => !['tenant', 'users', 'groups'].includes(p)),
  ];
  const shared = new Map<string, ProbeResult>();

  for (const part of order) {
    const probe = probeFor(part, ids);
    const required = requiredAccess(typeof probe === 'string' ? (PERMISSION_PATHS[part] ?? '/') : probe.path);
    const result: ProbeResult = {
      part,
      request: typeof probe === 'string' ? null : probe,
      state: 'ok',
      required,
    };
    probes.push(result);
    const dataset = PART_SPECS[part].dataset;
    const unavailable = dataset === undefined ? undefined : unavailableReason(options.endpoints, dataset);
    if (
      !report.credential.ok ||
      !isPartSelected(part, options.only, lastSignIn) ||
      typeof probe === 'string'
    ) {
      result.state = 'not-probed';
      result.reason = !report.credential.ok
        ? report.credential.failure?.kind === 'certificate-untrusted'
          ? "the server's certificate was not trusted"
          : 'the credential was rejected'
        : typeof probe === 'string'
          ? probe
          : 'not selected';
    } else if (unavailable !== undefined) {
      result.state = 'unavailable-in-cloud';
      result.reason = unavailable;
    } else {
      // The two sign-in parts share one endpoint: probe it once.
      const key = `${probe.version} ${probe.path}`;
      const earlier = shared.get(key);
      if (earlier !== undefined) {
        result.state = earlier.state;
        if (earlier.failure !== undefined) result.failure = earlier.failure;
      } else {
        shared.set(key, result);
        try {
          const body = await send(source, probe);
          if (part === 'users') {
            const id = firstId(body);
            if (id !== undefined) ids.user = id;
          }
          if (part === 'groups') {
            const id = firstId(body);
            if (id !== undefined) ids.group = id;
          }
          if (part === 'domains') {
            const id = firstFederatedId(body);
            if (id !== undefined) ids.federatedDomain = id;
          }
        } catch (err) {
          if (!(err instanceof GraphFailure)) throw err;
          result.failure = failureInfo(err);
          result.state = stateOf(err);
          if (
            result.failure.kind === 'credential-rejected' ||
            result.failure.kind === 'certificate-untrusted'
          ) {
            report.credential = { ok: false, failure: result.failure };
            result.state = 'failed';
          }
        }
      }
    }
    if (result.state !== 'ok') result.lost = lossOf(part);
    if (part === 'domains' && result.state === 'ok' && ids.federatedDomain !== undefined) {
      probes.push(await probeFederation(source, ids.federatedDomain, report));
    }
  }

  summarise(report);
  const stats = source.stats?.();
  if (stats !== undefined) report.stats = stats;
  return report;
}

/** Permissions present (every probe that answered) and missing (refused, minus those shown present). */
function summarise(report: PreflightReport): void {
  const present = new Set<string>();
  const refused = new Set<string>();
  const roles = new Set<string>();
  for (const p of report.probes) {
    // The registration report also answers to the higher UserAuthenticationMethod.Read.All
    // (https://learn.microsoft.com/graph/api/resources/userregistrationdetails), so reading it proves
    // neither permission on its own.
    if (p.state === 'ok' && p.part !== 'registration')
      for (const perm of p.required.permissions) present.add(perm);
  }
  for (const p of report.probes) {
    if (p.failure?.kind !== 'permission-missing') continue;
    for (const perm of p.failure.permissions) if (!present.has(perm)) refused.add(perm);
    for (const role of p.failure.delegatedRoles) roles.add(role);
  }
  report.permissions = { present: [...present].sort(), missing: [...refused].sort() };
  report.delegatedRolesForMissing = [...roles].sort();
  const licensed = report.probes.filter((p) => p.part === 'registration' || p.part.startsWith('signIns'));
  if (licensed.some((p) => p.state === 'licence-required')) report.licence.state = 'missing';
  else if (licensed.some((p) => p.state === 'ok')) report.licence.state = 'present';
}

/** What the token (and, for a delegated sign-in without `wids`, the directory) says about the caller. */
export interface WriteEvidence {
  /** undefined: no token, or one that did not decode. */
  claims: TokenClaims | undefined;
  /** Active directory role template ids of the signed-in user, when the token did not carry them. */
  roleTemplateIds?: readonly string[];
}

interface CheckSpec {
  kind: 'permission' | 'role';
  accepted: readonly string[];
  required: boolean;
  why: string;
}

const GLOBAL_ADMIN = 'Global Administrator';

/** What each command that writes needs (src/collect/graph/permissions.ts WRITE_ACCESS; roles for delegated sign-in only). */
function specsFor(purpose: WritePurpose, delegated: boolean): CheckSpec[] {
  const roles = (spec: CheckSpec): CheckSpec[] => (delegated ? [spec] : []);
  if (purpose === 'rollout') {
    return [
      {
        kind: 'permission',
        accepted: WRITE_ACCESS.groupMembers.accepted,
        required: true,
        why: 'add and remove members of the enforcement and bypass groups',
      },
      ...roles({
        kind: 'role',
        accepted: [...WRITE_ACCESS.groupMembers.delegatedRoles, GLOBAL_ADMIN],
        required: true,
        why: 'a signed-in admin changes group membership only with one of these roles',
      }),
    ];
  }
  return [
    {
      kind: 'permission',
      accepted: WRITE_ACCESS.methods.accepted,
      required: true,
      why: 'create Temporary Access Passes, delete half-registered Authenticator entries, change the default method',
    },
    {
      kind: 'permission',
      accepted: ['Policy.Read.All', 'Policy.ReadWrite.AuthenticationMethod'],
      required: true,
      why: "read the tenant's Temporary Access Pass policy (who may get one, for how long)",
    },
    ...roles({
      kind: 'role',
      accepted: [...WRITE_ACCESS.methods.delegatedRoles, GLOBAL_ADMIN],
      required: true,
      why: "a signed-in admin manages other users' authentication methods only with one of these roles",
    }),
    // https://learn.microsoft.com/entra/identity/authentication/howto-authentication-temporary-access-pass: an
    // Authentication Administrator can create passes for members only; admins need a Privileged Authentication Administrator.
    ...roles({
      kind: 'role',
      accepted: ['Privileged Authentication Administrator', GLOBAL_ADMIN],
      required: false,
      why: 'users who hold an admin role: an Authentication Administrator cannot create their passes or delete their methods',
    }),
  ];
}

/**
 * The write checks of `preflight --for`, from what the token grants. Pure. A token that did not
 * decode, or a delegated one whose roles could not be read, gives `unknown`: never "present".
 */
export function checkWrites(purpose: WritePurpose, evidence: WriteEvidence): WritePreflight {
  const claims = evidence.claims;
  const delegated = claims?.kind === 'user';
  const signIn = claims === undefined ? 'unknown' : delegated ? 'delegated' : 'app-only';
  // Without a readable token we cannot tell a delegated sign-in from an app-only one: ask for both.
  const specs = specsFor(purpose, delegated || claims === undefined);
  const granted = claims === undefined ? undefined : new Set(delegated ? claims.scopes : claims.roles);
  const roleIds = claims?.wids ?? evidence.roleTemplateIds;
  const roleNames =
    roleIds === undefined
      ? undefined
      : new Set(
          Object.entries(ROLE_TEMPLATE_IDS)
            .filter(([, id]) => roleIds.some((r) => r.toLowerCase() === id))
            .map(([name]) => name),
        );
  const checks = specs.map((spec): WriteCheck => {
    const have = spec.kind === 'permission' ? granted : roleNames;
    const found = have === undefined ? undefined : spec.accepted.find((a) => have.has(a));
    const check: WriteCheck = {
      kind: spec.kind,
      name: spec.accepted[0] as string,
      accepted: [...spec.accepted],
      state: have === undefined ? 'unknown' : found !== undefined ? 'present' : 'missing',
      required: spec.required,
      why: spec.why,
    };
    if (found !== undefined) check.found = found;
    return check;
  });
  return { purpose, signIn, checks };
}

/**
 * `preflight --for`: reads the token's claims (never sending a write) and, for a delegated sign-in
 * whose token lists no roles, the signed-in user's active directory roles from Graph
 * (https://learn.microsoft.com/graph/api/user-list-transitivememberof). PIM-eligible roles that are
 * not activated do not count, as they would not for the writes.
 */
export async function preflightWrites(
  source: CollectSource,
  purpose: WritePurpose,
  token: string | undefined,
): Promise<WritePreflight> {
  const claims = token === undefined ? undefined : decodeTokenClaims(token);
  const evidence: WriteEvidence = { claims };
  if (claims?.kind === 'user' && claims.wids === undefined) {
    try {
      const body = await source.get<{ value?: { roleTemplateId?: unknown }[] }>(
        '/me/transitiveMemberOf/microsoft.graph.directoryRole?$select=roleTemplateId,displayName',
        { version: 'v1.0' },
      );
      evidence.roleTemplateIds = (body.value ?? []).flatMap((r) =>
        typeof r.roleTemplateId === 'string' ? [r.roleTemplateId] : [],
      );
    } catch (err) {
      if (!(err instanceof GraphFailure)) throw err;
      // Roles stay unknown: reported as such, not as missing or present.
    }
  }
  return checkWrites(purpose, evidence);
}
