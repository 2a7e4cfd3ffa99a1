import type { EvidenceWindows, TenantSnapshot } from '../domain/tenant.js';
import type { Store } from './open-store.js';
import { clampWindows, latestRun, readEvents, readRunUsers, extendSpan } from './read-run.js';
import { readRunDatasets } from './run-datasets.js';
import { methodsList } from './user-rows.js';
import { registrationKey } from '../domain/baseline.js';
import type { TenantInfo } from '../domain/tenant.js';

export interface WithHistoryOptions {
  /**
   * An incremental collection reads methods lists only where something changed: the other users keep
   * the list stored with the latest run, with the date it was read. An export folder imported whole
   * is its own snapshot: its missing lists stay missing.
   */
  carryMethods: boolean;
  /**
   * Of the carried lists (those with a `readAt`), the keys of those that no longer hold, judged on the
   * joined snapshot (its events include the history's): left out. The store cannot read audit events
   * as the verdict engine does; the caller can (src/plan/refresh-changes.ts staleCarriedLists).
   */
  staleLists?: (joined: TenantSnapshot) => ReadonlySet<string>;
  /** `--retain`: stored events before this time are left out (and deleted when the run is written). */
  retainAfter?: string;
}

export interface WithHistory {
  /** The fresh snapshot with what the history adds: older events, carried methods lists. */
  snapshot: TenantSnapshot;
  /** The fresh snapshot's own events: the only ones a write needs to store. */
  fresh: { audits: NonNullable<TenantSnapshot['audits']>; signIns: NonNullable<TenantSnapshot['signIns']> };
}

/** The earlier of two window starts (absent: not read). */
const earlier = (a: string | undefined, b: string | undefined) =>
  a === undefined ? b : b === undefined ? a : a < b ? a : b;

/**
 * A fresh collection or import joined with the history: the events stored by earlier runs (kept
 * beyond Entra's 30-day logs) and, for an incremental collection, the methods lists not read again.
 * The evidence windows then start where the history's do, so the header says how far back it reaches.
 */
export function withStoredHistory(
  store: Store,
  fresh: TenantSnapshot,
  options: WithHistoryOptions,
): WithHistory {
  const own = { audits: fresh.audits ?? [], signIns: fresh.signIns ?? [] };
  const run = latestRun(store);
  if (run === undefined) return { snapshot: fresh, fresh: own };
  const coverage = structuredClone(fresh.coverage);
  const datasets = readRunDatasets(store.db, run.id);

  const range = {
    ...(options.retainAfter !== undefined ? { from: options.retainAfter } : {}),
    ...(fresh.tenant.collectedAt !== undefined ? { to: fresh.tenant.collectedAt } : {}),
  };
  const auditIds = new Set(own.audits.map((e) => e.id));
  const signInIds = new Set(own.signIns.map((e) => e.id));
  const olderAudits = readEvents(store.db, 'audit', range).filter((e) => !auditIds.has(e.id));
  const olderSignIns = readEvents(store.db, 'signIn', range).filter((e) => !signInIds.has(e.id));
  const audits = [...own.audits, ...olderAudits];
  const signIns = [...own.signIns, ...olderSignIns];
  extendSpan(
    coverage,
    'audits',
    olderAudits.map((e) => e.activityDateTime),
  );
  extendSpan(
    coverage,
    'signIns',
    olderSignIns.map((e) => e.createdDateTime),
  );

  // The history reaches back as far as the earliest window still retained.
  const before = (datasets.get('tenant') as TenantInfo | undefined)?.windows;
  let tenant = fresh.tenant;
  if (before !== undefined || fresh.tenant.windows !== undefined) {
    const now = fresh.tenant.windows ?? {};
    const windows: EvidenceWindows = {};
    for (const key of ['signIns', 'appSignIns', 'audits'] as const) {
      const start = earlier(now[key], before?.[key]);
      if (start !== undefined) windows[key] = start;
    }
    tenant = clampWindows({ ...fresh.tenant, windows }, options.retainAfter);
  }

  let methods = fresh.methods;
  if (options.carryMethods) {
    methods = new Map(fresh.methods ?? []);
    const ids = new Set([
      ...(fresh.users ?? []).map((u) => u.id),
      ...(fresh.registration ?? []).map((r) => r.id),
    ]);
    const upnOf = new Map((fresh.users ?? []).map((u) => [u.id, u.userPrincipalName.toLowerCase()]));
    const rowOf =
      fresh.registration === undefined ? undefined : new Map(fresh.registration.map((r) => [r.id, r]));
    for (const [id, stored] of readRunUsers(store, run.id, datasets)) {
      const carried = methodsList(id, stored);
      if (!ids.has(id) || carried === undefined) continue;
      const upn = upnOf.get(id);
      if (methods.has(id) || (upn !== undefined && methods.has(upn))) continue;
      // A report row that moved since the stored run says the user's methods (or what the policy makes
      // of them) changed, maybe in a way no audit event of the window shows: the list read before it
      // may be stale. Not carried: the row decides, as in a full collection that did not read the list.
      if (rowOf !== undefined) {
        const row = rowOf.get(id);
        const storedRow = stored.registration;
        if ((row === undefined) !== (storedRow === null)) continue;
        if (row !== undefined && storedRow !== null && registrationKey(row) !== registrationKey(storedRow))
          continue;
      }
      methods.set(id, carried);
    }
  }

  let snapshot: TenantSnapshot = {
    ...fresh,
    tenant,
    methods,
    audits: fresh.audits !== undefined || audits.length > 0 ? audits : undefined,
    signIns: fresh.signIns !== undefined || signIns.length > 0 ? signIns : undefined,
    coverage,
  };
  // Carried lists older than a change the (joined) audit log records no longer hold: left out.
  if (options.carryMethods && options.staleLists !== undefined && methods !== undefined) {
    const stale = options.staleLists(snapshot);
    if (stale.size > 0) {
      const kept = new Map(
        [...methods].filter(([key, list]) => list.readAt === undefined || !stale.has(key)),
      );
      methods = kept;
      snapshot = { ...snapshot, methods };
    }
  }
  if (options.carryMethods && methods !== undefined && methods.size > 0)
    coverage.methods = { ...coverage.methods, present: true, rows: methods.size };

  return { snapshot, fresh: own };
}
