/**
 * How much routine activity the synthetic tenant has, per enabled user per day (averaged over a week;
 * weekday office hours carry most of it, see time.ts OFFICE_PROFILE). Scripted story events (the
 * registrations, loops and proof sign-ins that decide verdicts) come on top and do not depend on these.
 *
 * Assumptions behind REALISTIC_VOLUME, the default (used by the emulator and the benchmark):
 * - interactive sign-ins: 2 per user per day (a morning sign-in, the odd re-prompt or new app);
 * - non-interactive sign-ins: 10 per user per day (token refreshes by Teams, Outlook, Office). Real
 *   tenants range from tens to hundreds; 10 is deliberately conservative so a full 30-day scan of
 *   100,000 users stays feasible. Collectors should filter non-interactive sign-ins server-side
 *   (e.g. to the Authenticator appId) rather than page through all of them;
 * - Authenticator-app sign-ins: 1 per day for users whose Authenticator app is signed in with the
 *   account (a minority: phone sign-in users, incident-2 (test/fixtures/incidents)'s students);
 * - directory audit noise: 0.12 events per user per day (password changes and resets, on-premises sync
 *   updates, Authenticator version bumps, group changes), before the security-info events of the
 *   stories. Retention: 30 days of audits and of sign-ins (Entra ID P1/P2).
 *
 * At 100,000 users that is ~200,000 interactive and ~1,000,000 non-interactive sign-ins a day
 * (~8.4 M in a 7-day collection), and ~12,000 audit events a day (~360,000 in 30 days).
 *
 * DEMO_VOLUME keeps the bundled demo small (about 600 sign-ins and 300 audit events for 300 users:
 * 7 days of sign-ins, 30 of audits) so the export folder stays well under 2 MB; most of its sign-ins
 * are the scripted ones that decide verdicts.
 */
export interface VolumeOptions {
  /** Days of sign-ins ending at collectedAt, 1–30 (Entra keeps 30 on P1/P2). */
  signInDays: number;
  /** Days of directory audits ending at collectedAt, 3–30 (Entra keeps 30 on P1/P2). */
  auditDays: number;
  interactivePerUserPerDay: number;
  nonInteractivePerUserPerDay: number;
  /** For users whose Authenticator app is signed in with their work account only. */
  authenticatorAppPerUserPerDay: number;
  auditNoisePerUserPerDay: number;
}

export const REALISTIC_VOLUME: Readonly<VolumeOptions> = {
  signInDays: 30,
  auditDays: 30,
  interactivePerUserPerDay: 2,
  nonInteractivePerUserPerDay: 10,
  authenticatorAppPerUserPerDay: 1,
  auditNoisePerUserPerDay: 0.12,
};

export const DEMO_VOLUME: Readonly<VolumeOptions> = {
  signInDays: 7,
  auditDays: 30,
  interactivePerUserPerDay: 0.08,
  nonInteractivePerUserPerDay: 0.025,
  authenticatorAppPerUserPerDay: 0.15,
  auditNoisePerUserPerDay: 0.015,
};

export function resolveVolume(partial: Partial<VolumeOptions> | undefined): VolumeOptions {
  const volume = { ...REALISTIC_VOLUME, ...partial };
  for (const [key, value] of Object.entries(volume)) {
    if (!Number.isFinite(value) || value < 0) {
      throw new RangeError(`volume.${key} must be a non-negative number`);
    }
  }
  // The stories need room: incident-1 (test/fixtures/incidents) happens two days before collection, loops within the last day.
  // Entra itself keeps at most 30 days (P1/P2).
  if (volume.signInDays < 1 || volume.signInDays > 30) {
    throw new RangeError('volume.signInDays must be from 1 to 30');
  }
  if (volume.auditDays < 3 || volume.auditDays > 30) {
    throw new RangeError('volume.auditDays must be from 3 to 30');
  }
  return volume;
}
