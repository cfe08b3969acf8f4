import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch, newContext, screenshot, settled } from './browser.js';
import { ADMIN } from './env.js';
import { chooseLocale, chooseTheme, login, register } from './flows.js';

const skip = inject('e2eSkip');
if (skip) console.warn(`e2e: ${skip}`);

let browser: Browser;
beforeAll(async () => {
  if (!skip) browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const unique = () => randomBytes(4).toString('hex');

describe.skipIf(Boolean(skip))('a user', () => {
  let ctx: BrowserContext;
  afterAll(async () => ctx?.close());

  it('registers, sees the dashboard, switches to French and the light theme, and logs out', async () => {
    ctx = await newContext(browser, { colorScheme: 'dark' });
    const page = await ctx.newPage();
    const email = `camille.${unique()}@example.org`;
    await register(page, email, 'Camille Durand');

    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('Camille');
    await expect.poll(() => page.getByTestId('recent-activity').textContent()).toMatch(/account|registered|created/i);
    // Dark by default, following the OS preference of this browser.
    expect(await page.locator('html').getAttribute('class')).toMatch(/\bdark\b/);
    await screenshot(page, 'dashboard-dark-en');

    await chooseLocale(page, 'fr');
    await expect.poll(() => page.locator('body').textContent()).toContain('Tableau de bord');
    await chooseTheme(page, 'light');
    await screenshot(page, 'dashboard-light-fr');

    // Both choices are remembered across a reload.
    await page.reload();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('fr');
    expect(await page.locator('html').getAttribute('class')).not.toMatch(/\bdark\b/);

    await page.getByTestId('user-menu').click();
    await page.getByTestId('logout').click();
    await page.waitForURL('**/login**');
    // Signed out for real: the dashboard sends us back to the login page.
    await page.goto('/dashboard');
    await page.waitForURL('**/login**');
  });
});

describe.skipIf(Boolean(skip))('an administrator', () => {
  let adminCtx: BrowserContext;
  let userCtx: BrowserContext;
  afterAll(async () => {
    await adminCtx?.close();
    await userCtx?.close();
  });

  it('suspends a user, whose next request fails, and finds both events in the audit log in English and French', async () => {
    userCtx = await newContext(browser);
    const userPage = await userCtx.newPage();
    const email = `louis.${unique()}@example.org`;
    await register(userPage, email, 'Louis Martin');

    adminCtx = await newContext(browser);
    const admin = await adminCtx.newPage();
    await login(admin, ADMIN.email, ADMIN.password);
    await admin.goto('/admin/users');
    await admin.getByTestId('users-search').fill(email);
    const row = admin.locator(`[data-testid=user-row][data-email="${email}"]`);
    await row.waitFor();
    await screenshot(admin, 'admin-users-dark-en');
    await row.getByTestId('user-actions').click();
    await admin.getByTestId('action-suspend').click();
    const dialog = admin.getByTestId('user-action-dialog');
    await dialog.getByTestId('reason-input').fill('Suspicious activity on the lab network');
    await dialog.getByTestId('confirm-action').click();
    await expect.poll(() => row.textContent()).toMatch(/suspended/i);

    // The user's very next request is refused, and they are told why.
    await userPage
      .getByRole('link', { name: /account/i })
      .first()
      .click();
    await userPage.waitForURL('**/login**');
    await expect
      .poll(() => userPage.getByTestId('session-notice').textContent())
      .toContain('Suspicious activity on the lab network');
    await screenshot(userPage, 'login-suspended-dark-en');

    await admin.goto('/admin/audit');
    await admin.getByTestId('audit-search').fill(email);
    // Exactly their two events: the sign-up (by them) and the suspension (about them).
    await expect.poll(async () => admin.getByTestId('audit-row').count(), { timeout: 10_000 }).toBe(2);
    const text = await admin.getByTestId('audit-table').textContent();
    expect(text).toMatch(/account suspended/i);
    expect(text).toMatch(/account created/i);
    expect(text).toContain(ADMIN.email);
    await screenshot(admin, 'admin-audit-dark-en');

    await chooseLocale(admin, 'fr');
    await expect.poll(() => admin.getByTestId('audit-table').textContent()).toMatch(/compte suspendu/i);
    expect(await admin.getByTestId('audit-table').textContent()).toMatch(/compte créé/i);
    await screenshot(admin, 'admin-audit-dark-fr');
  });
});

describe.skipIf(Boolean(skip))('every page', () => {
  it('renders in both themes (screenshots in e2e/artifacts/screenshots)', async () => {
    for (const colorScheme of ['dark', 'light'] as const) {
      const ctx = await newContext(browser, { colorScheme });
      const page = await ctx.newPage();
      for (const path of ['/login', '/register']) {
        await page.goto(path);
        await settled(page);
        await screenshot(page, `${path.slice(1)}-${colorScheme}`);
      }
      await login(page, ADMIN.email, ADMIN.password);
      const pages = ['/dashboard', '/account', '/admin/users', '/admin/audit'];
      for (const path of pages) {
        await page.goto(path);
        await settled(page);
        await expect.poll(() => page.locator('main').textContent()).not.toBe('');
        await screenshot(page, `${path.slice(1).replaceAll('/', '-')}-${colorScheme}`);
      }
      await page.goto('/admin/users');
      await page.locator('[data-testid=user-row]').first().getByTestId('user-actions').click();
      await page.getByTestId('action-view').click();
      await page.waitForURL(/\/admin\/users\/[0-9a-f-]{36}$/);
      await page.getByTestId('user-details').waitFor();
      await screenshot(page, `admin-user-detail-${colorScheme}`);
      const phone = await newContext(browser, { colorScheme, width: 390 });
      const small = await phone.newPage();
      await login(small, ADMIN.email, ADMIN.password);
      await screenshot(small, `dashboard-phone-${colorScheme}`);
      await small.getByTestId('nav-menu-button').click();
      await screenshot(small, `nav-phone-${colorScheme}`);
      await phone.close();
      await ctx.close();
    }
  });
});
