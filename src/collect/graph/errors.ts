import { RuntimeFailure } from '../../domain/errors.js';
import { endpointName } from './graph-url.js';
import { formatPermissions, requiredAccess } from './permissions.js';
import type { Failure, TransientKind } from './retry-policy.js';

/**
 * Typed Graph failures. They carry data (endpoint, status, permission) so that the collector can
 * skip one dataset, say what confidence is lost, and carry on with what it can read.
 * All extend RuntimeFailure (exit code 3). Messages never contain secrets: Graph's own error text
 * passes through the credential's `redact` before it is used.
 */
export interface GraphFailureData {
  /** `GET /v1.0/auditLogs/signIns`: method, version and path; no host, no query, ids as `{id}`. */
  endpoint: string;
  /** HTTP status from Graph; -1 when no response arrived; 0 when no token could be obtained. */
  status: number;
  /** Graph error code (`Authorization_RequestDenied`…) when there was one. */
  code?: string;
  requestId?: string;
}

export class GraphFailure extends RuntimeFailure {
  constructor(
    message: string,
    readonly data: GraphFailureData,
    hint?: string,
    options?: { cause?: unknown },
  ) {
    super(message, hint, options);
    this.name = 'GraphFailure';
  }

  get endpoint(): string {
    return this.data.endpoint;
  }

  get status(): number {
    return this.data.status;
  }
}

/** 401 from Graph, or no token from the credential at all: nothing will work until it is fixed. */
export class CredentialRejected extends GraphFailure {
  constructor(message: string, data: GraphFailureData, hint?: string, options?: { cause?: unknown }) {
    super(message, data, hint, options);
    this.name = 'CredentialRejected';
  }
}

/**
 * The server's TLS certificate was refused (an untrusted CA, such as the emulator's throwaway one
 * or a TLS-inspecting proxy's, or an expired certificate): no request to that host can succeed until
 * the machine trusts it, and the credential itself was never tried. See tls-trust.ts.
 */
export class CertificateUntrusted extends GraphFailure {
  constructor(
    message: string,
    data: GraphFailureData,
    /** Node's code: `SELF_SIGNED_CERT_IN_CHAIN`, `CERT_HAS_EXPIRED`… */
    readonly tlsCode: string,
    hint?: string,
    options?: { cause?: unknown },
  ) {
    super(message, data, hint, options);
    this.name = 'CertificateUntrusted';
  }
}

/** 403: the app (or signed-in user) lacks a permission; `permissions` names what to grant. */
export class PermissionMissing extends GraphFailure {
  constructor(
    message: string,
    data: GraphFailureData,
    readonly permissions: string[],
    readonly delegatedRoles: string[],
    hint?: string,
  ) {
    super(message, data, hint);
    this.name = 'PermissionMissing';
  }

  /** `AuditLog.Read.All + Directory.Read.All`. */
  get permission(): string {
    return this.permissions.join(' + ');
  }
}

/** The tenant has no Entra ID P1/P2, which the reports and the sign-in logs need (https://learn.microsoft.com/graph/api/resources/userregistrationdetails, https://learn.microsoft.com/graph/api/signin-list). */
export class LicenceRequired extends GraphFailure {
  readonly licence = 'Microsoft Entra ID P1 or P2';
  constructor(message: string, data: GraphFailureData, hint?: string) {
    super(message, data, hint);
    this.name = 'LicenceRequired';
  }
}

/** A transient fault (429, 503, 504, network, truncated body) that outlasted the retry cap. */
export class RetriesExhausted extends GraphFailure {
  constructor(
    message: string,
    data: GraphFailureData,
    readonly attempts: number,
    readonly reason: TransientKind,
    hint?: string,
  ) {
    super(message, data, hint);
    this.name = 'RetriesExhausted';
  }
}

/**
 * A saved `@odata.nextLink` (resume) was refused. Skip tokens expire; the caller restarts the
 * dataset and de-duplicates by id.
 */
export class NextLinkRejected extends GraphFailure {
  constructor(message: string, data: GraphFailureData, hint?: string) {
    super(message, data, hint);
    this.name = 'NextLinkRejected';
  }
}

/** Any other final answer from Graph (400, 404, 409, a body of the wrong shape…). */
export class GraphRequestFailed extends GraphFailure {
  constructor(message: string, data: GraphFailureData, hint?: string) {
    super(message, data, hint);
    this.name = 'GraphRequestFailed';
  }
}

