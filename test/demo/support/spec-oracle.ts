/**
 * A deliberately small, independent reading of the README's verdict model, applied to the raw Graph
 * JSON a synthetic tenant emits. It exists to check the *generator*: that the data of each persona
 * really implies the verdict personas.ts promises — so the demo cannot quietly stop containing a
 * verdict, and a persona cannot drift into another one through noise. It is not the product's engine
 * (src/assess) and must not import it: two independent readings agreeing is the point.
 */
import {
  AUTHENTICATOR_APP_ID,
  MFA_CLAIM_PHRASES,
  MY_SIGNINS_APP_ID,
  REGISTRATION_INTERRUPT_CODES,
  STRONG_AUTH_METHOD_TYPES,
} from '../../../src/domain/well-known.js';
import type { Confidence, ExclusionReason, Verdict } from '../../../src/domain/verdict.js';
import type { SyntheticTenant } from '../../../src/demo/generate-tenant.js';
import type {
  DirectoryAudit,
  GraphAuthenticationMethod,
  MethodConfiguration,
  SignIn,
} from '../../../src/demo/graph-types.js';

export interface Judgement {
  verdict: Verdict;
  confidence: Confidence;
  weak: boolean;
  isAdmin: boolean;
  exclusion?: ExclusionReason;
}

const MINUTE = 60_000;
const APP_METHOD_TYPES = new Set<unknown>(['PhoneAppNotification', 'PhoneAppOTP', 6, 7]);
const STRONG_TYPES = new Set([
  '#microsoft.graph.phoneAuthenticationMethod',
  '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod',
  '#microsoft.graph.fido2AuthenticationMethod',
  '#microsoft.graph.windowsHelloForBusinessAuthenticationMethod',
  '#microsoft.graph.softwareOathAuthenticationMethod',
]);
/** Policy configuration governing each method type; WHfB is not governed by the methods policy. */
const CONFIG_FOR: Record<string, string[]> = {
  '#microsoft.graph.phoneAuthenticationMethod': ['Sms', 'Voice'],
  '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod': ['MicrosoftAuthenticator'],
  '#microsoft.graph.fido2AuthenticationMethod': ['Fido2'],
  '#microsoft.graph.softwareOathAuthenticationMethod': ['SoftwareOath'],
};

const time = (iso: string) => Date.parse(iso);
const hasClaim = (s: SignIn) =>
  MFA_CLAIM_PHRASES.some(
    (p) =>
      s.status.additionalDetails === p ||
      s.authenticationDetails.some((d) => d.authenticationStepResultDetail === p),
  );
const isMfaSuccess = (s: SignIn) =>
  s.status.errorCode === 0 &&
  (s.authenticationRequirement === 'multiFactorAuthentication' ||
    s.authenticationDetails.some((d) => d.succeeded && d.authenticationStepRequirement === 'MFA') ||
    hasClaim(s));
const isRegistrationSignIn = (s: SignIn) =>
  (REGISTRATION_INTERRUPT_CODES as readonly number[]).includes(s.status.errorCode) ||
  s.appId === MY_SIGNINS_APP_ID;
const isRegistrationDone = (a: DirectoryAudit) =>
  a.result === 'success' &&
  (a.activityDisplayName === 'User registered security info' ||
    a.activityDisplayName === 'User registered all required security info');

function parseJson(value: string | null): unknown[] {
  if (value === null || value === '') return [];
  const parsed: unknown = JSON.parse(value);
  return Array.isArray(parsed) ? parsed : [];
}

