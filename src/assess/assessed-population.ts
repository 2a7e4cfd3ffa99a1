import type { TenantSnapshot } from '../domain/tenant.js';
import type { AssessedPopulation } from '../domain/verdict.js';
import type { ScopeResolution } from './scope-resolution.js';
import { DAY_MS, toMs } from './time.js';

/**
 * Evidence collected more than this many days before the clock is flagged as old. A loop counts as
 * happening now only within LOOP_CURRENT_HOURS (a day) of the clock, and sign-in recency is measured
 * from it too: assessing a day after collecting (collect at night, read in the morning) is routine,
 * but past twice the loop window a "looping now" seen in the data can no longer be current, and
 * nothing that happened since the collection is known. Two days, not one, so a routine delay of a
 * day and some hours is never flagged.
 */
export const STALE_DATA_DAYS = 2;

/** What an assessment was computed on: the scope as resolved, and how old its evidence is at `now`. */
export function describePopulation(
  snapshot: Pick<TenantSnapshot, 'tenant'>,
  resolution: ScopeResolution,
  users: number,
  now: Date,
): AssessedPopulation {
  const collectedAt = snapshot.tenant.collectedAt ?? null;
  const collectedMs = toMs(collectedAt);
  const ageMs = collectedMs === undefined ? undefined : now.getTime() - collectedMs;
  return {
    users,
    scopeGroups: resolution.scopeGroups,
    excludeGroups: resolution.excludeGroups,
    excludeUsers: resolution.excludeUsers,
    now: now.toISOString(),
    collectedAt,
    dataAgeDays: ageMs === undefined ? null : Math.trunc(ageMs / DAY_MS),
    staleData: ageMs !== undefined && ageMs > STALE_DATA_DAYS * DAY_MS,
  };
}
