import type { Verdict } from '../domain/verdict.js';
import { VERDICTS } from '../domain/verdict.js';

/** Which verdicts fit a user; `not-registered` always fits, as the verdict of last resort. */
export type VerdictFits = Record<Exclude<Verdict, 'not-registered'>, boolean>;

/**
 * The first fitting verdict in the order of VERDICTS (excluded, ready, looping, unverified,
 * policy-blocked, loop-risk, not-registered): the precedence is the domain's, not restated here.
 */
export function decideVerdict(fits: VerdictFits): Verdict {
  for (const v of VERDICTS) if (v === 'not-registered' || fits[v]) return v;
  return 'not-registered';
}
