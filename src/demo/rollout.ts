/**
 * The rollout: how the synthetic tenant moves from one day to the next, so that a history of daily
 * collections (one snapshot a day) shows an MFA rollout making progress rather than the same tenant
 * again.
 *
 * Day 0 is the tenant cast.ts builds, as of `rolloutStart`. Day j (j ≥ 1) is what happened in
 * [rolloutStart + (j − 1) days, rolloutStart + j days): each member's changes that day are drawn from
 * keyed random streams (seed, day, member index) and applied in day order, so the tenant generated for
 * day k contains exactly days 1..k — and the tenant for day k + 1 adds day k + 1 to the very same
 * history. Nothing a day adds lies before that day, which is what keeps two collections a day apart
 * agreeing on everything older than the first.
 *
 * What changes, per day (DAILY below): not-registered and loop-risk users register the Authenticator
 * (a few abandon half-way, as in test/fixtures/incidents/incident-1), unverified users register again
 * and delete the stale entry, policy-blocked users add the Authenticator, looping students are put
 * back in MFA_ProofUpBypass by the helpdesk and register (test/fixtures/incidents/incident-2) or loop
 * again, a few users get a new phone or delete their only phone, and a few new hires join not
 * registered. Each change leaves the audit events and sign-ins its StoryBuilder helper writes for the
 * same change in a persona's story (story-builder.ts), so the engine reads it from the same evidence.
 *
 * Evidence also ages: a verdict that rests on a sign-in must still find one inside the sign-in window
 * on every later day. So every day, members whose answer rests on sign-ins get a fresh one when their
 * last would fall out of the window: an MFA sign-in for `proven` users, an Authenticator-app sign-in for
 * loop-risk users, a new loop for students still looping. Audit evidence that ages out (a registration
 * more than auditDays old) is not refreshed — that happens in real tenants too — and the answer key
 * lowers `registered` to `reported` then (generate-tenant.ts expectationAt).
 */
import { APPS, FIRST_NAMES, LAST_NAMES } from './catalog.js';
import { DEPARTMENT_GROUPS, DOMAINS } from './directory-objects.js';
import type { AuthenticatorFact, Clock, Member, RolloutState } from './model.js';
import { PERSONAS } from './personas.js';
import type { PersonaKind } from './personas.js';
import type { Verdict } from '../domain/verdict.js';
import { hashKey, Random } from './random.js';
import { StoryBuilder } from './story-builder.js';
import { DAY, HOUR, MINUTE } from './time.js';
import type { VolumeOptions } from './volume.js';

/** The furthest day after rolloutStart a tenant can be generated for (Entra keeps 30 days of logs). */
export const MAX_ROLLOUT_DAYS = 30;

/** Daily chance of each change for a member in the state it applies to (decided on one uniform draw). */
const DAILY = {
  /** not-registered or loop-risk: registers the Authenticator and completes it… */
  register: 0.12,
  /** …or starts and abandons it (after `register` on the same draw). */
  abandon: 0.015,
  /** unverified: registers again, completes it, deletes the stale entry. */
  finish: 0.2,
  /** policy-blocked: adds the Authenticator (allowed for everyone). */
  addAuthenticator: 0.08,
  /** looping: the helpdesk puts the student back in MFA_ProofUpBypass and they register. */
  helpdeskFix: 0.4,
  /** ready on the report alone, with an Authenticator: a new phone (new device, old one deleted). */
  changePhone: 0.01,
  /** ready on the report alone, phone only: deletes the phone, and is not registered any more. */
  deletePhone: 0.02,
} as const;

/** New hires per existing user per day (a 300-user tenant gets about one every day or two). */
const JOINERS_PER_USER_PER_DAY = 0.003;

/** The verdict the member has now: its rollout change's, or its persona's. */
export function currentVerdict(m: Member): Verdict {
  return m.rollout?.verdict ?? PERSONAS[m.persona].verdict;
}

export interface RolloutContext {
  seed: number;
  /** rolloutStart (day 0's collectedAt), epoch ms. */
  start: number;
  /** How long before collectedAt the registration report refreshes (the same every day). */
  reportLag: number;
  volume: VolumeOptions;
}

/** The clock of day `day`: collectedAt = start + day days. */
export function dayClock(ctx: RolloutContext, day: number): Clock {
  const now = ctx.start + day * DAY;
  return {
    now,
    reportAt: now - ctx.reportLag,
    auditFrom: now - ctx.volume.auditDays * DAY,
    signInFrom: now - ctx.volume.signInDays * DAY,
  };
}

