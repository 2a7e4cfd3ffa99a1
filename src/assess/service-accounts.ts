/**
 * Accounts that are not people: directory-synchronisation accounts Microsoft creates and names itself.
 * They never do MFA (they are excluded from MFA policies by design), so in a readiness report they are
 * noise; but they are only ever flagged here, never excluded without the admin asking
 * (`--exclude-service-accounts`).
 *
 * Only names Microsoft documents are matched, in full, so a person is never taken for one:
 * - Microsoft Entra Connect (sync) creates its Microsoft Entra Connector account as
 *   `Sync_<server name>_<unique id>@<tenant>.onmicrosoft.com`, display name "On-Premises Directory
 *   Synchronization Service Account":
 *   https://learn.microsoft.com/en-us/entra/identity/hybrid/connect/reference-connect-accounts-permissions
 * - Microsoft Entra Cloud Sync uses `ADToAADSyncServiceAccount@<tenant>`, with the same display name:
 *   https://learn.microsoft.com/en-us/entra/identity/hybrid/cloud-sync/how-to-troubleshoot (the
 *   "sync service account ADToAADSyncServiceAccount" its errors name).
 */

export type ServiceAccountKind = 'entra-connect-sync' | 'entra-cloud-sync';

export interface ServiceAccountMatch {
  kind: ServiceAccountKind;
  /** What matched: the sign-in name or the display name. */
  matched: 'userPrincipalName' | 'displayName';
}

/**
 * `Sync_`, a server name (NetBIOS: no `_` or `@`), `_`, then the hex id Entra Connect appends (12
 * digits in the installs seen; 8 or more accepted, so "Sync_team@" or "sync_smith@" never match).
 */
const CONNECT_SYNC_UPN = /^sync_[^_@\s]+_[0-9a-f]{8,}@/i;
const CLOUD_SYNC_UPN = /^adtoaadsyncserviceaccount@/i;
const SYNC_DISPLAY_NAME = 'on-premises directory synchronization service account';

/** Whether the account is a directory-synchronisation account; undefined for everyone else. Pure. */
export function serviceAccountOf(
  userPrincipalName: string,
  displayName: string | undefined,
): ServiceAccountMatch | undefined {
  if (CONNECT_SYNC_UPN.test(userPrincipalName))
    return { kind: 'entra-connect-sync', matched: 'userPrincipalName' };
  if (CLOUD_SYNC_UPN.test(userPrincipalName))
    return { kind: 'entra-cloud-sync', matched: 'userPrincipalName' };
  // Both sync tools give their account this display name; the UPN above says which one it is.
  // Length first: most display names are shorter, and are then not lower-cased at all.
  if (
    displayName !== undefined &&
    displayName.length >= SYNC_DISPLAY_NAME.length &&
    displayName.trim().toLowerCase() === SYNC_DISPLAY_NAME
  )
    return { kind: 'entra-connect-sync', matched: 'displayName' };
  return undefined;
}
