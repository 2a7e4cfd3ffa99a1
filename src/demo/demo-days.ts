/**
 * Several days of the demo tenant, for a demo history (`mfa-ready history --demo`): day 0 is the
 * bundled demo tenant (DEMO_OPTIONS, what `audit --demo` collects), and day k is the same tenant k days
 * later, with k days of its MFA rollout added (rollout.ts): users register, finish half-done
 * registrations, get unstuck by the helpdesk, join, now and then delete a method. Importing the days
 * in order into one store gives a history whose counts move (ready rises) and whose snapshots agree on
 * everything that happened before each of them.
 *
 *     for (const day of demoDays(5)) {
 *       await day.writeExport(join(tmp, `day-${day.day}`));   // an export folder, as `--from DIR` reads
 *       // import it into the throwaway store, as collected at day.collectedAt
 *     }
 *
 * Each day's answer key is `day.tenant().expectations()` (verdicts as of that day).
 */
import { DEMO_OPTIONS } from './demo-tenant.js';
import { generateTenant, MAX_ROLLOUT_DAYS } from './generate-tenant.js';
import type { SyntheticTenant } from './generate-tenant.js';
import { DAY, isoSeconds } from './time.js';
import { writeExportFolder } from './write-export-folder.js';
import type { WriteExportOptions, WriteExportResult } from './write-export-folder.js';

/** Days a demo history shows by default: enough for a trend, quick to generate (300 users a day). */
export const DEMO_HISTORY_DAYS = 5;

export interface DemoDay {
  /** 0 for the bundled demo tenant, then 1, 2, … */
  day: number;
  /** The day's collectedAt (ISO 8601): DEMO_OPTIONS.collectedAt + `day` days. */
  collectedAt: string;
  /** The tenant as of that day (generated on each call: keep the result if you need it twice). */
  tenant(): SyntheticTenant;
  /** Writes the day's export folder into `dir` (write-export-folder.ts; refuses to overwrite unless asked). */
  writeExport(dir: string, options?: WriteExportOptions): Promise<WriteExportResult>;
}

/**
 * The first `count` days of the demo tenant, oldest first. `count` from 1 to MAX_ROLLOUT_DAYS + 1;
 * nothing is generated until a day's `tenant()` or `writeExport()` is called.
 */
export function demoDays(count: number = DEMO_HISTORY_DAYS): DemoDay[] {
  if (!Number.isInteger(count) || count < 1 || count > MAX_ROLLOUT_DAYS + 1) {
    throw new RangeError(`demo days must be a whole number from 1 to ${MAX_ROLLOUT_DAYS + 1}, got ${count}`);
  }
  const start = Date.parse(DEMO_OPTIONS.collectedAt);
  return Array.from({ length: count }, (_, day) => {
    const collectedAt = isoSeconds(start + day * DAY);
    const tenant = () =>
      generateTenant({ ...DEMO_OPTIONS, collectedAt, rolloutStart: DEMO_OPTIONS.collectedAt });
    return {
      day,
      collectedAt,
      tenant,
      writeExport: (dir, options) => writeExportFolder(dir, tenant(), options),
    };
  });
}
