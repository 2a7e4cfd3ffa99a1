/**
 * `/auditLogs/directoryAudits` and `/auditLogs/signIns`, streamed newest first from the generator.
 * The `$filter` is compiled and applied to every row; its top-level `and` terms are also pushed
 * down (time window, user, app, interactive or not) so that a narrow query over a large tenant
 * generates only what it can match.
 */
import { GAP } from '../../demo/generate-tenant.js';
import type { EventQuery } from '../../demo/generate-tenant.js';
import type { DirectoryAudit, SignIn } from '../../demo/graph-types.js';
import { DIRECTORY_AUDIT_FILTER, SIGN_IN_FILTER } from '../entities/filter-schemas.js';
import { prefersUnknownEnumMembers, signInFor } from '../entities/sign-in-entity.js';
import type { SignInShapeContext } from '../entities/sign-in-entity.js';
import type { GraphRequest } from '../graph/graph-request.js';
import type { FilterNode } from '../odata/filter-ast.js';
import {
  anyEqualsSet,
  anyOfEquals,
  anyPropertyEquals,
  comparisonOf,
  mentions,
  pushdown,
} from '../odata/filter-pushdown.js';
import type { QueryOptions } from '../odata/query-options.js';
import { NO_ITEM } from '../paging/turns.js';
import { serveCollection } from './collection.js';
import type { Route, RouteContext } from './route.js';
import { CA_READERS, PERMISSIONS, report, template } from './route.js';

const DAY = 86_400_000;
/** https://learn.microsoft.com/graph/api/directoryaudit-list: audit logs are kept 7 days on Entra ID Free, 30 on P1/P2. */
const FREE_AUDIT_RETENTION = 7 * DAY;

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The time window a filter allows, widened to a safe superset: sign-ins carry whole seconds and
 * audits 100-ns ticks, while the generator works in milliseconds.
 */
function window(filter: FilterNode | undefined, property: string): Pick<EventQuery, 'since' | 'until'> {
  const pd = pushdown(filter, property);
  const out: Pick<EventQuery, 'since' | 'until'> = {};
  if (pd.from !== undefined && Number.isFinite(pd.from)) out.since = iso(Math.floor(pd.from) - 1);
  if (pd.to !== undefined && Number.isFinite(pd.to)) out.until = iso(Math.floor(pd.to / 1000) * 1000 + 1000);
  return out;
}

function stringEquals(filter: FilterNode | undefined, path: string): string | undefined {
  const literal = pushdown(filter, '').equals.get(path);
  return typeof literal?.value === 'string' ? literal.value : undefined;
}

/**
 * https://learn.microsoft.com/graph/api/signin-list: beta returns interactive sign-ins only unless the filter names
 * `signInEventTypes`; v1.0 lists interactive sign-ins only.
 */
function interactiveOf(req: GraphRequest, filter: FilterNode | undefined): boolean | undefined {
  if (req.version === 'v1.0' || !mentions(filter, 'signInEventTypes')) return true;
  if (filter === undefined) return undefined;
  let interactive: boolean | undefined;
  for (const c of pushdown(filter, '').conjuncts) {
    const set = anyEqualsSet(c, 'signInEventTypes');
    if (set !== undefined && set.size === 1) {
      if (set.has('interactiveuser')) interactive = true;
      else if (set.has('noninteractiveuser')) interactive = false;
    }
    const cmp = comparisonOf(c);
    if (cmp?.path === 'isinteractive' && cmp.op === 'eq' && typeof cmp.literal.value === 'boolean') {
      interactive = cmp.literal.value;
    }
  }
  return interactive;
}

function signInQuery(req: GraphRequest, options: QueryOptions, ctx: RouteContext): EventQuery {
  const filter = options.filter;
  const query: EventQuery = { ...window(filter, 'createdDateTime') };
  const userId = stringEquals(filter, 'userid');
  const upn = stringEquals(filter, 'userprincipalname');
  if (userId !== undefined) query.userId = ctx.directory.user(userId)?.id ?? userId;
  else if (upn !== undefined) query.userId = ctx.directory.user(upn)?.id ?? `unknown:${upn}`;
  const appId = stringEquals(filter, 'appid');
  if (appId !== undefined) query.appId = appId.toLowerCase();
  else {
    // `… and (appId eq 'a' or appId eq 'b')`: generate only those apps' sign-ins.
    const appIds = anyOfEquals(filter, 'appid');
    if (appIds !== undefined) query.appIds = appIds.map((a) => a.toLowerCase());
  }
  const interactive = interactiveOf(req, filter);
  if (interactive !== undefined) query.interactive = interactive;
  return query;
}

function auditQuery(options: QueryOptions, ctx: RouteContext): EventQuery {
  const query: EventQuery = { ...window(options.filter, 'activityDateTime') };
  if (ctx.licence === 'free') {
    const floor = ctx.collectedAt - FREE_AUDIT_RETENTION;
    if (query.since === undefined || Date.parse(query.since) < floor) query.since = iso(floor);
  }
  // Every audit event of a user targets that user, so `targetResources/any(t: t/id eq '{user}')`
  // narrows generation to the user's own events (the predicate still checks each row).
  for (const c of options.filter !== undefined ? pushdown(options.filter, '').conjuncts : []) {
    const id = anyPropertyEquals(c, 'targetResources', 'id');
    const user = id !== undefined ? ctx.directory.user(id) : undefined;
    if (user !== undefined) query.userId = user.id;
  }
  return query;
}

