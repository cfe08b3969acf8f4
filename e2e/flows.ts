import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { ADMIN, BASE_URL } from './env.js';

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

/**
 * The admin's side of the API, for steps a journey only needs done, not
 * watched: a grant before a student's journey, a billing run up to an instant
 * (what `uni-manager billing run --at` does; the embedded database belongs to
 * the running product, so the journey asks the product to run it).
 */
export async function adminApi() {
  const api = (path: string) => `${BASE_URL}/api/v1${path}`;
  const login = await fetch(api('/auth/login'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: ADMIN.email, password: ADMIN.password }),
  });
  expect(login.status).toBe(200);
  const { accessToken } = (await login.json()) as { accessToken: string };
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(api(path), {
      method,
      headers: { authorization: `Bearer ${accessToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const json = (await res.json()) as Record<string, unknown>;
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  return {
    async userId(email: string): Promise<string> {
      const page = (await call('GET', `/admin/users?q=${encodeURIComponent(email)}`)) as { items: { id: string }[] };
      expect(page.items).toHaveLength(1);
      return page.items[0]!.id;
    },
    async grant(email: string, amount: number, reason = 'Credits for the journey') {
      await call('POST', `/admin/users/${await this.userId(email)}/credits`, { kind: 'grant', amount, reason });
    },
    runBilling: (at: Date) => call('POST', '/admin/billing/runs', { at: at.toISOString() }),
  };
}
