/** The Graph module: everything about talking to Microsoft Graph, behind GraphSource. */
export type { Clock, ManualClockOptions, ScaledClockOptions } from './clock.js';
export { ManualClock, realClock, scaledClock } from './clock.js';
export type { CloudEndpoints, CloudName, CloudSelection } from './clouds.js';
export { CLOUD_NAMES, isCloudName, resolveCloud, unavailableReason } from './clouds.js';
export type {
  CredentialBuildOptions,
  CredentialChoice,
  CredentialFlags,
  CredentialKind,
  CredentialPlan,
  Environment,
} from './credentials.js';
export {
  CREDENTIAL_KINDS,
  GuardedCredential,
  chooseCredential,
  makeRedactor,
  planCredential,
} from './credentials.js';
export type { Bucket, BucketCost } from './buckets.js';
export { BUCKETS, bucketFor } from './buckets.js';
export type { BucketRule, Grant, LimiterOptions, TenantSize, TokenRule, WindowRule } from './limiter.js';
export { DIRECTORY_RU_PER_10S, ThrottleLimiter, defaultRules, tenantSizeFor } from './limiter.js';
export type { RetryPolicy, TransientKind } from './retry-policy.js';
export { DEFAULT_RETRY_POLICY } from './retry-policy.js';
export type { GraphFailureData } from './errors.js';
export {
  CertificateUntrusted,
  CredentialRejected,
  GraphFailure,
  GraphRequestFailed,
  LicenceRequired,
  NextLinkRejected,
  PermissionMissing,
  RetriesExhausted,
  isLicenceError,
} from './errors.js';
export type { RequiredAccess } from './permissions.js';
export { requiredAccess } from './permissions.js';
export { ROLE_TEMPLATE_IDS, WRITE_ACCESS } from './permissions.js';
export type { TokenClaims } from './token-claims.js';
export { decodeTokenClaims } from './token-claims.js';
export type { BatchRequest, BatchResponse } from './batch.js';
export { MAX_BATCH_SIZE } from './batch.js';
export type {
  GraphClientOptions,
  GraphEvent,
  GraphSource,
  Page,
  PagesOptions,
  RequestOptions,
} from './graph-client.js';
export { LiveGraphSource, createGraphSource, customHostsFor } from './graph-client.js';
export type { GraphStats } from './stats.js';
export { totalRequests } from './stats.js';
export type { GraphVersion } from './graph-url.js';
export { endpointName } from './graph-url.js';
export type { GraphWriter, WriteOptions, WriteRequest, WriteResponse } from './writes.js';
