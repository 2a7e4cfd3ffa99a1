import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { funnelOf } from '../../src/assess/funnel.js';
import { openDashboard, type OpenDashboard } from '../../src/cli/commands/serve.js';
import type { Assessment } from '../../src/domain/verdict.js';
import { Capture, runCli } from '../support/cli.js';
import { launchChromium } from '../support/browser.js';
import { MARKUP_GROUP, MARKUP_USER, writeMarkupTenant } from '../support/markup-tenant.js';

/*
 * The dashboard in a real Chromium, on a demo history (a few days of the demo tenant's rollout) and on
 * a tenant whose strings look like markup. Screenshots go to test-results/screenshots (README).
 */

const SHOTS = 'test-results/screenshots';

let tmp: string;
let browser: Browser;
let demo: OpenDashboard;
let evil: OpenDashboard;
let demoDb: string;
let auditJson: Assessment;
let rolloutJson: { waves: { number: number; state: string; ready: number }[]; bypass: { upn: string }[] };

const io = () => ({ stdout: new Capture(false), stderr: new Capture(false), env: {} });
const serveFlags = (db: string) => ({ db, host: '127.0.0.1', port: '0' });

async function newPage(d: OpenDashboard): Promise<Page> {
  const page = await browser.newPage();
  const dialogs: string[] = [];
  page.on('dialog', (dlg) => {
    dialogs.push(dlg.message());
    void dlg.dismiss();
  });
  (page as Page & { dialogs?: string[] }).dialogs = dialogs;
  await page.goto(d.url);
  return page;
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'mfa-ready-web-'));
  await mkdir(SHOTS, { recursive: true });
  demoDb = join(tmp, 'demo.db');
  expect((await runCli(['history', '--demo', '--db', demoDb])).code).toBe(0);
  // A demo rollout: planned on the latest day, its first wave applied (the demo's groups are synced from
  // on-premises, so the change is written as an AD script and journaled).
  const rollout = (args: string[]) =>
    runCli(['rollout', ...args, '--db', demoDb, '--now', '2026-11-24T10:00:00Z']);
  const planned = await rollout([
    'plan',
    '--name',
    'students',
    '--enforce-group',
    'MFA_Required',
    '--bypass-group',
    'MFA_ProofUpBypass',
    '--wave-size',
    '40',
    '--every',
    '7d',
    '--start',
    '2026-11-24',
    '--ready-threshold',
    '50%',
    '--order',
    'upn',
  ]);
  expect(planned.code, planned.stderr).toBe(0);
  const applied = await rollout(['next', 'students', '--apply', '--script-dir', join(tmp, 'scripts')]);
  expect(applied.code, applied.stderr).toBe(0);
  const status = await rollout(['status', 'students', '--format', 'json']);
  rolloutJson = JSON.parse(status.stdout) as typeof rolloutJson;
  const audit = await runCli(['audit', '--db', demoDb, '--format', 'json', '--now', '2026-11-24T09:00:00Z']);
  expect(audit.code, audit.stderr).toBe(0);
  auditJson = JSON.parse(audit.stdout) as Assessment;

  // A tenant whose display name and group name look like markup.
  const dir = join(tmp, 'evil');
  await writeMarkupTenant(dir);
  const evilDb = join(tmp, 'evil.db');
  expect((await runCli(['import', dir, '--db', evilDb])).code).toBe(0);
  const evilPlan = await runCli([
    'rollout',
    'plan',
    '--db',
    evilDb,
    '--name',
    'staff',
    '--enforce-group',
    MARKUP_GROUP,
    '--bypass-group',
    'MFA_ProofUpBypass',
    '--now',
    '2026-11-24T10:00:00Z',
  ]);
  expect(evilPlan.code, evilPlan.stderr).toBe(0);

  browser = await launchChromium();
  demo = await openDashboard({ ...serveFlags(demoDb), now: '2026-11-24T09:00:00Z' }, io(), true);
  evil = await openDashboard({ ...serveFlags(evilDb), now: '2026-11-24T09:00:00Z' }, io());
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await demo?.close();
  await evil?.close();
  await rm(tmp, { recursive: true, force: true });
});

