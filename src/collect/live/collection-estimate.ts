/**
 * How long a full collection takes at Graph's pace, before it starts (the emulator's banner says it).
 * Pure: counts in, requests and time out.
 *
 * Nearly all the time goes to the reports bucket: the registration report, the audit and sign-in log
 * pages and every per-user methods list share its 5 requests per 10 s per app per tenant
 * (https://learn.microsoft.com/en-us/graph/throttling-limits, "Identity and access reports service
 * limits"); the collector keeps that pace itself. The directory reads (users, groups, policies) cost a
 * few resource units each out of thousands per 10 s and are left out of the estimate.
 */
import { defaultRules } from '../graph/limiter.js';

/** What a collection will read, counted (or estimated) beforehand. */
export interface CollectionVolume {
  /** Rows of the registration report. */
  registrationRows: number;
  /** Directory-audit events the audit query returns. */
  auditEvents: number;
  /** Sign-ins the two sign-in queries (interactive, non-interactive) return together. */
  signIns: number;
  /** Open users `--methods open` reads (all but the phone-only ones). */
  methodsOpen: number;
  /** Open users whose list decides readiness: what `--methods needed` reads. */
  methodsNeeded: number;
}

export interface EstimateOptions {
  /** `--methods-budget` in minutes (auto reads every open user if that fits, else only the needed ones). */
  budgetMinutes: number;
  /** Rows per page of the reports and the logs (1,000, the documented maximum of the sign-in list). */
  pageSize?: number;
}

export interface PlanEstimate {
  /** Requests to the reports bucket. */
  requests: number;
  /** Wall time those requests take at the bucket's pace. */
  ms: number;
  /** Per-user methods lists among the requests. */
  methodsReads: number;
}

export interface CollectionEstimate {
  /** What `--methods auto` resolves to for this tenant. */
  autoMode: 'open' | 'needed';
  /** A default collection (`--methods auto`). */
  full: PlanEstimate;
  /** `--methods needed`: only the lists that decide whether a user is ready. */
  quick: PlanEstimate;
  /** Pages of the registration report, the audits and the sign-ins (the same for both). */
  pages: { registration: number; audits: number; signIns: number };
}

/**
 * Time for `requests` requests to a window bucket of `limit` per `windowMs`: the first window's
 * requests go at once, each later window lets `limit` more through.
 */
export function windowedMs(requests: number, limit: number, windowMs: number): number {
  if (requests <= 0) return 0;
  return Math.max(0, Math.ceil(requests / limit) - 1) * windowMs;
}

export function estimateCollection(volume: CollectionVolume, options: EstimateOptions): CollectionEstimate {
  const pageSize = options.pageSize ?? 1_000;
  const pages = (rows: number) => Math.max(1, Math.ceil(rows / pageSize));
  const rule = defaultRules('large').reports;
  const [limit, windowMs] = rule.kind === 'window' ? [rule.limit, rule.windowMs] : [5, 10_000];
  const budgetRequests = Math.floor((options.budgetMinutes * 60_000 * limit) / windowMs);
  const pageCounts = {
    registration: pages(volume.registrationRows),
    audits: pages(volume.auditEvents),
    // Two queries (interactive and non-interactive), each at least one page.
    signIns: Math.max(2, Math.ceil(volume.signIns / pageSize)),
  };
  const bulk = pageCounts.registration + pageCounts.audits + pageCounts.signIns;
  const plan = (methodsReads: number): PlanEstimate => ({
    requests: bulk + methodsReads,
    ms: windowedMs(bulk + methodsReads, limit, windowMs),
    methodsReads,
  });
  const autoMode = volume.methodsOpen <= budgetRequests ? 'open' : 'needed';
  return {
    autoMode,
    full: plan(autoMode === 'open' ? volume.methodsOpen : volume.methodsNeeded),
    quick: plan(volume.methodsNeeded),
    pages: pageCounts,
  };
}
