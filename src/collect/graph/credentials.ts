import {
  AzureCliCredential,
  ClientCertificateCredential,
  ClientSecretCredential,
  DeviceCodeCredential,
  ManagedIdentityCredential,
} from '@azure/identity';
import type { AccessToken, DeviceCodeInfo, GetTokenOptions, TokenCredential } from '@azure/identity';
import { inspect } from 'node:util';
import { UsageError } from '../../domain/errors.js';
import type { CloudEndpoints } from './clouds.js';
import { TlsFailureRecorder, certificateUntrusted } from './tls-trust.js';

/** The credential flags of `mfa-ready collect` (commander camelCase). */
export interface CredentialFlags {
  tenant?: string;
  clientId?: string;
  /** The secret value itself; prefer AZURE_CLIENT_SECRET (command lines show up in `ps`). */
  clientSecret?: string;
  /** Path to a PEM file holding the certificate and its private key. */
  certificate?: string;
  deviceCode?: boolean;
  azureCli?: boolean;
  managedIdentity?: boolean;
}

export type Environment = Readonly<Record<string, string | undefined>>;

export const CREDENTIAL_KINDS = [
  'client-secret',
  'client-certificate',
  'device-code',
  'azure-cli',
  'managed-identity',
] as const;
export type CredentialKind = (typeof CREDENTIAL_KINDS)[number];

/**
 * The decision, as plain data with no secret in it: which credential, for which tenant and app,
 * against which authority, and why. `planCredential` is pure (no I/O, no network).
 */
export interface CredentialPlan {
  kind: CredentialKind;
  /** app-only (secret, certificate), delegated (device code, Azure CLI), or managed identity. */
  mode: 'app-only' | 'delegated' | 'managed-identity';
  tenantId?: string;
  clientId?: string;
  certificatePath?: string;
  /** Where the secret is read from (never its value). */
  secretSource?: '--client-secret' | 'AZURE_CLIENT_SECRET';
  /** MSAL authority host (secret, certificate, device code). */
  authorityHost?: string;
  /**
   * True with a custom `--login-url`: otherwise MSAL first asks login.microsoftonline.com whether it
   * knows the host (instance discovery), which fails for an emulator or a private authority.
   */
  disableInstanceDiscovery?: boolean;
  /** Why this path was chosen: the flag or the environment variable that decided it. */
  reason: string;
  /** One line for logs and `preflight`. Never contains a secret. */
  description: string;
  /** Caveats worth printing (e.g. the Azure CLI ignores --login-url). */
  notes: string[];
}

const FLAG_FOR: Record<CredentialKind, string> = {
  'client-secret': '--client-secret',
  'client-certificate': '--certificate',
  'device-code': '--device-code',
  'azure-cli': '--azure-cli',
  'managed-identity': '--managed-identity',
};

const HOW_TO_CHOOSE =
  'choose one: --client-secret (or AZURE_CLIENT_SECRET), --certificate PATH (or AZURE_CLIENT_CERTIFICATE_PATH), --device-code, --azure-cli, or --managed-identity (or IDENTITY_ENDPOINT / MSI_ENDPOINT set by the host)';

