import { isIP } from 'node:net';

/** Whether a host name or address only ever reaches this machine. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1';
  return false;
}

/**
 * Whether a request's Host header names this server as the browser was told to reach it. A page on
 * another site whose name was pointed at 127.0.0.1 (DNS rebinding) sends its own name here.
 */
export function hostAllowed(hostHeader: string | undefined, allowed: ReadonlySet<string>): boolean {
  return hostHeader !== undefined && allowed.has(hostHeader.toLowerCase());
}
