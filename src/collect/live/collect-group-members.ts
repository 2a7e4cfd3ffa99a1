/**
 * `groupMembers/<group id>.json`: transitive members of the groups that matter (groups-that-matter.ts),
 * one file per group, written whole once all its pages are in. A resumed run skips groups whose file
 * exists.
 */
import { readList, readSingle } from '../../load/index.js';
import {
  normaliseAuthenticationMethodsPolicy,
  normaliseConditionalAccessPolicy,
  normaliseGroup,
  normaliseRoleAssignment,
} from '../../load/index.js';
import type { GraphFailure } from '../graph/index.js';
import type {
  AuthenticationMethodsPolicy,
  ConditionalAccessPolicy,
  Group,
  RoleAssignment,
} from '../../domain/tenant.js';
import type { PartOutcome } from './collect-paged.js';
import { failPart, finishItemPart } from './collect-paged.js';
import { PART_SPECS } from './collect-parts.js';
import type { GroupsOutcome } from '../../domain/collect-result.js';
import { fileExists, isSafeFileKey, listFileNames, writeFileAtomic } from './export-files.js';
import { asGraphFailure, failureInfo, isAccessFailure } from './failure-info.js';
import { groupMembers } from './graph-queries.js';
import { groupsThatMatter } from './groups-that-matter.js';
import type { RunContext } from './run-context.js';
import { endsRun } from './run-context.js';
import { serialiseWithoutSecrets } from './secrets.js';

/** The policies and groups in the folder (this run's, or an earlier run's with `--only groups`), read back. */
async function readWritten(ctx: RunContext): Promise<{
  conditionalAccess?: ConditionalAccessPolicy[];
  methodsPolicy?: AuthenticationMethodsPolicy;
  groups?: Group[];
  roleAssignments?: RoleAssignment[];
}> {
  // Written whole (or, for groups, page by page up to the checkpoint): whatever is there can be read.
  const at = (part: 'conditionalAccess' | 'methodsPolicy' | 'groups' | 'roleAssignments'): string =>
    ctx.path(PART_SPECS[part].file);
  const out: {
    conditionalAccess?: ConditionalAccessPolicy[];
    methodsPolicy?: AuthenticationMethodsPolicy;
    groups?: Group[];
    roleAssignments?: RoleAssignment[];
  } = {};
  const ca = at('conditionalAccess');
  if (await fileExists(ca)) {
    out.conditionalAccess = (await readList(ca, normaliseConditionalAccessPolicy)).items;
  }
  const mp = at('methodsPolicy');
  if (await fileExists(mp)) {
    const policy = await readSingle(mp, normaliseAuthenticationMethodsPolicy);
    if (policy !== undefined) out.methodsPolicy = policy;
  }
  const groups = at('groups');
  if (await fileExists(groups)) out.groups = (await readList(groups, normaliseGroup)).items;
  const roles = at('roleAssignments');
  if (await fileExists(roles)) out.roleAssignments = (await readList(roles, normaliseRoleAssignment)).items;
  return out;
}

export async function collectGroupMembers(
  ctx: RunContext,
  scopeGroups: readonly string[],
): Promise<PartOutcome & { groups: GroupsOutcome }> {
  const state = ctx.checkpoint.part('groupMembers');
  const chosen = groupsThatMatter({ ...(await readWritten(ctx)), scopeGroups });
  const outcome: GroupsOutcome = {
    groups: chosen.groups,
    unresolvedScope: chosen.unresolvedScope,
    failed: [],
  };
  const folder = PART_SPECS.groupMembers.file;
  const written = new Set(
    (await listFileNames(ctx.path(folder)))
      .filter((n) => n.endsWith('.json'))
      .map((n) => n.slice(0, -5).toLowerCase()),
  );
  const todo = chosen.groups.filter((g) => isSafeFileKey(g.id) && !written.has(g.id.toLowerCase()));
  if (state.phase === 'complete' && todo.length === 0) {
    return { status: { state: 'complete' }, fromCheckpoint: true, groups: outcome };
  }
  if (chosen.groups.length === 0) {
    state.phase = 'skipped';
    await ctx.checkpoint.save();
    return { status: { state: 'skipped', reason: { code: 'nothing-to-fetch' } }, groups: outcome };
  }

  state.rows = chosen.groups.length - todo.length;
  const progress = ctx.progress('groupMembers', state.rows, chosen.groups.length);
  state.phase = 'in-progress';
  let fetched = 0;
  try {
    for (const group of todo) {
      ctx.checkStopped();
      const query = groupMembers(group.id);
      const pages: { value: unknown[] }[] = [];
      try {
        for await (const page of ctx.source.pages<unknown>(query.path, { version: query.version })) {
          pages.push({ value: page.items });
          state.pages++;
        }
      } catch (err) {
        const failure = asGraphFailure(err);
        if (failure === undefined || endsRun(err)) throw err;
        // The app cannot read members at all: asking for the next group would only repeat it.
        if (isAccessFailure(failure) && fetched === 0) throw err;
        outcome.failed.push({ id: group.id, failure: failureInfo(failure as GraphFailure) });
        continue;
      }
      const body = pages.length === 1 ? pages[0] : pages;
      await writeFileAtomic(ctx.path(`${folder}/${group.id}.json`), `${serialiseWithoutSecrets(body)}\n`);
      fetched++;
      state.rows++;
      await ctx.checkpoint.save();
      progress.update(state.pages, state.rows);
    }
  } catch (err) {
    return { ...(await failPart(ctx, state, err, progress)), groups: outcome };
  }
  const status = await finishItemPart(ctx, state, outcome.failed, progress);
  return { status, groups: outcome };
}
