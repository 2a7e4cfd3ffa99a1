import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { InputError } from '../domain/errors.js';

/**
 * The dashboard page, built by Vite into one HTML file (`npm run build`: dist/web/index.html). Both
 * src/server and dist/server are two levels below the package root, so one relative path finds it.
 */
export const DASHBOARD_PAGE = fileURLToPath(new URL('../../dist/web/index.html', import.meta.url));

export async function readDashboardPage(file = DASHBOARD_PAGE): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    throw new InputError(
      `the dashboard page is missing (${file})`,
      undefined,
      'Build it with: npm run build (in the mfa-ready folder).',
    );
  }
}

/**
 * The CSP hashes of the page's inline scripts: the page's one script is inline (a single-file build),
 * and `script-src` allows exactly it, nothing else (https://developer.mozilla.org/docs/Web/HTTP/Headers/Content-Security-Policy/script-src).
 */
export function inlineScriptHashes(html: string): string[] {
  const hashes: string[] = [];
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    const attrs = m[1] ?? '';
    if (/\bsrc\s*=/.test(attrs) || /type\s*=\s*["']?application\/json/i.test(attrs)) continue;
    hashes.push(
      `'sha256-${createHash('sha256')
        .update(m[2] ?? '')
        .digest('base64')}'`,
    );
  }
  return hashes;
}