export function judgeTenant(tenant: SyntheticTenant): Map<string, Judgement> {
  const now = time(tenant.tenant.collectedAt);
  const federated = new Set(
    tenant.domains.filter((d) => d.authenticationType === 'Federated').map((d) => d.id.toLowerCase()),
  );
  const members = new Map([...tenant.groupMembers].map(([g, refs]) => [g, new Set(refs.map((r) => r.id))]));
  const report = new Map(tenant.registration.map((r) => [r.id, r]));
  const configs = new Map(tenant.methodsPolicy.authenticationMethodConfigurations.map((c) => [c.id, c]));
  const audits = new Map<string, DirectoryAudit[]>();
  for (const a of tenant.audits) {
    for (const t of a.targetResources) {
      if (t.type !== 'User') continue;
      const list = audits.get(t.id) ?? [];
      list.push(a);
      audits.set(t.id, list);
    }
  }
  const signIns = new Map<string, SignIn[]>();
  for (const s of tenant.signIns) {
    const list = signIns.get(s.userId) ?? [];
    list.push(s);
    signIns.set(s.userId, list);
  }

  const targets = (c: MethodConfiguration, userId: string) => (t: { id: string }) =>
    t.id === 'all_users' || t.id === userId || (members.get(t.id)?.has(userId) ?? false);
  const allowed = (m: GraphAuthenticationMethod, userId: string): boolean => {
    const ids = CONFIG_FOR[m['@odata.type']];
    if (ids === undefined) return true;
    return ids.some((id) => {
      const c = configs.get(id);
      return (
        c !== undefined &&
        c.state === 'enabled' &&
        c.includeTargets.some(targets(c, userId)) &&
        !c.excludeTargets.some(targets(c, userId))
      );
    });
  };

  const result = new Map<string, Judgement>();
  for (const user of tenant.users) {
    const row = report.get(user.id);
    const isAdmin = row?.isAdmin ?? false;
    if (!user.accountEnabled) {
      result.set(user.id, {
        verdict: 'excluded',
        confidence: null,
        weak: false,
        isAdmin,
        exclusion: 'disabled',
      });
      continue;
    }
    if (user.userType === 'Guest') {
      result.set(user.id, {
        verdict: 'excluded',
        confidence: null,
        weak: false,
        isAdmin,
        exclusion: 'guest',
      });
      continue;
    }
    const userAudits = (audits.get(user.id) ?? [])
      .slice()
      .sort((a, b) => time(a.activityDateTime) - time(b.activityDateTime));
    const userSignIns = (signIns.get(user.id) ?? [])
      .slice()
      .sort((a, b) => time(a.createdDateTime) - time(b.createdDateTime));
    const mfaTimes = userSignIns.filter(isMfaSuccess).map((s) => time(s.createdDateTime));
    const registeredTimes = userAudits.filter(isRegistrationDone).map((a) => time(a.activityDateTime));

    // Authenticator devices first seen in StrongAuthenticationPhoneAppDetail, and app methods being set.
    const deviceAdded = new Map<string, number>();
    const appMethodsSet: number[] = [];
    for (const a of userAudits) {
      if (a.activityDisplayName !== 'Update user') continue;
      for (const p of a.targetResources.flatMap((t) => t.modifiedProperties)) {
        if (p.displayName === 'StrongAuthenticationPhoneAppDetail') {
          const before = new Set(parseJson(p.oldValue).map((d) => (d as { Id: string }).Id));
          for (const d of parseJson(p.newValue) as { Id: string }[]) {
            if (!before.has(d.Id) && !deviceAdded.has(d.Id)) deviceAdded.set(d.Id, time(a.activityDateTime));
          }
        }
        if (p.displayName === 'StrongAuthenticationMethod') {
          const entries = parseJson(p.newValue) as { MethodType: unknown }[];
          if (entries.some((e) => APP_METHOD_TYPES.has(e.MethodType)))
            appMethodsSet.push(time(a.activityDateTime));
        }
      }
    }

    const methods = tenant.methods.get(user.id) ?? [];
    const strong = methods.filter((m) => STRONG_TYPES.has(m['@odata.type']));
    const completed = (m: GraphAuthenticationMethod): boolean => {
      if (m['@odata.type'] !== '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod') return true;
      const added = deviceAdded.get(m.id);
      if (added !== undefined) {
        const later = (t: number) => t > added;
        return appMethodsSet.some(later) || registeredTimes.some(later) || mfaTimes.some(later);
      }
      // No audit evidence: Authenticator listed while the report shows no default MFA method.
      return row === undefined || !['', 'none'].includes(row.defaultMfaMethod);
    };
    const usable = strong.filter((m) => completed(m) && allowed(m, user.id));
    const domain = user.userPrincipalName.split('@')[1]?.toLowerCase() ?? '';
    const federatedClaim =
      federated.has(domain) &&
      strong.length === 0 &&
      userSignIns.some((s) => s.status.errorCode === 0 && hasClaim(s));

    if (usable.length > 0 || federatedClaim) {
      const confidence: Confidence =
        mfaTimes.length > 0
          ? 'proven'
          : registeredTimes.length > 0 || appMethodsSet.length > 0
            ? 'registered'
            : 'reported';
      const weak =
        usable.length > 0 &&
        usable.every((m) => m['@odata.type'] === '#microsoft.graph.phoneAuthenticationMethod');
      result.set(user.id, { verdict: 'ready', confidence, weak, isAdmin });
      continue;
    }

    const loopSignIns = userSignIns.filter(isRegistrationSignIn).map((s) => time(s.createdDateTime));
    let looping = false;
    for (let i = 0; i < loopSignIns.length && !looping; i++) {
      for (let j = i + 2; j < loopSignIns.length; j++) {
        const first = loopSignIns[i] as number;
        const last = loopSignIns[j] as number;
        if (last - first > 15 * MINUTE) break;
        if (now - last <= 24 * 60 * MINUTE && !registeredTimes.some((t) => t > first)) looping = true;
      }
    }
    const verdict: Verdict = looping
      ? 'looping'
      : strong.some((m) => !completed(m))
        ? 'unverified'
        : strong.length > 0
          ? 'policy-blocked'
          : userSignIns.some((s) => s.appId === AUTHENTICATOR_APP_ID && s.status.errorCode === 0)
            ? 'loop-risk'
            : 'not-registered';
    result.set(user.id, { verdict, confidence: null, weak: false, isAdmin });
  }
  return result;
}

/** MethodType numbers are positions in this list; exported for tests that decode events. */
export const METHOD_TYPE_NAMES = STRONG_AUTH_METHOD_TYPES;
