import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { BASE_URL } from './env.js';

export const ARTIFACTS = path.resolve(import.meta.dirname, 'artifacts');
export const SCREENSHOTS = path.join(ARTIFACTS, 'screenshots');

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A fresh browser profile: its own cookies, storage and colour scheme. */
export async function newContext(
  browser: Browser,
  opts: { colorScheme?: 'dark' | 'light'; locale?: string; width?: number } = {},
): Promise<BrowserContext> {
  return browser.newContext({
    baseURL: BASE_URL,
    colorScheme: opts.colorScheme ?? 'dark',
    locale: opts.locale ?? 'en-GB',
    viewport: { width: opts.width ?? 1360, height: 860 },
  });
}

export async function screenshot(page: Page, name: string) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
