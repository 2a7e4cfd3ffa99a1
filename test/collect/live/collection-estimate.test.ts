import { describe, expect, it } from 'vitest';
import { estimateCollection, windowedMs } from '../../../src/collect/live/collection-estimate.js';

/** The reports bucket: 5 requests per 10 s per app per tenant. */
describe('windowedMs', () => {
  it('lets the first window through at once, then 5 more each 10 s', () => {
    expect(windowedMs(0, 5, 10_000)).toBe(0);
    expect(windowedMs(5, 5, 10_000)).toBe(0);
    expect(windowedMs(6, 5, 10_000)).toBe(10_000);
    expect(windowedMs(10, 5, 10_000)).toBe(10_000);
    expect(windowedMs(11, 5, 10_000)).toBe(20_000);
    // A 100,000-user tenant read user by user: 100,000 requests, 20,000 windows, 55.6 hours.
    expect(windowedMs(100_000, 5, 10_000)).toBe(19_999 * 10_000);
  });
});

describe('estimateCollection', () => {
  const base = {
    registrationRows: 9_530,
    auditEvents: 25_607,
    signIns: 36_050,
    methodsOpen: 600,
    methodsNeeded: 40,
  };

  it('counts pages of 1,000 and every open user when they fit the budget (auto reads them all)', () => {
    const e = estimateCollection(base, { budgetMinutes: 30 });
    expect(e.pages).toEqual({ registration: 10, audits: 26, signIns: 37 });
    expect(e.autoMode).toBe('open');
    expect(e.full).toEqual({ requests: 73 + 600, methodsReads: 600, ms: windowedMs(673, 5, 10_000) });
    expect(e.full.ms).toBe(134 * 10_000); // 22 min 20 s
    expect(e.quick).toEqual({ requests: 113, methodsReads: 40, ms: 22 * 10_000 });
  });

  it('reads only the needed lists when the open ones exceed the budget (30 min = 900 calls)', () => {
    expect(estimateCollection({ ...base, methodsOpen: 900 }, { budgetMinutes: 30 }).autoMode).toBe('open');
    const over = estimateCollection({ ...base, methodsOpen: 901 }, { budgetMinutes: 30 });
    expect(over.autoMode).toBe('needed');
    expect(over.full).toEqual(over.quick);
    // A bigger budget reads them all again.
    expect(estimateCollection({ ...base, methodsOpen: 901 }, { budgetMinutes: 31 }).full.methodsReads).toBe(
      901,
    );
  });

  it('asks each query once even when a dataset is empty (two sign-in queries)', () => {
    const e = estimateCollection(
      { registrationRows: 0, auditEvents: 0, signIns: 0, methodsOpen: 0, methodsNeeded: 0 },
      { budgetMinutes: 30 },
    );
    expect(e.pages).toEqual({ registration: 1, audits: 1, signIns: 2 });
    expect(e.full).toEqual({ requests: 4, methodsReads: 0, ms: 0 });
  });
});
