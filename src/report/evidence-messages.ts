import type { Evidence, EvidenceCode, EvidenceFieldsByCode, EvidenceOf } from '../domain/verdict.js';
import { LOOP_WINDOW_MINUTES, MY_SIGNINS_APP_ID, STRONG_AUTH_METHOD_TYPES } from '../domain/well-known.js';
import { formatAge, formatTime, paren, plural } from './format.js';
import { methodStateLabel, methodTypeLabel, policyMethodLabel } from './labels.js';
import { safeList, safeText, safeValue } from './sanitize.js';

/** Method types as fields hold them: MethodKinds, report strings, or StrongAuthenticationMethod names. */
function methodTypes(types: readonly string[] | undefined): string | undefined {
  if (types === undefined || types.length === 0) return undefined;
  return types
    .map((t) =>
      /^\d+$/.test(t)
        ? (STRONG_AUTH_METHOD_TYPES[Number(t)] ?? `MethodType ${t}`)
        : methodTypeLabel(safeText(t)),
    )
    .join(', ');
}

type SignInFields = EvidenceFieldsByCode['registration-interrupt'];

/** The application a sign-in went to: its name, else its id. */
function signInApp(f: SignInFields, fallback: string): string {
  return safeValue(f.appDisplayName) ?? safeValue(f.appId) ?? fallback;
}

/** "Outlook (error 50072)" / "My Signins (succeeded)": the app and the outcome of a sign-in. */
function signInWhat(f: SignInFields, fallbackApp: string): string {
  const code = f.errorCode;
  return `${signInApp(f, fallbackApp)} (${code === 0 ? 'succeeded' : `error ${code}`})`;
}

/** `"iPhone 15" (id)`: an Authenticator device as the audit event names it. */
function device(f: EvidenceFieldsByCode['authenticator-device-added']): string {
  const name = safeValue(f.deviceName);
  const id = safeValue(f.methodId);
  if (name !== undefined && id !== undefined) return `"${name}" (${id})`;
  if (name !== undefined) return `"${name}"`;
  return id ?? 'a device';
}

/** The policy's method configuration as the portal names it ("Microsoft Authenticator", not its id). */
function configuration(f: { configurationId: string }): string {
  const id = safeValue(f.configurationId);
  return id === undefined ? 'a method' : policyMethodLabel(id);
}

function reason(f: { resultReason?: string }): string {
  return paren(safeValue(f.resultReason));
}

/**
 * The words for each evidence code, each given the finding narrowed to its code, so it reads the
 * code's own fields (domain/evidence.ts) by name. Keyed by `EvidenceCode`: a code added in
 * domain/verdict.ts without words here does not compile. Tenant strings go through safeValue/safeList:
 * they are text for a terminal, never markup.
 */
type EvidenceMessages = { [C in EvidenceCode]: (e: EvidenceOf<C>) => string };

