import { UsageError } from '../domain/errors.js';
import {
  MY_SECURITY_INFO_URL,
  REMEDIATION_PLAN_VERSION,
  REMEDIATION_VERDICTS,
  TAP_POLICY_LOCATION,
  type RemediationAction,
  type RemediationPlan,
  type RemediationReason,
  type SecondaryMethod,
  type TapPolicy,
  type UserRemediation,
  type WriteActionCode,
} from '../domain/remediation.js';
import type {
  AuthMethod,
  MethodConfiguration,
  RegistrationDetail,
  TenantSnapshot,
} from '../domain/tenant.js';
import type { Assessment, Evidence, UserAssessment, Verdict } from '../domain/verdict.js';
import { GroupMembership } from '../assess/group-membership.js';
import { MethodsPolicy } from '../assess/methods-policy.js';

export interface RemediationOptions {
  now: Date;
  /** `--verdict`: default REMEDIATION_VERDICTS (with `users` given: any verdict). */
  verdicts?: readonly Verdict[];
  /** `--user`: UPNs or object ids, any case. */
  users?: readonly string[];
  /** `--tap-lifetime`: minutes; default the policy's default, kept within its minimum and maximum. */
  tapLifetimeInMinutes?: number;
  /** `--tap-start`: ISO 8601; default at once. */
  tapStart?: string;
  /**
   * `--privileged`: the admin applying the plan is a Privileged Authentication Administrator, so
   * admins' TAPs and methods may be written.
   */
  privileged?: boolean;
}

/** The TAP configuration's id in the methods policy. */
const TAP_CONFIGURATION = 'TemporaryAccessPass';

/**
 * Graph's bounds for any pass, whatever the policy says: 10 minutes to 30 days
 * (https://learn.microsoft.com/graph/api/authentication-post-temporaryaccesspassmethods).
 */
const TAP_MIN_MINUTES = 10;
const TAP_MAX_MINUTES = 43_200;
/** The policy's own default when it states none (Learn: howto-authentication-temporary-access-pass). */
const TAP_DEFAULT_MINUTES = 60;

export function tapPolicyOf(snapshot: TenantSnapshot): TapPolicy {
  const config = tapConfiguration(snapshot);
  if (config === undefined)
    return {
      state: 'unknown',
      defaultLifetimeInMinutes: null,
      minimumLifetimeInMinutes: null,
      maximumLifetimeInMinutes: null,
      isUsableOnce: null,
    };
  return {
    state: config.state?.toLowerCase() === 'enabled' ? 'enabled' : 'disabled',
    defaultLifetimeInMinutes: config.defaultLifetimeInMinutes ?? null,
    minimumLifetimeInMinutes: config.minimumLifetimeInMinutes ?? null,
    maximumLifetimeInMinutes: config.maximumLifetimeInMinutes ?? null,
    isUsableOnce: config.isUsableOnce ?? null,
  };
}

function tapConfiguration(snapshot: TenantSnapshot): MethodConfiguration | undefined {
  return snapshot.methodsPolicy?.configurations.find((c) => c.id.toLowerCase() === 'temporaryaccesspass');
}

/**
 * The lifetime a pass gets: the one asked for, else the policy's default, kept within the policy's
 * minimum and maximum (Graph refuses a pass outside them) and within Graph's 10 to 43,200 minutes.
 */
export function tapLifetime(policy: TapPolicy, asked: number | undefined): number {
  const min = Math.max(TAP_MIN_MINUTES, policy.minimumLifetimeInMinutes ?? TAP_MIN_MINUTES);
  const max = Math.min(TAP_MAX_MINUTES, policy.maximumLifetimeInMinutes ?? TAP_MAX_MINUTES);
  const wanted = asked ?? policy.defaultLifetimeInMinutes ?? TAP_DEFAULT_MINUTES;
  return Math.min(max, Math.max(min, wanted));
}

/**
 * `remediate plan`: for each selected user, what an experienced helpdesk would do, as data. Pure:
 * reads the assessment and the snapshot it was made from, writes nothing.
 */
