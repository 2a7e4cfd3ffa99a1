/**
 * Small datasets written whole: single objects (the methods policy, security defaults), short
 * collections saved as one Graph page (Conditional Access policies, domains, each federated domain
 * with its federation configuration), and tenant.json.
 * They are fetched again in full by a resumed run unless the checkpoint says they are complete.
 */
import type { EvidenceWindows } from '../../domain/tenant.js';
import type { CloudName } from '../graph/index.js';
import { GraphFailure } from '../graph/index.js';
import type { PartOutcome } from './collect-paged.js';
import { failPart } from './collect-paged.js';
import type { CollectPart } from './collect-parts.js';
import { PART_SPECS } from './collect-parts.js';
import type { PartStatus } from '../../domain/collect-result.js';
import { writeFileAtomic } from './export-files.js';
import type { FailureInfo } from './failure-info.js';
import { asGraphFailure, failureInfo } from './failure-info.js';
import type { GraphQuery } from './graph-queries.js';
import { DOMAIN_FEDERATION_FIELDS, DOMAINS, ORGANIZATION, domainFederation } from './graph-queries.js';
import type { RunContext } from './run-context.js';
import { endsRun } from './run-context.js';
import { serialiseWithoutSecrets } from './secrets.js';

function optionsOf(q: GraphQuery): {
  version: GraphQuery['version'];
  headers?: Readonly<Record<string, string>>;
} {
  return q.headers === undefined ? { version: q.version } : { version: q.version, headers: q.headers };
}

/** GET one object and save it as received (secret keys nulled). */
export async function collectSingle(
  ctx: RunContext,
  part: CollectPart,
  query: GraphQuery,
): Promise<PartOutcome> {
  const state = ctx.checkpoint.part(part);
  if (state.phase === 'complete') return { status: { state: 'complete' }, fromCheckpoint: true };
  state.queries = [query.path];
  const progress = ctx.progress(part, 0);
  try {
    const body = await ctx.source.get<unknown>(query.path, optionsOf(query));
    await writeFileAtomic(ctx.path(PART_SPECS[part].file), `${serialiseWithoutSecrets(body)}\n`);
    return await complete(ctx, part, 1, 1, progress);
  } catch (err) {
    return failPart(ctx, state, err, progress);
  }
}

/** A short collection, every page, saved as one Graph page `{"value":[…]}`. */
export async function collectAsOnePage(
  ctx: RunContext,
  part: CollectPart,
  query: GraphQuery,
): Promise<PartOutcome> {
  const state = ctx.checkpoint.part(part);
  if (state.phase === 'complete') return { status: { state: 'complete' }, fromCheckpoint: true };
  state.queries = [query.path];
  const progress = ctx.progress(part, 0);
  try {
    const items: unknown[] = [];
    let pages = 0;
    for await (const page of ctx.source.pages<unknown>(query.path, optionsOf(query))) {
      ctx.checkStopped();
      items.push(...page.items);
      pages++;
      progress.update(pages, items.length);
    }
    await writeFileAtomic(ctx.path(PART_SPECS[part].file), `${serialiseWithoutSecrets({ value: items })}\n`);
    return await complete(ctx, part, pages, items.length, progress);
  } catch (err) {
    return failPart(ctx, state, err, progress);
  }
}

/** The fields of an internalDomainFederation that domains.json keeps (DOMAIN_FEDERATION_FIELDS). */
function keptFederation(config: unknown): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  if (config === null || typeof config !== 'object') return kept;
  for (const key of DOMAIN_FEDERATION_FIELDS) {
    const value = (config as Record<string, unknown>)[key];
    if (value !== undefined) kept[key] = value;
  }
  return kept;
}

function isFederated(domain: unknown): domain is { id: string } {
  const d = domain as { id?: unknown; authenticationType?: unknown } | null;
  return (
    typeof d?.id === 'string' &&
    typeof d.authenticationType === 'string' &&
    d.authenticationType.toLowerCase() === 'federated'
  );
}

/**
 * domains.json: `GET /domains`, then for each federated domain its federation configuration
 * (one request per federated domain), embedded as `federationConfiguration: [...]`, which the
 * export reader takes the `federatedIdpMfaBehavior` from. A refused configuration (403 without
 * Domain.Read.All, 404, a cloud without it) leaves that domain without it: the part is complete and
 * says which domains went unread, and what that costs.
 */
