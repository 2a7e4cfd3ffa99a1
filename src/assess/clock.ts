/**
 * The assessment's clock for one user: `now`, and the earliest later time at which a comparison made
 * against it would answer otherwise. Every rule that compares a time with `now` asks through `reached`,
 * so `until` bounds how long the user's assessment stays what it is: until then every comparison it
 * made answers the same, and a rule that depends only on those answers and on the data decides the
 * same. The history keeps it with each stored verdict, so that reading a stored run at a later `now`
 * assesses again only the users whose answers may have changed (assess/reuse.ts).
 */
export class Clock {
  /** Epoch ms; +Infinity while no comparison can change. */
  private earliest = Number.POSITIVE_INFINITY;

  constructor(readonly now: number) {}

  /** Whether `now` is at or after `t` (epoch ms), noting when that will change if it is not yet. */
  reached(t: number): boolean {
    if (t <= this.now) return true;
    if (t < this.earliest) this.earliest = t;
    return false;
  }

  /** The first time (epoch ms) a comparison made so far would answer otherwise; +Infinity for none. */
  get until(): number {
    return this.earliest;
  }
}
