/**
 * From the command line to a Graph source: the cloud, the credential (flags first, then AZURE_*
 * variables from `io.env`), and the Graph client on the given clock. Nothing here talks to the
 * network: the first token request happens with the first Graph request.
 */
import type {
  Clock,
  CloudEndpoints,
  CloudSelection,
  CredentialChoice,
  GraphEvent,
  LiveGraphSource,
} from '../collect/graph/index.js';
import { chooseCredential, createGraphSource, realClock, resolveCloud } from '../collect/graph/index.js';
import { UsageError } from '../domain/errors.js';
import type { GraphFlags } from './collect-flags.js';
import type { CliDeps } from './deps.js';
import type { Io } from './output.js';

export interface GraphSession {
  tenantId: string;
  endpoints: CloudEndpoints;
  choice: CredentialChoice;
  source: LiveGraphSource;
  clock: Clock;
  /** Lines worth telling the admin before the run (caveats of the chosen credential). */
  notes: string[];
  close(): void;
}

export interface SessionHooks {
  onEvent?: (event: GraphEvent) => void;
  /** Where the device-code prompt goes (the progress display, so it does not tear its lines). */
  onDeviceCode?: (message: string) => void;
}

export function openGraphSession(
  flags: GraphFlags,
  io: Io,
  deps: CliDeps,
  hooks: SessionHooks = {},
): GraphSession {
  const tenantId = flags.tenant ?? nonEmpty(io.env['AZURE_TENANT_ID']);
  if (tenantId === undefined) {
    throw new UsageError(
      'say which tenant to read',
      'Pass --tenant ID (the directory id, or a domain such as contoso.onmicrosoft.com), or set AZURE_TENANT_ID.',
    );
  }
  const selection: CloudSelection = {};
  if (flags.cloud !== undefined) selection.cloud = flags.cloud;
  if (flags.graphUrl !== undefined) selection.graphUrl = flags.graphUrl;
  if (flags.loginUrl !== undefined) selection.loginUrl = flags.loginUrl;
  const endpoints = resolveCloud(selection);

  const choice = chooseCredential({ ...credentialFlags(flags), tenant: tenantId }, io.env, endpoints, {
    ...(deps.ca !== undefined ? { ca: deps.ca } : {}),
    ...(hooks.onDeviceCode !== undefined ? { onDeviceCode: hooks.onDeviceCode } : {}),
  });
  const clock = deps.clock ?? realClock();
  const source = createGraphSource({
    graphUrl: endpoints.graphUrl,
    credential: choice.credential,
    clock,
    redact: choice.redact,
    ...(deps.ca !== undefined ? { ca: deps.ca } : {}),
    ...(hooks.onEvent !== undefined ? { onEvent: hooks.onEvent } : {}),
  });
  const notes = [...choice.plan.notes];
  if (choice.plan.secretSource === '--client-secret') {
    notes.push(
      '--client-secret puts the secret in shell history and the process list; prefer AZURE_CLIENT_SECRET or --certificate',
    );
  }
  return { tenantId, endpoints, choice, source, clock, notes, close: () => source.close() };
}

/** Only the credential flags that were given (exactOptionalPropertyTypes: no `undefined` values). */
function credentialFlags(flags: GraphFlags): Omit<GraphFlags, 'tenant' | 'cloud' | 'graphUrl' | 'loginUrl'> {
  const out: Omit<GraphFlags, 'tenant' | 'cloud' | 'graphUrl' | 'loginUrl'> = {};
  if (flags.clientId !== undefined) out.clientId = flags.clientId;
  if (flags.clientSecret !== undefined) out.clientSecret = flags.clientSecret;
  if (flags.certificate !== undefined) out.certificate = flags.certificate;
  if (flags.deviceCode !== undefined) out.deviceCode = flags.deviceCode;
  if (flags.azureCli !== undefined) out.azureCli = flags.azureCli;
  if (flags.managedIdentity !== undefined) out.managedIdentity = flags.managedIdentity;
  return out;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
