import type { AuditFact, ReasonMethod } from '../domain/audit-facts.js';
import type { AuditEvent, AuditTarget } from '../domain/tenant.js';
import { AUDIT_ACTIVITIES, STRONG_AUTH_PROPERTIES } from '../domain/well-known.js';
import { findProperty, parsePhoneAppDevices, parseStrongAuthMethods } from './modified-properties.js';
import { lowerCase } from './lower-case.js';
import { memoByText } from './memo.js';
import { readReason, reasonMethod } from './security-info-reasons.js';

export type { AuditFact, AuditFactKind } from '../domain/audit-facts.js';

/** Graph spells result `success`; exports may capitalise it. A missing result is read as success. */
function succeeded(a: AuditEvent): boolean {
  return a.result === undefined || lowerCase(a.result) === 'success';
}

/**
 * "canceled" (current reference) and "cancelled" (older version) both occur. Remembered: the log
 * repeats a handful of names.
 */
const normaliseActivity = memoByText((name) => name.trim().toLowerCase().replace('cancelled', 'canceled'));

const ACTIVITY = {
  updateUser: normaliseActivity(AUDIT_ACTIVITIES.updateUser),
  started: normaliseActivity(AUDIT_ACTIVITIES.registrationStarted),
  registered: normaliseActivity(AUDIT_ACTIVITIES.registered),
  registeredAll: normaliseActivity(AUDIT_ACTIVITIES.registeredAll),
  adminRegistered: normaliseActivity(AUDIT_ACTIVITIES.adminRegistered),
  deleted: normaliseActivity(AUDIT_ACTIVITIES.deleted),
  adminDeleted: normaliseActivity(AUDIT_ACTIVITIES.adminDeleted),
  cancelled: normaliseActivity(AUDIT_ACTIVITIES.cancelled),
  changedDefault: normaliseActivity(AUDIT_ACTIVITIES.changedDefault),
} as const;

function methodOf(a: AuditEvent): ReasonMethod | undefined {
  return (
    reasonMethod(a.resultReason) ?? reasonMethod(a.additionalDetails.map((d) => d.value ?? '').join(' '))
  );
}

/** `fact` (a fresh object) with the method, when one is named: amended, not copied. */
function withMethod<T extends object>(
  fact: T,
  method: ReasonMethod | undefined,
): T & { method?: ReasonMethod } {
  const amended: T & { method?: ReasonMethod } = fact;
  if (method !== undefined) amended.method = method;
  return amended;
}

/**
 * `StrongAuthenticationPhoneAppDetail` also changes on ordinary use (app version, last-authenticated
 * time), so only a device `Id` absent from `oldValue` is a registration (https://learn.microsoft.com/entra/identity/authentication/howto-registration-mfa-sspr-combined-troubleshoot).
 */
function phoneAppFact(target: AuditTarget): AuditFact | undefined {
  const prop = findProperty(target.modifiedProperties, STRONG_AUTH_PROPERTIES.phoneAppDetail);
  if (prop === undefined) return undefined;
  const before = parsePhoneAppDevices(prop.oldValue);
  const after = parsePhoneAppDevices(prop.newValue);
  const beforeIds = new Set(before.map((d) => lowerCase(d.id)));
  const afterIds = new Set(after.map((d) => lowerCase(d.id)));
  const added = after.filter((d) => !beforeIds.has(lowerCase(d.id)));
  const removed = before.filter((d) => !afterIds.has(lowerCase(d.id)));
  if (added.length === 0 && removed.length === 0) return undefined;
  return { kind: 'phone-app-devices', added, removed, before };
}

function strongAuthMethodsFact(target: AuditTarget): AuditFact | undefined {
  const prop = findProperty(target.modifiedProperties, STRONG_AUTH_PROPERTIES.methods);
  if (prop === undefined) return undefined;
  return {
    kind: 'strong-auth-methods',
    before: parseStrongAuthMethods(prop.oldValue),
    after: parseStrongAuthMethods(prop.newValue),
  };
}

function updateUserFacts(a: AuditEvent): AuditFact[] {
  if (!succeeded(a)) return [];
  const facts: AuditFact[] = [];
  for (const target of a.targetResources) {
    const phoneApp = phoneAppFact(target);
    if (phoneApp !== undefined) facts.push(phoneApp);
    const methods = strongAuthMethodsFact(target);
    if (methods !== undefined) facts.push(methods);
  }
  return facts;
}

/**
 * A registration event ("User registered security info", its admin and "all required" forms) read with
 * its reason: the result says whether it completed, the reason what was registered and how it ended.
 * A failure, or a reason saying the registration failed or was cancelled, is never a registration; a
 * reason no known phrase matches is kept as unknown, never as a completion. Only a missing reason
 * leaves the activity's word alone (abridged exports drop it).
 */
