import type { MethodKind } from '../domain/tenant.js';
import type {
  Action,
  ActionCode,
  ActionOf,
  Evidence,
  EvidenceCode,
  UserAssessment,
} from '../domain/verdict.js';
import { formatTime, paren } from './format.js';
import { METHODS_POLICY_BLADE, methodKindLabel, policyMethodLabel } from './labels.js';
import { safeList, safeText, safeValue } from './sanitize.js';

/** Where users add security info (the combined registration page). */
export const SECURITY_INFO_URL = 'https://aka.ms/mysecurityinfo';
/** A proof-up bypass group name as admins commonly call it; named as an example. */
const EXAMPLE_BYPASS_GROUP = 'MFA_ProofUpBypass';
const POLICIES_BLADE = METHODS_POLICY_BLADE;

/** Graph collection under /users/{id}/authentication/ to DELETE a method of each kind (null: cannot). */
const METHOD_COLLECTIONS = {
  password: null,
  phone: 'phoneMethods',
  microsoftAuthenticator: 'microsoftAuthenticatorMethods',
  passwordlessMicrosoftAuthenticator: 'passwordlessMicrosoftAuthenticatorMethods',
  fido2: 'fido2Methods',
  windowsHelloForBusiness: 'windowsHelloForBusinessMethods',
  softwareOath: 'softwareOathMethods',
  hardwareOath: 'hardwareOathMethods',
  email: 'emailMethods',
  temporaryAccessPass: 'temporaryAccessPassMethods',
  platformCredential: 'platformCredentialMethods',
  qrCodePin: 'qrCodePinMethod',
  external: 'externalAuthenticationMethods',
  unknown: null,
} as const satisfies Record<MethodKind, string | null>;

/** The user's findings of one code, typed as such. */
function evidenceOf<C extends EvidenceCode>(user: UserAssessment, code: C): Extract<Evidence, { code: C }>[] {
  return user.evidence.filter((e): e is Extract<Evidence, { code: C }> => e.code === code);
}

/** A method's device name, if a finding about that method id (methods list, audit log) recorded one. */
export function methodName(user: UserAssessment, methodId: string): string | undefined {
  for (const e of user.evidence) {
    const name =
      e.code === 'method-listed' && e.fields.methodId === methodId
        ? safeValue(e.fields.displayName)
        : e.code === 'authenticator-device-added' && e.fields.methodId === methodId
          ? safeValue(e.fields.deviceName)
          : undefined;
    if (name !== undefined) return name;
  }
  return undefined;
}

function userPortal(user: UserAssessment): string {
  return `Entra admin center › Users › ${safeText(user.userPrincipalName)} › Authentication methods`;
}

/**
 * Whether `methodId` is a Graph method id: one the methods list or the audit log's device records
 * named. A method known only from the registration report carries the report's string
 * (`microsoftAuthenticatorPush`) as its id, and a DELETE on that would name a method that is not there.
 */
function isGraphMethodId(user: UserAssessment, methodId: string): boolean {
  return user.evidence.some(
    (e) =>
      (e.code === 'method-listed' || e.code === 'authenticator-device-added') &&
      e.fields.methodId === methodId,
  );
}

/** Whether the user holds a usable Temporary Access Pass, by the action's flag or the finding. */
function hasUsableTap(tapUsable: boolean, user: UserAssessment): boolean {
  return tapUsable || evidenceOf(user, 'tap-usable').length > 0;
}

function issueTap(user: UserAssessment): string {
  return (
    `issue a one-time Temporary Access Pass (${userPortal(user)} › Add authentication method › Temporary Access Pass, ` +
    `or POST /users/${safeText(user.id)}/authentication/temporaryAccessPassMethods with {"isUsableOnce": true})`
  );
}

/** The way past the MFA prompt: the user's own usable pass when they hold one, else a new one. */
function tapStep(tapUsable: boolean, user: UserAssessment): string {
  return hasUsableTap(tapUsable, user)
    ? `have the user sign in with their usable Temporary Access Pass${tapValidity(user)} (issuing another would replace it)`
    : issueTap(user);
}