export function planRemediation(
  assessment: Assessment,
  snapshot: TenantSnapshot,
  options: RemediationOptions,
): RemediationPlan {
  const wanted = selectUsers(assessment, options);
  const tapPolicy = tapPolicyOf(snapshot);
  const ctx: Context = {
    snapshot,
    options,
    tapPolicy,
    tapConfig: tapConfiguration(snapshot),
    membership: new GroupMembership(snapshot.groups),
    // Indexed once: a large tenant can have tens of thousands of users to plan for.
    userTypes: new Map((snapshot.users ?? []).map((d) => [d.id, d.userType?.toLowerCase()])),
    registration: new Map((snapshot.registration ?? []).map((r) => [r.id, r])),
  };
  const users = wanted.map((u) => planUser(u, ctx));
  return {
    planVersion: REMEDIATION_PLAN_VERSION,
    kind: 'remediation',
    createdAt: options.now.toISOString(),
    basedOn: {
      generatedAt: assessment.generatedAt,
      collectedAt: assessment.tenant.collectedAt ?? null,
      tenantId: assessment.tenant.tenantId ?? null,
    },
    selection: {
      verdicts: [...(options.verdicts ?? (options.users?.length ? [] : REMEDIATION_VERDICTS))],
      users: [...(options.users ?? [])],
    },
    tapPolicy,
    users,
  };
}

/**
 * The users to plan for: those with a selected verdict; with `--user`, those named (every name must
 * match, a typo must not read as "nothing to do"), any verdict unless `--verdict` is given too.
 */
function selectUsers(assessment: Assessment, options: RemediationOptions): UserAssessment[] {
  const named = options.users ?? [];
  const verdicts = new Set<Verdict>(options.verdicts ?? (named.length > 0 ? [] : REMEDIATION_VERDICTS));
  const byVerdict = (u: UserAssessment) => verdicts.size === 0 || verdicts.has(u.verdict);
  if (named.length === 0) return assessment.users.filter(byVerdict);
  const byKey = new Map<string, UserAssessment>();
  for (const u of assessment.users) {
    byKey.set(u.id.toLowerCase(), u);
    byKey.set(u.userPrincipalName.toLowerCase(), u);
  }
  const out: UserAssessment[] = [];
  const seen = new Set<string>();
  for (const name of named) {
    const u = byKey.get(name.toLowerCase());
    if (u === undefined)
      throw new UsageError(
        `--user ${name}: no such user in the assessed population`,
        'Give the UPN or object id as the audit lists it.',
      );
    if (!seen.has(u.id) && byVerdict(u)) out.push(u);
    seen.add(u.id);
  }
  return out;
}

interface Context {
  snapshot: TenantSnapshot;
  options: RemediationOptions;
  tapPolicy: TapPolicy;
  tapConfig: MethodConfiguration | undefined;
  membership: GroupMembership;
  userTypes: Map<string, string | undefined>;
  registration: Map<string, RegistrationDetail>;
}

function evidenceOf<C extends Evidence['code']>(
  u: UserAssessment,
  code: C,
): Extract<Evidence, { code: C }>[] {
  return u.evidence.filter((e): e is Extract<Evidence, { code: C }> => e.code === code);
}

function isGuest(u: UserAssessment, ctx: Context): boolean {
  if (u.exclusion === 'guest' || evidenceOf(u, 'guest-user').length > 0) return true;
  return ctx.userTypes.get(u.id) === 'guest';
}

