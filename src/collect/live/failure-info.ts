import {
  CertificateUntrusted,
  CredentialRejected,
  GraphFailure,
  LicenceRequired,
  NextLinkRejected,
  PermissionMissing,
  RetriesExhausted,
} from '../graph/index.js';
import type { FailureBase, FailureInfo } from '../../domain/collection.js';

export type { FailureInfo, FailureKind } from '../../domain/collection.js';

function base(err: GraphFailure): FailureBase {
  const b: FailureBase = { endpoint: err.data.endpoint, status: err.data.status, message: err.message };
  if (err.data.code !== undefined) b.code = err.data.code;
  if (err.data.requestId !== undefined) b.requestId = err.data.requestId;
  if (err.hint !== undefined) b.hint = err.hint;
  return b;
}

export function failureInfo(err: GraphFailure): FailureInfo {
  if (err instanceof PermissionMissing) {
    return {
      ...base(err),
      kind: 'permission-missing',
      permissions: [...err.permissions],
      delegatedRoles: [...err.delegatedRoles],
    };
  }
  if (err instanceof LicenceRequired) return { ...base(err), kind: 'licence-required', licence: err.licence };
  if (err instanceof CredentialRejected) return { ...base(err), kind: 'credential-rejected' };
  if (err instanceof CertificateUntrusted)
    return { ...base(err), kind: 'certificate-untrusted', tlsCode: err.tlsCode };
  if (err instanceof RetriesExhausted)
    return { ...base(err), kind: 'retries-exhausted', attempts: err.attempts, reason: err.reason };
  if (err instanceof NextLinkRejected) return { ...base(err), kind: 'next-link-rejected' };
  return { ...base(err), kind: 'request-failed' };
}

/**
 * Failures that say "this dataset cannot be read with this app in this tenant" rather than "this
 * request went wrong": asking again for the next user or page would only repeat them.
 */
export function isAccessFailure(err: GraphFailure): boolean {
  return (
    err instanceof PermissionMissing ||
    err instanceof LicenceRequired ||
    err instanceof CredentialRejected ||
    err instanceof CertificateUntrusted
  );
}

/** Only GraphFailures are a dataset's failure; anything else (disk full, a bug) ends the run. */
export function asGraphFailure(err: unknown): GraphFailure | undefined {
  return err instanceof GraphFailure ? err : undefined;
}