function registrationFacts(a: AuditEvent, byAdmin: boolean, allRequired: boolean): AuditFact[] {
  const reading = readReason(a.resultReason);
  const method = methodOf(a);
  const admin = byAdmin || reading?.actor === 'admin';
  if (!succeeded(a)) {
    // The failure of "registered all required" is how an interrupted registration is cancelled (Learn,
    // howto-registration-mfa-sspr-combined-troubleshoot), and so is any failure whose reason says so.
    if (allRequired || reading?.outcome === 'cancelled')
      return [withMethod({ kind: 'registration-cancelled' as const }, method)];
    return [withMethod({ kind: 'registration-failed' as const, byAdmin: admin }, method)];
  }
  switch (reading?.outcome) {
    case undefined:
    case 'registered':
      return [withMethod({ kind: 'registered' as const, byAdmin: admin, allRequired }, method)];
    case 'failed':
      return [withMethod({ kind: 'registration-failed' as const, byAdmin: admin }, method)];
    case 'cancelled':
      return [withMethod({ kind: 'registration-cancelled' as const }, method)];
    case 'started':
      return [withMethod({ kind: 'registration-started' as const }, method)];
    default:
      return [withMethod({ kind: 'unknown-reason' as const }, method)];
  }
}

/** A deletion or default change that succeeded; none when the reason says it failed after all. */
function changeFacts(a: AuditEvent, kind: 'deleted' | 'default-changed', byAdmin: boolean): AuditFact[] {
  if (!succeeded(a)) return [];
  const reading = readReason(a.resultReason);
  if (reading?.outcome === 'not-done') return [];
  return [withMethod({ kind, byAdmin: byAdmin || reading?.actor === 'admin' }, methodOf(a))];
}

/** The MFA-registration facts in one audit event; empty when it holds none. Pure and per-event. */
export function auditFacts(a: AuditEvent): AuditFact[] {
  // Worked out by the reader already (slimEvents), which dropped the values read below.
  if (a.facts !== undefined) return a.facts;
  const activity = normaliseActivity(a.activityDisplayName);
  switch (activity) {
    case ACTIVITY.updateUser:
      return updateUserFacts(a);
    case ACTIVITY.started:
      return [withMethod({ kind: 'registration-started' as const }, methodOf(a))];
    case ACTIVITY.registered:
    case ACTIVITY.adminRegistered:
      return registrationFacts(a, activity === ACTIVITY.adminRegistered, false);
    case ACTIVITY.registeredAll:
      return registrationFacts(a, false, true);
    case ACTIVITY.cancelled:
      return [withMethod({ kind: 'registration-cancelled' as const }, methodOf(a))];
    case ACTIVITY.deleted:
    case ACTIVITY.adminDeleted:
      return changeFacts(a, 'deleted', activity === ACTIVITY.adminDeleted);
    case ACTIVITY.changedDefault:
      return changeFacts(a, 'default-changed', false);
    default:
      return [];
  }
}

/**
 * The event with its facts (AuditEvent.facts) in place of its targets' property values and its
 * additional details: what the rules read, without the JSON-in-a-string values (a few hundred bytes
 * each) they were read from. A new object, as slimSignIn makes (deleting keys slows V8 objects down).
 */
export function slimAudit(a: AuditEvent): AuditEvent {
  if (a.facts !== undefined) return a;
  const facts = auditFacts(a);
  const slim: AuditEvent = {
    id: a.id,
    activityDateTime: a.activityDateTime,
    activityDisplayName: a.activityDisplayName,
    initiatedBy: a.initiatedBy,
    targetResources: a.targetResources.map(slimTarget),
    additionalDetails: [],
    facts,
  };
  if (a.category !== undefined) slim.category = a.category;
  if (a.loggedByService !== undefined) slim.loggedByService = a.loggedByService;
  if (a.operationType !== undefined) slim.operationType = a.operationType;
  if (a.result !== undefined) slim.result = a.result;
  if (a.resultReason !== undefined) slim.resultReason = a.resultReason;
  return slim;
}

function slimTarget(t: AuditTarget): AuditTarget {
  const slim: AuditTarget = { modifiedProperties: [] };
  if (t.id !== undefined) slim.id = t.id;
  if (t.displayName !== undefined) slim.displayName = t.displayName;
  if (t.userPrincipalName !== undefined) slim.userPrincipalName = t.userPrincipalName;
  if (t.type !== undefined) slim.type = t.type;
  return slim;
}
