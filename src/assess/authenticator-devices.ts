import type { SignIn } from '../domain/tenant.js';
import type { TimedAuditFact } from './audit-timeline.js';
import { isAppMethodType } from './modified-properties.js';
import type { ClassifiedSignIn } from './sign-in-index.js';
import { couldUseAuthenticator } from './sign-in-index.js';
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
 * - `pending`: added and nothing of the above since: incident-1 (test/fixtures/incidents), MFATest2;
 * - `unknown`: it predates the audit log we have, so the log cannot tell.
 */
export type DeviceStatus = 'completed' | 'pending' | 'unknown';

export interface DeviceLedger {
  devices: Map<string, DeviceRecord>;
  /** Every completion signal for the user, oldest first. */
  signals: CompletionSignal[];
}

/**
 * A sign-in's completion signal. Its id is read only when asked for: most users' signals are only
 * counted or timed, and reading every MFA sign-in's id, scattered over the heap, cost more.
 */
class SignInSignal implements CompletionSignal {
  readonly source = 'signIns';

  constructor(
    private readonly signIn: SignIn,
    readonly at: number,
  ) {}

  get ref(): string {
    return this.signIn.id;
  }
}

function auditCompletes(fact: TimedAuditFact['fact']): boolean {
  if (fact.kind === 'strong-auth-methods') return fact.after.some((m) => isAppMethodType(m.methodType));
  return (
    fact.kind === 'registered' &&
    !fact.byAdmin &&
    (fact.allRequired || fact.method === undefined || isAuthenticatorKind(fact.method.kind))
  );
}

function byAt(x: CompletionSignal, y: CompletionSignal): number {
  return x.at - y.at;
}

function isAscending(signals: readonly CompletionSignal[]): boolean {
  for (let i = 1; i < signals.length; i++) if (signals[i - 1]!.at > signals[i]!.at) return false;
  return true;
}

/**
 * The signals of both lists in time order, audit signals first on a tie: what a stable sort of the two
 * lists one after the other gives. The indexes hand both over in time order already (each list is
 * sorted here only if it is not), so for every user with evidence this is a merge, not a sort.
 */
function mergeByTime(audits: CompletionSignal[], signIns: CompletionSignal[]): CompletionSignal[] {
  if (!isAscending(audits)) audits.sort(byAt);
  if (!isAscending(signIns)) signIns.sort(byAt);
  if (signIns.length === 0) return audits;
  if (audits.length === 0) return signIns;
  const merged: CompletionSignal[] = [];
  let i = 0;
  let j = 0;
  while (i < audits.length && j < signIns.length) {
    merged.push(audits[i]!.at <= signIns[j]!.at ? audits[i++]! : signIns[j++]!);
  }
  while (i < audits.length) merged.push(audits[i++]!);
  while (j < signIns.length) merged.push(signIns[j++]!);
  return merged;
}

function completionSignals(
  facts: readonly TimedAuditFact[],
  signIns: readonly ClassifiedSignIn[],
): CompletionSignal[] {
  const audits: CompletionSignal[] = [];
  for (const { fact, event, at } of facts) {
    if (auditCompletes(fact)) audits.push({ source: 'audits', ref: event.id, at });
  }
  const proofs: CompletionSignal[] = [];
  for (const s of signIns) if (couldUseAuthenticator(s)) proofs.push(new SignInSignal(s.signIn, s.at));
  return mergeByTime(audits, proofs);
}

/** Shared by the many users with no audit trail and no sign-ins (most of a big tenant): never mutated. */
const EMPTY_LEDGER: DeviceLedger = { devices: new Map(), signals: [] };

/** The Authenticator devices in a user's audit timeline, and what could have completed them. */
export function buildDeviceLedger(
  facts: readonly TimedAuditFact[],
  signIns: readonly ClassifiedSignIn[],
): DeviceLedger {
  if (facts.length === 0 && signIns.length === 0) return EMPTY_LEDGER;
  return { devices: deviceRecords(facts), signals: completionSignals(facts, signIns) };
}

/** Shared by the many users whose audit trail names no device: never mutated. */
const NO_DEVICES = new Map<string, DeviceRecord>();

/** The devices the phone-app facts name, by lower-case id. */
function deviceRecords(facts: readonly TimedAuditFact[]): Map<string, DeviceRecord> {
  if (!facts.some((f) => f.fact.kind === 'phone-app-devices')) return NO_DEVICES;
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
  return devices;
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
