import type { MethodKind } from '../domain/tenant.js';
import type { Evidence } from '../domain/verdict.js';
import type { TimedAuditFact } from './audit-timeline.js';
import type { DeviceLedger } from './authenticator-devices.js';
import { deviceStatus } from './authenticator-devices.js';
import { evidence } from './evidence.js';
import type { ReasonMethod } from './security-info-reasons.js';

function methodType(method: ReasonMethod | undefined): Exclude<MethodKind, 'unknown'> | undefined {
  return method === undefined || method.kind === 'unknown' ? undefined : method.kind;
}

/**
 * The user's audit trail as findings appended to `out`, one per fact, in the words of the event (ids, device names,
 * MethodTypes, the service's reason). Device additions say whether the registration was completed
 * since, which is the whole of incident-1 (test/fixtures/incidents). Ordinary-use changes of the phone-app detail produce no
 * facts and so no findings; a StrongAuthenticationMethod cleared to nothing is cited by the deletion
 * event that accompanies it.
 */
export function auditEvidence(
  facts: readonly TimedAuditFact[],
  ledger: DeviceLedger,
  out: Evidence[] = [],
): Evidence[] {
  for (const { event, fact } of facts) {
    const ref = event.id;
    const at = event.activityDateTime;
    switch (fact.kind) {
      case 'phone-app-devices':
        for (const d of fact.added) {
          const record = ledger.devices.get(d.id.toLowerCase());
          const addedHere = record?.added?.event.id === event.id;
          out.push(
            evidence('authenticator-device-added', 'audits', ref, at, {
              methodId: d.id,
              deviceName: d.deviceName,
              deviceTag: d.deviceTag,
              phoneAppVersion: d.phoneAppVersion,
              initiatedBy: event.initiatedBy.app?.displayName ?? event.initiatedBy.user?.userPrincipalName,
              completed:
                record !== undefined && addedHere ? deviceStatus(record, ledger) === 'completed' : undefined,
              removed: record?.removedAt !== undefined ? true : undefined,
            }),
          );
        }
        break;
      case 'strong-auth-methods':
        if (fact.after.length === 0) break;
        out.push(
          evidence('strong-auth-methods-set', 'audits', ref, at, {
            methodTypes: fact.after.map((m) => m.methodType),
            previousMethodTypes: fact.before.map((m) => m.methodType),
            defaultMethodType: fact.after.find((m) => m.isDefault)?.methodType,
          }),
        );
        break;
      case 'registration-started':
        out.push(
          evidence('security-info-registration-started', 'audits', ref, at, {
            resultReason: event.resultReason,
            methodType: methodType(fact.method),
          }),
        );
        break;
      case 'registered':
        out.push(
          evidence('security-info-registered', 'audits', ref, at, {
            resultReason: event.resultReason,
            methodType: methodType(fact.method),
            byAdmin: fact.byAdmin,
            allRequired: fact.allRequired ? true : undefined,
          }),
        );
        break;
      case 'registration-cancelled':
        out.push(
          evidence('security-info-registration-cancelled', 'audits', ref, at, {
            resultReason: event.resultReason,
            methodType: methodType(fact.method),
          }),
        );
        break;
      case 'registration-failed':
        // Says what failed: the method and the service's own words, never a registered method.
        out.push(
          evidence('security-info-registration-failed', 'audits', ref, at, {
            activity: event.activityDisplayName,
            result: event.result,
            resultReason: event.resultReason,
            methodType: methodType(fact.method),
            byAdmin: fact.byAdmin,
          }),
        );
        break;
      case 'default-changed':
        out.push(
          evidence('security-info-default-changed', 'audits', ref, at, {
            resultReason: event.resultReason,
            methodType: methodType(fact.method),
            byAdmin: fact.byAdmin,
          }),
        );
        break;
      case 'unknown-reason':
        out.push(
          evidence('security-info-unknown-reason', 'audits', ref, at, {
            activity: event.activityDisplayName,
            resultReason: event.resultReason,
            methodType: methodType(fact.method),
          }),
        );
        break;
      case 'deleted':
        out.push(
          evidence('security-info-deleted', 'audits', ref, at, {
            resultReason: event.resultReason,
            methodType: methodType(fact.method),
            byAdmin: fact.byAdmin,
          }),
        );
        break;
    }
  }
  return out;
}