export async function collectDomains(ctx: RunContext): Promise<PartOutcome> {
  const state = ctx.checkpoint.part('domains');
  // The domains left unread stay in the checkpoint (state.unread), where the run's result reads them.
  if (state.phase === 'complete') return { status: { state: 'complete' }, fromCheckpoint: true };
  state.queries = [DOMAINS.path];
  delete state.unread;
  const progress = ctx.progress('domains', 0);
  try {
    const items: unknown[] = [];
    let pages = 0;
    for await (const page of ctx.source.pages<unknown>(DOMAINS.path, optionsOf(DOMAINS))) {
      ctx.checkStopped();
      items.push(...page.items);
      pages++;
      progress.update(pages, items.length);
    }
    const unread: string[] = [];
    let firstFailure: FailureInfo | undefined;
    const written: unknown[] = [];
    for (const domain of items) {
      if (!isFederated(domain)) {
        written.push(domain);
        continue;
      }
      ctx.checkStopped();
      const query = domainFederation(domain.id);
      try {
        const body = await ctx.source.get<{ value?: unknown }>(query.path, optionsOf(query));
        const list = Array.isArray(body.value) ? body.value : [];
        written.push({ ...domain, federationConfiguration: list.map(keptFederation) });
      } catch (err) {
        const failure = asGraphFailure(err);
        if (failure === undefined || endsRun(err)) throw err;
        unread.push(domain.id);
        firstFailure ??= failureInfo(failure);
        written.push(domain);
      }
    }
    await writeFileAtomic(
      ctx.path(PART_SPECS.domains.file),
      `${serialiseWithoutSecrets({ value: written })}\n`,
    );
    if (firstFailure !== undefined) state.unread = { items: unread, failure: firstFailure };
    return await complete(ctx, 'domains', pages, items.length, progress);
  } catch (err) {
    return failPart(ctx, state, err, progress);
  }
}

async function complete(
  ctx: RunContext,
  part: CollectPart,
  pages: number,
  rows: number,
  progress: { done: (pages: number, rows: number, status: PartStatus) => void },
): Promise<PartOutcome> {
  const state = ctx.checkpoint.part(part);
  state.phase = 'complete';
  state.pages = pages;
  state.rows = rows;
  delete state.failure;
  await ctx.checkpoint.save();
  const status: PartStatus = { state: 'complete' };
  progress.done(pages, rows, status);
  return { status };
}

export interface TenantFile {
  tenantId: string;
  displayName?: string;
  collectedAt: string;
  cloud: CloudName;
  /** How far back each kind of evidence was read (src/domain/tenant.ts EvidenceWindows). */
  windows?: EvidenceWindows;
}

/**
 * tenant.json. `GET /organization` is the run's first request: it proves the credential (a 401 ends
 * the run before anything else is asked) and names the tenant. Without Directory.Read.All it is a 403:
 * the credential works, and tenant.json is written without the name.
 */
export async function collectTenantFile(
  ctx: RunContext,
  tenant: { tenantId: string; collectedAt: string; cloud: CloudName; windows?: EvidenceWindows },
): Promise<PartOutcome> {
  const state = ctx.checkpoint.part('tenant');
  if (state.phase === 'complete') return { status: { state: 'complete' }, fromCheckpoint: true };
  state.queries = [ORGANIZATION.path];
  const progress = ctx.progress('tenant', 0);
  let displayName: string | undefined;
  let failure: unknown;
  try {
    const body = await ctx.source.get<{ value?: { displayName?: unknown }[] }>(ORGANIZATION.path, {
      version: ORGANIZATION.version,
    });
    const name = body.value?.[0]?.displayName;
    if (typeof name === 'string' && name !== '') displayName = name;
  } catch (err) {
    if (!(err instanceof GraphFailure)) throw err;
    failure = err;
  }
  // Key order of the export format: {tenantId, displayName, collectedAt, cloud}; then the windows.
  const ordered: TenantFile = {
    tenantId: tenant.tenantId,
    ...(displayName !== undefined ? { displayName } : {}),
    collectedAt: tenant.collectedAt,
    cloud: tenant.cloud,
    ...(tenant.windows !== undefined ? { windows: tenant.windows } : {}),
  };
  await writeFileAtomic(ctx.path(PART_SPECS.tenant.file), `${JSON.stringify(ordered, null, 2)}\n`);
  if (failure !== undefined) return failPart(ctx, state, failure, progress);
  return complete(ctx, 'tenant', 1, 1, progress);
}
