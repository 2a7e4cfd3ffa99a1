export { joinSpans, widenSpan, type TimeSpan } from '../domain/time-span.js';

/** The time of an event as the reader normalised it. */
export function eventTime(item: unknown): string | undefined {
  const e = item as { createdDateTime?: unknown; activityDateTime?: unknown };
  const at = e.createdDateTime ?? e.activityDateTime;
  return typeof at === 'string' ? at : undefined;
}
