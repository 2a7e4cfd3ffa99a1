import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { startEmulator, FAULT_KINDS } from '../../emulator/index.js';
import type { RunningEmulator } from '../../emulator/index.js';
import { collectionVolume } from '../collection-volume.js';
import { estimateCollection } from '../../collect/live/collection-estimate.js';
import type { CollectionEstimate } from '../../collect/live/collection-estimate.js';
import { DEFAULT_METHODS_BUDGET_MINUTES } from '../../collect/live/collect-methods.js';
import { DEFAULT_AUDIT_DAYS, DEFAULT_SIGN_IN_DAYS } from '../../collect/live/collect-tenant.js';
import { formatCount, formatDuration } from '../../report/collect-words.js';
import { UsageError } from '../../domain/errors.js';
import type { Io } from '../output.js';
import { isoTimeFlag, wholeNumberFlag } from '../flag-values.js';

export interface EmulateFlags {
  port: string;
  users: string;
  seed?: string;
  faultRate?: string;
  timeScale?: string;
  collectedAt?: string;
  licence?: 'p1' | 'free';
  cloud?: 'global' | 'usgov' | 'usgovdod' | 'china';
  throttling: boolean;
  caOut: string;
}

/**
 * `mfa-ready emulate`: serves a synthetic tenant through Microsoft Graph's URL shapes on 127.0.0.1 until
 * interrupted, so the collector can be tried (and tested) without a tenant.
 */
export async function emulateCommand(flags: EmulateFlags, io: Io, signal?: AbortSignal): Promise<void> {
  const users = wholeNumberFlag('--users', flags.users, 1, 1_000_000);
  const port = wholeNumberFlag('--port', flags.port, 0, 65_535);
  const faultRate = flags.faultRate === undefined ? 0 : fraction('--fault-rate', flags.faultRate);
  const timeScale = flags.timeScale === undefined ? 1 : positive('--time-scale', flags.timeScale);
  // Parsed, not only checked: a time without a zone is UTC here too, not the emulator's local time.
  const collectedAt =
    flags.collectedAt === undefined
      ? undefined
      : isoTimeFlag('--collected-at', flags.collectedAt).toISOString();
  const emulator = await startEmulator({
    users,
    port,
    faultRate,
    timeScale,
    throttling: flags.throttling,
    ...(flags.seed !== undefined ? { seed: wholeNumberFlag('--seed', flags.seed, 0, 2 ** 31) } : {}),
    ...(collectedAt !== undefined ? { collectedAt } : {}),
    ...(flags.licence !== undefined ? { licence: flags.licence } : {}),
    ...(flags.cloud !== undefined ? { cloud: flags.cloud } : {}),
  }).catch((err: unknown) => {
    throw listenError(err, port) ?? err;
  });
  const caFile = resolve(flags.caOut);
  await writeFile(caFile, emulator.caPem, 'utf8');
  const estimate = estimateCollection(
    collectionVolume(emulator.tenant, { signInDays: DEFAULT_SIGN_IN_DAYS, auditDays: DEFAULT_AUDIT_DAYS }),
    { budgetMinutes: DEFAULT_METHODS_BUDGET_MINUTES },
  );
  io.stdout.write(
    [
      `Graph emulator: ${users.toLocaleString('en-US')} users, tenant ${emulator.tenantId}`,
      `  graph url   ${emulator.url}`,
      `  login url   ${emulator.loginUrl}`,
      `  CA          ${caFile} (trust it with NODE_EXTRA_CA_CERTS)`,
      `  faults      ${faultRate > 0 ? `${faultRate} of responses (${FAULT_KINDS.join(', ')})` : 'none'}`,
      `  throttling  ${flags.throttling ? 'documented limits' : 'off'}${timeScale !== 1 ? `, time ×${timeScale}` : ''}`,
      '',
      ...collectBanner(emulator, caFile, estimate),
      '',
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );
  await new Promise<void>((done) => {
    const stop = () => done();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    signal?.addEventListener('abort', stop, { once: true });
  });
  const stats = emulator.stats();
  await emulator.close();
  io.stderr.write(`emulator stopped: ${JSON.stringify(stats)}\n`);
}

/**
 * How to collect from the emulator, and what it will cost. The command runs as printed from the
 * mfa-ready folder (npx finds the project's own bin there; `npm install -g .` puts `mfa-ready` on the
 * PATH). The estimate is Graph's pace, which the collector keeps whatever the emulator enforces.
 */
export function collectBanner(
  emulator: RunningEmulator,
  caFile: string,
  estimate: CollectionEstimate,
): string[] {
  const command = (extra: string) =>
    `    npx mfa-ready collect --tenant ${emulator.tenantId} --graph-url ${emulator.url} --login-url ${emulator.loginUrl} --out ./export${extra}`;
  const { full, quick, pages } = estimate;
  const lists = (n: number) =>
    n === 0 ? 'no methods list' : `${formatCount(n)} users' methods list${n === 1 ? '' : 's'}`;
  const about = (ms: number) => (ms < 10_000 ? 'a few seconds' : `about ${formatDuration(ms)}`);
  return [
    'Collect from it, in the mfa-ready folder (any client id and secret are accepted):',
    `  NODE_EXTRA_CA_CERTS=${caFile} AZURE_CLIENT_ID=any AZURE_CLIENT_SECRET=any \\`,
    command(''),
    `  takes ${about(full.ms)} at Graph's real throttling pace (an estimate): ${formatCount(full.requests)} requests ` +
      `to the reports, 5 per 10 s (${formatCount(pages.registration)} registration report, ${formatCount(pages.audits)} audit and ` +
      `${formatCount(pages.signIns)} sign-in pages, ${lists(full.methodsReads)}${estimate.autoMode === 'needed' ? ': --methods auto reads only the needed ones, too many are open' : ''}).`,
    `For a quick look, add --methods needed: only the methods lists that decide readiness (${lists(quick.methodsReads)}), ${about(quick.ms)}.`,
  ];
}

/**
 * A port the emulator cannot listen on is the admin's choice to change, not a bug: another program
 * (or an emulator still running) holds it, or it is a privileged port (below 1024 on Linux and macOS).
 */
function listenError(err: unknown, port: number): UsageError | undefined {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const where = `port ${port} on 127.0.0.1`;
  if (code === 'EADDRINUSE')
    return new UsageError(
      `${where} is in use; pick another with --port`,
      '--port 0 lets the system pick a free one (the banner prints it).',
    );
  if (code === 'EACCES')
    return new UsageError(
      `${where} needs privileges this user does not have; pick another with --port`,
      'ports from 1024 up need none; --port 0 lets the system pick a free one.',
    );
  return undefined;
}

function fraction(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1)
    throw new UsageError(`${flag} ${value}: expected a number from 0 to 1`);
  return n;
}

function positive(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} ${value}: expected a positive number`);
  return n;
}
