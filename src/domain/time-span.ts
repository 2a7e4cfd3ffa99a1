/**
 * The oldest and newest time among the events of a file (sign-ins, directory audits): what an export
 * from elsewhere, which records no collection window, can say about how far back its evidence reaches.
 * The times are the reader's ISO 8601 UTC strings, so they compare as text (to the second: a time
 * without a fraction sorts after one with a fraction in the same second).
 */
export interface TimeSpan {
  oldest?: string;
  newest?: string;
}

/** Widens `span` to take in `at`. */
export function widenSpan(span: TimeSpan, at: string | undefined): void {
  if (at === undefined) return;
  if (span.oldest === undefined || at < span.oldest) span.oldest = at;
  if (span.newest === undefined || at > span.newest) span.newest = at;
}

/** The span covering both (worker parts of one file). */
export function joinSpans(a: TimeSpan, b: TimeSpan): TimeSpan {
  const out: TimeSpan = { ...a };
  widenSpan(out, b.oldest);
  widenSpan(out, b.newest);
  return out;
}
