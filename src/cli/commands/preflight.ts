import { preflight } from '../../collect/live/index.js';
import { RuntimeFailure } from '../../domain/errors.js';
import { partLabel } from '../../report/collect-words.js';
import { preflightGaps, renderPreflight } from '../../report/preflight.js';
import type { GraphFlags } from '../collect-flags.js';
import { parseOnly } from '../collect-flags.js';
import type { CliDeps } from '../deps.js';
import { openGraphSession } from '../graph-session.js';
import { terminalWidth, wantsColor, type Io } from '../output.js';
import { redactError } from '../redact.js';
import { PreflightIncomplete } from '../signals.js';

export interface PreflightFlags extends GraphFlags {
  only?: string;
  lastSignIn?: boolean;
  format: 'table' | 'json';
  color: boolean;
}

/**
 * `mfa-ready preflight`: probe each endpoint once, print what is present and what each missing
 * permission or licence costs. Exit 0 when all is there, 1 when something is missing, 3 when the
 * credential is rejected (the report is printed first in both cases).
 */
export async function preflightCommand(flags: PreflightFlags, io: Io, deps: CliDeps): Promise<void> {
  const only = parseOnly(flags.only);
  const session = openGraphSession(flags, io, deps, {
    onDeviceCode: (message) => io.stderr.write(`${message}\n`),
  });
  try {
    const report = await preflight(session.source, {
      endpoints: session.endpoints,
      lastSignIn: flags.lastSignIn === true,
      ...(only !== undefined ? { only } : {}),
    });
    const width = terminalWidth(io.stdout, io.env);
    const text = renderPreflight(
      report,
      { tenantId: session.tenantId, cloud: session.endpoints.cloud, credential: session.choice.description },
      {
        format: flags.format,
        color: flags.format === 'table' && wantsColor(io.stdout, io.env, flags.color),
        ...(width !== undefined ? { width } : {}),
      },
    );
    io.stdout.write(session.choice.redact(text));

    if (!report.credential.ok) {
      const failure = report.credential.failure;
      throw new RuntimeFailure(
        failure?.kind === 'certificate-untrusted'
          ? `could not sign in: ${failure.message}`
          : `the credential was rejected: ${failure?.message ?? 'no token'}`,
        failure?.hint,
      );
    }
    const gaps = preflightGaps(report);
    if (gaps.length > 0) throw new PreflightIncomplete(gaps.map((p) => partLabel(p.part)));
  } catch (err) {
    throw redactError(err, session.choice.redact);
  } finally {
    session.close();
  }
}
