import { createHmac } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { reportSummary, type EmbeddedDashboard } from './embedded-dashboard.js';
import { inlineScriptHashes } from './web-assets.js';

/** The elements the page reads its data from (src/web/main.tsx): the summary first, the users when needed. */
export const DATA_ELEMENT_ID = 'mfa-ready-data';
export const SUMMARY_ELEMENT_ID = 'mfa-ready-summary';

const packed = (value: unknown): string => gzipSync(JSON.stringify(value), { level: 9 }).toString('base64');

/**
 * Stable pseudonyms for `--redact`: the same user gets the same pseudonym in every report of the
 * tenant (HMAC of the UPN keyed by the tenant id), so two redacted reports can be compared. Not a
 * secret against someone who knows the tenant id and guesses a UPN: it keeps names out of a mail, it
 * does not anonymise against a determined reader.
 */
export function redactEmbedded(e: EmbeddedDashboard): EmbeddedDashboard {
  const key = `mfa-ready:${e.assessment.tenant.tenantId ?? 'tenant'}`;
  const upns = new Map<string, string>();
  const names = new Map<string, string>();
  for (const u of e.assessment.users) {
    const tag = createHmac('sha256', key)
      .update(u.userPrincipalName.toLowerCase())
      .digest('hex')
      .slice(0, 10);
    upns.set(u.userPrincipalName.toLowerCase(), `user-${tag}@redacted.invalid`);
    if (u.displayName !== '') names.set(u.displayName, `User ${tag}`);
  }
  // Any string that is a user's display name, and any UPN inside a string (an action's portal path,
  // an audit event's initiator), is replaced wherever it appears.
  const upnPattern = /[^\s"'<>(),;:/\\]+@[^\s"'<>(),;:/\\]+/g;
  const scrub = (value: unknown): unknown => {
    if (typeof value === 'string') {
      const named = names.get(value);
      if (named !== undefined) return named;
      return value.includes('@') ? value.replace(upnPattern, (m) => upns.get(m.toLowerCase()) ?? m) : value;
    }
    if (Array.isArray(value)) return value.map(scrub);
    if (value !== null && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v)]));
    return value;
  };
  return { ...(scrub(e) as EmbeddedDashboard), redacted: true };
}

/**
 * The dashboard page with the data inside: gzip-compressed JSON in base64 (no `<` can close the
 * element early), a Content-Security-Policy that allows the page's own script and nothing from any
 * network, so the file opens from disk and stays there.
 */
export function renderHtmlReport(page: string, data: EmbeddedDashboard): string {
  const payload = packed(data);
  const summary = packed(reportSummary(data));
  const csp =
    `default-src 'none'; script-src ${inlineScriptHashes(page).join(' ')}; style-src 'unsafe-inline'; ` +
    "img-src data: blob:; base-uri 'none'; form-action 'none'";
  const head = page.indexOf('<head>');
  if (head < 0) throw new Error('the dashboard page has no <head>');
  const withCsp =
    page.slice(0, head + 6) +
    `<meta http-equiv="Content-Security-Policy" content="${csp}">` +
    page.slice(head + 6);
  const body = withCsp.lastIndexOf('</body>');
  if (body < 0) throw new Error('the dashboard page has no </body>');
  return (
    withCsp.slice(0, body) +
    `<script type="application/gzip;base64" id="${SUMMARY_ELEMENT_ID}">${summary}</script>\n` +
    `<script type="application/gzip;base64" id="${DATA_ELEMENT_ID}">${payload}</script>\n` +
    withCsp.slice(body)
  );
}
