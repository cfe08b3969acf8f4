import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** Steps the journeys share, driven through the UI as a person would. */
export const PASSWORD = 'quiet-Meadow-48-compass';

export async function register(page: Page, email: string, name: string, password = PASSWORD) {
  await page.goto('/register');
  const form = page.getByTestId('register-form');
  await form.locator('input[name=email]').fill(email);
  await form.locator('input[name=displayName]').fill(name);
  await form.locator('input[name=password]').fill(password);
  await form.locator('input[name=confirmPassword]').fill(password);
  await form.locator('button[type=submit]').click();
  await page.waitForURL('**/dashboard');
}

export async function login(page: Page, email: string, password: string) {
  await page.goto('/login');
  const form = page.getByTestId('login-form');
  await form.locator('input[name=email]').fill(email);
  await form.locator('input[name=password]').fill(password);
  await form.locator('button[type=submit]').click();
  await page.waitForURL('**/dashboard');
}

export async function chooseLocale(page: Page, code: 'en' | 'fr') {
  await page.getByTestId('language-switcher').click();
  await page.getByTestId(`locale-${code}`).click();
  await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(code);
  await page.getByTestId(`locale-${code}`).waitFor({ state: 'detached' });
}

export async function chooseTheme(page: Page, theme: 'light' | 'dark') {
  await page.getByTestId('theme-toggle').click();
  await page.getByTestId(`theme-${theme}`).click();
  // The menu fades out: wait until it is gone, so screenshots show the page, not the menu.
  await page.getByTestId(`theme-${theme}`).waitFor({ state: 'detached' });
  await expect
    .poll(() => page.locator('html').getAttribute('class'))
    .toMatch(theme === 'dark' ? /\bdark\b/ : /^(?!.*\bdark\b)/);
}