/** Decides which credential to use from flags first, then the usual AZURE_* variables. Pure. */
export function planCredential(
  flags: CredentialFlags,
  env: Environment,
  cloud: CloudEndpoints,
): CredentialPlan {
  const { kind, reason } = pickKind(flags, env);
  const tenantId = nonEmpty(flags.tenant) ?? nonEmpty(env['AZURE_TENANT_ID']);
  const tenantFrom = nonEmpty(flags.tenant) !== undefined ? '--tenant' : 'AZURE_TENANT_ID';
  const clientId = nonEmpty(flags.clientId) ?? nonEmpty(env['AZURE_CLIENT_ID']);
  if (tenantId !== undefined && !/^[0-9A-Za-z.-]+$/.test(tenantId)) {
    // The value is not echoed: a pasted secret in the wrong place must not end up in a log.
    throw new UsageError(`${tenantFrom} is not a tenant id (GUID) or domain name`);
  }
  const notes: string[] = [];
  const authority = { authorityHost: cloud.loginUrl, disableInstanceDiscovery: cloud.customLoginUrl };
  const authorityText = `authority ${cloud.loginUrl}${cloud.customLoginUrl ? ' (custom, instance discovery off)' : ''}`;

  switch (kind) {
    case 'client-secret':
    case 'client-certificate': {
      // Say where the choice came from: the secret may be an environment variable, not a flag.
      const what = `${kind === 'client-secret' ? 'a client secret' : 'a client certificate'} (${reason})`;
      if (tenantId === undefined)
        throw new UsageError(`${what} needs a tenant`, 'pass --tenant ID or set AZURE_TENANT_ID');
      if (clientId === undefined) {
        throw new UsageError(
          `${what} needs the app's client id`,
          'pass --client-id ID or set AZURE_CLIENT_ID',
        );
      }
      const plan: CredentialPlan = {
        kind,
        mode: 'app-only',
        tenantId,
        clientId,
        ...authority,
        reason,
        description: '',
        notes,
      };
      if (kind === 'client-secret') {
        plan.secretSource =
          nonEmpty(flags.clientSecret) !== undefined ? '--client-secret' : 'AZURE_CLIENT_SECRET';
        plan.description = `client secret (app-only) for tenant ${tenantId}, app ${clientId}, secret from ${plan.secretSource}; ${authorityText}`;
      } else {
        const path = nonEmpty(flags.certificate) ?? nonEmpty(env['AZURE_CLIENT_CERTIFICATE_PATH']) ?? '';
        plan.certificatePath = path;
        plan.description = `client certificate (app-only) for tenant ${tenantId}, app ${clientId}, certificate ${path}${
          nonEmpty(env['AZURE_CLIENT_CERTIFICATE_PASSWORD']) !== undefined
            ? ' (password from AZURE_CLIENT_CERTIFICATE_PASSWORD)'
            : ''
        }; ${authorityText}`;
      }
      return plan;
    }
    case 'device-code': {
      const plan: CredentialPlan = { kind, mode: 'delegated', ...authority, reason, description: '', notes };
      if (tenantId !== undefined) plan.tenantId = tenantId;
      if (clientId !== undefined) plan.clientId = clientId;
      else notes.push("no --client-id: @azure/identity's default public client (the Azure CLI app) is used");
      plan.description = `device code (delegated) for tenant ${tenantId ?? 'organizations'}, app ${
        clientId ?? 'default public client'
      }; ${authorityText}`;
      return plan;
    }
    case 'azure-cli': {
      const plan: CredentialPlan = { kind, mode: 'delegated', reason, description: '', notes };
      if (tenantId !== undefined) plan.tenantId = tenantId;
      // The CLI signs in against its own cloud (`az cloud set`); the identity library cannot redirect it.
      notes.push(
        `the Azure CLI uses its own cloud setting (az cloud set); make sure it matches --cloud ${cloud.cloud}`,
      );
      if (cloud.customLoginUrl) notes.push('--login-url does not apply to the Azure CLI');
      plan.description = `Azure CLI sign-in (delegated, az account get-access-token) for tenant ${tenantId ?? "the CLI's default"}`;
      return plan;
    }
    case 'managed-identity': {
      const plan: CredentialPlan = { kind, mode: 'managed-identity', reason, description: '', notes };
      if (clientId !== undefined) plan.clientId = clientId;
      if (cloud.customLoginUrl)
        notes.push('--login-url does not apply to a managed identity (the host issues its tokens)');
      plan.description = `managed identity (${clientId !== undefined ? `user-assigned, client id ${clientId}` : 'system-assigned'})`;
      return plan;
    }
  }
}

