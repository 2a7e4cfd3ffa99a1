/**
 * Streams a tenant's events newest first (the order Graph lists sign-ins and audits in) without ever
 * holding more than one time slice in memory: an hour of sign-ins, a day of audits. For each slice it
 * draws every member's routine events in that slice (routine-streams.ts), adds the scripted story
 * beats that fall in it, sorts the slice and hands the beats out one by one. Memory is O(members +
 * story beats + one slice) — story beats are a few per user, routine events are never stored; time is
 * O(members × slices + events), and a query for one user or a short window only touches that user or
 * window.
 */
import type { AuditBeat, Member, SignInBeat } from './model.js';
import { hashKey, Random } from './random.js';
import type { RoutineStream } from './routine-streams.js';
import { DAY, HOUR, officeWeight, parseIso } from './time.js';
import type { VolumeOptions } from './volume.js';

export interface EventQuery {
  /** Inclusive lower bound (ISO 8601). Default: the start of the dataset's retention window. */
  since?: string;
  /** Exclusive upper bound (ISO 8601). Default: collectedAt. */
  until?: string;
  /** Only this user's events. */
  userId?: string;
  /** Sign-ins only: interactive (`true`) or non-interactive (`false`). */
  interactive?: boolean;
  /** Sign-ins only: to this application. */
  appId?: string;
  /** Sign-ins only: to one of these applications (an `or` of appIds). */
  appIds?: readonly string[];
  /**
   * Yield GAP now and then while a slice is being built (every few thousand members): a consumer that
   * must not hold the thread for long (the emulator, serving other requests meanwhile) takes turns there.
   */
  gaps?: boolean;
}

/** Not an event: a moment where the consumer of `iterate({ gaps: true })` may take a turn. */
export const GAP: unique symbol = Symbol('gap');
export type Gap = typeof GAP;

/** Members handled between two GAPs: a few ms of work on a large tenant. */
const MEMBERS_PER_GAP = 2_048;

export interface MemberEvent<B> {
  member: Member;
  beat: B;
}

export interface FamilySpec<B extends AuditBeat | SignInBeat> {
  streams: readonly RoutineStream<B>[];
  /** Oldest time the dataset retains. */
  from: number;
  slice: number;
  matches: (beat: B) => boolean;
  streamMatches: (stream: RoutineStream<B>) => boolean;
}

const MAX_EVENTS_PER_UNIT = 60;

/**
 * The routine events of one member and stream in [unitStart, unitStart + unit), where unit is the
 * stream's granularity. Keyed on (seed, stream, member, unit index) alone, so identical whatever the
 * query. The count is Poisson: the first hash decides "none" (the common case) without building a PRNG.
 */
function routineInUnit<B extends { at: number; seed: number }>(
  seed: number,
  m: Member,
  stream: RoutineStream<B>,
  rate: number,
  unitStart: number,
): B[] {
  const hourly = stream.granularity === 'hour';
  const lambda = hourly ? (rate / 24) * officeWeight(unitStart) : rate;
  const unitIndex = Math.floor(unitStart / (hourly ? HOUR : DAY));
  const u = hashKey(seed, stream.key, m.index, unitIndex) / 4294967296;
  let p = Math.exp(-lambda);
  let cdf = p;
  if (u < cdf) return [];
  let count = 0;
  if (hourly) {
    while (u >= cdf && count < MAX_EVENTS_PER_UNIT) {
      count++;
      p *= lambda / count;
      cdf += p;
    }
  } else {
    count = 1;
  }
  const rng = Random.from(seed, stream.key, m.index, unitIndex, 'events');
  const events: B[] = [];
  for (let i = 0; i < count; i++) {
    // Day-granular events land in office hours; hourly ones anywhere in their hour.
    const at = hourly ? unitStart + rng.int(0, HOUR - 1) : officeTimeInDay(rng, unitStart);
    const beatSeed = rng.u32();
    if (at < m.createdAt + HOUR) continue;
    const beat = stream.make(m, new Random(beatSeed), at);
    if (beat !== null) events.push({ ...beat, seed: beatSeed } as B);
  }
  return events;
}

function officeTimeInDay(rng: Random, dayStart: number): number {
  return dayStart + 7 * HOUR + rng.int(0, 11 * HOUR - 1);
}