/** Each group's member ids as a set, built once per tenant: every sign-in asks for each policy's groups. */
const MEMBER_SETS = new WeakMap<RouteContext['tenant'], Map<string, Set<string>>>();

function memberSets(tenant: RouteContext['tenant']): Map<string, Set<string>> {
  let sets = MEMBER_SETS.get(tenant);
  if (sets === undefined) {
    sets = new Map([...tenant.groupMembers].map(([id, members]) => [id, new Set(members.map((m) => m.id))]));
    MEMBER_SETS.set(tenant, sets);
  }
  return sets;
}

function signInShape(req: GraphRequest, ctx: RouteContext): SignInShapeContext {
  return {
    tenantId: ctx.tenantId,
    userTypeOf: (id) => (ctx.directory.user(id)?.userType === 'Guest' ? 'guest' : 'member'),
    canReadConditionalAccess: CA_READERS.some((r) => req.caller.roles.has(r)),
    policies: {
      conditionalAccess: ctx.tenant.conditionalAccess,
      isMember: (userId, groupId) => memberSets(ctx.tenant).get(groupId)?.has(userId) === true,
      includeUnknownEnumMembers: prefersUnknownEnumMembers(req.headers['prefer']),
    },
  };
}

const AUDIT_PROPERTIES: readonly (keyof DirectoryAudit)[] = [
  'id',
  'category',
  'correlationId',
  'result',
  'resultReason',
  'activityDisplayName',
  'activityDateTime',
  'loggedByService',
  'operationType',
  'initiatedBy',
  'targetResources',
  'additionalDetails',
];

export const auditLogRoutes: Route[] = [
  {
    name: '/auditLogs/directoryAudits',
    method: 'GET',
    versions: ['v1.0', 'beta'],
    // https://learn.microsoft.com/graph/deployments: the directoryAudit pages list Global and US Government only.
    unavailableIn: ['china'],
    match: template('auditLogs/directoryAudits'),
    // Licence on Free: UNCONFIRMED (https://learn.microsoft.com/graph/api/directoryaudit-list); served, with Free's 7-day retention.
    access: report(PERMISSIONS.auditLogs, false),
    handle: (req, _params, ctx) =>
      serveCollection(req, ctx, {
        typeName: 'microsoft.graph.directoryAudit',
        filterSchema: DIRECTORY_AUDIT_FILTER,
        properties: AUDIT_PROPERTIES,
        context: 'auditLogs/directoryAudits',
        size: ctx.pageSizes.directoryAudits,
        naturalOrder: { property: 'activityDateTime', descending: true },
        entities: function* (options) {
          for (const a of ctx.tenant.iterateAudits({ ...auditQuery(options, ctx), gaps: true })) {
            yield a === GAP ? NO_ITEM : { ...a };
          }
        },
      }),
  },
  {
    name: '/auditLogs/signIns',
    method: 'GET',
    versions: ['v1.0', 'beta'],
    match: template('auditLogs/signIns'),
    // https://learn.microsoft.com/graph/api/signin-list: P1/P2 required.
    access: report(PERMISSIONS.auditLogs, true),
    handle: (req, _params, ctx) => {
      const shape = signInShape(req, ctx);
      const schema = SIGN_IN_FILTER(req.version);
      return serveCollection(req, ctx, {
        typeName: 'microsoft.graph.signIn',
        filterSchema: schema,
        properties: Object.keys(
          signInFor(SAMPLE_SIGN_IN, req.version, { ...shape, canReadConditionalAccess: true }),
        ),
        context: 'auditLogs/signIns',
        size: ctx.pageSizes.signIns,
        naturalOrder: { property: 'createdDateTime', descending: true },
        entities: function* (options) {
          for (const s of ctx.tenant.iterateSignIns({ ...signInQuery(req, options, ctx), gaps: true })) {
            yield s === GAP ? NO_ITEM : signInFor(s, req.version, shape);
          }
        },
      });
    },
  },
];

/** A template row, only to list the properties `$select` may name. */
const SAMPLE_SIGN_IN: SignIn = {
  id: '',
  createdDateTime: '1970-01-01T00:00:00Z',
  userDisplayName: '',
  userPrincipalName: '',
  userId: '',
  appId: '',
  appDisplayName: '',
  ipAddress: '',
  clientAppUsed: 'Browser',
  correlationId: '',
  conditionalAccessStatus: 'notApplied',
  isInteractive: true,
  tokenIssuerType: 'AzureAD',
  authenticationRequirement: 'singleFactorAuthentication',
  signInEventTypes: ['interactiveUser'],
  status: { errorCode: 0, failureReason: '', additionalDetails: null },
  authenticationDetails: [],
};