const BYPASS_GROUP = `the proof-up bypass group (e.g. ${EXAMPLE_BYPASS_GROUP})`;

/** The user's methods to delete: the unverified ones, and those the action names. */
function halfRegistered(a: ActionOf<'complete-authenticator-registration'>, user: UserAssessment) {
  return user.methods.filter((m) => m.state === 'unverified' || a.fields.methodIds.includes(m.id));
}

function completeRegistration(
  a: ActionOf<'complete-authenticator-registration'>,
  user: UserAssessment,
): string {
  const broken = halfRegistered(a, user);
  if (broken.length === 0) {
    // No method says which: name none rather than a placeholder id.
    return (
      `Delete the half-registered Authenticator (${userPortal(user)}) and have the user re-register at ` +
      `${SECURITY_INFO_URL}, approving the test notification (remove the stale account from the Authenticator app first)`
    );
  }
  const deletes = broken.map((m) => {
    const name = methodName(user, m.id);
    const collection = METHOD_COLLECTIONS[m.type];
    const kind = m.type === 'microsoftAuthenticator' ? 'Authenticator' : methodKindLabel(m.type);
    const list = `/users/${safeText(user.id)}/authentication/${collection}`;
    const graph =
      collection === null
        ? ''
        : isGraphMethodId(user, m.id)
          ? `, or DELETE ${list}/${safeText(m.id)}`
          : `, or GET ${list} for its id, then DELETE ${list}/{id}`;
    return `the half-registered ${kind}${name === undefined ? '' : ` "${name}"`} (${userPortal(user)}${graph})`;
  });
  return (
    `Delete ${deletes.join(' and ')} and have the user re-register at ${SECURITY_INFO_URL}, approving the test ` +
    'notification (remove the stale account from the Authenticator app first)'
  );
}

interface PolicyFix {
  /** The step with where to do it. */
  full: string;
  /** The step alone, for the table. */
  brief: string;
}

type PolicyAction = ActionOf<'allow-method-in-policy'>;

/** What to change in the authentication methods policy, from the findings that blocked the user. */
function policyFixes(a: PolicyAction, user: UserAssessment): PolicyFix[] {
  const fixes: PolicyFix[] = [];
  // The portal's name for the method ("Microsoft Authenticator"), as the admin finds it on the Policies blade.
  const configOf = (id: string): string => {
    const safe = safeValue(id);
    return safe === undefined ? 'the method' : policyMethodLabel(safe);
  };
  for (const e of evidenceOf(user, 'policy-method-disabled')) {
    const config = configOf(e.fields.configurationId);
    fixes.push({
      full: `enable ${config} (${POLICIES_BLADE} › ${config} › Enable and target)`,
      brief: `enable ${config}`,
    });
  }
  for (const e of evidenceOf(user, 'policy-user-not-targeted')) {
    const config = configOf(e.fields.configurationId);
    const groups = safeList(e.fields.includeGroupNames) ?? safeList(e.fields.includeTargets);
    const target = `an include group${paren(groups)} of ${config}`;
    fixes.push({
      full: `add the user to ${target} (${POLICIES_BLADE} › ${config})`,
      brief: `add to ${target}`,
    });
  }
  for (const e of evidenceOf(user, 'policy-user-excluded')) {
    const config = configOf(e.fields.configurationId);
    const group = safeValue(e.fields.groupName) ?? safeValue(e.fields.groupId) ?? 'the exclude group';
    fixes.push({
      full: `remove the user from ${group}, which ${config} excludes (${POLICIES_BLADE} › ${config})`,
      brief: `remove from ${group} (excluded from ${config})`,
    });
  }
  const named = safeList(a.fields.configurationIds?.map(policyMethodLabel));
  if (fixes.length === 0 && named !== undefined) {
    fixes.push({
      full: `enable ${named} for the user (${POLICIES_BLADE} › ${named})`,
      brief: `enable ${named} for the user`,
    });
  }
  // Two phones blocked by the same Sms configuration need one fix, not two.
  return fixes.filter((f, i) => fixes.findIndex((g) => g.full === f.full) === i);
}

