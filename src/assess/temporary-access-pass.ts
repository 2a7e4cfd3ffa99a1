import type { AuthMethod } from '../domain/tenant.js';
import type { Clock } from './clock.js';
import { MINUTE_MS, toIso, toMs } from './time.js';

/** A Temporary Access Pass the user can sign in with now: not MFA, but a way to bootstrap registration. */
export interface UsableTap {
  method: AuthMethod;
  /** When it stops working, where start and lifetime are known. */
  endDateTime?: string;
}

/**
 * `isUsable` was true when the list was collected; the pass may have expired since, so the window
 * (start + lifetime) is checked against `now` as well. Without `isUsable`, the window alone decides.
 */
export function usableTap(methods: readonly AuthMethod[], clock: Clock): UsableTap | undefined {
  for (const method of methods) {
    if (method.kind !== 'temporaryAccessPass' || method.tap === undefined) continue;
    const { tap } = method;
    const start = toMs(tap.startDateTime);
    const end =
      start !== undefined && tap.lifetimeInMinutes !== undefined
        ? start + tap.lifetimeInMinutes * MINUTE_MS
        : undefined;
    const inWindow =
      (start === undefined || clock.reached(start)) && (end === undefined || !clock.reached(end));
    const usable = tap.isUsable === undefined ? start !== undefined && inWindow : tap.isUsable && inWindow;
    if (!usable) continue;
    const found: UsableTap = { method };
    if (end !== undefined) found.endDateTime = toIso(end);
    return found;
  }
  return undefined;
}
