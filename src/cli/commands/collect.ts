import { stat } from 'node:fs/promises';
import type { CollectResult } from '../../collect/live/index.js';
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
  quiet?: boolean;
  color: boolean;
}

/** `mfa-ready collect`: read the tenant from Graph into an export folder, then say what was missed. */
export async function collectCommand(flags: CollectFlags, io: Io, deps: CliDeps): Promise<void> {
  if (flags.out === undefined) {
    throw new UsageError(
      'say where to write the export folder',
      'Pass --out DIR; `mfa-ready audit --from DIR` reads it afterwards.',
    );
  }
  await collectFromGraph(flags, flags.out, io, deps, flags.quiet === true ? 'problems' : 'full');
}

/**
 * The live collection shared with `audit --tenant`: parse, sign in, collect into `outDir`, summarise.
 * Any error leaving it passes the credential's redactor first.
 */
export async function collectFromGraph(
  flags: GraphFlags & CollectScopeFlags & { quiet?: boolean; color?: boolean },
  outDir: string,
  io: Io,
  deps: CliDeps,
  summary: 'full' | 'problems',
): Promise<CollectResult> {
  const now = deps.now?.() ?? new Date();
  const request = parseCollectRequest(flags, now);
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
      { display, summary, ...(flags.color !== undefined ? { color: flags.color } : {}) },
    );
  } catch (err) {
    throw redactError(err, session.choice.redact);
  } finally {
    session.close();
  }
}