function allowInPolicy(a: PolicyAction, user: UserAssessment): string {
  const fixes = policyFixes(a, user);
  if (fixes.length === 0 && evidenceOf(user, 'policy-not-migrated').length > 0) {
    return (
      'Registered but not MFA-capable, and the methods policy is not migrated: check that the legacy MFA service ' +
      "settings (verification options) and the authentication methods policy allow the user's registered methods, " +
      `or have the user register an allowed method at ${SECURITY_INFO_URL}`
    );
  }
  const steps =
    fixes.length > 0
      ? fixes.map((f) => f.full).join('; ')
      : `enable one of the user's registered methods for them (${POLICIES_BLADE} › the method › Enable and target)`;
  return `Allow a registered method: ${steps}. Or have the user register a method the policy allows at ${SECURITY_INFO_URL}`;
}

function allowInPolicyBrief(a: PolicyAction, user: UserAssessment): string {
  const fixes = policyFixes(a, user);
  if (fixes.length > 0) return `Authentication methods policy: ${fixes.map((f) => f.brief).join('; ')}`;
  if (evidenceOf(user, 'policy-not-migrated').length > 0) {
    return "Check legacy MFA settings and the methods policy allow the user's registered methods";
  }
  return "Enable one of the user's registered methods for them in the authentication methods policy";
}

function noneExcluded(user: UserAssessment): string {
  const why = user.exclusion;
  if (why === undefined) return 'None: excluded from the assessment';
  switch (why) {
    case 'disabled':
      return 'None: the account is disabled. If it is re-enabled, re-run mfa-ready before it signs in';
    case 'guest':
      return 'None here: guests are out of scope; cover them with a guest MFA policy (and cross-tenant access settings if you trust their home tenant MFA)';
    case 'excluded-user':
    case 'excluded-group':
      return 'None: excluded on purpose (e.g. break-glass). Exclude it from the Conditional Access policy the same way, and protect it with a FIDO2 key';
    case 'service-account':
      return 'None: a directory-synchronisation account, not a person. Exclude it from the Conditional Access policy that requires MFA, as Microsoft advises for sync accounts';
    default: {
      // A new ExclusionReason without words fails to compile here.
      const unhandled: never = why;
      return unhandled;
    }
  }
}

function tapValidity(user: UserAssessment): string {
  const end = safeValue(evidenceOf(user, 'tap-usable')[0]?.fields.endDateTime);
  return end === undefined ? '' : ` (valid until ${formatTime(end)})`;
}

/**
 * One function per action code, given the action narrowed to its code (its own fields, by name) and
 * the user. Keyed by `ActionCode`: a code added in domain/verdict.ts without words here does not compile.
 */
type ActionMessages = { [C in ActionCode]: (a: ActionOf<C>, user: UserAssessment) => string };

/**
 * The next step for each action code, precise enough for an Entra admin to do it: where to click, which
 * Graph call, what to tell the user.
 */
