/** Time arithmetic and Graph's two timestamp spellings. All times are epoch milliseconds, UTC. */

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** `2026-11-18T10:14:05Z`: users, sign-ins and methods carry whole seconds. */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / SECOND) * SECOND).toISOString().replace('.000Z', 'Z');
}

/**
 * `2026-11-18T10:14:05.1234567Z`: directory audits and the registration report carry 100-ns ticks.
 * The four digits below the millisecond come from `ticks` (0–9999), so they are deterministic too.
 */
export function isoTicks(ms: number, ticks: number): string {
  const base = new Date(Math.floor(ms)).toISOString(); // …T10:14:05.123Z
  return `${base.slice(0, -1)}${String(Math.floor(ticks) % 10000).padStart(4, '0')}Z`;
}

export function parseIso(iso: string, what: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`${what} is not an ISO date-time: ${JSON.stringify(iso)}`);
  return ms;
}

/** Start of the UTC hour / day that contains `ms`. */
export function floorTo(ms: number, unit: number): number {
  return Math.floor(ms / unit) * unit;
}

/**
 * Relative activity by hour of week (UTC), averaging 1 over a week: people sign in during office
 * hours on weekdays. Index = day-of-week (0 = Sunday) × 24 + hour.
 */
export const OFFICE_PROFILE: readonly number[] = (() => {
  const hourly = [
    0.05, 0.03, 0.03, 0.03, 0.05, 0.15, 0.5, 1.2, 2.2, 2.4, 2.3, 2.1, 1.8, 2.1, 2.3, 2.2, 1.9, 1.4, 0.9, 0.6,
    0.5, 0.4, 0.25, 0.1,
  ];
  const raw: number[] = [];
  for (let day = 0; day < 7; day++) {
    const weekend = day === 0 || day === 6;
    for (const h of hourly) raw.push(weekend ? h * 0.2 : h);
  }
  const mean = raw.reduce((a, b) => a + b, 0) / raw.length;
  return raw.map((v) => v / mean);
})();

/** The OFFICE_PROFILE weight of the hour that starts at `hourStart`. */
export function officeWeight(hourStart: number): number {
  const hours = Math.floor(hourStart / HOUR);
  const dayOfWeek = (Math.floor(hours / 24) + 4) % 7; // 1970-01-01 was a Thursday
  return OFFICE_PROFILE[dayOfWeek * 24 + (hours % 24)] ?? 1;
}
