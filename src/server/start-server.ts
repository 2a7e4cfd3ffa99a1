import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import { UsageError } from '../domain/errors.js';
import { isLoopback } from './loopback.js';

export interface ServerAddress {
  host: string;
  port: number;
}

export interface RunningServer {
  /** The address to open, without the token. */
  origin: string;
  close(): Promise<void>;
}

/**
 * Listens on 127.0.0.1 unless told otherwise: the dashboard shows who cannot do MFA in a tenant, which
 * nobody else on the network should read. Another address only with `allowNonLoopback` (the CLI's
 * `--host`, with a warning). `hosts` receives the `host:port` names the app will answer to.
 */
export async function startServer(
  app: Hono,
  address: ServerAddress,
  hosts: Set<string>,
  allowNonLoopback: boolean,
): Promise<RunningServer> {
  if (!isLoopback(address.host) && !allowNonLoopback)
    throw new UsageError(
      `refusing to listen on ${address.host}: the dashboard listens on this computer only (127.0.0.1)`,
      'Leave out the address, or pass --host to make it reachable from other computers (anyone who can reach it and has the link can read the report).',
    );
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: address.host, port: address.port }, () => resolve(s));
    s.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  const shown = address.host.includes(':') ? `[${address.host}]` : address.host;
  hosts.add(`${shown}:${port}`.toLowerCase());
  if (isLoopback(address.host)) hosts.add(`localhost:${port}`);
  return {
    origin: `http://${shown}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