export const ACTION_MESSAGES: ActionMessages = {
  none: (_a, user) =>
    user.confidence === 'reported'
      ? 'None: ready, though only the report or methods list says so (no completed registration or MFA sign-in seen)'
      : 'None: ready for enforcement',
  'none-excluded': (_a, user) => noneExcluded(user),
  'complete-authenticator-registration': completeRegistration,
  'break-registration-loop': (a, user) => {
    // A TAP already issued can be used as is; a new one would replace it (one usable TAP per user).
    const tap = tapStep(a.fields.tapUsable, user);
    return (
      `Add to ${BYPASS_GROUP} and ${tap} so they can register at ${SECURITY_INFO_URL}; ` +
      'remove from bypass once registration is verified'
    );
  },
  'register-before-enforcement': (_a, user) =>
    `Before enforcing: have the user register Microsoft Authenticator at ${SECURITY_INFO_URL} now (Add sign-in method › ` +
    'Microsoft Authenticator, approve the test notification); being signed into the app is not a registration. ' +
    `If they get stuck between sign-in and the security info page, add to ${BYPASS_GROUP} and ${tapStep(false, user)}; ` +
    'remove from bypass once registration is verified',
  'register-with-tap': (_a, user) =>
    `Have the user sign in with their usable Temporary Access Pass${tapValidity(user)} at ${SECURITY_INFO_URL} and register ` +
    'Microsoft Authenticator (approving the test notification) or a passkey before it expires',
  'allow-method-in-policy': allowInPolicy,
  'register-strong-method': (a, user) => {
    const sspr =
      a.fields.hasSsprMethods === true
        ? ' (their email or security questions count for password reset only, not for MFA)'
        : '';
    return (
      `Have the user register Microsoft Authenticator or a passkey at ${SECURITY_INFO_URL} before enforcement${sspr}; ` +
      `if an MFA policy already blocks them, add to ${BYPASS_GROUP} and ${tapStep(false, user)} first`
    );
  },
  'add-stronger-method': () =>
    `Works, but only with phone (SMS/voice): have the user add Microsoft Authenticator or a passkey at ${SECURITY_INFO_URL} and make it the default`,
  'collect-user-methods': (_a, user) =>
    "Read this user's methods before enforcement: nothing read says whether they can do MFA, so they count as not ready. " +
    'Collect them (mfa-ready collect --methods open: a refresh of the history reads every open user whose list was never read; ' +
    'for an export folder, --resume --only methods --methods open into the same folder), or look in ' +
    `${userPortal(user)}, or save GET /users/${safeText(user.id)}/authentication/methods (or ` +
    `Get-MgUserAuthenticationMethod -UserId ${safeText(user.id)} | ConvertTo-Json -Depth 10) as ` +
    `authenticationMethods/${safeText(user.id)}.json; then audit again`,
};

function completeRegistrationBrief(
  a: ActionOf<'complete-authenticator-registration'>,
  user: UserAssessment,
): string {
  const names = halfRegistered(a, user).map((m) => {
    const name = methodName(user, m.id);
    return `${m.type === 'microsoftAuthenticator' ? 'Authenticator' : methodKindLabel(m.type)}${name === undefined ? '' : ` "${name}"`}`;
  });
  return (
    `Delete the half-registered ${names.length > 0 ? names.join(' and ') : 'Authenticator'}; the user re-registers at ` +
    `${SECURITY_INFO_URL} and approves the test notification`
  );
}

/**
 * The same steps in a few words, for the one-line-per-user table; the full text (portal path, Graph
 * call) is in CSV, JSON and the --user drill-down.
 */
export const ACTION_BRIEFS: ActionMessages = {
  none: () => 'None',
  'none-excluded': () => 'None (not counted)',
  'complete-authenticator-registration': completeRegistrationBrief,
  'break-registration-loop': (a, user) =>
    `Add to ${BYPASS_GROUP} + ${hasUsableTap(a.fields.tapUsable, user) ? 'their usable' : 'one-time'} TAP; ` +
    `user registers at ${SECURITY_INFO_URL}; remove from bypass once verified`,
  'register-before-enforcement': () =>
    `Register Authenticator at ${SECURITY_INFO_URL} before enforcement (being signed into the app is not registering)`,
  'register-with-tap': (_a, user) =>
    `Sign in with the usable TAP${tapValidity(user)} at ${SECURITY_INFO_URL}; register Authenticator or a passkey`,
  'allow-method-in-policy': allowInPolicyBrief,
  'register-strong-method': () =>
    `Register Authenticator or a passkey at ${SECURITY_INFO_URL} before enforcement`,
  'add-stronger-method': () => `Add Authenticator or a passkey at ${SECURITY_INFO_URL} (phone only today)`,
  'collect-user-methods': () =>
    'Read their methods (mfa-ready collect --methods open, or Entra admin center › Users › the user › Authentication methods), then audit again',
};

function render<C extends ActionCode>(table: ActionMessages, a: ActionOf<C>, user: UserAssessment): string {
  const words: (a: ActionOf<C>, user: UserAssessment) => string = table[a.code];
  return words(a, user);
}

/** The next action in a few words, for tables. Safe to print. */
export function actionBrief(a: Action, user: UserAssessment): string {
  return render(ACTION_BRIEFS, a, user);
}

/** The words for a user's next action: a single line, safe to print. */
export function actionText(a: Action, user: UserAssessment): string {
  return render(ACTION_MESSAGES, a, user);
}
