import type { TimedAuditFact } from './audit-timeline.js';
import { isAppMethodType } from './modified-properties.js';
import type { ClassifiedSignIn } from './sign-in-index.js';
import { proofCouldUseAuthenticator } from './sign-in-facts.js';
import { isAuthenticatorKind } from './method-kinds.js';

/** Something that completes an Authenticator registration begun before it. */
export interface CompletionSignal {
  source: 'audits' | 'signIns';
  ref: string;
  at: number;
}

/** One Authenticator device as the audit log knows it. */
export interface DeviceRecord {
  /** The device `Id` as written in the audit event: the method id Graph lists. */
  id: string;
  deviceName?: string;
  /** The event that added it (the latest, if it was re-added). */
  added?: TimedAuditFact;
  /** When it was last removed, if after it was added. */
  removedAt?: number;
  removed?: TimedAuditFact;
}

/**
 * - `completed`: added, then verified (a later StrongAuthenticationMethod with app methods, a
 *   successful security-info registration for it, or an MFA sign-in that could have used it);
 * - `pending`: added and nothing of the above since: incident 1, MFATest2;
 * - `unknown`: it predates the audit log we have, so the log cannot tell.
 */
export type DeviceStatus = 'completed' | 'pending' | 'unknown';

export interface DeviceLedger {
  devices: Map<string, DeviceRecord>;
  /** Every completion signal for the user, oldest first. */
  signals: CompletionSignal[];
}

function completionSignals(
  facts: readonly TimedAuditFact[],
  signIns: readonly ClassifiedSignIn[],
): CompletionSignal[] {
  const signals: CompletionSignal[] = [];
  for (const { fact, event, at } of facts) {
    const completes =
      (fact.kind === 'strong-auth-methods' && fact.after.some((m) => isAppMethodType(m.methodType))) ||
      (fact.kind === 'registered' &&
        !fact.byAdmin &&
        (fact.allRequired || fact.method === undefined || isAuthenticatorKind(fact.method.kind)));
    if (completes) signals.push({ source: 'audits', ref: event.id, at });
  }
  for (const s of signIns) {
    if (s.facts.mfa !== undefined && proofCouldUseAuthenticator(s.facts.mfa)) {
      signals.push({ source: 'signIns', ref: s.signIn.id, at: s.at });
    }
  }
  return signals.sort((x, y) => x.at - y.at);
}

/** Shared by the many users with no audit trail and no sign-ins (most of a big tenant): never mutated. */
const EMPTY_LEDGER: DeviceLedger = { devices: new Map(), signals: [] };

/** The Authenticator devices in a user's audit timeline, and what could have completed them. */
export function buildDeviceLedger(
  facts: readonly TimedAuditFact[],
  signIns: readonly ClassifiedSignIn[],
): DeviceLedger {
  if (facts.length === 0 && signIns.length === 0) return EMPTY_LEDGER;
  const devices = new Map<string, DeviceRecord>();
  const record = (id: string, deviceName: string | undefined): DeviceRecord => {
    const key = id.toLowerCase();
    let r = devices.get(key);
    if (r === undefined) devices.set(key, (r = { id }));
    if (deviceName !== undefined) r.deviceName = deviceName;
    return r;
  };
  for (const timed of facts) {
    const { fact } = timed;
    if (fact.kind !== 'phone-app-devices') continue;
    for (const d of fact.before) record(d.id, d.deviceName);
    for (const d of fact.added) {
      const r = record(d.id, d.deviceName);
      r.added = timed;
      delete r.removedAt;
      delete r.removed;
    }
    for (const d of fact.removed) {
      const r = record(d.id, d.deviceName);
      r.removedAt = timed.at;
      r.removed = timed;
    }
  }
  return { devices, signals: completionSignals(facts, signIns) };
}

export function deviceStatus(device: DeviceRecord, ledger: DeviceLedger): DeviceStatus {
  if (device.added === undefined) return 'unknown';
  const addedAt = device.added.at;
  return ledger.signals.some((s) => s.at >= addedAt) ? 'completed' : 'pending';
}

/** The first signal that completed a device, for the evidence trail. */
export function completionOf(device: DeviceRecord, ledger: DeviceLedger): CompletionSignal | undefined {
  if (device.added === undefined) return undefined;
  const addedAt = device.added.at;
  return ledger.signals.find((s) => s.at >= addedAt);
}