describe('the dashboard in Chromium', () => {
  it('shows the funnel and the counts per verdict of audit --format json on the same store', async () => {
    const page = await newPage(demo);
    await page.getByTestId('funnel').waitFor();
    const expected = funnelOf(auditJson.users);
    for (const [step, n] of Object.entries(expected)) {
      const cell = page.locator(`[data-testid=funnel] tr[data-step=${step}] td`);
      expect(Number((await cell.textContent())!.replace(/,/g, '')), step).toBe(n);
    }
    for (const [verdict, n] of Object.entries(auditJson.summary)) {
      const cell = page.locator(`[data-testid=verdicts] tr[data-verdict=${verdict}] td.num`);
      expect(Number((await cell.textContent())!.replace(/,/g, '')), verdict).toBe(n);
    }
    await page.screenshot({ path: join(SHOTS, 'overview.png'), fullPage: true });
    await page.close();
  });

  it('filters the users by verdict and by text, and keeps the filters in a URL that reloads to the same view', async () => {
    const page = await newPage(demo);
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByTestId('users-total').filter({ hasText: 'users' }).waitFor();
    await page.locator('input[name=verdict][value=looping]').check();
    const looping = auditJson.summary.looping;
    await page
      .getByTestId('users-total')
      .filter({ hasText: `${looping} users` })
      .waitFor();
    const verdicts = await page
      .locator('[data-testid=users] tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-verdict')));
    expect(verdicts.length).toBe(looping);
    expect(new Set(verdicts)).toEqual(new Set(['looping']));

    const someone = auditJson.users.find((u) => u.verdict === 'unverified')!;
    await page.locator('input[name=verdict][value=looping]').uncheck();
    await page.locator('input[name=q]').fill(someone.userPrincipalName.toUpperCase());
    await page.getByRole('button', { name: 'Search' }).click();
    await page
      .getByTestId('users-total')
      .filter({ hasText: /^1 users$/ })
      .waitFor();
    expect(await page.locator('[data-testid=users] tbody tr').getAttribute('data-user')).toBe(someone.id);

    // The view is in the URL: opened again (a bookmark), it shows the same.
    const bookmarked = page.url();
    expect(bookmarked).toContain('#/users?');
    const again = await browser.newPage();
    await again.goto(demo.url);
    await again.goto(bookmarked);
    await again
      .getByTestId('users-total')
      .filter({ hasText: /^1 users$/ })
      .waitFor();
    expect(await again.locator('input[name=q]').inputValue()).toBe(someone.userPrincipalName.toUpperCase());
    expect(await again.locator('[data-testid=users] tbody tr').getAttribute('data-user')).toBe(someone.id);
    await again.goto(`${demo.origin}/#/users?verdict=looping,unverified&sort=upn`);
    await again
      .getByTestId('users-total')
      .filter({ hasText: `${auditJson.summary.looping + auditJson.summary.unverified} users` })
      .waitFor();
    expect(await again.locator('input[name=verdict][value=unverified]').isChecked()).toBe(true);
    // Sorted by UPN from the URL; a click on the User header reverses it, another puts it back, and a
    // click on another column sorts by that one (each kept in the URL).
    const upnsOf = () =>
      again
        .locator('[data-testid=users] tbody tr td:first-child')
        .evaluateAll((cells) => cells.map((c) => (c.textContent ?? '').toLowerCase()));
    const wanted = auditJson.users
      .filter((u) => u.verdict === 'looping' || u.verdict === 'unverified')
      .map((u) => u.userPrincipalName.toLowerCase())
      .sort();
    await expect.poll(upnsOf).toEqual(wanted);
    await again.getByRole('button', { name: /^User/ }).click();
    await expect.poll(() => again.url()).toMatch(/sort=upn&dir=desc/);
    await expect.poll(upnsOf).toEqual([...wanted].reverse());
    await again.getByRole('button', { name: /^User/ }).click();
    await expect.poll(() => again.url()).not.toMatch(/dir=desc/);
    await expect.poll(upnsOf).toEqual(wanted);
    await again.getByRole('button', { name: /^Verdict/ }).click();
    await expect.poll(() => again.url()).toMatch(/sort=severity/);
    await expect
      .poll(() =>
        again
          .locator('[data-testid=users] tbody tr')
          .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-verdict'))),
      )
      .toEqual([
        ...Array<string>(auditJson.summary.looping).fill('looping'),
        ...Array<string>(auditJson.summary.unverified).fill('unverified'),
      ]);
    await again.screenshot({ path: join(SHOTS, 'users.png'), fullPage: true });
    await again.close();
    await page.close();
  });

  it("opens a user's evidence timeline and verdict history", async () => {
    const page = await newPage(demo);
    const user = auditJson.users.find((u) => u.verdict === 'looping')!;
    await page.goto(`${demo.origin}/#/users?verdict=looping`);
    await page.getByRole('link', { name: user.userPrincipalName }).click();
    await page.getByTestId('user-upn').filter({ hasText: user.userPrincipalName }).waitFor();
    const codes = await page
      .locator('[data-testid=timeline] tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-code')));
    for (const e of user.evidence) expect(codes).toContain(e.code);
    expect(await page.locator('[data-testid=verdict-history] tbody tr').count()).toBeGreaterThan(1);
    await page.screenshot({ path: join(SHOTS, 'user.png'), fullPage: true });
    await page.close();
  });

  it('shows the trend over the stored snapshots', async () => {
    const page = await newPage(demo);
    await page.getByRole('link', { name: 'Trend' }).click();
    await page.getByTestId('trend').waitFor();
    const runs = (await runCli(['history', '--db', demoDb, '--format', 'json'])).stdout;
    const count = (JSON.parse(runs) as { runs: unknown[] }).runs.length;
    expect(await page.locator('[data-testid=trend] tbody tr').count()).toBe(count);
    // The rollout's first wave (due 2026-11-24) is marked on the run of that day, the latest.
    const due = await page.getByTestId('waves-due').allTextContents();
    expect(due.at(-1)).toBe('students wave 1');
    expect(due.slice(0, -1).every((d) => d === '')).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'trend.png'), fullPage: true });
    await page.close();
  });

  it('shows the rollout board: waves, the bypass group and the next change set, as rollout status does', async () => {
    const page = await newPage(demo);
    await page.getByRole('link', { name: 'Rollout' }).click();
    await page.getByTestId('waves').waitFor();
    const waves = await page
      .locator('[data-testid=waves] tbody tr')
      .evaluateAll((rows) =>
        rows.map((r) => [Number(r.getAttribute('data-wave')), r.getAttribute('data-state')]),
      );
    expect(waves).toEqual(rolloutJson.waves.map((w) => [w.number, w.state]));
    expect(rolloutJson.waves[0]?.state).toBe('applied');
    const bypass = await page.locator('[data-testid=bypass] tbody tr td:first-child').allTextContents();
    expect(bypass.sort()).toEqual(rolloutJson.bypass.map((b) => b.upn).sort());
    expect(bypass.length).toBeGreaterThan(0);
    await page.screenshot({ path: join(SHOTS, 'rollout.png'), fullPage: true });
    await page.getByRole('link', { name: 'Impact' }).click();
    await page.getByTestId('impact-counts').waitFor();
    const policy = await page.locator('select[name=policy]').inputValue();
    const impact = await runCli([
      'impact',
      '--db',
      demoDb,
      '--policy',
      policy.replace(/^policy:/, ''),
      '--format',
      'json',
      '--now',
      '2026-11-24T09:00:00Z',
    ]);
    expect(impact.code, impact.stderr).toBe(0);
    const counts = (JSON.parse(impact.stdout) as { counts: Record<string, number> }).counts;
    for (const [bucket, n] of Object.entries(counts)) {
      const cell = page.locator(`[data-testid=impact-counts] tr[data-bucket=${bucket}] td`);
      expect(Number((await cell.textContent())!.replace(/,/g, '')), bucket).toBe(n);
    }
    await page.screenshot({ path: join(SHOTS, 'impact.png'), fullPage: true });
    await page.close();
  });

  it('renders a display name and a group name that look like markup as text, and runs no script of theirs', async () => {
    const page = await newPage(evil);
    const dialogs = (page as Page & { dialogs: string[] }).dialogs;
    await page.goto(`${evil.origin}/#/users?q=${encodeURIComponent('onerror')}`);
    await page
      .getByTestId('users-total')
      .filter({ hasText: /^1 users$/ })
      .waitFor();
    expect(await page.locator('[data-testid=users] tbody td').nth(1).textContent()).toBe(MARKUP_USER);
    const option = page.locator('select[name=group] option', { hasText: 'window.__pwned' });
    expect(await option.textContent()).toContain(MARKUP_GROUP);
    await page.locator('[data-testid=users] tbody a').first().click();
    await page.getByTestId('user-upn').waitFor();
    expect(await page.getByText(MARKUP_USER).count()).toBeGreaterThan(0);
    await page.getByRole('link', { name: 'Overview' }).click();
    await page.getByTestId('funnel').waitFor();
    // The rollout board names the group as text too; then every other page.
    await page.getByRole('link', { name: 'Rollout' }).click();
    await page.getByTestId('waves').waitFor();
    expect(await page.getByTestId('rollout').textContent()).toContain(`Enforcement group ${MARKUP_GROUP}`);
    for (const name of ['Trend', 'Impact', 'Users', 'Overview']) {
      await page.getByRole('link', { name, exact: true }).click();
      await page.locator('main h1').filter({ hasText: name }).waitFor();
    }
    expect(await page.locator('img[src=x]').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    await page.close();
  });

  it('answers 401 to the API without the key, even from the browser', async () => {
    const page = await browser.newPage();
    const res = await page.goto(`${demo.origin}/api/overview`);
    expect(res?.status()).toBe(401);
    await page.close();
  });
});