/** Applies days 1..days to `members` (in place, appending new hires). */
export function applyRollout(members: Member[], ctx: RolloutContext, days: number): void {
  if (days <= 0) return;
  const upns = new Set(members.map((m) => m.upn.toLowerCase()));
  for (let day = 1; day <= days; day++) applyDay(members, ctx, day, upns);
}

function applyDay(members: Member[], ctx: RolloutContext, day: number, upns: Set<string>): void {
  const clock = dayClock(ctx, day);
  const dayStart = clock.now - DAY;
  const signInFloor = clock.now - ctx.volume.signInDays * DAY;
  const existing = members.length;
  for (let i = 0; i < existing; i++) {
    const m = members[i] as Member;
    if (!m.enabled || m.userType !== 'Member') continue;
    let builder: StoryBuilder | undefined;
    const b = () => (builder ??= new StoryBuilder(m, Random.from(ctx.seed, 'rollout', day, m.index), clock));
    // The day's change, from one uniform draw; the named cast (the incidents) keeps its story.
    const u = hashKey(ctx.seed, 'rollout-change', day, m.index) / 4294967296;
    const verdict = currentVerdict(m);
    const when = () => officeHours(b().rng, dayStart + 30 * MINUTE, clock.now - 30 * MINUTE);
    if (!m.named) {
      if (verdict === 'not-registered' || verdict === 'loop-risk') {
        if (u < DAILY.register) registerAuthenticator(b(), when(), 'registered-authenticator');
        else if (u < DAILY.register + DAILY.abandon) {
          const at = when();
          b().registerAuthenticator(at, 'abandoned');
          setRollout(m, { change: 'abandoned-registration', at, verdict: 'unverified', confidence: null });
        }
      } else if (verdict === 'unverified' && u < DAILY.finish) {
        const stale = m.methods.filter(
          (f): f is AuthenticatorFact =>
            f.kind === 'authenticator' && f.verifiedAt === null && f.removedAt === undefined,
        );
        const at = when();
        registerAuthenticator(b(), at, 'finished-verification');
        stale.forEach((f, n) =>
          b().deleteAuthenticator(f, at + 2 * MINUTE + n * 40_000 + b().rng.int(0, 30_000)),
        );
      } else if (verdict === 'policy-blocked' && u < DAILY.addAuthenticator) {
        registerAuthenticator(b(), when(), 'registered-authenticator');
      } else if (verdict === 'looping' && u < DAILY.helpdeskFix) {
        const at = officeHours(b().rng, dayStart + 30 * MINUTE, clock.now - 5 * HOUR);
        b().joinGroup('proofUpBypass', at, 'admin');
        registerAuthenticator(b(), at + Math.floor(b().rng.between(HOUR, 3 * HOUR)), 'helpdesk-fixed-loop');
        m.rollout = { ...(m.rollout as RolloutState), at };
      } else if (
        m.rollout === undefined &&
        m.persona === 'ready-authenticator-reported' &&
        u < DAILY.changePhone
      ) {
        const old = m.methods.find((f): f is AuthenticatorFact => f.kind === 'authenticator');
        const at = when();
        registerAuthenticator(b(), at, 'changed-phone');
        if (old !== undefined) b().deleteAuthenticator(old, at + 3 * MINUTE + b().rng.int(0, 60_000));
      } else if (
        m.rollout === undefined &&
        m.persona === 'ready-phone-only-reported' &&
        u < DAILY.deletePhone
      ) {
        const at = when();
        b().deleteMobilePhone(at);
        setRollout(m, { change: 'deleted-phone', at, verdict: 'not-registered', confidence: null });
      }
    }
    maintain(m, b, clock, signInFloor);
    if (builder !== undefined) sortEvents(m);
  }
  addJoiners(members, ctx, day, clock, existing, upns);
}

function setRollout(m: Member, state: Omit<RolloutState, 'weak'> & { weak?: boolean }): void {
  m.rollout = { weak: false, ...state };
}

/** A completed Authenticator registration in the rollout: ready (registered) from then on. */
function registerAuthenticator(b: StoryBuilder, at: number, change: RolloutState['change']): void {
  b.registerAuthenticator(at, 'completed', { interrupt: b.rng.chance(0.3) });
  // A user who can do MFA now meets no more registration interrupts.
  b.member.nagUntil = at - MINUTE;
  setRollout(b.member, { change, at, verdict: 'ready', confidence: 'registered' });
}

/**
 * A moment in [from, to) during office hours (07–18 UTC) when the range has any: people register,
 * delete methods and call the helpdesk at work. Falls back to any moment of the range.
 */