function planUser(u: UserAssessment, ctx: Context): UserRemediation {
  const federatedDomain = evidenceOf(u, 'federated-user')[0]?.fields.domain ?? null;
  const base = {
    userId: u.id,
    userPrincipalName: u.userPrincipalName,
    displayName: u.displayName,
    verdict: u.verdict,
    isAdmin: u.isAdmin,
    federatedDomain,
  };
  // A TAP is for members only, and a guest's methods live in their home tenant
  // (https://learn.microsoft.com/entra/identity/authentication/howto-authentication-temporary-access-pass).
  if (isGuest(u, ctx)) return { ...base, actions: [{ code: 'no-action', why: { code: 'guest' } }] };
  const actions = actionsFor(u, federatedDomain, ctx);
  const writes = actions
    .map((a) => a.code)
    .filter(
      (c): c is WriteActionCode =>
        c === 'create-tap' || c === 'delete-authenticator' || c === 'set-default-method',
    );
  // An Authentication Administrator cannot write an admin's methods; only a Privileged Authentication
  // Administrator can (https://learn.microsoft.com/entra/identity/role-based-access-control/privileged-roles-permissions).
  if (u.isAdmin && writes.length > 0 && ctx.options.privileged !== true) {
    return {
      ...base,
      actions: [
        {
          code: 'no-action',
          why: {
            code: 'admin-needs-privileged-authentication-administrator',
            withheld: [...new Set(writes)],
          },
        },
      ],
    };
  }
  return { ...base, actions };
}

function actionsFor(u: UserAssessment, federatedDomain: string | null, ctx: Context): RemediationAction[] {
  switch (u.verdict) {
    case 'unverified':
      return halfRegistered(u, ctx);
    case 'looping': {
      // The loop is observed: the user cannot reach the registration page without the MFA it asks for.
      // A TAP satisfies that MFA, and on a federated domain it skips the redirect to AD FS
      // (https://learn.microsoft.com/entra/identity/authentication/howto-authentication-temporary-access-pass).
      const loop = evidenceOf(u, 'registration-loop')[0];
      return withTap(u, { code: 'registration-loop', count: loop?.fields.count ?? 0 }, ctx);
    }
    case 'loop-risk':
    case 'not-registered': {
      // AD FS cannot host the inline registration Entra offers a cloud user at sign-in, so a federated
      // user sent to register bounces between AD FS and the security-info page
      // (test/fixtures/incidents/incident-2); a TAP signs them in at Entra itself.
      if (federatedDomain !== null)
        return withTap(u, { code: 'federated-no-inline-registration', domain: federatedDomain }, ctx);
      const interrupt = lastInterruptWithoutRegistration(u);
      if (interrupt !== null) return withTap(u, { code: 'registration-interrupted', lastAt: interrupt }, ctx);
      // A cloud user is asked to register at their next sign-in once MFA is required (combined
      // registration: https://learn.microsoft.com/entra/identity/authentication/concept-registration-mfa-sspr-combined),
      // so a message is enough, and no pass needs to change hands.
      return [askToComplete('prompted-at-sign-in', { code: 'prompted-at-sign-in' })];
    }
    default:
      // A user who is ready by another method (named with --user or --verdict ready) may still carry a
      // half-registered entry, the default they are prompted with first: it is cleaned up the same way.
      if (
        u.verdict === 'ready' &&
        u.methods.some((m) => m.state === 'unverified' && m.type === 'microsoftAuthenticator')
      )
        return halfRegistered(u, ctx);
      return [{ code: 'no-action', why: { code: 'nothing-to-fix', verdict: u.verdict } }];
  }
}

/**
 * A cloud user Entra already sent to register (50072/50079) who registered nothing since: the prompt
 * did not get them through, so they need a pass. null when no such interrupt is on record.
 */
function lastInterruptWithoutRegistration(u: UserAssessment): string | null {
  const interrupts = evidenceOf(u, 'registration-interrupt')
    .map((e) => e.at)
    .filter((at): at is string => at !== null)
    .sort();
  const last = interrupts[interrupts.length - 1];
  if (last === undefined) return null;
  const registeredSince = evidenceOf(u, 'security-info-registered').some((e) => e.at !== null && e.at > last);
  return registeredSince ? null : last;
}

/**
 * Incident 1 (test/fixtures/incidents/incident-1): an Authenticator entry whose registration was never
 * verified is listed but cannot do MFA, and neither the user's page nor the admin APIs tell it apart.
 * Deleting the entry lets the user start again from a clean page
 * (https://learn.microsoft.com/graph/api/microsoftauthenticatorauthenticationmethod-delete); Graph has
 * no "require re-register MFA" (https://github.com/microsoftgraph/microsoft-graph-docs-contrib/issues/2580).
 */
