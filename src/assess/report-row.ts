import type { RegistrationDetail } from '../domain/tenant.js';
import { toMs } from './time.js';

/**
 * Whether the report says the user has no default MFA method. A completed Authenticator registration
 * sets one (StrongAuthenticationMethod `Default: true`), so an Authenticator listed without one is the
 * report-only trace of incident-1 (test/fixtures/incidents).
 *
 * The reader turns the documented `""` into undefined, so a missing value is ambiguous: `""` (no
 * default) in a full row, or simply not collected. Only a row that carries the neighbouring
 * sign-in-preference fields is taken to mean "no default"; a minimal row says nothing.
 */
export function hasNoDefaultMfaMethod(row: RegistrationDetail): boolean | undefined {
  if (row.defaultMfaMethod !== undefined) return row.defaultMfaMethod.toLowerCase() === 'none';
  const preferred = row.userPreferredMethodForSecondaryAuthentication;
  if (preferred !== undefined) return preferred === '' || preferred.toLowerCase() === 'none';
  const fullRow =
    row.isSystemPreferredAuthenticationMethodEnabled !== undefined ||
    row.systemPreferredAuthenticationMethods !== undefined;
  return fullRow ? true : undefined;
}

/** When the report was last refreshed: the latest `lastUpdatedDateTime` of its rows. */
export function reportRefreshedAt(rows: readonly RegistrationDetail[] | undefined): string | undefined {
  let latest: string | undefined;
  let latestMs = Number.NEGATIVE_INFINITY;
  if (rows === undefined) return undefined;
  // Indexed: it runs once, over every row, before the optimiser has made for-of cheap.
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    if (row.lastUpdatedDateTime === undefined) continue;
    const ms = toMs(row.lastUpdatedDateTime);
    if (ms !== undefined && ms > latestMs) {
      latestMs = ms;
      latest = row.lastUpdatedDateTime;
    }
  }
  return latest;
}
