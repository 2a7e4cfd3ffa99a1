/**
 * The flags shared by `collect`, `preflight` and `audit --tenant` (commander camelCase), and their
 * parsing into what the collector takes. Bad values are UsageErrors (exit 2) naming the flag.
 */
// collect-parts.js, not the live index: `audit --from` loads this file, and should not pay for the
// Graph client and @azure/identity it never uses.
import type { CollectDataset } from '../collect/live/collect-parts.js';
import { COLLECT_DATASETS, isCollectDataset } from '../collect/live/collect-parts.js';
import type { CollectBaseline } from '../domain/baseline.js';
import type { MethodsMode } from '../domain/methods-plan.js';
import { METHODS_MODES, isMethodsMode } from '../domain/methods-plan.js';
import { UsageError } from '../domain/errors.js';
import { splitListValues } from '../assess/scope-resolution.js';
import { isoTimeFlag, wholeNumberFlag } from './flag-values.js';

/** Where Graph is and who signs in. */
export interface GraphFlags {
  tenant?: string;
  cloud?: string;
  graphUrl?: string;
  loginUrl?: string;
  clientId?: string;
  clientSecret?: string;
  certificate?: string;
  deviceCode?: boolean;
  azureCli?: boolean;
  managedIdentity?: boolean;
}

/** What to collect. */
export interface CollectScopeFlags {
  since?: string;
  only?: string;
  signinDays?: string;
  lastSignIn?: boolean;
  methods?: string;
  methodsBudget?: string;
  reportMaxAge?: string;
  methodsMaxAge?: string;
  resume?: boolean;
  replace?: boolean;
  scopeGroup: string[];
  /** `--skip-bad-records`: broken sign-in and audit records are left out and counted, not fatal. */
  skipBadRecords?: boolean;
}

/** Every flag that only means something when collecting: `audit --from/--demo` refuses them. */
export const COLLECT_ONLY_FLAGS = {
  cloud: '--cloud',
  graphUrl: '--graph-url',
  loginUrl: '--login-url',
  clientId: '--client-id',
  clientSecret: '--client-secret',
  certificate: '--certificate',
  deviceCode: '--device-code',
  azureCli: '--azure-cli',
  managedIdentity: '--managed-identity',
  since: '--since',
  only: '--only',
  signinDays: '--signin-days',
  lastSignIn: '--last-sign-in',
  methods: '--methods',
  methodsBudget: '--methods-budget',
  reportMaxAge: '--report-max-age',
  methodsMaxAge: '--methods-max-age',
  resume: '--resume',
  replace: '--replace',
  outDir: '--out-dir',
} as const satisfies Partial<Record<keyof GraphFlags | keyof CollectScopeFlags | 'outDir', string>>;

/** What the collector is asked for, parsed. */
export interface CollectRequest {
  since?: Date;
  only?: CollectDataset[];
  /** Absent: the collector's default (7). */
  signInDays?: number;
  lastSignIn: boolean;
  /** Absent: the collector's default (`auto`). */
  methods?: MethodsMode;
  methodsBudgetMinutes?: number;
  /** `--report-max-age`: a refresh reads the report in full when the stored one is older (days). */
  reportMaxAgeDays?: number;
  /** `--methods-max-age`: a refresh reads an open user's stored methods list again when older (days). */
  methodsMaxAgeDays?: number;
  /** The stored run to refresh (the history database's latest); absent: a first collection. */
  baseline?: CollectBaseline;
  resume: boolean;
  /** `--replace`: the folder's collection is replaced once the new one has finished. */
  replace?: boolean;
  scopeGroups: string[];
  /** `--skip-bad-records`, for the collector's own re-read of what it wrote (the methods choice). */
  skipBadRecords?: boolean;
}

/** What `audit --demo` collects: everything, with the defaults. */
export const DEFAULT_COLLECT_REQUEST: Readonly<CollectRequest> = {
  lastSignIn: false,
  resume: false,
  scopeGroups: [],
};

export function parseCollectRequest(flags: CollectScopeFlags, now: Date): CollectRequest {
  const request: CollectRequest = {
    lastSignIn: flags.lastSignIn === true,
    resume: flags.resume === true,
    scopeGroups: parseScopeGroups(flags.scopeGroup),
  };
  if (flags.skipBadRecords === true) request.skipBadRecords = true;
  if (flags.replace === true) {
    if (request.resume) {
      throw new UsageError(
        'use either --resume or --replace, not both',
        '--resume continues the collection in the folder; --replace collects anew and swaps it in when done.',
      );
    }
    request.replace = true;
  }
  if (flags.methods !== undefined) request.methods = parseMethodsMode(flags.methods);
  if (flags.methodsBudget !== undefined) {
    // A day at most: beyond that, `--methods open` says what is meant.
    request.methodsBudgetMinutes = wholeNumberFlag('--methods-budget', flags.methodsBudget, 0, 1440);
  }
  if (flags.reportMaxAge !== undefined) {
    request.reportMaxAgeDays = wholeNumberFlag('--report-max-age', flags.reportMaxAge, 0, 3650);
  }
  if (flags.methodsMaxAge !== undefined) {
    request.methodsMaxAgeDays = wholeNumberFlag('--methods-max-age', flags.methodsMaxAge, 0, 3650);
  }
  const signInDays = parseSignInDays(flags.signinDays);
  if (signInDays !== undefined) request.signInDays = signInDays;
  const only = parseOnly(flags.only);
  if (only !== undefined) request.only = only;
  const since = parseSince(flags.since, now);
  if (since !== undefined) request.since = since;
  return request;
}

/** `--scope-group` values, repeated or comma lists (`a,b`), as the collector takes them. */
function parseScopeGroups(values: readonly string[]): string[] {
  return splitListValues(values, undefined, () => {
    throw new UsageError(
      "--scope-group '': an empty value names no group",
      'Give a group id or display name.',
    );
  });
}

/** `--only users,registration`: names from COLLECT_DATASETS, comma-separated. */
export function parseOnly(value: string | undefined): CollectDataset[] | undefined {
  if (value === undefined) return undefined;
  const names = value
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '');
  const unknown = names.filter((n) => !isCollectDataset(n));
  if (names.length === 0 || unknown.length > 0) {
    throw new UsageError(
      names.length === 0 ? '--only needs at least one name' : `--only: unknown ${unknown.join(', ')}`,
      `Choose from ${COLLECT_DATASETS.join(', ')} (comma-separated).`,
    );
  }
  return [...new Set(names)].filter(isCollectDataset);
}

function parseMethodsMode(value: string): MethodsMode {
  const mode = value.trim().toLowerCase();
  if (isMethodsMode(mode)) return mode;
  throw new UsageError(`--methods: unknown mode ${value}`, `Choose from ${METHODS_MODES.join(', ')}.`);
}

function parseSince(value: string | undefined, now: Date): Date | undefined {
  if (value === undefined) return undefined;
  const since = isoTimeFlag('--since', value);
  if (since.getTime() > now.getTime()) throw new UsageError(`--since ${value} is in the future`);
  return since;
}

function parseSignInDays(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  // Entra keeps sign-ins 30 days on P1/P2; asking for more returns nothing more.
  return wholeNumberFlag('--signin-days', value, 1, 30);
}

/** The first collect-only flag given, for `audit --from/--demo` to refuse. */
export function firstCollectOnlyFlag(flags: Record<string, unknown>): string | undefined {
  for (const [key, flag] of Object.entries(COLLECT_ONLY_FLAGS)) {
    if (flags[key] !== undefined) return flag;
  }
  return undefined;
}