/**
 * The licence error of https://learn.microsoft.com/graph/api/resources/userregistrationdetails: code `Authentication_RequestFromNonPremiumTenantOrB2CTenant`,
 * message "Neither tenant is B2C or tenant doesn't have premium license".
 */
export function isLicenceError(code: string | undefined, message: string | undefined): boolean {
  if (code !== undefined && /RequestFromNonPremiumTenant/i.test(code)) return true;
  return (
    message !== undefined && /tenant doesn'?t have premium licen[cs]e|non-?premium tenant/i.test(message)
  );
}

export interface FailureContext {
  method: string;
  url: string;
  redact: (text: string) => string;
}

/** Turns a final (non-retried) failure into the typed error the collector acts on. */
export function toGraphFailure(failure: Failure, ctx: FailureContext): GraphFailure {
  const data = dataOf(failure, ctx);
  const graphSays = failure.message !== '' ? `: ${ctx.redact(failure.message)}` : '';
  if (isLicenceError(failure.code, failure.message)) {
    return new LicenceRequired(
      `${data.endpoint} needs a Microsoft Entra ID P1 or P2 licence in this tenant (Graph answered ${failure.status}${
        failure.code !== undefined ? ` ${failure.code}` : ''
      }).`,
      data,
      'Without P1/P2 the registration report and the sign-in logs cannot be read; the rest is collected and the assessment says which evidence is missing.',
    );
  }
  if (failure.status === 401) {
    return new CredentialRejected(
      `Microsoft Graph rejected the credential (401) for ${data.endpoint}${graphSays}`,
      data,
      'Check the tenant id and client id, that the secret or certificate is current, and that the token is for this cloud; for delegated sign-in, sign in again.',
    );
  }
  if (failure.status === 403) {
    const access = requiredAccess(ctx.url, ctx.method);
    const perms = formatPermissions(access);
    const roles =
      access.delegatedRoles.length > 0
        ? ` For delegated sign-in the user also needs a role such as ${access.delegatedRoles.join(', ')}.`
        : '';
    return new PermissionMissing(
      `Microsoft Graph refused ${data.endpoint} (403): grant ${perms}${graphSays}`,
      data,
      access.permissions,
      access.delegatedRoles,
      `Add the Microsoft Graph application permission${access.permissions.length > 1 ? 's' : ''} ${access.permissions.join(
        ' and ',
      )} to the app registration and grant admin consent.${roles}`,
    );
  }
  const status = failure.status === -1 ? 'no response' : String(failure.status);
  return new GraphRequestFailed(
    `${data.endpoint} failed (${status}${failure.code !== undefined ? ` ${failure.code}` : ''})${graphSays}`,
    data,
  );
}

export function retriesExhausted(
  failure: Failure,
  ctx: FailureContext,
  attempts: number,
  reason: TransientKind,
): RetriesExhausted {
  const data = dataOf(failure, ctx);
  const last = failure.status === -1 ? 'no response' : String(failure.status);
  return new RetriesExhausted(
    `${data.endpoint} still failed after ${attempts} attempts (${reason}, last: ${last}${
      failure.message !== '' ? ` ${ctx.redact(failure.message)}` : ''
    })`,
    data,
    attempts,
    reason,
    reason === 'throttled'
      ? 'Graph kept throttling this app in this tenant; other apps may share the budget. Run again later or with --resume.'
      : 'Graph or the network kept failing; run again with --resume to continue from what was written.',
  );
}

export function nextLinkRejected(failure: Failure, ctx: FailureContext): NextLinkRejected {
  const data = dataOf(failure, ctx);
  return new NextLinkRejected(
    `Graph refused the saved nextLink for ${data.endpoint} (${failure.status}${failure.code !== undefined ? ` ${failure.code}` : ''}).`,
    data,
    'The link has probably expired: restart this dataset from its first page and de-duplicate by id.',
  );
}

function dataOf(failure: Failure, ctx: FailureContext): GraphFailureData {
  const data: GraphFailureData = { endpoint: endpointName(ctx.method, ctx.url), status: failure.status };
  if (failure.code !== undefined) data.code = failure.code;
  if (failure.requestId !== undefined) data.requestId = failure.requestId;
  return data;
}
