import type { Evidence, EvidenceCode } from '../domain/verdict.js';
import { LOOP_WINDOW_MINUTES, MY_SIGNINS_APP_ID, STRONG_AUTH_METHOD_TYPES } from '../domain/well-known.js';
import { fieldBool, fieldList, fieldNumber, fieldText, paren } from './fields.js';
import type { Fields } from './fields.js';
import { formatAge, formatTime, plural } from './format.js';
import { isMethodState, methodStateLabel, methodTypeLabel } from './labels.js';

/** Method types from fields: MethodKinds, report strings, or StrongAuthenticationMethod numbers/names. */
function methodTypes(f: Fields): string | undefined {
  const types = fieldList(f, 'methodTypes', 'methodType', 'methods', 'methodsRegistered', 'type', 'kind');
  if (types.length === 0) return undefined;
  return types
    .map((t) =>
      /^\d+$/.test(t) ? (STRONG_AUTH_METHOD_TYPES[Number(t)] ?? `MethodType ${t}`) : methodTypeLabel(t),
    )
    .join(', ');
}

/** "Outlook (error 50072)" / "My Signins (succeeded)": the app and the outcome of a sign-in. */
function signInWhat(f: Fields, fallbackApp: string): string {
  const app = fieldText(f, 'appDisplayName', 'app', 'appId') ?? fallbackApp;
  const code = fieldNumber(f, 'errorCode');
  if (code === undefined) return app;
  return `${app} (${code === 0 ? 'succeeded' : `error ${code}`})`;
}

function device(f: Fields): string {
  const name = fieldText(f, 'deviceName', 'displayName');
  const id = fieldText(f, 'methodId', 'deviceId', 'id');
  if (name !== undefined && id !== undefined) return `"${name}" (${id})`;
  if (name !== undefined) return `"${name}"`;
  return id ?? 'a device';
}

function configuration(f: Fields): string {
  return (
    fieldText(f, 'configurationId', 'configurationIds', 'configuration', 'methodConfiguration') ?? 'a method'
  );
}

function reason(f: Fields): string {
  return paren(fieldText(f, 'reason', 'resultReason', 'detail'));
}

/**
 * One function per evidence code: the words for a finding. The record is checked against
 * `EvidenceCode`, so a code added in domain/verdict.ts without words here does not compile.
 * Fields are optional everywhere: the message must still be true and useful without them.
 */
