import { LOOP_CURRENT_HOURS, LOOP_MIN_SIGN_INS, LOOP_WINDOW_MINUTES } from '../domain/well-known.js';
import type { ClassifiedSignIn } from './sign-in-index.js';
import { isInterruptOrSecurityInfo } from './sign-in-index.js';
import type { Clock } from './clock.js';
import { HOUR_MS, MINUTE_MS } from './time.js';

/** A registration loop: the sign-ins of its window, oldest first. */
export interface RegistrationLoop {
  signIns: ClassifiedSignIn[];
}

/** Sign-ins that are part of a proof-up round trip, successful or not (incident-2 (test/fixtures/incidents) logs only "Success"). */
export function isRegistrationSignIn(s: ClassifiedSignIn): boolean {
  return isInterruptOrSecurityInfo(s);
}

/**
 * The latest registration loop that is happening now: at least LOOP_MIN_SIGN_INS registration sign-ins
 * within LOOP_WINDOW_MINUTES, the last of them within LOOP_CURRENT_HOURS of `now`, and no successful
 * security-info registration after the first of them (a registration ends the loop, so only sign-ins
 * after the last registration can form one).
 *
 * `signIns` must be in time order. O(n): one backward pass with a trailing pointer.
 */
export function findRegistrationLoop(
  signIns: readonly ClassifiedSignIn[],
  lastRegistrationAt: number | undefined,
  clock: Clock,
): RegistrationLoop | undefined {
  const candidates = signIns.filter(
    (s) => isRegistrationSignIn(s) && (lastRegistrationAt === undefined || s.at > lastRegistrationAt),
  );
  const window = LOOP_WINDOW_MINUTES * MINUTE_MS;
  const current = LOOP_CURRENT_HOURS * HOUR_MS;
  let first = candidates.length - 1;
  for (let last = candidates.length - 1; last >= 0; last--) {
    const lastAt = candidates[last]!.at;
    // |now - lastAt| > current, asked of the clock (assess/clock.ts) so it knows when that changes.
    const past = clock.reached(lastAt + current + 1);
    if (past || !clock.reached(lastAt - current)) {
      if (past) break; // older still: nothing earlier can be current either
      continue;
    }
    first = Math.min(first, last);
    while (first > 0 && lastAt - candidates[first - 1]!.at <= window) first--;
    if (last - first + 1 >= LOOP_MIN_SIGN_INS) return { signIns: candidates.slice(first, last + 1) };
  }
  return undefined;
}
