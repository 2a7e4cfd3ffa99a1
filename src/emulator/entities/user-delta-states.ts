/**
 * The state behind the users delta query's `$deltatoken`s (https://learn.microsoft.com/graph/api/user-delta):
 * what the directory looked like, per user, when a round ended, over the properties the round
 * selected (a delta round tracks the selected properties only). A later round from that token answers
 * the users added or whose tracked properties changed, and the users that left under `@removed`
 * (https://learn.microsoft.com/graph/delta-query-overview).
 *
 * Kept in memory, a few at a time (the least recently issued go first), and valid for 7 days of
 * emulated time, as Graph's directory delta tokens are (ibid., "token duration"): a token this
 * emulator no longer holds is refused as an expired one is.
 */
import { createHash, randomBytes } from 'node:crypto';

export interface DeltaState {
  /** The properties the round tracks (`$select`, encoded in the token as Graph does). */
  select: readonly string[] | undefined;
  /** User id → hash of its tracked properties. */
  users: Map<string, string>;
  issuedAt: number;
}

export const DELTA_TOKEN_TTL_MS = 7 * 86_400_000;

export function trackedHash(entity: Record<string, unknown>): string {
  return createHash('sha1').update(JSON.stringify(entity)).digest('base64url').slice(0, 16);
}

export class UserDeltaStates {
  private readonly states = new Map<string, DeltaState>();

  constructor(private readonly max = 8) {}

  issue(state: DeltaState): string {
    const token = randomBytes(24).toString('base64url');
    this.states.set(token, state);
    while (this.states.size > this.max) {
      const oldest = this.states.keys().next().value;
      if (oldest === undefined) break;
      this.states.delete(oldest);
    }
    return token;
  }

  /** The state of `token`, or undefined when unknown or older than the tokens' lifetime. */
  get(token: string, now: number): DeltaState | undefined {
    const state = this.states.get(token);
    if (state === undefined) return undefined;
    if (now - state.issuedAt > DELTA_TOKEN_TTL_MS) {
      this.states.delete(token);
      return undefined;
    }
    return state;
  }
}
