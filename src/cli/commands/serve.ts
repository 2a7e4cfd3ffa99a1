import { spawn } from 'node:child_process';
import { UsageError } from '../../domain/errors.js';
import { createDashboardApp } from '../../server/app.js';
import { newSessionToken } from '../../server/session-token.js';
import { isLoopback } from '../../server/loopback.js';
import { startServer } from '../../server/start-server.js';
import { inlineScriptHashes, readDashboardPage } from '../../server/web-assets.js';
import { openDashboardData } from '../dashboard-source.js';
import type { Io } from '../output.js';

export interface ServeFlags {
  db?: string;
  from?: string;
  demo?: boolean;
  now?: string;
  host: string;
  port: string;
  open?: boolean;
}

export interface OpenDashboard {
  /** The address to open: it carries the per-run token, once. */
  url: string;
  origin: string;
  close(): Promise<void>;
}

function parsePort(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 65535)
    throw new UsageError(`--port ${value}: a port is a whole number from 0 to 65535`, '0 picks a free port.');
  return Number(value);
}

/**
 * Gathers the data (the history's latest run, or `--from DIR`), starts the server on 127.0.0.1 and
 * returns the address with its token. `demoDb`: the history `--demo` filled (judged at its collection time).
 */
export async function openDashboard(flags: ServeFlags, io: Io, demo = false): Promise<OpenDashboard> {
  const port = parsePort(flags.port);
  if (!isLoopback(flags.host))
    io.stderr.write(
      `mfa-ready: warning: listening on ${flags.host}: anyone who can reach it and has the link can read who cannot do MFA\n`,
    );
  const page = await readDashboardPage();
  const { data, close: closeSource } = await openDashboardData(flags, io.env, demo);
  const token = newSessionToken();
  const hosts = new Set<string>();
  const app = createDashboardApp({
    data,
    token,
    hosts,
    assets: new Map([['/index.html', { type: 'text/html; charset=utf-8', body: page }]]),
    scriptHashes: inlineScriptHashes(page),
  });
  let server;
  try {
    server = await startServer(app, { host: flags.host, port }, hosts, true);
  } catch (err) {
    closeSource();
    throw err;
  }
  return {
    origin: server.origin,
    url: `${server.origin}/?token=${token}`,
    close: async () => {
      await server.close();
      closeSource();
    },
  };
}

/** The platform's "open this URL" command. */
function openInBrowser(url: string, io: Io): void {
  const [cmd, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url]]
        : ['xdg-open', [url]];
  const child = spawn(cmd, args as string[], { stdio: 'ignore', detached: true });
  child.on('error', () => io.stderr.write('mfa-ready: could not open a browser; open the address above\n'));
  child.unref();
}

/** `mfa-ready serve`: the dashboard until Ctrl+C (or `signal`). */
export async function serveCommand(
  flags: ServeFlags,
  io: Io,
  demo = false,
  signal?: AbortSignal,
): Promise<void> {
  const dashboard = await openDashboard(flags, io, demo);
  io.stdout.write(
    [
      'mfa-ready dashboard:',
      `  ${dashboard.url}`,
      'The address carries a key for this run only: open it in a browser on this computer. Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );
  if (flags.open === true) openInBrowser(dashboard.url, io);
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
    signal?.addEventListener('abort', () => done(), { once: true });
  });
  await dashboard.close();
}