export interface CredentialChoice {
  /**
   * The credential, wrapped: the identity classes keep the secret in a plain property (so
   * `JSON.stringify` or a debug log of them would print it); the wrapper hides the instance and
   * redacts secrets from the errors `getToken` throws.
   */
  credential: GuardedCredential;
  plan: CredentialPlan;
  /** Same as `plan.description`. */
  description: string;
  /** Replaces every secret this choice knows (client secret, certificate password) with `[redacted]`. */
  redact(text: string): string;
}

export interface CredentialBuildOptions {
  /**
   * Extra CA to trust for the token endpoint (an emulator's throwaway CA, in-process). Replaces the
   * default trust store for the credential's own HTTP pipeline; a child process can use
   * NODE_EXTRA_CA_CERTS instead.
   */
  ca?: string | Buffer;
  /** Where the device-code prompt goes (default: standard error, so it never mixes with a report). */
  onDeviceCode?: (message: string) => void;
}

/**
 * Plans and constructs the credential. Construction does no network I/O (the identity credentials
 * are lazy), so tests can check every path; the first token request happens in the Graph client.
 */
export function chooseCredential(
  flags: CredentialFlags,
  env: Environment,
  cloud: CloudEndpoints,
  options: CredentialBuildOptions = {},
): CredentialChoice {
  const plan = planCredential(flags, env, cloud);
  const secrets: string[] = [];
  const secret = plan.secretSource === '--client-secret' ? flags.clientSecret : env['AZURE_CLIENT_SECRET'];
  const certificatePassword = nonEmpty(env['AZURE_CLIENT_CERTIFICATE_PASSWORD']);
  if (plan.kind === 'client-secret' && secret !== undefined) secrets.push(secret);
  if (plan.kind === 'client-certificate' && certificatePassword !== undefined)
    secrets.push(certificatePassword);
  const redact = makeRedactor(secrets);

  const tls = new TlsFailureRecorder();
  const common = {
    ...(plan.authorityHost !== undefined ? { authorityHost: plan.authorityHost } : {}),
    ...(options.ca !== undefined ? { tlsOptions: { ca: options.ca } } : {}),
    additionalPolicies: [tls.additionalPolicy],
  };
  const msal = {
    ...common,
    ...(plan.disableInstanceDiscovery === true ? { disableInstanceDiscovery: true } : {}),
  };

  let credential: TokenCredential;
  try {
    credential = build(plan, secret, certificatePassword, msal, common, options);
  } catch (err) {
    // Identity constructors validate arguments; their messages must not echo a secret.
    const message = err instanceof Error ? err.message : String(err);
    throw new UsageError(`cannot set up the ${plan.kind} credential: ${redact(message)}`);
  }
  return {
    credential: new GuardedCredential(credential, redact, tls),
    plan,
    description: plan.description,
    redact,
  };
}

/** A TokenCredential that shows nothing of what it wraps and keeps secrets out of its errors. */
export class GuardedCredential implements TokenCredential {
  readonly #inner: TokenCredential;
  readonly #redact: (text: string) => string;
  readonly #tls: TlsFailureRecorder | undefined;

  constructor(inner: TokenCredential, redact: (text: string) => string, tls?: TlsFailureRecorder) {
    this.#inner = inner;
    this.#redact = redact;
    this.#tls = tls;
  }

  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
    this.#tls?.take();
    try {
      return await this.#inner.getToken(scopes, options);
    } catch (err) {
      // A refused server certificate, which MSAL reports as a failure to resolve its endpoints.
      const tls = this.#tls?.take();
      if (tls !== undefined) throw certificateUntrusted(tls.failure, tls.url, 'sign-in', 0);
      if (err instanceof Error) {
        err.message = this.#redact(err.message);
        if (err.stack !== undefined) err.stack = this.#redact(err.stack);
      }
      throw err;
    }
  }

  /** The identity credential itself (tests check its class; do not log it). */
  unwrap(): TokenCredential {
    return this.#inner;
  }

  toJSON(): string {
    return '[credential]';
  }

  [inspect.custom](): string {
    return 'GuardedCredential [credential]';
  }
}