function halfRegistered(u: UserAssessment, ctx: Context): RemediationAction[] {
  const ids = new Set<string>(
    u.action.code === 'complete-authenticator-registration' ? u.action.fields.methodIds : [],
  );
  for (const m of u.methods)
    if (m.state === 'unverified' && m.type === 'microsoftAuthenticator') ids.add(m.id);
  if (ids.size === 0) return [{ code: 'no-action', why: { code: 'methods-not-collected' } }];
  const listed = userMethods(u, ctx.snapshot);
  const isDefault = defaultIsPush(ctx.registration.get(u.id));
  const fallback = fallbackDefault(u, ids, listed);
  const actions: RemediationAction[] = [];
  const first = [...ids][0] as string;
  // A default method cannot be deleted while the user has others: Graph answers 400 "Cannot delete
  // default method with other methods configured"
  // (https://github.com/microsoftgraph/microsoft-graph-docs-contrib/issues/2913). Move it first.
  if (isDefault === true && fallback !== null)
    actions.push({
      code: 'set-default-method',
      method: fallback,
      reason: { code: 'half-registered-authenticator', methodId: first },
    });
  for (const id of ids) {
    actions.push({
      code: 'delete-authenticator',
      methodId: id,
      deviceName: deviceNameOf(u, id),
      isDefault,
      fallbackDefault: fallback,
      reason: { code: 'half-registered-authenticator', methodId: id },
    });
  }
  actions.push(askToComplete('re-register', { code: 'half-registered-authenticator', methodId: first }));
  return actions;
}

function userMethods(u: UserAssessment, snapshot: TenantSnapshot): AuthMethod[] {
  return (
    (snapshot.methods?.get(u.id) ?? snapshot.methods?.get(u.userPrincipalName.toLowerCase()))?.methods ?? []
  );
}

function deviceNameOf(u: UserAssessment, methodId: string): string | null {
  for (const e of evidenceOf(u, 'method-listed'))
    if (e.fields.methodId === methodId && e.fields.displayName !== undefined) return e.fields.displayName;
  for (const e of evidenceOf(u, 'authenticator-device-added'))
    if (e.fields.methodId === methodId && e.fields.deviceName !== undefined) return e.fields.deviceName;
  return null;
}

/**
 * Whether the user's default second factor is Authenticator push, as the (beta) registration report
 * said: `userPreferredMethodForSecondaryAuthentication`, else `defaultMfaMethod`
 * (https://learn.microsoft.com/graph/api/resources/userregistrationdetails?view=graph-rest-beta).
 * null: the report does not say.
 */
function defaultIsPush(row: RegistrationDetail | undefined): boolean | null {
  const preferred = row?.userPreferredMethodForSecondaryAuthentication ?? row?.defaultMfaMethod;
  if (preferred === undefined) return null;
  return preferred === 'push' || preferred === 'microsoftAuthenticatorPush';
}

/**
 * A usable method the default can move to, in the order an admin would pick: another working
 * Authenticator needs no change (push still works); then an OATH code; then the mobile phone by SMS;
 * then the other phones by voice. Values of userDefaultAuthenticationMethodType
 * (https://learn.microsoft.com/graph/api/resources/signinpreferences?view=graph-rest-beta).
 */
function fallbackDefault(
  u: UserAssessment,
  deleting: ReadonlySet<string>,
  listed: readonly AuthMethod[],
): SecondaryMethod | null {
  const usable = u.methods.filter((m) => m.state === 'usable' && !deleting.has(m.id));
  if (usable.some((m) => m.type === 'microsoftAuthenticator')) return null;
  if (usable.some((m) => m.type === 'softwareOath' || m.type === 'hardwareOath')) return 'oath';
  const phones = usable
    .filter((m) => m.type === 'phone')
    .map((m) => listed.find((l) => l.id === m.id)?.phoneType?.toLowerCase() ?? 'mobile');
  if (phones.includes('mobile')) return 'sms';
  if (phones.includes('alternatemobile')) return 'voiceAlternateMobile';
  if (phones.includes('office')) return 'voiceOffice';
  return null;
}