const EVIDENCE_MESSAGES = {
  // account and scope
  'account-disabled': () =>
    'Account is disabled (accountEnabled = false): it cannot sign in, so enforcement does not affect it',
  'guest-user': () =>
    'Guest user (userType Guest): guests satisfy MFA here or in their home tenant via cross-tenant access trust; kept out of the counts',
  'excluded-by-user-option': (e) =>
    `Excluded by --exclude-user${paren(fieldText(e.fields, 'userPrincipalName', 'upn', 'value'))}, e.g. a break-glass account`,
  'excluded-by-group-option': (e) =>
    `Member of an excluded group${paren(fieldText(e.fields, 'groupName', 'groupDisplayName', 'groupId', 'groupIds'))} (--exclude-group)`,
  'federated-user': (e) =>
    `Signs in through a federated domain${paren(fieldText(e.fields, 'domain', 'domainName'))}: MFA can be done at the federated IdP (e.g. AD FS)`,

  // registration report
  'report-mfa-capable': (e) =>
    `Registration report: MFA capable (isMfaCapable = true)${paren(methodTypes(e.fields))}`,
  'report-mfa-registered-not-capable': (e) =>
    `Registration report: MFA registered but not capable (isMfaRegistered = true, isMfaCapable = false): the registered methods are not allowed for this user${paren(methodTypes(e.fields))}`,
  'report-not-registered': (e) =>
    `Registration report: no MFA method registered (isMfaRegistered = false)${paren(methodTypes(e.fields))}`,
  'report-missing-user': (e) => {
    const why = fieldText(e.fields, 'reason');
    const created = fieldText(e.fields, 'createdDateTime');
    const refreshed = fieldText(e.fields, 'reportRefreshedAt');
    const detail =
      why === 'disabled'
        ? 'disabled users never are'
        : why === 'created-after-report' && created !== undefined && refreshed !== undefined
          ? `created ${formatTime(created)}, after the report's refresh at ${formatTime(refreshed)}`
          : 'new users appear late, disabled users never';
    return `Not in the registration report (${detail}): assessed from the users list and methods`;
  },
  'report-stale': (e) => {
    const refreshed = fieldText(e.fields, 'lastUpdatedDateTime', 'reportRefreshedAt', 'reportAt');
    const newer = fieldText(e.fields, 'newerEvidence', 'newerCode', 'supersededBy');
    const newerAt = fieldText(e.fields, 'newerAt', 'laterAt');
    const events = fieldNumber(e.fields, 'newerEvents');
    const more = events !== undefined && events > 1 ? ` and ${events - 1} more event(s)` : '';
    return (
      `Registration report is out of date for this user${refreshed === undefined ? '' : ` (refreshed ${formatTime(refreshed)})`}: ` +
      `newer audit evidence${newer === undefined ? '' : ` (${newer})`}${newerAt === undefined ? '' : ` from ${formatTime(newerAt)}`}${more} wins`
    );
  },
  'report-no-default-method': (e) => {
    const types = methodTypes(e.fields);
    return `Registration report: no default MFA method, yet MFA methods are listed${paren(types)}: typical of a registration that was never completed`;
  },

  // methods list
  'method-listed': (e) => {
    const kind = methodTypes(e.fields) ?? 'A method';
    const name = fieldText(e.fields, 'displayName', 'deviceName');
    const id = fieldText(e.fields, 'methodId', 'id');
    const state = fieldText(e.fields, 'state');
    const stateText = state !== undefined && isMethodState(state) ? `: ${methodStateLabel(state)}` : '';
    return `Methods list: ${kind}${name === undefined ? '' : ` "${name}"`}${paren(id)}${stateText}`;
  },
  'methods-list-missing': (e) => {
    const from = fieldText(e.fields, 'inventory', 'origin');
    const known =
      from === 'audits'
        ? 'the audit log'
        : from === 'registration' || from === undefined
          ? 'the registration report'
          : from;
    return `No authentication methods file for this user: methods are known only from ${known}`;
  },
  'tap-usable': (e) => {
    const parts: string[] = [];
    const start = fieldText(e.fields, 'startDateTime', 'start');
    const end = fieldText(e.fields, 'endDateTime', 'expiresAt', 'validUntil');
    const minutes = fieldNumber(e.fields, 'lifetimeInMinutes');
    const once = fieldBool(e.fields, 'isUsableOnce');
    if (start !== undefined) parts.push(`from ${formatTime(start)}`);
    if (end !== undefined) parts.push(`until ${formatTime(end)}`);
    else if (minutes !== undefined) parts.push(`for ${minutes} min`);
    if (once !== undefined) parts.push(once ? 'one-time' : 'multi-use');
    return `Usable Temporary Access Pass${paren(parts.join(', '))}: can bootstrap registration`;
  },

  // audit log
  'authenticator-device-added': (e) => {
    // `completed` says whether the registration went on to finish: the whole of incident 1.
    const completed = fieldBool(e.fields, 'completed');
    const outcome =
      completed === true
        ? '; the registration was completed'
        : completed === false
          ? '; never completed (no test notification approved, no registration)'
          : '';
    const removed = fieldBool(e.fields, 'removed') === true ? '; since removed' : '';
    return `Audit: QR code scanned, Authenticator ${device(e.fields)} added to StrongAuthenticationPhoneAppDetail${outcome}${removed}`;
  },
  'strong-auth-methods-set': (e) => {
    const types = methodTypes(e.fields);
    const def = fieldText(e.fields, 'defaultMethodType', 'default');
    const before = fieldList(e.fields, 'previousMethodTypes');
    const was =
      e.fields?.['previousMethodTypes'] === undefined
        ? ''
        : before.length === 0
          ? ', was empty'
          : `, was ${before.join(', ')}`;
    return `Audit: StrongAuthenticationMethod set${types === undefined ? '' : ` to ${types}`}${def === undefined ? '' : ` (default ${def})`}${was}`;
  },
  'security-info-registration-started': (e) =>
    `Audit: user started security info registration${reason(e.fields)}`,
  'security-info-registered': (e) =>
    `Audit: ${fieldBool(e.fields, 'byAdmin') === true ? 'admin' : 'user'} registered security info${reason(e.fields)}`,
  'security-info-registration-cancelled': (e) =>
    `Audit: user cancelled security info registration${reason(e.fields)}`,
  'security-info-deleted': (e) => {
    const byAdmin = fieldBool(e.fields, 'byAdmin', 'admin') === true;
    return `Audit: ${byAdmin ? 'admin' : 'user'} deleted security info${reason(e.fields)}`;
  },

  // sign-ins
  'mfa-sign-in': (e) => {
    const how = fieldText(e.fields, 'authenticationMethod', 'method', 'methods', 'authenticationMethodsUsed');
    const count = fieldNumber(e.fields, 'count');
    const detail = fieldText(e.fields, 'resultDetail');
    const kinds = fieldList(e.fields, 'methodKinds');
    const app = fieldText(e.fields, 'appDisplayName', 'app', 'appId') ?? 'sign-in';
    const latest = count !== undefined && count > 1 ? ` (latest of ${count})` : '';
    const said = detail === undefined ? '' : ` ("${detail}")`;
    if (fieldBool(e.fields, 'proves') === false) {
      const why = kinds.includes('temporaryAccessPass')
        ? 'a Temporary Access Pass, which proves no registered method'
        : how === undefined
          ? 'a method the log does not name'
          : `${how}, a method name mfa-ready does not know`;
      return `Sign-in: MFA done at ${app}${said} with ${why}${latest}`;
    }
    const kind = kinds.length > 0 ? ` [${kinds.map((k) => methodTypeLabel(k)).join(', ')}]` : '';
    return `Sign-in: MFA completed at ${app}${how === undefined ? '' : ` with ${how}${kind}`}${said}${latest}`;
  },
  'mfa-satisfied-by-claim': (e) => {
    const app = fieldText(e.fields, 'appDisplayName', 'app', 'appId') ?? 'sign-in';
    const what = `Sign-in: MFA satisfied by a claim${paren(fieldText(e.fields, 'detail', 'authenticationStepResultDetail', 'claim'))} at ${app}`;
    const federation = fieldText(e.fields, 'federation');
    if (fieldText(e.fields, 'federatedIdpMfaBehavior') === 'rejectMfaByFederatedIdp') {
      return `${what}: the domain rejects MFA done by its federated IdP (federatedIdpMfaBehavior rejectMfaByFederatedIdp), so it is not proof`;
    }
    if (federation === 'domain') return `${what}: done at the federated IdP of the user's domain`;
    if (federation === 'issuer') {
      return `${what}: done at the federated IdP that issued the token (${fieldText(e.fields, 'tokenIssuerType') ?? 'not Entra ID'})`;
    }
    if (e.fields !== undefined && 'federation' in e.fields) {
      return `${what}: carried over from an earlier sign-in (no federation evident), so it proves only what that sign-in did`;
    }
    return `${what}: done at the federated IdP or earlier in the session`;
  },
  'authenticator-app-sign-in': (e) => {
    const count = fieldNumber(e.fields, 'count', 'signInCount');
    return `Sign-in to the Microsoft Authenticator app with this account${count === undefined ? '' : ` (${plural(count, 'time')})`}: the app shows it, but that is not an MFA registration`;
  },
  'registration-interrupt': (e) =>
    `Sign-in: ${signInWhat(e.fields, 'sign-in')} interrupted: MFA registration required` +
    (fieldNumber(e.fields, 'errorCode') === undefined ? ' (50072/50079)' : ''),
  'security-info-app-sign-in': (e) =>
    `Sign-in: ${signInWhat(e.fields, `My Signins (${MY_SIGNINS_APP_ID})`)}, the security info registration page`,
  'registration-loop': (e) => {
    const count = fieldNumber(e.fields, 'count', 'signIns', 'signInCount');
    const from = fieldText(e.fields, 'firstAt', 'from', 'start');
    const to = fieldText(e.fields, 'lastAt', 'to', 'end');
    const minutes = fieldNumber(e.fields, 'windowMinutes', 'minutes') ?? LOOP_WINDOW_MINUTES;
    const span = formatAge(from, to);
    const when =
      span !== undefined && to !== undefined
        ? ` within ${span}, the last at ${formatTime(to)}`
        : ` within ${minutes} min`;
    return `Registration loop: ${count ?? 'several'} registration sign-ins${when}, and no security info registered since`;
  },

  // authentication methods policy
  'policy-not-migrated': (e) =>
    `Authentication methods policy not migrated${paren(fieldText(e.fields, 'policyMigrationState', 'state'))}: legacy MFA settings also apply and Graph cannot read them, so the report's isMfaCapable is used instead (lower confidence)`,
  'policy-method-disabled': (e) =>
    `Authentication methods policy: ${configuration(e.fields)} is disabled${paren(methodTypes(e.fields))}`,
  'policy-user-not-targeted': (e) => {
    const groups = fieldText(
      e.fields,
      'includeGroupNames',
      'includeGroups',
      'includeTargets',
      'groupNames',
      'groupIds',
    );
    return `Authentication methods policy: ${configuration(e.fields)} is not enabled for this user${groups === undefined ? '' : ` (include targets: ${groups})`}`;
  },
  'policy-user-excluded': (e) => {
    const group = fieldText(
      e.fields,
      'groupName',
      'excludeGroupNames',
      'groupId',
      'excludeGroups',
      'groupIds',
    );
    return `Authentication methods policy: user is excluded from ${configuration(e.fields)}${group === undefined ? '' : ` by ${group}`}`;
  },
  'policy-membership-unknown': (e) => {
    const group = fieldText(e.fields, 'groupName', 'groupNames', 'groupId', 'groupIds');
    const kind = fieldText(e.fields, 'targetKind');
    return (
      `Authentication methods policy: ${configuration(e.fields)} ${kind === undefined ? 'targets' : `has as ${kind} target`} ` +
      `${group === undefined ? 'a group' : `group ${group}`} whose ` +
      'members were not exported (groupMembers/<group id>.json): whether the method is allowed for this user is unknown'
    );
  },

  // flags
  'weak-phone-only': () => 'Only phone (SMS/voice) methods are usable: phishable and open to SIM swap',
  'admin-role': (e) =>
    `Holds an admin role${paren(fieldText(e.fields, 'roles', 'roleNames', 'role'))} (isAdmin in the registration report)`,

  // sign-ins, MFA not done now
  'mfa-requirement-skipped': (e) => {
    const count = fieldNumber(e.fields, 'count');
    const detail = fieldText(e.fields, 'detail');
    return (
      `Sign-in: MFA was required at ${fieldText(e.fields, 'appDisplayName', 'app', 'appId') ?? 'sign-in'} but skipped` +
      `${detail === undefined ? ' (trusted IP or location)' : ` ("${detail}")`}` +
      `${count !== undefined && count > 1 ? ` on ${count} sign-ins` : ''}: no MFA was done, so it is not proof; ` +
      'enforcement without that exemption would prompt this user'
    );
  },
  'mfa-satisfied-earlier': (e) =>
    `Sign-in: MFA satisfied by an earlier sign-in${paren(fieldText(e.fields, 'detail'))} at ${fieldText(e.fields, 'appDisplayName', 'app', 'appId') ?? 'sign-in'}: proves only what that earlier sign-in did`,
} as const satisfies Record<EvidenceCode, (e: Evidence) => string>;

/** The words for one finding: a single line, safe to print (tenant values are escaped). */
export function evidenceText(e: Evidence): string {
  return EVIDENCE_MESSAGES[e.code](e);
}
