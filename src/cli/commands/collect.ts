import { stat } from 'node:fs/promises';
import type { CollectResult } from '../../collect/live/index.js';
import type { CollectBaseline } from '../../domain/baseline.js';
import { UsageError } from '../../domain/errors.js';
import { createCollectDisplay } from '../collect-display.js';
import type { CollectScopeFlags, GraphFlags } from '../collect-flags.js';
import { parseCollectRequest } from '../collect-flags.js';
import { runCollection } from '../collection.js';
import type { CliDeps } from '../deps.js';
import { openGraphSession } from '../graph-session.js';
import type { Io } from '../output.js';
import { redactError } from '../redact.js';

export interface CollectFlags extends GraphFlags, CollectScopeFlags {
  out?: string;
  /** The history database to store the run in. */
  db?: string;
  /** `--no-store`: only the export folder (--out), no run in the history. */
  store: boolean;
  /** `--retain DAYS`. */
  retain?: string;
  quiet?: boolean;
  color: boolean;
}

/**
 * `mfa-ready collect`: read the tenant from Graph and store it as a run of the history database (and,
 * with --out, keep the export folder); `--no-store` writes the folder only.
 */
export async function collectCommand(flags: CollectFlags, io: Io, deps: CliDeps): Promise<void> {
  const summary = flags.quiet === true ? 'problems' : 'full';
  if (!flags.store) {
    if (flags.out === undefined)
      throw new UsageError(
        '--no-store needs --out DIR: the export folder is then the only copy',
        '`mfa-ready audit --from DIR` reads it afterwards; or drop --no-store to keep the run in the history database.',
      );
    await collectFromGraph(flags, flags.out, io, deps, summary);
    return;
  }
  const { collectIntoStore } = await import('../collect-into-store.js');
  await collectIntoStore(flags, io, deps, (dir, request) =>
    collectFromGraph({ ...flags, ...request, intoHistory: true }, dir, io, deps, summary),
  );
}

/**
 * The live collection shared with `audit --tenant`: parse, sign in, collect into `outDir`, summarise.
 * Any error leaving it passes the credential's redactor first.
 */
export async function collectFromGraph(
  flags: GraphFlags &
    CollectScopeFlags & {
      quiet?: boolean;
      color?: boolean;
      baseline?: CollectBaseline;
      intoHistory?: boolean;
    },
  outDir: string,
  io: Io,
  deps: CliDeps,
  summary: 'full' | 'problems',
): Promise<CollectResult> {
  const now = deps.now?.() ?? new Date();
  const request = parseCollectRequest(flags, now);
  // What the history's latest run knows: the collection then asks Graph only for what is new.
  if (flags.baseline !== undefined) request.baseline = flags.baseline;
  const existing = await stat(outDir).catch(() => undefined);
  if (existing !== undefined && !existing.isDirectory()) {
    throw new UsageError(
      `${outDir} is a file, not a folder`,
      'Give a new or existing folder for the export.',
    );
  }
  const quiet = flags.quiet === true;
  const display = createCollectDisplay(io, { quiet });
  const session = openGraphSession(flags, io, deps, {
    onEvent: (event) => display.onGraphEvent(event),
    onDeviceCode: (message) => display.note(message),
  });
  try {
    // Kept under --quiet: caveats about the credential (a secret in the process list) are warnings, not progress.
    for (const note of session.notes) display.note(`mfa-ready: note: ${note}`);
    if (!quiet) display.note(`Signing in with ${session.choice.description}`);
    return await runCollection(
      {
        tenantId: session.tenantId,
        endpoints: session.endpoints,
        source: session.source,
        clock: session.clock,
        redact: session.choice.redact,
      },
      outDir,
      request,
      now,
      io,
      {
        display,
        summary,
        ...(flags.color !== undefined ? { color: flags.color } : {}),
        ...(flags.baseline !== undefined || flags.intoHistory === true ? { intoHistory: true } : {}),
      },
    );
  } catch (err) {
    throw redactError(err, session.choice.redact);
  } finally {
    session.close();
  }
}