function officeHours(rng: Random, from: number, to: number): number {
  const windows: [number, number][] = [];
  for (let d = Math.floor(from / DAY) * DAY; d < to; d += DAY) {
    const lo = Math.max(from, d + 7 * HOUR);
    const hi = Math.min(to, d + 18 * HOUR);
    if (hi > lo) windows.push([lo, hi]);
  }
  const total = windows.reduce((sum, [lo, hi]) => sum + hi - lo, 0);
  if (total === 0) return Math.floor(rng.between(from, to));
  let r = rng.between(0, total);
  for (const [lo, hi] of windows) {
    if (r < hi - lo) return Math.floor(lo + r);
    r -= hi - lo;
  }
  return Math.floor(from);
}

const PROOF_KINDS: ReadonlySet<string> = new Set(['mfa', 'mfaClaimExternal']);

/** Keeps a verdict that rests on sign-ins supported by one inside the window of this day's collection. */
function maintain(m: Member, b: () => StoryBuilder, clock: Clock, signInFloor: number): void {
  const verdict = currentVerdict(m);
  const dayStart = clock.now - DAY;
  if (verdict === 'ready' && m.rollout === undefined && PERSONAS[m.persona].confidence === 'proven') {
    const last = m.signIns.find((s) => PROOF_KINDS.has(s.kind));
    if (last !== undefined && last.at >= signInFloor) return;
    if (m.signInProfile === 'claim-external') b().proveFederatedMfa(1, dayStart);
    else b().proveMfa(1, m.mfaMethod, dayStart);
  } else if (verdict === 'loop-risk' && m.authenticatorAppSignedIn) {
    const last = m.signIns.find((s) => s.app.appId === APPS.authenticator.appId && s.kind === 'single');
    if (last !== undefined && last.at >= signInFloor) return;
    b().authenticatorAppSignIns(1, dayStart, clock.now - 10 * MINUTE);
  } else if (verdict === 'looping') {
    // Still stuck: another loop today, the last of it within 24 h of this day's collection.
    const at = Math.floor(b().rng.between(clock.now - 20 * HOUR, clock.now - 40 * MINUTE));
    b().registrationLoop(at, b().rng.int(3, 6));
  }
}

function sortEvents(m: Member): void {
  m.audits.sort((x, y) => y.at - x.at || y.seed - x.seed);
  m.signIns.sort((x, y) => y.at - x.at || y.seed - x.seed);
}

/** New hires: cloud staff created during the day, not registered (half with a three-day TAP). */
function addJoiners(
  members: Member[],
  ctx: RolloutContext,
  day: number,
  clock: Clock,
  base: number,
  upns: Set<string>,
): void {
  const count = Math.floor(base * JOINERS_PER_USER_PER_DAY + Random.from(ctx.seed, 'joiners', day).next());
  for (let n = 0; n < count; n++) {
    const rng = Random.from(ctx.seed, 'joiner', day, n);
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    const clean = (s: string) =>
      s
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '')
        .toLowerCase()
        .replace(/[^a-z]/g, '');
    const local = `${clean(first)}.${clean(last)}`;
    let upn = `${local}@${DOMAINS.managed}`;
    for (let k = 2; upns.has(upn.toLowerCase()); k++) upn = `${local}${k}@${DOMAINS.managed}`;
    upns.add(upn.toLowerCase());
    const tap = rng.chance(0.5);
    const persona: PersonaKind = tap ? 'not-registered-tap' : 'not-registered-password-only';
    const createdAt = officeHours(rng, clock.now - DAY + HOUR, clock.now - 2 * HOUR);
    const m: Member = {
      index: members.length,
      id: rng.uuid(),
      upn,
      displayName: `${first} ${last}`,
      persona,
      named: false,
      userType: 'Member',
      enabled: true,
      synced: false,
      federated: false,
      student: false,
      isAdmin: false,
      createdAt,
      groups: [rng.pick(DEPARTMENT_GROUPS)],
      methods: [],
      preferred: null,
      signInProfile: 'single',
      mfaMethod: 'Mobile app notification',
      mfaSince: 0,
      nag: !tap,
      authenticatorAppSignedIn: false,
      activity: rng.between(0.4, 1.6),
      fido2ReportName: 'fido2SecurityKey',
      audits: [],
      signIns: [],
      rollout: { change: 'joined', at: createdAt, verdict: 'not-registered', confidence: null, weak: false },
    };
    if (tap) new StoryBuilder(m, rng, clock).addTap(createdAt + 20 * MINUTE, 4320);
    members.push(m);
  }
}