/** A one-time TAP within the tenant's policy, then the message telling the user what to do with it. */
function withTap(u: UserAssessment, reason: RemediationReason, ctx: Context): RemediationAction[] {
  const { tapPolicy, tapConfig, options } = ctx;
  if (tapConfig === undefined || tapPolicy.state === 'unknown')
    return [{ code: 'no-action', why: { code: 'tap-policy-unknown' } }];
  if (tapPolicy.state === 'disabled')
    return [{ code: 'no-action', why: { code: 'tap-policy-disabled', where: TAP_POLICY_LOCATION } }];
  // The targeting rules are the methods policy's own (assess/methods-policy.ts); the TAP configuration
  // governs passes whatever the policy's migration state.
  const decision = new MethodsPolicy(
    { policyMigrationState: 'migrationComplete', configurations: [tapConfig] },
    ctx.membership,
  ).evaluate(u.id, [TAP_CONFIGURATION]);
  if (decision.kind === 'blocked') {
    const block = decision.blocks[0];
    if (block?.code === 'policy-user-excluded')
      return [
        {
          code: 'no-action',
          why: { code: 'tap-user-excluded', targetId: block.targetId, where: TAP_POLICY_LOCATION },
        },
      ];
    if (block?.code === 'policy-user-not-targeted')
      return [
        {
          code: 'no-action',
          why: {
            code: 'tap-user-not-targeted',
            includeTargets: block.includeTargets,
            where: TAP_POLICY_LOCATION,
          },
        },
      ];
    return [{ code: 'no-action', why: { code: 'tap-policy-disabled', where: TAP_POLICY_LOCATION } }];
  }
  // A user has at most one usable pass and a new one replaces it
  // (https://learn.microsoft.com/graph/api/authentication-post-temporaryaccesspassmethods): hand over
  // the one that works rather than invalidate it.
  const existing = evidenceOf(u, 'tap-usable')[0];
  if (existing !== undefined)
    return [
      {
        code: 'no-action',
        why: {
          code: 'tap-exists',
          methodId: existing.fields.methodId,
          endDateTime: existing.fields.endDateTime ?? null,
        },
      },
    ];
  const assumedTargets = decision.kind === 'allowed' ? decision.unknown.map((x) => x.groupId) : [];
  const lifetimeInMinutes = tapLifetime(tapPolicy, options.tapLifetimeInMinutes);
  // One-time: the pass is spent on the registration it is for and is worth nothing afterwards.
  return [
    {
      code: 'create-tap',
      lifetimeInMinutes,
      isUsableOnce: true,
      startDateTime: options.tapStart ?? null,
      assumedTargets,
      reason,
    },
    askToComplete('with-tap', reason),
  ];
}

type MessageKind = 're-register' | 'with-tap' | 'prompted-at-sign-in';

const MESSAGES: Record<MessageKind, string> = {
  're-register':
    `Your Microsoft Authenticator registration was never finished, so it cannot be used to sign in. ` +
    `We have removed it so you can start again: open ${MY_SECURITY_INFO_URL}, choose "Add sign-in method", ` +
    `add Microsoft Authenticator, scan the QR code and approve the test notification the page sends ` +
    `before you close it.`,
  'with-tap':
    `Your helpdesk will give you a one-time Temporary Access Pass. Open ${MY_SECURITY_INFO_URL}, sign in ` +
    `with your user name and the pass, add Microsoft Authenticator and approve the test notification ` +
    `before you close the page. The pass works once and expires: use it as soon as you get it.`,
  'prompted-at-sign-in':
    `Please set up Microsoft Authenticator now: open ${MY_SECURITY_INFO_URL}, choose "Add sign-in method", ` +
    `add Microsoft Authenticator and approve the test notification before you close the page. ` +
    `If you are asked to register at your next sign-in, follow the steps to the end.`,
};

function askToComplete(kind: MessageKind, reason: RemediationReason): RemediationAction {
  return { code: 'ask-to-complete', message: MESSAGES[kind], url: MY_SECURITY_INFO_URL, reason };
}
