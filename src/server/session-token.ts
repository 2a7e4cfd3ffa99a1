import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** The cookie the dashboard's pages and API routes are opened with. */
export const SESSION_COOKIE = 'mfa_ready_session';

/** A fresh per-run token: 256 random bits, URL-safe. */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Compares in constant time. Both sides are hashed first, so the comparison takes as long whatever the
 * lengths (timingSafeEqual itself refuses buffers of different lengths, which would leak the length).
 */
export function sameToken(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
