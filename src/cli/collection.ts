/**
 * One collection as the CLI runs it, for `collect`, `audit --tenant` and `audit --demo` alike: the
 * collector with the progress display, then the summary on standard error, then the one judgement
 * that ends the command: whether anything assessable was collected at all (else exit 3).
 */
import type { Clock, CloudEndpoints, LiveGraphSource } from '../collect/graph/index.js';
import type { CollectResult } from '../collect/live/index.js';
import { collectTenant } from '../collect/live/index.js';
import { RuntimeFailure } from '../domain/errors.js';
import { collectPlanner } from '../plan/index.js';
import { collectGaps, renderCollectSummary } from '../report/collect-summary.js';
import type { CollectDisplay } from './collect-display.js';
import type { CollectRequest } from './collect-flags.js';
import { terminalWidth, wantsColor, type Io } from './output.js';

export interface CollectionTarget {
  tenantId: string;
  endpoints: CloudEndpoints;
  source: LiveGraphSource;
  clock: Clock;
  redact: (text: string) => string;
}

export interface CollectionOutput {
  display: CollectDisplay;
  /** `full` after `collect`; `problems` when quiet or when a report follows. */
  summary: 'full' | 'problems';
  color?: boolean;
  clockNote?: string;
  /** Into the history database (collect-summary.ts `intoHistory`). */
  intoHistory?: boolean;
}

export async function runCollection(
  target: CollectionTarget,
  outDir: string,
  request: CollectRequest,
  now: Date,
  io: Io,
  output: CollectionOutput,
): Promise<CollectResult> {
  let result: CollectResult;
  try {
    result = await collectTenant(target.source, {
      outDir,
      tenantId: target.tenantId,
      endpoints: target.endpoints,
      clock: target.clock,
      now,
      planner: collectPlanner,
      ...(request.baseline !== undefined ? { baseline: request.baseline } : {}),
      ...(request.reportMaxAgeDays !== undefined ? { reportMaxAgeDays: request.reportMaxAgeDays } : {}),
      ...(request.methodsMaxAgeDays !== undefined ? { methodsMaxAgeDays: request.methodsMaxAgeDays } : {}),
      lastSignIn: request.lastSignIn,
      resume: request.resume,
      ...(request.replace === true ? { replace: true } : {}),
      scopeGroups: request.scopeGroups,
      ...(request.signInDays !== undefined ? { signInDays: request.signInDays } : {}),
      ...(request.methods !== undefined ? { methods: request.methods } : {}),
      ...(request.methodsBudgetMinutes !== undefined
        ? { methodsBudgetMinutes: request.methodsBudgetMinutes }
        : {}),
      ...(request.only !== undefined ? { only: request.only } : {}),
      ...(request.skipBadRecords === true ? { skipBadRecords: true } : {}),
      ...(request.since !== undefined ? { since: request.since } : {}),
      onProgress: (event) => output.display.onProgress(event),
    });
  } catch (err) {
    // A file-system error (no space, no permission) is a runtime failure, not a bug: no stack.
    if (err instanceof Error && typeof (err as NodeJS.ErrnoException).code === 'string' && 'path' in err) {
      throw new RuntimeFailure(
        `could not write the export folder: ${err.message}`,
        'Check that the folder is writable and the disk has room; then run again with --resume.',
        { cause: err },
      );
    }
    throw err;
  } finally {
    output.display.finish();
  }

  const width = terminalWidth(io.stderr, io.env);
  const text = renderCollectSummary(result, {
    detail: output.summary,
    color: wantsColor(io.stderr, io.env, output.color),
    ...(width !== undefined ? { width } : {}),
    ...(output.clockNote !== undefined ? { clockNote: output.clockNote } : {}),
    ...(output.intoHistory === true ? { intoHistory: true } : {}),
  });
  if (text !== '') io.stderr.write(target.redact(text));

  if (!collectGaps(result).usable) {
    throw new RuntimeFailure(
      'nothing the assessment can use was collected (no user list and no registration report)',
      'See what Graph refused above; fix it and run the same command again.',
    );
  }
  return result;
}