/** The lazily built, reusable state of one tenant's event streams. */
export class EventSource {
  private rates = new Map<number, Float64Array>();
  private storyIndex: { signIns?: MemberEvent<SignInBeat>[]; audits?: MemberEvent<AuditBeat>[] } = {};

  constructor(
    readonly seed: number,
    readonly members: readonly Member[],
    readonly now: number,
    readonly volume: VolumeOptions,
    private readonly byId: ReadonlyMap<string, Member>,
  ) {}

  private ratesOf<B>(stream: RoutineStream<B>): Float64Array {
    const cached = this.rates.get(stream.key);
    if (cached !== undefined) return cached;
    const rates = Float64Array.from(this.members, (m) => stream.ratePerDay(m, this.volume));
    this.rates.set(stream.key, rates);
    return rates;
  }

  /** Every member's story beats of one kind, newest first, built once. */
  private stories<B extends AuditBeat | SignInBeat>(kind: 'signIns' | 'audits'): MemberEvent<B>[] {
    const cached = this.storyIndex[kind];
    if (cached !== undefined) return cached as MemberEvent<B>[];
    const all: MemberEvent<B>[] = [];
    for (const member of this.members) for (const beat of member[kind]) all.push({ member, beat: beat as B });
    all.sort(byNewest);
    (this.storyIndex as Record<string, unknown>)[kind] = all;
    return all;
  }

  *iterate<B extends AuditBeat | SignInBeat>(
    kind: 'signIns' | 'audits',
    family: FamilySpec<B>,
    query: EventQuery,
  ): Generator<MemberEvent<B> | Gap> {
    const from = Math.max(
      family.from,
      query.since === undefined ? -Infinity : parseIso(query.since, 'since'),
    );
    const to = Math.min(this.now, query.until === undefined ? Infinity : parseIso(query.until, 'until'));
    if (!(to > from)) return;

    let members: readonly Member[] = this.members;
    let story: readonly MemberEvent<B>[];
    if (query.userId !== undefined) {
      const member = this.byId.get(query.userId);
      if (member === undefined) return;
      members = [member];
      story = (member[kind] as readonly unknown[] as readonly B[]).map((beat) => ({ member, beat }));
    } else {
      story = this.stories<B>(kind);
    }

    const streams = family.streams.filter(family.streamMatches);
    const rates = streams.map((s) => this.ratesOf(s));
    let cursor = 0;
    while (cursor < story.length && (story[cursor] as MemberEvent<B>).beat.at >= to) cursor++;

    const slice = family.slice;
    for (let sliceEnd = Math.ceil(to / slice) * slice; sliceEnd > from; sliceEnd -= slice) {
      const sliceStart = sliceEnd - slice;
      const lo = Math.max(sliceStart, from);
      const hi = Math.min(sliceEnd, to);
      const bucket: MemberEvent<B>[] = [];

      for (; cursor < story.length; cursor++) {
        const event = story[cursor] as MemberEvent<B>;
        if (event.beat.at < lo) break;
        if (event.beat.at < hi && family.matches(event.beat)) bucket.push(event);
      }

      for (const [s, stream] of streams.entries()) {
        const unit = stream.granularity === 'hour' ? HOUR : DAY;
        const streamRates = rates[s] as Float64Array;
        let sinceGap = 0;
        for (const member of members) {
          if (query.gaps === true && ++sinceGap === MEMBERS_PER_GAP) {
            sinceGap = 0;
            yield GAP;
          }
          const rate = streamRates[member.index] ?? 0;
          if (rate <= 0) continue;
          for (
            let unitStart = Math.floor(sliceStart / unit) * unit;
            unitStart < sliceEnd;
            unitStart += unit
          ) {
            for (const beat of routineInUnit(this.seed, member, stream, rate, unitStart)) {
              if (beat.at >= lo && beat.at < hi && family.matches(beat)) bucket.push({ member, beat });
            }
          }
        }
      }

      bucket.sort(byNewest);
      yield* bucket;
    }
  }
}

/** Newest first; ties broken by member then seed, so the order is total and stable. */
function byNewest(
  a: MemberEvent<{ at: number; seed: number }>,
  b: MemberEvent<{ at: number; seed: number }>,
): number {
  return b.beat.at - a.beat.at || a.member.index - b.member.index || b.beat.seed - a.beat.seed;
}
