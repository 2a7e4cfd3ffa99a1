import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { funnelOf } from '../../src/assess/funnel.js';
import type { Assessment } from '../../src/domain/verdict.js';
import { runCli } from '../support/cli.js';
import { launchChromium } from '../support/browser.js';
import { MARKUP_GROUP, MARKUP_USER, writeMarkupTenant } from '../support/markup-tenant.js';

/*
 * `report --html`: one file, opened from file:// in Chromium with the network off, showing what the
 * dashboard shows; markup-looking names stay text; --redact leaves no name or UPN in the file.
 */

const NOW = '2026-11-24T09:00:00Z';

let tmp: string;
let browser: Browser;
let context: BrowserContext;
let report: string;
let evilReport: string;
let auditJson: Assessment;
const requests: string[] = [];
const dialogs: string[] = [];

async function open(file: string): Promise<Page> {
  const page = await context.newPage();
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(pathToFileURL(file).href);
  return page;
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'mfa-ready-report-'));
  const db = join(tmp, 'demo.db');
  expect((await runCli(['history', '--demo', '--db', db])).code).toBe(0);
  auditJson = JSON.parse(
    (await runCli(['audit', '--db', db, '--format', 'json', '--now', NOW])).stdout,
  ) as Assessment;
  report = join(tmp, 'report.html');
  const made = await runCli(['report', '--db', db, '--now', NOW, '--html', report]);
  expect(made.code, made.stderr).toBe(0);
  expect(made.stderr).toContain(`wrote ${report}`);

  const dir = join(tmp, 'evil');
  await writeMarkupTenant(dir);
  evilReport = join(tmp, 'evil.html');
  expect((await runCli(['report', '--from', dir, '--now', NOW, '--html', evilReport])).code).toBe(0);

  browser = await launchChromium();
  context = await browser.newContext({ offline: true });
  // Any request that leaves the file is recorded and refused: the report must need none.
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:') || url.startsWith('blob:') || url.startsWith('data:'))
      return route.continue();
    requests.push(url);
    return route.abort();
  });
}, 120_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await rm(tmp, { recursive: true, force: true });
});

describe('the HTML report, opened from disk with the network off', () => {
  it('shows the funnel and the counts of audit --format json, and filters users in the page', async () => {
    const page = await open(report);
    await page.getByTestId('funnel').waitFor();
    for (const [step, n] of Object.entries(funnelOf(auditJson.users))) {
      const text = await page.locator(`[data-testid=funnel] tr[data-step=${step}] td`).textContent();
      expect(Number(text!.replace(/,/g, '')), step).toBe(n);
    }
    await page.goto(`${pathToFileURL(report).href}#/users?verdict=unverified`);
    await page
      .getByTestId('users-total')
      .filter({ hasText: `${auditJson.summary.unverified} users` })
      .waitFor();
    const user = auditJson.users.find((u) => u.verdict === 'unverified')!;
    await page.getByRole('link', { name: user.userPrincipalName }).click();
    await page.getByTestId('user-upn').filter({ hasText: user.userPrincipalName }).waitFor();
    expect(await page.getByTestId('user-action').textContent()).toContain('mysecurityinfo');
    expect(requests).toEqual([]);
    await page.close();
  });

  it('renders markup-looking names as text and runs no script of theirs', async () => {
    const page = await open(evilReport);
    await page.getByTestId('funnel').waitFor();
    await page.goto(`${pathToFileURL(evilReport).href}#/users?q=onerror`);
    await page
      .getByTestId('users-total')
      .filter({ hasText: /^1 users$/ })
      .waitFor();
    expect(await page.locator('[data-testid=users] tbody td').nth(1).textContent()).toBe(MARKUP_USER);
    expect(
      await page.locator('select[name=group] option', { hasText: 'window.__pwned' }).textContent(),
    ).toContain(MARKUP_GROUP);
    expect(await page.locator('img[src=x]').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });

  it('--redact leaves no user name or UPN in the file, with the same pseudonym for a user each time', async () => {
    const db = join(tmp, 'demo.db');
    const a = join(tmp, 'a.html');
    const b = join(tmp, 'b.html');
    expect((await runCli(['report', '--db', db, '--now', NOW, '--redact', '--html', a])).code).toBe(0);
    expect((await runCli(['report', '--db', db, '--now', NOW, '--redact', '--html', b])).code).toBe(0);
    const page = await open(a);
    await page.getByTestId('funnel').waitFor();
    await page.goto(`${pathToFileURL(a).href}#/users?sort=upn&limit=500`);
    await page.getByTestId('users-total').filter({ hasText: 'users' }).waitFor();
    const shown = await page.locator('[data-testid=users] tbody').textContent();
    for (const u of auditJson.users.slice(0, 50)) {
      expect(shown).not.toContain(u.userPrincipalName);
      if (u.displayName.length > 3) expect(shown).not.toContain(u.displayName);
    }
    expect(shown).toMatch(/user-[0-9a-f]{10}@redacted\.invalid/);
    const first = await page.locator('[data-testid=users] tbody tr').first().getAttribute('data-user');
    await page.close();
    const other = await open(b);
    await other.goto(`${pathToFileURL(b).href}#/users?sort=upn&limit=500`);
    await other.getByTestId('users-total').filter({ hasText: 'users' }).waitFor();
    expect(await other.locator('[data-testid=users] tbody tr').first().getAttribute('data-user')).toBe(first);
    await other.close();
    expect((await stat(a)).size).toBeGreaterThan(100_000);
    // And in the file itself (the embedded data, inflated): no UPN, no display name of any user.
    const html = await readFile(a, 'utf8');
    const b64 = /<script type="application\/gzip;base64" id="mfa-ready-data">([^<]+)<\/script>/.exec(
      html,
    )![1]!;
    const data = gunzipSync(Buffer.from(b64, 'base64')).toString('utf8');
    expect(data).toContain('"redacted":true');
    for (const u of auditJson.users) {
      expect(data.toLowerCase()).not.toContain(u.userPrincipalName.toLowerCase());
      expect(data).not.toContain(`"${u.displayName}"`);
    }
  });
});
