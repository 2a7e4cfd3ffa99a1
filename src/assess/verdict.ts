import type { Verdict } from '../domain/verdict.js';
import { VERDICTS } from '../domain/verdict.js';

/**
 * Which verdicts fit a user; `unknown` always fits, as the verdict of last resort: a user whom no
 * other verdict fits, not even `not-registered` (which needs something read about the user's methods).
 */
export type VerdictFits = Record<Exclude<Verdict, 'unknown'>, boolean>;

/**
 * The first fitting verdict in the order of VERDICTS (excluded, ready, looping, unverified,
 * policy-blocked, loop-risk, not-registered, unknown): the precedence is the domain's, not restated here.
 */
export function decideVerdict(fits: VerdictFits): Verdict {
  for (const v of VERDICTS) if (v === 'unknown' || fits[v]) return v;
  return 'unknown';
}
