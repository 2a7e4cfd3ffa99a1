import type { DatasetName } from '../../domain/datasets.js';
import { UsageError } from '../../domain/errors.js';
import { CLOUD_NAMES } from '../../domain/graph-run.js';
import type { CloudName } from '../../domain/graph-run.js';

export { CLOUD_NAMES } from '../../domain/graph-run.js';
export type { CloudName } from '../../domain/graph-run.js';

interface CloudDefinition {
  graphUrl: string;
  loginUrl: string;
  /** Datasets whose API does not exist in this cloud, with the reason printed to the user. */
  unavailable: Partial<Record<DatasetName, string>>;
}

const CHINA_REASON =
  'is not offered in the China cloud (21Vianet): Microsoft documents the API for the global and US government clouds only';

/** https://learn.microsoft.com/graph/deployments (MGDC concepts/deployments.md): sign-in and Graph roots per cloud. */
const CLOUDS: Record<CloudName, CloudDefinition> = {
  global: {
    graphUrl: 'https://graph.microsoft.com',
    loginUrl: 'https://login.microsoftonline.com',
    unavailable: {},
  },
  usgov: {
    graphUrl: 'https://graph.microsoft.us',
    loginUrl: 'https://login.microsoftonline.us',
    unavailable: {},
  },
  usgovdod: {
    graphUrl: 'https://dod-graph.microsoft.us',
    loginUrl: 'https://login.microsoftonline.us',
    unavailable: {},
  },
  china: {
    graphUrl: 'https://microsoftgraph.chinacloudapi.cn',
    loginUrl: 'https://login.chinacloudapi.cn',
    // https://learn.microsoft.com/graph/deployments: the directoryAudits and per-user authentication-method pages list `global-us` only.
    unavailable: {
      audits: `The directory audit log (GET /auditLogs/directoryAudits) ${CHINA_REASON}.`,
      methods: `Per-user authentication methods (GET /users/{id}/authentication/methods) ${CHINA_REASON}.`,
    },
  },
};

/** Where to sign in and where Graph lives, after `--cloud`, `--graph-url` and `--login-url`. */
export interface CloudEndpoints {
  cloud: CloudName;
  /** Graph root without a trailing slash and without a version, e.g. `https://graph.microsoft.us`. */
  graphUrl: string;
  /** Authority host without a trailing slash, e.g. `https://login.microsoftonline.us`. */
  loginUrl: string;
  /** `--graph-url` replaced the cloud's Graph root. */
  customGraphUrl: boolean;
  /**
   * `--login-url` replaced the cloud's authority host. MSAL does not know such a host, so the
   * credential must skip instance discovery (see credentials.ts).
   */
  customLoginUrl: boolean;
  /** Datasets this cloud does not offer, each with a stated reason. */
  unavailable: Partial<Record<DatasetName, string>>;
}

export interface CloudSelection {
  cloud?: string;
  graphUrl?: string;
  loginUrl?: string;
}

/** Resolves `--cloud` (default global) and the URL overrides; throws UsageError for bad input. */
export function resolveCloud(selection: CloudSelection = {}): CloudEndpoints {
  const name = selection.cloud ?? 'global';
  if (!isCloudName(name)) {
    throw new UsageError(`unknown cloud "${name}"`, `use one of: ${CLOUD_NAMES.join(', ')}`);
  }
  const def = CLOUDS[name];
  const graphUrl = selection.graphUrl !== undefined ? normaliseGraphUrl(selection.graphUrl) : def.graphUrl;
  const loginUrl = selection.loginUrl !== undefined ? normaliseLoginUrl(selection.loginUrl) : def.loginUrl;
  return {
    cloud: name,
    graphUrl,
    loginUrl,
    customGraphUrl: graphUrl !== def.graphUrl,
    customLoginUrl: loginUrl !== def.loginUrl,
    unavailable: { ...def.unavailable },
  };
}

/** The reason a dataset cannot be collected in this cloud, or undefined when it can. */
export function unavailableReason(endpoints: CloudEndpoints, dataset: DatasetName): string | undefined {
  return endpoints.unavailable[dataset];
}

export function isCloudName(value: string): value is CloudName {
  return (CLOUD_NAMES as readonly string[]).includes(value);
}

function normaliseGraphUrl(raw: string): string {
  const url = parseHttpsUrl(raw, '--graph-url', {
    // @microsoft/microsoft-graph-client 3.x attaches the token only to https URLs (GraphRequestUtil
    // isValidEndpoint matches "https://") and mis-parses absolute http nextLinks.
    httpReason: 'the Graph client library only attaches the access token to https URLs',
  });
  const path = url.pathname.replace(/\/+$/, '');
  if (/\/(v1\.0|beta)$/i.test(path)) {
    throw new UsageError(
      `--graph-url must be the Graph root without a version: ${raw}`,
      `drop the trailing ${path.slice(path.lastIndexOf('/'))}; the collector picks v1.0 or beta per endpoint`,
    );
  }
  return `${url.origin}${path}`;
}

function normaliseLoginUrl(raw: string): string {
  const url = parseHttpsUrl(raw, '--login-url', {
    httpReason: 'MSAL (inside @azure/identity) refuses plain-http authorities',
  });
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function parseHttpsUrl(raw: string, flag: string, why: { httpReason: string }): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // Not echoed: a mistyped value may hold credentials.
    throw new UsageError(`${flag} is not an absolute URL`, 'give an absolute https:// URL');
  }
  if (url.protocol !== 'https:') {
    throw new UsageError(
      `${flag} must use https: ${url.protocol}//${url.host}${url.pathname} (${why.httpReason})`,
      'an emulator serves HTTPS with a throwaway CA; trust it with NODE_EXTRA_CA_CERTS',
    );
  }
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new UsageError(`${flag} must not carry a query, fragment or credentials: ${url.origin}`);
  }
  return url;
}
