import { resolveScope } from '../../assess/scope-resolution.js';
import { UsageError } from '../../domain/errors.js';
import type { DirectoryUser } from '../../domain/tenant.js';
import { renderUserDetail } from '../../report/index.js';
import { plural } from '../../report/format.js';
import { renderUserHistory, renderUserHistoryJson, userHistory } from '../../report/user-history.js';
import { countUserEvents, findStoredUserIds, storedUserNames, type Store } from '../../store/index.js';
import { isoTimeFlag } from '../flag-values.js';
import { terminalWidth, wantsColor, type Io } from '../output.js';
import { runDate, userRunEntries, withHistory } from './stored-runs.js';

export interface UserFlags {
  db?: string;
  history?: boolean;
  format: 'table' | 'json';
  now?: string;
  color: boolean;
}

/**
 * `mfa-ready user UPN`: one user as the history knows them. Without --history, their stored drill-down
 * in the latest run (as audit --user shows it, as assessed when the run was stored). With --history,
 * their verdict in each run and every finding any run's assessment cited, de-duplicated and
 * time-ordered with its age, so evidence older than Entra's 30-day logs shows.
 */
export async function userCommand(value: string, flags: UserFlags, io: Io): Promise<void> {
  const now = flags.now === undefined ? new Date() : isoTimeFlag('--now', flags.now);
  const color = wantsColor(io.stdout, io.env, flags.color);
  const width = terminalWidth(io.stdout, io.env);
  const text = withHistory(flags.db, io.env, (store, runs) => {
    const id = findUser(store, value);
    const entries = userRunEntries(store, runs, id);
    if (flags.history === true) {
      const events = countUserEvents(store, id);
      const h = { ...userHistory(entries, now), storedEvents: events };
      if (flags.format === 'json') return renderUserHistoryJson(h);
      const note =
        `\nStored events about this user: ${plural(events.audits, 'audit event')}, ${plural(events.signIns, 'sign-in')}` +
        (events.oldest === null ? '' : `, the oldest from ${events.oldest}`) +
        '; the timeline lists those the rules cite.\n';
      return renderUserHistory(h, { color, ...(width !== undefined ? { width } : {}) }) + note;
    }
    const latest = runs.at(-1)!;
    const current = entries.at(-1)?.assessment;
    if (current === undefined) {
      const last = [...entries].reverse().find((e) => e.assessment !== undefined)!;
      throw new UsageError(
        `${value} is not in the latest run (${latest.id}); last stored in run ${last.runId} (${last.at})`,
        `See every run with: mfa-ready user ${value} --history`,
      );
    }
    if (flags.format === 'json')
      return `${JSON.stringify({ runId: latest.id, at: runDate(latest), user: current }, null, 2)}\n`;
    return renderUserDetail(current, { color, ...(width !== undefined ? { width } : {}) });
  });
  io.stdout.write(text);
}

/** The stored user a UPN or id names, else exit 2 with the closest UPNs (as --exclude-user does). */
function findUser(store: Store, value: string): string {
  const ids = findStoredUserIds(store, value.trim());
  if (ids.length > 0) return ids[0]!;
  const people = storedUserNames(store).map(
    (p) =>
      ({ id: p.id, userPrincipalName: p.userPrincipalName, displayName: p.displayName }) as DirectoryUser,
  );
  const scope = resolveScope(
    {
      users: people,
      registration: undefined,
      groups: undefined,
      coverage: { groups: { present: false } } as never,
    },
    { scopeGroups: [], excludeGroups: [], excludeUsers: [value] },
  );
  const problem = scope.problems.find((p) => p.code === 'user-not-found');
  const closest = problem?.code === 'user-not-found' ? problem.closest : [];
  throw new UsageError(
    `no stored user has the UPN or id '${value}'`,
    closest.length > 0
      ? `Closest: ${closest.map((u) => u.userPrincipalName).join(', ')}.`
      : 'No stored user has a close name either; check the UPN, or give the object id.',
  );
}
