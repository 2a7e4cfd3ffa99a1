import type { AuthMethod, MethodKind, RegistrationDetail, UserMethods } from '../domain/tenant.js';
import type { TimedAuditFact } from './audit-timeline.js';
import type { DeviceLedger, DeviceRecord } from './authenticator-devices.js';
import { isMfaKind } from './method-kinds.js';
import { isAppMethodType, isPhoneMethodType } from './modified-properties.js';
import { isAuthenticatorCodeOf, reportMethod } from './report-methods.js';
import type { ReasonMethod } from './security-info-reasons.js';
import { toMs } from './time.js';

/** One method the user has, from wherever we learned of it. */
export interface MethodEntry {
  /** Method id (methods list, Authenticator device `Id`), report string, or id of the registering event. */
  id: string;
  kind: MethodKind;
  phoneType?: string;
  origin: 'methods' | 'registration' | 'audits';
  method?: AuthMethod;
  device?: DeviceRecord;
  /** The audit event a registration-derived entry rests on. */
  registeredBy?: TimedAuditFact;
  /** Known not to be MFA although its kind is `unknown` (security questions, app passwords). */
  notMfa?: true;
}

/** Where the user's list of methods comes from: the methods list is current; the report lags. */
export type InventoryOrigin = 'methods' | 'registration' | 'audits' | 'none';

export interface Inventory {
  origin: InventoryOrigin;
  entries: MethodEntry[];
  /** Epoch ms the report-derived list is as of; audit facts after it amend it. */
  asOf?: number;
  /** A deletion after the report that names no method: any report-derived entry may be gone. */
  unattributedDeletion?: TimedAuditFact;
}

function sameSlot(entry: MethodEntry, method: ReasonMethod): boolean {
  if (entry.kind !== method.kind) return false;
  if (entry.kind !== 'phone' || entry.phoneType === undefined || method.phoneType === undefined) return true;
  return entry.phoneType.toLowerCase() === method.phoneType.toLowerCase();
}

/**
 * An Authenticator the list and the audit log name differently: paired by device name when exactly one
 * unmatched live device carries it. The audit `Id` is the Graph method id (test/fixtures/incidents/incident-1), so this only
 * guards against that ever failing, where missing the match would hide an unfinished registration.
 */
function pairByName(entries: readonly MethodEntry[], ledger: DeviceLedger): void {
  const matched = new Set(entries.flatMap((e) => (e.device === undefined ? [] : [e.device])));
  const spare = [...ledger.devices.values()].filter((d) => !matched.has(d) && d.removedAt === undefined);
  if (spare.length === 0) return;
  for (const entry of entries) {
    if (entry.kind !== 'microsoftAuthenticator' || entry.device !== undefined) continue;
    const name = entry.method?.displayName?.toLowerCase();
    if (name === undefined) continue;
    const same = spare.filter((d) => d.deviceName?.toLowerCase() === name);
    if (same.length !== 1) continue;
    entry.device = same[0]!;
    spare.splice(spare.indexOf(same[0]!), 1);
  }
}

function fromMethodsList(list: UserMethods, ledger: DeviceLedger): Inventory {
  const entries = list.methods.map((method): MethodEntry => {
    const entry: MethodEntry = { id: method.id, kind: method.kind, origin: 'methods', method };
    if (method.phoneType !== undefined) entry.phoneType = method.phoneType;
    const device = ledger.devices.get(method.id.toLowerCase());
    if (device !== undefined) entry.device = device;
    return entry;
  });
  if (ledger.devices.size > 0) pairByName(entries, ledger);
  return { origin: 'methods', entries };
}

function fromReportRow(row: RegistrationDetail | undefined): MethodEntry[] {
  if (row === undefined) return [];
  const entries: MethodEntry[] = [];
  let authenticator = false;
  for (const name of row.methodsRegistered) {
    if (isAuthenticatorCodeOf(name, row.methodsRegistered)) continue;
    const m = reportMethod(name);
    // One Authenticator entry however many of its strings (push, appCode, …) the report lists.
    if (m.kind === 'microsoftAuthenticator') {
      if (authenticator) continue;
      authenticator = true;
    }
    const entry: MethodEntry = { id: name, kind: m.kind, origin: 'registration' };
    if (m.phoneType !== undefined) entry.phoneType = m.phoneType;
    if (m.notMfa === true) entry.notMfa = true;
    entries.push(entry);
  }
  return entries;
}