export const EVIDENCE_MESSAGES: EvidenceMessages = {
  // account and scope
  'account-disabled': () =>
    'Account is disabled (accountEnabled = false): it cannot sign in, so enforcement does not affect it',
  'guest-user': () =>
    'Guest user (userType Guest): guests satisfy MFA here or in their home tenant via cross-tenant access trust; kept out of the counts',
  'excluded-by-user-option': ({ fields: f }) =>
    `Excluded by --exclude-user${paren(safeValue(f.userPrincipalName) ?? safeValue(f.value))}, e.g. a break-glass account`,
  'excluded-by-group-option': ({ fields: f }) =>
    `Member of an excluded group${paren(safeValue(f.groupName) ?? safeValue(f.groupId))} (--exclude-group)`,
  'service-account': ({ fields: f }) => {
    const tool = f.kind === 'entra-cloud-sync' ? 'Microsoft Entra Cloud Sync' : 'Microsoft Entra Connect';
    const by = f.matched === 'displayName' ? 'display name' : 'account name';
    return `Looks like a service account (${tool} sync, by its ${by}), not a person${f.excluded ? ' (--exclude-service-accounts)' : ': add --exclude-service-accounts to leave it out'}`;
  },
  'federated-user': ({ fields: f }) =>
    `Signs in through a federated domain${paren(safeValue(f.domain))}: MFA can be done at the federated IdP (e.g. AD FS)`,

  // registration report
  'report-mfa-capable': ({ fields: f }) =>
    `Registration report: MFA capable (isMfaCapable = true)${paren(methodTypes(f.methodsRegistered))}`,
  'report-mfa-registered-not-capable': ({ fields: f }) =>
    `Registration report: MFA registered but not capable (isMfaRegistered = true, isMfaCapable = false): the registered methods are not allowed for this user${paren(methodTypes(f.methodsRegistered))}`,
  'report-not-registered': ({ fields: f }) =>
    `Registration report: no MFA method registered (isMfaRegistered = false)${paren(methodTypes(f.methodsRegistered))}`,
  'report-missing-user': ({ fields: f }) => {
    const created = safeValue(f.createdDateTime);
    const refreshed = safeValue(f.reportRefreshedAt);
    const detail =
      f.reason === 'disabled'
        ? 'disabled users never are'
        : f.reason === 'created-after-report' && created !== undefined && refreshed !== undefined
          ? `created ${formatTime(created)}, after the report's refresh at ${formatTime(refreshed)}`
          : 'new users appear late, disabled users never';
    // Only the absence is said here: what the user is assessed from (a methods list, the audit log)
    // has findings of its own, and may be nothing at all.
    return `Not in the registration report (${detail})`;
  },
  'report-stale': ({ fields: f }) => {
    const refreshed = safeValue(f.lastUpdatedDateTime);
    const newer = safeValue(f.newerEvidence);
    const newerAt = safeValue(f.newerAt);
    const more = f.newerEvents > 1 ? ` and ${f.newerEvents - 1} more event(s)` : '';
    return (
      `Registration report is out of date for this user${refreshed === undefined ? '' : ` (refreshed ${formatTime(refreshed)})`}: ` +
      `newer audit evidence${newer === undefined ? '' : ` (${newer})`}${newerAt === undefined ? '' : ` from ${formatTime(newerAt)}`}${more} wins`
    );
  },
  'report-no-default-method': ({ fields: f }) =>
    `Registration report: no default MFA method, yet MFA methods are listed${paren(methodTypes(f.methodTypes))}: typical of a registration that was never completed`,

  // methods list
  'method-listed': ({ fields: f }) => {
    const kind = methodTypes([f.methodType]) ?? 'A method';
    const name = safeValue(f.displayName);
    return `Methods list: ${kind}${name === undefined ? '' : ` "${name}"`}${paren(safeValue(f.methodId))}: ${methodStateLabel(f.state)}`;
  },
  'methods-list-missing': ({ fields: f }) => {
    // Only the sources the engine names: an inventory built from nothing (`none`) is said as such,
    // never rendered into "known only from none".
    if (f.inventory === 'registration')
      return 'No authentication methods file for this user: methods are known only from the registration report';
    if (f.inventory === 'audits')
      return 'No authentication methods file for this user: methods are known only from the audit log';
    if (f.inventory === 'none')
      return 'No authentication methods file and no registration report row for this user: no list of their methods was read';
    return 'No authentication methods file for this user';
  },
  'tap-usable': ({ fields: f }) => {
    const parts: string[] = [];
    const start = safeValue(f.startDateTime);
    const end = safeValue(f.endDateTime);
    if (start !== undefined) parts.push(`from ${formatTime(start)}`);
    if (end !== undefined) parts.push(`until ${formatTime(end)}`);
    else if (f.lifetimeInMinutes !== undefined) parts.push(`for ${f.lifetimeInMinutes} min`);
    if (f.isUsableOnce !== undefined) parts.push(f.isUsableOnce ? 'one-time' : 'multi-use');
    return `Usable Temporary Access Pass${paren(parts.join(', '))}: can bootstrap registration`;
  },

  // audit log
  'authenticator-device-added': ({ fields: f }) => {
    // `completed` says whether the registration went on to finish: a device added by a scanned QR code
    // but never completed cannot do MFA, although the methods list shows it.
    const outcome =
      f.completed === true
        ? '; the registration was completed'
        : f.completed === false
          ? '; never completed (no test notification approved, no registration)'
          : '';
    const removed = f.removed === true ? '; since removed' : '';
    return `Audit: QR code scanned, Authenticator ${device(f)} added to StrongAuthenticationPhoneAppDetail${outcome}${removed}`;
  },
  'strong-auth-methods-set': ({ fields: f }) => {
    const types = methodTypes(f.methodTypes);
    const def = safeValue(f.defaultMethodType);
    const before = safeList(f.previousMethodTypes);
    return `Audit: StrongAuthenticationMethod set${types === undefined ? '' : ` to ${types}`}${def === undefined ? '' : ` (default ${def})`}${before === undefined ? ', was empty' : `, was ${before}`}`;
  },
  'security-info-registration-started': ({ fields: f }) =>
    `Audit: user started security info registration${reason(f)}`,
  'security-info-registered': ({ fields: f }) =>
    `Audit: ${f.byAdmin ? 'admin' : 'user'} registered security info${reason(f)}`,
  'security-info-registration-cancelled': ({ fields: f }) =>
    `Audit: user cancelled security info registration${reason(f)}`,
  'security-info-deleted': ({ fields: f }) =>
    `Audit: ${f.byAdmin ? 'admin' : 'user'} deleted security info${reason(f)}`,
  'security-info-registration-failed': ({ fields: f }) => {
    const what = f.methodType === undefined ? 'security info' : methodTypeLabel(f.methodType);
    return `Audit: registration of ${what} by ${f.byAdmin ? 'an admin' : 'the user'} failed${reason(f)}: not a registered method`;
  },
  'security-info-default-changed': ({ fields: f }) =>
    `Audit: ${f.byAdmin ? 'admin' : 'user'} changed the default method${f.methodType === undefined ? '' : ` to ${methodTypeLabel(f.methodType)}`}${reason(f)}`,
  'security-info-unknown-reason': ({ fields: f }) =>
    `Audit: ${safeValue(f.activity) ?? 'security info event'} with a reason mfa-ready does not know${reason(f)}: not read as a completed registration`,

  // sign-ins
  'mfa-sign-in': ({ fields: f }) => {
    const how = safeValue(f.authenticationMethod);
    const detail = safeValue(f.resultDetail);
    const kinds = f.methodKinds ?? [];
    const app = signInApp(f, 'sign-in');
    const latest = f.count > 1 ? ` (latest of ${f.count})` : '';
    const said = detail === undefined ? '' : ` ("${detail}")`;
    if (f.proves === false) {
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
  'mfa-satisfied-by-claim': ({ fields: f }) => {
    const what = `Sign-in: MFA satisfied by a claim${paren(safeValue(f.detail))} at ${signInApp(f, 'sign-in')}`;
    if (f.federatedIdpMfaBehavior === 'rejectMfaByFederatedIdp') {
      return `${what}: the domain rejects MFA done by its federated IdP (federatedIdpMfaBehavior rejectMfaByFederatedIdp), so it is not proof`;
    }
    if (f.federation === 'domain') return `${what}: done at the federated IdP of the user's domain`;
    if (f.federation === 'issuer') {
      return `${what}: done at the federated IdP that issued the token (${safeValue(f.tokenIssuerType) ?? 'not Entra ID'})`;
    }
    return `${what}: carried over from an earlier sign-in (no federation evident), so it proves only what that sign-in did`;
  },
  'authenticator-app-sign-in': ({ fields: f }) =>
    `Sign-in to the Microsoft Authenticator app with this account (${plural(f.count, 'time')}): the app shows it, but that is not an MFA registration`,
  'registration-interrupt': ({ fields: f }) =>
    `Sign-in: ${signInWhat(f, 'sign-in')} interrupted: MFA registration required`,
  'security-info-app-sign-in': ({ fields: f }) =>
    `Sign-in: ${signInWhat(f, `My Signins (${MY_SIGNINS_APP_ID})`)}, the security info registration page`,
  'registration-loop': ({ fields: f }) => {
    const to = safeValue(f.lastAt);
    const span = formatAge(safeValue(f.firstAt), to);
    const when =
      span !== undefined && to !== undefined
        ? ` within ${span}, the last at ${formatTime(to)}`
        : ` within ${LOOP_WINDOW_MINUTES} min`;
    return `Registration loop: ${f.count} registration sign-ins${when}, and no security info registered since`;
  },

  // authentication methods policy
  'policy-not-migrated': ({ fields: f }) =>
    `Authentication methods policy not migrated${paren(safeValue(f.policyMigrationState))}: legacy MFA settings also apply and Graph cannot read them, so the report's isMfaCapable is used instead (lower confidence)`,
  'policy-method-disabled': ({ fields: f }) =>
    `Authentication methods policy: ${configuration(f)} is disabled${paren(methodTypes([f.methodType]))}`,
  'policy-user-not-targeted': ({ fields: f }) => {
    const groups = safeList(f.includeGroupNames) ?? safeList(f.includeTargets);
    return `Authentication methods policy: ${configuration(f)} is not enabled for this user${groups === undefined ? '' : ` (include targets: ${groups})`}`;
  },
  'policy-user-excluded': ({ fields: f }) => {
    const group = safeValue(f.groupName) ?? safeValue(f.groupId);
    return `Authentication methods policy: user is excluded from ${configuration(f)}${group === undefined ? '' : ` by ${group}`}`;
  },
  'policy-membership-unknown': ({ fields: f }) => {
    const group = safeValue(f.groupName) ?? safeValue(f.groupId);
    return (
      `Authentication methods policy: ${configuration(f)} has as ${f.targetKind} target ` +
      `${group === undefined ? 'a group' : `group ${group}`} whose ` +
      'members were not exported (groupMembers/<group id>.json): whether the method is allowed for this user is unknown'
    );
  },

  // flags
  'weak-phone-only': () => 'Only phone (SMS/voice) methods are usable: phishable and open to SIM swap',
  'admin-role': () => 'Holds an admin role (isAdmin in the registration report)',

  // sign-ins, MFA not done now
  'mfa-requirement-skipped': ({ fields: f }) => {
    const detail = safeValue(f.detail ?? undefined);
    return (
      `Sign-in: MFA was required at ${signInApp(f, 'sign-in')} but skipped` +
      `${detail === undefined ? ' (trusted IP or location)' : ` ("${detail}")`}` +
      `${f.count > 1 ? ` on ${f.count} sign-ins` : ''}: no MFA was done, so it is not proof; ` +
      'enforcement without that exemption would prompt this user'
    );
  },
  'mfa-satisfied-earlier': ({ fields: f }) =>
    `Sign-in: MFA satisfied by an earlier sign-in${paren(safeValue(f.detail))} at ${signInApp(f, 'sign-in')}: proves only what that earlier sign-in did`,
};

function render<C extends EvidenceCode>(e: EvidenceOf<C>): string {
  const words: (e: EvidenceOf<C>) => string = EVIDENCE_MESSAGES[e.code];
  return words(e);
}

/** The words for one finding: a single line, safe to print (tenant values are escaped). */
export function evidenceText(e: Evidence): string {
  return render(e);
}
