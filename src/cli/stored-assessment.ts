import type { RunInfo } from '../domain/history.js';
import type { RoleAssignment } from '../domain/tenant.js';
import type { Assessment } from '../domain/verdict.js';
import { assess, EVIDENCE_RULES } from '../assess/index.js';
import { assessReusing, HISTORY_SCOPE } from '../assess/reuse.js';
import { resolveScope } from '../assess/scope-resolution.js';
import { load } from '../load/index.js';
import {
  ASSESSMENT_FRAME,
  readHoldingVerdicts,
  readRunDatasets,
  type AssessmentFrame,
  type Store,
} from '../store/index.js';
import { engineFingerprint } from './engine-fingerprint.js';

/**
 * Past this share of a run's users to assess again, reading the whole run is the cheaper way: each of
 * those users' rows and events is found through an index, a whole read walks the tables in order.
 */
const MAX_SHARE_AGAIN = 0.25;

/** How a stored run's Assessment was made: for the benchmark and the tests, never for the verdicts. */
export interface StoredAssessmentInfo {
  /** `reused`: the stored assessments that hold at `now`, the others assessed again; `whole`: all of it. */
  how: 'reused' | 'whole';
  /** Users assessed again (all of them for `whole`). */
  assessedAgain: number;
  /** Why the run was assessed whole, when it was. */
  why?: string;
}

/**
 * A stored run's Assessment at `now`, over the whole tenant (the history's scope), exactly what
 * `assess` makes of the run read back whole. The assessments stored with the run are used where they
 * still hold at `now` (src/assess/reuse.ts), so reading a 100,000-user run the day it was collected
 * assesses only the few users a clock comparison has turned for; anything that stops that (another
 * engine, a clock before the run, events filed otherwise) assesses the run whole.
 */
export async function assessStoredRun(
  store: Store,
  run: RunInfo,
  now: Date,
): Promise<{ assessment: Assessment; info: StoredAssessmentInfo }> {
  const datasets = readRunDatasets(store.db, run.id);
  const frame = datasets.get(ASSESSMENT_FRAME) as AssessmentFrame | undefined;
  const why = notReusable(frame, datasets, now);
  if (frame !== undefined && why === undefined) {
    const holding = readHoldingVerdicts(store, run.id, now.getTime());
    const users = holding.kept.length + holding.expired.length;
    if (holding.expired.length <= users * MAX_SHARE_AGAIN) {
      const partial = await load({ kind: 'store', store, run, only: holding.expired }, 'assess', {
        rules: EVIDENCE_RULES,
      });
      return {
        assessment: assessReusing(partial, frame, holding.kept, now),
        info: { how: 'reused', assessedAgain: holding.expired.length },
      };
    }
  }
  const snapshot = await load({ kind: 'store', store, run }, 'assess', { rules: EVIDENCE_RULES });
  const scope = resolveScope(snapshot, HISTORY_SCOPE);
  const assessment = assess(snapshot, { now, scope: scope.values }, scope);
  return {
    assessment,
    info: { how: 'whole', assessedAgain: assessment.users.length, why: why ?? 'many users to assess again' },
  };
}

/** Why a run's stored assessments cannot be used at `now`; undefined when they can. */
function notReusable(
  frame: AssessmentFrame | undefined,
  datasets: ReadonlyMap<string, unknown>,
  now: Date,
): string | undefined {
  if (frame === undefined) return 'stored without its assessment frame';
  if (frame.engine !== engineFingerprint()) return 'assessed by other code';
  if (now.getTime() < Date.parse(frame.assessedAt)) return 'the clock is before the run';
  if (!frame.eventsFiledByOwner) return 'events filed under other users than their own';
  // A role holder whose kind the assignment does not say is told from a group by the users list,
  // which a partial read does not hold (src/assess/impact-roles.ts roleHoldersOf).
  const roles = datasets.get('roleAssignments') as RoleAssignment[] | undefined;
  if (roles?.some((r) => r.principalType === undefined) === true) return 'role holders of unknown kind';
  return undefined;
}