/**
 * Without a methods list the report (as of its refresh) is the base, amended by what the audit log
 * recorded since: a later deletion removes, a later completed registration adds. The report lags by
 * hours and misses new users, so it never has the last word over newer evidence.
 */
function fromReportAndAudits(
  row: RegistrationDetail | undefined,
  facts: readonly TimedAuditFact[],
  ledger: DeviceLedger,
): Inventory {
  const asOf = toMs(row?.lastUpdatedDateTime) ?? Number.NEGATIVE_INFINITY;
  const inventory: Inventory = {
    origin: row !== undefined ? 'registration' : 'audits',
    entries: fromReportRow(row),
  };
  if (row?.lastUpdatedDateTime !== undefined) inventory.asOf = asOf;
  // Most users of a large tenant have no audit trail: their report row is all there is.
  if (facts.length > 0 || ledger.devices.size > 0) amendFromAudits(inventory, asOf, facts, ledger);
  if (row === undefined && inventory.entries.length === 0) inventory.origin = 'none';
  return inventory;
}

/** The report-derived entries of `inventory` amended by the devices and the audit facts after `asOf`. */
function amendFromAudits(
  inventory: Inventory,
  asOf: number,
  facts: readonly TimedAuditFact[],
  ledger: DeviceLedger,
): void {
  let entries = inventory.entries;
  const remove = (pred: (e: MethodEntry) => boolean): void => {
    entries = entries.filter((e) => !pred(e));
  };
  const add = (kind: MethodKind, phoneType: string | undefined, timed: TimedAuditFact): void => {
    // Authenticator devices come from the ledger when it has any: a registration event does not say which.
    if (!isMfaKind(kind) || (kind === 'microsoftAuthenticator' && ledger.devices.size > 0)) return;
    if (entries.some((e) => sameSlot(e, phoneType === undefined ? { kind } : { kind, phoneType }))) return;
    const entry: MethodEntry = { id: timed.event.id, kind, origin: 'audits', registeredBy: timed };
    if (phoneType !== undefined) entry.phoneType = phoneType;
    entries.push(entry);
  };

  // Authenticator devices: the audit log knows them one by one, the report only as a kind.
  const live = [...ledger.devices.values()].filter((d) => d.removedAt === undefined);
  const removedSince = [...ledger.devices.values()].some(
    (d) => d.removedAt !== undefined && d.removedAt > asOf,
  );
  if (live.length > 0 || removedSince) remove((e) => e.kind === 'microsoftAuthenticator');
  for (const device of live)
    entries.push({ id: device.id, kind: 'microsoftAuthenticator', origin: 'audits', device });

  for (const timed of facts) {
    if (timed.at <= asOf) continue;
    const { fact } = timed;
    if (fact.kind === 'deleted') {
      const method = fact.method;
      if (method === undefined) inventory.unattributedDeletion = timed;
      else if (method.kind !== 'microsoftAuthenticator' || ledger.devices.size === 0) {
        remove((e) => e.device === undefined && sameSlot(e, method));
      }
    } else if (fact.kind === 'registered' && fact.method !== undefined && fact.method.notMfa !== true) {
      add(fact.method.kind, fact.method.phoneType, timed);
    } else if (fact.kind === 'strong-auth-methods') {
      const hadPhone = fact.before.some((m) => isPhoneMethodType(m.methodType));
      const hasPhone = fact.after.some((m) => isPhoneMethodType(m.methodType));
      if (hadPhone && !hasPhone) remove((e) => e.kind === 'phone');
      if (hasPhone && !hadPhone) add('phone', undefined, timed);
      const hadApp = fact.before.some((m) => isAppMethodType(m.methodType));
      const hasApp = fact.after.some((m) => isAppMethodType(m.methodType));
      if (hadApp && !hasApp)
        remove((e) => e.kind === 'microsoftAuthenticator' && e.origin === 'registration');
    }
  }
  inventory.entries = entries;
}

/**
 * The user's methods: the methods list when collected (it is current), otherwise the report amended by
 * newer audit events, otherwise what the audit log alone shows. A user in neither list is `none`,
 * which is "unknown", never "unregistered".
 */
export function buildInventory(
  list: UserMethods | undefined,
  row: RegistrationDetail | undefined,
  facts: readonly TimedAuditFact[],
  ledger: DeviceLedger,
): Inventory {
  if (list !== undefined) return fromMethodsList(list, ledger);
  return fromReportAndAudits(row, facts, ledger);
}
