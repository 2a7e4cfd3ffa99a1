import { preflight, preflightWrites } from '../../collect/live/index.js';
import { RuntimeFailure } from '../../domain/errors.js';
import type { WritePurpose } from '../../domain/preflight.js';
import { partLabel } from '../../report/collect-words.js';
import { preflightGaps, preflightWriteGaps, renderPreflight } from '../../report/preflight.js';
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
  /** Also check what `rollout` or `remediate` need to change the tenant. */
  for?: WritePurpose;
}

/**
 * `mfa-ready preflight`: probe each endpoint once, print what is present and what each missing
 * permission or licence costs. Exit 0 when all is there, 1 when something is missing, 3 when the
 * credential is rejected (the report is printed first in both cases). With `--for rollout|remediate`
 * it also checks, without writing anything, the write permissions and admin roles the command needs.
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
    if (flags.for !== undefined && report.credential.ok) {
      report.writes = await preflightWrites(session.source, flags.for, await tokenOf(session));
    }
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
    const gaps = [
      ...preflightGaps(report).map((p) => partLabel(p.part)),
      ...preflightWriteGaps(report).map((c) => `${flags.for ?? 'writes'}: ${c.name}`),
    ];
    if (gaps.length > 0) throw new PreflightIncomplete(gaps);
  } catch (err) {
    throw redactError(err, session.choice.redact);
  } finally {
    session.close();
  }
}

/**
 * The access token the session signs in with, to read what it grants (the credential caches it: no
 * second sign-in). Never printed. undefined when it cannot be had: the checks then say "unknown".
 */
async function tokenOf(session: ReturnType<typeof openGraphSession>): Promise<string | undefined> {
  try {
    const scope = `${session.endpoints.graphUrl.replace(/\/+$/, '')}/.default`;
    return (await session.choice.credential.getToken(scope))?.token;
  } catch {
    return undefined;
  }
}