function build(
  plan: CredentialPlan,
  secret: string | undefined,
  certificatePassword: string | undefined,
  msal: Record<string, unknown>,
  common: Record<string, unknown>,
  options: CredentialBuildOptions,
): TokenCredential {
  const tenantId = plan.tenantId ?? '';
  const clientId = plan.clientId ?? '';
  switch (plan.kind) {
    case 'client-secret':
      return new ClientSecretCredential(tenantId, clientId, secret ?? '', msal);
    case 'client-certificate':
      return new ClientCertificateCredential(
        tenantId,
        clientId,
        {
          certificatePath: plan.certificatePath ?? '',
          ...(certificatePassword !== undefined ? { certificatePassword } : {}),
        },
        msal,
      );
    case 'device-code': {
      const prompt = options.onDeviceCode ?? ((m: string) => process.stderr.write(`${m}\n`));
      return new DeviceCodeCredential({
        ...msal,
        ...(plan.tenantId !== undefined ? { tenantId: plan.tenantId } : {}),
        ...(plan.clientId !== undefined ? { clientId: plan.clientId } : {}),
        userPromptCallback: (info: DeviceCodeInfo) => prompt(info.message),
      });
    }
    case 'azure-cli':
      return new AzureCliCredential(plan.tenantId !== undefined ? { tenantId: plan.tenantId } : {});
    case 'managed-identity':
      return new ManagedIdentityCredential({
        ...common,
        ...(plan.clientId !== undefined ? { clientId: plan.clientId } : {}),
      });
  }
}

function pickKind(flags: CredentialFlags, env: Environment): { kind: CredentialKind; reason: string } {
  const explicit: CredentialKind[] = [];
  if (nonEmpty(flags.clientSecret) !== undefined) explicit.push('client-secret');
  if (nonEmpty(flags.certificate) !== undefined) explicit.push('client-certificate');
  if (flags.deviceCode === true) explicit.push('device-code');
  if (flags.azureCli === true) explicit.push('azure-cli');
  if (flags.managedIdentity === true) explicit.push('managed-identity');
  if (explicit.length > 1) {
    throw new UsageError(
      `more than one credential was asked for: ${explicit.map((k) => FLAG_FOR[k]).join(', ')}`,
      HOW_TO_CHOOSE,
    );
  }
  const only = explicit[0];
  if (only !== undefined) return { kind: only, reason: `${FLAG_FOR[only]} was given` };

  // No flag: the variables @azure/identity's EnvironmentCredential reads, in its order (secret first).
  if (nonEmpty(env['AZURE_CLIENT_SECRET']) !== undefined) {
    const both = nonEmpty(env['AZURE_CLIENT_CERTIFICATE_PATH']) !== undefined;
    return {
      kind: 'client-secret',
      reason: `AZURE_CLIENT_SECRET is set${both ? ' (it wins over AZURE_CLIENT_CERTIFICATE_PATH)' : ''}`,
    };
  }
  if (nonEmpty(env['AZURE_CLIENT_CERTIFICATE_PATH']) !== undefined) {
    return { kind: 'client-certificate', reason: 'AZURE_CLIENT_CERTIFICATE_PATH is set' };
  }
  for (const name of ['IDENTITY_ENDPOINT', 'MSI_ENDPOINT']) {
    if (nonEmpty(env[name]) !== undefined) {
      return { kind: 'managed-identity', reason: `${name} is set (this host offers a managed identity)` };
    }
  }
  throw new UsageError('no credential for Microsoft Graph', HOW_TO_CHOOSE);
}

/** Replaces each non-empty secret with `[redacted]`, longest first (one secret may contain another). */
export function makeRedactor(secrets: readonly string[]): (text: string) => string {
  const list = [...new Set(secrets.filter((s) => s !== ''))].sort((a, b) => b.length - a.length);
  if (list.length === 0) return (text) => text;
  return (text) => list.reduce((acc, s) => acc.split(s).join('[redacted]'), text);
}

function nonEmpty(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : value;
}
